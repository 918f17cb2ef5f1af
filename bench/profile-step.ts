/**
 * Where the MNIST training step spends its time: per phase (forward, backward, optimizer), how much of
 * each phase is backend kernels and how much the rest (autodiff bookkeeping: Tensor and History
 * objects, the topological sort, unbroadcasting; module code; the optimizer's loops), the garbage
 * collector's pauses, and the kernels one by one. Wraps every method of the fast backend with a timer,
 * runs warm-up steps, then averages over timed steps. Run with
 *   npx ts-node --transpile-only bench/profile-step.ts [--cpu]    (MINITORCH_THREADS=1 for one thread)
 * `--cpu` times with the process's CPU time instead of the wall clock: on a loaded machine that leaves
 * out the time the process waits for a core (meaningful on one thread only).
 * Kernel lines: ms per step, calls per step, kernel, scalar function and input shape (conv2d: reverse).
 */
import { PerformanceObserver } from "node:perf_hooks";
import { loadavg } from "node:os";
import type { TensorData } from "../src";
import { fastBackend } from "../src/ops/fast";
import { opName } from "../src/ops/operators";
import { output } from "../src/ops/fast/output";
import { Phase, ourBatch, ourTrainer, randomBatch } from "./mnist-net";

const STEPS = 200;
const CPU = process.argv.includes("--cpu");
/** Milliseconds: wall clock, or with --cpu the process's CPU time. */
function clock(): number {
  if (!CPU) return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
const kernels = new Map<string, { ms: number; calls: number }>();
const phases = new Map<Phase, { ms: number; kernelMs: number }>();
let phase: Phase = "done";
let phaseStart = 0;
let phaseKernelMs = 0;
/** Output sizes of one step's kernels, in order, to time their allocation on its own. */
let outputs: number[] = [];

const methods = ["map", "zip", "reduce", "argmax", "softmax", "matmul", "conv1d", "conv2d"] as const;
const table = fastBackend as unknown as Record<string, (...args: unknown[]) => TensorData>;
for (const name of methods) {
  const kernel = table[name];
  table[name] = (...args: unknown[]) => {
    const start = clock();
    const out = kernel(...args);
    const ms = clock() - start;
    phaseKernelMs += ms;
    outputs.push(out.size);
    const scalar = typeof args[0] === "function" ? (args[0] as () => number) : null;
    const fn = scalar === null ? "" : `:${opName(scalar) ?? (scalar.name || "closure")}`;
    const input = args.find((a): a is TensorData => typeof a === "object" && a !== null && "shape" in a);
    const detail = name.startsWith("conv") ? ` reverse=${args[2]}` : "";
    const key = `${name}${fn} [${input?.shape.join(",") ?? ""}]${detail}`;
    const t = kernels.get(key) ?? { ms: 0, calls: 0 };
    t.ms += ms;
    t.calls++;
    kernels.set(key, t);
    return out;
  };
}

function onPhase(next: Phase): void {
  const now = clock();
  if (phase !== "done") {
    const p = phases.get(phase) ?? { ms: 0, kernelMs: 0 };
    p.ms += now - phaseStart;
    p.kernelMs += phaseKernelMs;
    phases.set(phase, p);
  }
  [phase, phaseStart, phaseKernelMs] = [next, now, 0];
}

async function main(): Promise<void> {
  const trainer = ourTrainer(onPhase);
  const [x, y] = ourBatch(randomBatch());
  for (let i = 0; i < 30; i++) trainer.step(x, y);
  kernels.clear();
  phases.clear();
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => (gcMs += e.duration)));
  observer.observe({ entryTypes: ["gc"] });
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < STEPS; i++) {
    outputs = [];
    trainer.step(x, y);
  }
  const wall = (performance.now() - start) / STEPS;
  const used = process.cpuUsage(cpu);
  await new Promise((resolve) => setTimeout(resolve, 50)); // the gc entries arrive asynchronously
  observer.disconnect();

  // Allocation on its own: the step's outputs, allocated again as the kernels do, each of their pages
  // touched once (the page faults of fresh memory), and dropped.
  const allocStart = clock();
  for (let i = 0; i < STEPS; i++) {
    for (const n of outputs) {
      const o = output(n);
      for (let k = 0; k < n; k += 512) o[k] = 0;
    }
  }
  const allocMs = (clock() - allocStart) / STEPS;

  const inKernels = [...kernels.values()].reduce((a, t) => a + t.ms, 0) / STEPS;
  const load = loadavg().map((l) => l.toFixed(2)).join(" ");
  console.log(`load average ${load}; threads: ${process.env.MINITORCH_THREADS ?? "default"}; ` +
    `phases and kernels timed by ${CPU ? "CPU time" : "the wall clock"}`);
  console.log(`step: ${wall.toFixed(2)} ms wall, ${((used.user + used.system) / 1000 / STEPS).toFixed(2)} ms CPU; ` +
    `${inKernels.toFixed(2)} ms in backend kernels ` +
    `(allocating their ${outputs.length} outputs and faulting in their pages: ~${allocMs.toFixed(2)} ms ` +
    `when timed alone), GC pauses ${(gcMs / STEPS).toFixed(2)} ms`);
  for (const [name, p] of phases) {
    const ms = (p.ms / STEPS).toFixed(2).padStart(6);
    console.log(`  ${name.padEnd(9)} ${ms} ms: kernels ${(p.kernelMs / STEPS).toFixed(2)}, ` +
      `the rest ${((p.ms - p.kernelMs) / STEPS).toFixed(2)}`);
  }
  [...kernels.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 30)
    .forEach(([key, t]) => {
      console.log(`${(t.ms / STEPS).toFixed(3).padStart(7)} ms ${String(t.calls / STEPS).padStart(3)}x ${key}`);
    });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
