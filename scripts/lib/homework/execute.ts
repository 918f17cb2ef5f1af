/**
 * Runs a prepared notebook through real Jupyter with run_cells.py (jupyter_client driving the tslab kernel in
 * its jail, sandbox.ts): one kernel per submission, a deadline per cell and one for the whole notebook,
 * interrupt then restart-and-replay when a cell hangs or the kernel dies. The driver runs outside the jail and
 * writes the executed notebook and its result where only the grader can read them.
 */
import { spawn } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { Jail, sweep } from "./sandbox";

export type CellStatus = "ok" | "error" | "timeout" | "died" | "skipped" | "not-run";
export type Replay = "always" | "if_ok" | "never";

export interface KernelEvent {
  cell: number;
  event: "timeout" | "interrupted" | "unresponsive" | "died" | "memory" | "restarted" | "replay-timeout" | "replay-died"
    | "wall-time";
  after?: number;
  /** Why the kernel died, when the driver could tell ("memory": an allocation failed under the memory limit). */
  reason?: "memory";
}

export interface RunResult {
  cells: { status: CellStatus; seconds: number }[];
  events: KernelEvent[];
}

export interface RunOptions {
  /** Per-cell deadline, seconds. */
  timeout: number;
  /** How long an interrupted cell may take to stop, seconds. */
  grace: number;
  /** Deadline for the whole notebook, seconds. */
  wall: number;
  /** Text a cell may print before the rest is dropped, bytes. */
  outputLimit: number;
  /** The kernel's memory limit, MB: a kernel left holding most of it is replaced before the next cell. */
  memoryMB: number;
  /** Per cell: replayed into a fresh kernel always, only if it ran cleanly, or never. */
  replay: readonly Replay[];
}

const DRIVER = join(__dirname, "run_cells.py");

/** Executes `notebook` cell by cell in `jail`; writes the executed copy to `output`. */
export function runCells(
  python: string, notebook: string, output: string, jail: Jail, options: RunOptions,
): Promise<RunResult> {
  const planFile = join(jail.privateDir, "plan.json");
  const resultFile = join(jail.privateDir, "result.json");
  writeFileSync(planFile, JSON.stringify({
    notebook, output, result: resultFile, boundary: jail.boundary, argv: jail.argv, cwd: jail.cwd,
    runtime_dir: jail.runtimeDir, uid: jail.uid, sweep: jail.sweep,
    timeout: options.timeout, grace: options.grace, wall: options.wall, output_limit: options.outputLimit,
    memory_mb: options.memoryMB, replay: options.replay,
  }));
  return new Promise((resolve, reject) => {
    const child = spawn(python, [DRIVER, planFile], {
      stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    });
    // The driver stops the notebook at `wall`; this stops the driver should it hang (its kernel dies with it).
    const killer = setTimeout(() => child.kill("SIGKILL"), (options.wall + options.grace + 60) * 1000);
    let stderr = "";
    child.stdout.resume();
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    child.on("error", (error) => reject(new Error(`cannot start ${python}: ${error.message}`)));
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      sweep(jail);
      let result: RunResult;
      try {
        result = JSON.parse(readFileSync(resultFile, "utf8")) as RunResult;
      } catch {
        const noise = /Debugger|frozen modules|PYDEVD|-Xfrozen_modules/;
        const tail = stderr.split("\n").filter((l) => !noise.test(l)).slice(-15).join("\n");
        reject(new Error(`the Jupyter driver exited with ${code ?? signal} and no result:\n${tail}`));
        return;
      }
      resolve(result);
    });
  });
}
