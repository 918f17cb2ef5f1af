/**
 * Runs a prepared notebook through real Jupyter with run_cells.py (jupyter_client + the tslab kernel):
 * one kernel per submission, a deadline per cell, interrupt then restart-and-replay when a cell hangs or
 * the kernel dies.
 */
import { spawn } from "child_process";
import { writeFileSync } from "fs";
import { join } from "path";
import { KERNEL } from "../jupyter";

export type CellStatus = "ok" | "error" | "timeout" | "died" | "skipped";
export type Replay = "always" | "if_ok" | "never";

export interface KernelEvent {
  cell: number;
  event: "timeout" | "interrupted" | "unresponsive" | "died" | "restarted" | "replay-timeout" | "replay-died";
  after?: number;
}

export interface RunResult {
  cells: { status: CellStatus; seconds: number }[];
  events: KernelEvent[];
}

const DRIVER = join(__dirname, "run_cells.py");

/** Executes `notebook` (in its own folder) cell by cell; writes the executed copy to `output`. */
export function runCells(
  python: string,
  notebook: string,
  output: string,
  options: { cwd: string; timeout: number; grace: number; replay: readonly Replay[]; planFile: string },
): Promise<RunResult> {
  writeFileSync(options.planFile, JSON.stringify({
    notebook, output, kernel: KERNEL, cwd: options.cwd, timeout: options.timeout, grace: options.grace, replay: options.replay,
  }));
  return new Promise((resolve, reject) => {
    const child = spawn(python, [DRIVER, options.planFile], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (error) => reject(new Error(`cannot start ${python}: ${error.message}`)));
    child.on("close", (code, signal) => {
      const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
      if (line === undefined) {
        const tail = stderr.split("\n").filter((l) => !/Debugger|frozen modules|PYDEVD|-Xfrozen_modules/.test(l)).slice(-15).join("\n");
        reject(new Error(`the Jupyter driver exited with ${code ?? signal} and no result:\n${tail}`));
        return;
      }
      resolve(JSON.parse(line.slice("RESULT ".length)) as RunResult);
    });
  });
}
