/**
 * PyTorch as a peer of the benchmark: a child process of Debian's python3 (BENCH_PYTHON overrides the
 * path) running bench/torch-peer.py, which times the same seeded work on request, so its columns are
 * visited in the same rounds as ours. Optional: where python3 or torch is missing the peer says why
 * and the columns read "not installed"; nothing else in the project needs Python.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { TimeOptions } from "./timing";

export type TorchDtype = "float64" | "float32";

export interface TorchPeer {
  readonly version: string;
  /** Timed calls of case `id` (after the warm-up), in wall-clock and CPU ms, or the reason it cannot run. */
  time(id: string, dtype: TorchDtype, threads: number, options: Required<TimeOptions>): Promise<Samples | string>;
  close(): void;
}

export interface Samples {
  wall: number[];
  cpu: number[];
}

type Reply = { error?: string; skipped?: string; samples?: number[]; cpu?: number[]; torch?: string; check?: number };

/** Starts the peer; resolves to the reason it is unavailable instead when it cannot run. */
export async function startTorchPeer(expectedCheck: number): Promise<TorchPeer | string> {
  const python = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
  const child = spawn(python, [join(__dirname, "torch-peer.py")], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const failed = new Promise<string>((resolve) => {
    child.on("error", () => resolve(`not installed (no ${python})`));
    child.on("exit", (code) => resolve(`the peer exited with code ${code}`));
  });
  const ask = async (request: object): Promise<Reply> => {
    child.stdin.write(JSON.stringify(request) + "\n");
    const next = await Promise.race([lines.next(), failed]);
    if (typeof next === "string") return { error: next };
    return next.done ? { error: "the peer closed its output" } : (JSON.parse(next.value) as Reply);
  };
  const hello = await ask({ op: "hello" });
  if (hello.error !== undefined || hello.torch === undefined) {
    child.kill();
    return hello.error ?? "no answer";
  }
  if (hello.check === undefined || Math.abs(hello.check - expectedCheck) > 1e-9) {
    child.kill();
    return `its seeded inputs differ from ours (check ${hello.check} vs ${expectedCheck})`;
  }
  return {
    version: hello.torch,
    async time(id, dtype, threads, options) {
      const reply = await ask({ op: "time", case: id, dtype, threads, ...options });
      if (reply.samples !== undefined && reply.cpu !== undefined) return { wall: reply.samples, cpu: reply.cpu };
      return reply.skipped ?? `failed: ${reply.error}`;
    },
    close: () => child.kill(),
  };
}
