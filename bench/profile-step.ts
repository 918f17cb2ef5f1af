/**
 * Where the MNIST training step spends its time, kernel by kernel: wraps every method of the fast
 * backend with a timer, runs warm-up steps, then averages over timed steps. Run with
 *   npx ts-node --transpile-only bench/profile-step.ts        (MINITORCH_THREADS=1 for one thread)
 * Each line: ms per step, calls per step, kernel and shape (conv2d: reverse flag and input shape).
 */
import { fastBackend } from "../src/ops/fast";
import type { TensorData } from "../src";
import { ourBatch, ourTrainer, randomBatch } from "./mnist-net";

const totals = new Map<string, { ms: number; calls: number }>();
const methods = ["map", "zip", "reduce", "argmax", "softmax", "matmul", "conv1d", "conv2d"] as const;
const table = fastBackend as unknown as Record<string, (...args: unknown[]) => TensorData>;
for (const name of methods) {
  const kernel = table[name];
  table[name] = (...args: unknown[]) => {
    const start = performance.now();
    const out = kernel(...args);
    const ms = performance.now() - start;
    const fn = typeof args[0] === "function" ? `:${(args[0] as { name: string }).name || "closure"}` : "";
    const input = args.find((a): a is TensorData => typeof a === "object" && a !== null && "shape" in a);
    const detail = name.startsWith("conv") ? ` reverse=${args[2]}` : "";
    const key = `${name}${fn} [${input?.shape.join(",") ?? ""}]${detail}`;
    const t = totals.get(key) ?? { ms: 0, calls: 0 };
    t.ms += ms;
    t.calls++;
    totals.set(key, t);
    return out;
  };
}
const trainer = ourTrainer();
const [x, y] = ourBatch(randomBatch());
for (let i = 0; i < 30; i++) trainer.step(x, y);
totals.clear();
const steps = 100;
const cpu = process.cpuUsage();
const start = performance.now();
for (let i = 0; i < steps; i++) trainer.step(x, y);
const wall = (performance.now() - start) / steps;
const used = process.cpuUsage(cpu);
const inKernels = [...totals.values()].reduce((a, t) => a + t.ms, 0) / steps;
console.log(`step: ${wall.toFixed(2)} ms wall, ${((used.user + used.system) / 1000 / steps).toFixed(2)} ms CPU; ` +
  `${inKernels.toFixed(2)} ms in backend kernels, the rest in autodiff, modules and the optimizer`);
[...totals.entries()]
  .sort((a, b) => b[1].ms - a[1].ms)
  .slice(0, 25)
  .forEach(([key, t]) => console.log(`${(t.ms / steps).toFixed(3).padStart(7)} ms ${String(t.calls / steps).padStart(3)}x ${key}`));
