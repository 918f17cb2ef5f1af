/** Timing for the benchmark: warm up, then the median of repeated runs (the machine is shared, so
 * medians, not means). `setup` runs before each timed call, outside the timing. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
/** A full garbage collection, now. */
export const gc = runInNewContext("gc") as () => void;
export interface Timing {
  /** Median milliseconds per call. */
  readonly ms: number;
  readonly runs: number;
  /** Every timed call, in ms. */
  readonly samples: number[];
  /** The process's CPU time in each timed call, in ms: on a loaded machine the wall clock also counts
   * the time spent waiting for a core, and a peer that sleeps between requests is favoured by the
   * scheduler when it wakes; on one thread, CPU time is the fairer comparison. */
  readonly cpuSamples: number[];
}

export interface TimeOptions {
  /** Untimed calls first (default 3): the JIT, the wasm tier-up and the worker threads settle. */
  warmup?: number;
  /** At least this many timed calls (default 7). */
  minRuns?: number;
  /** And then more until this many ms have gone (default 1500), up to maxRuns (default 41). */
  budgetMs?: number;
  maxRuns?: number;
}

export async function time<S>(
  run: (state: S) => unknown | Promise<unknown>,
  setup: () => S = () => undefined as S,
  options: TimeOptions = {},
): Promise<Timing> {
  const { warmup = 3, minRuns = 7, budgetMs = 1500, maxRuns = 41 } = options;
  // The garbage of what ran before (another column, the slow reference kernels) is collected here, not
  // by V8's concurrent threads during this column's samples, whose CPU time would count it.
  gc();
  for (let i = 0; i < warmup; i++) await run(setup());
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || (performance.now() - start < budgetMs && samples.length < maxRuns)) {
    const state = setup();
    const cpu = process.cpuUsage();
    const t = performance.now();
    await run(state);
    samples.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuSamples.push((used.user + used.system) / 1000);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { ms: sorted[sorted.length >> 1], runs: samples.length, samples, cpuSamples };
}
