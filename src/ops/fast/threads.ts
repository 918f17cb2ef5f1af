/**
 * The second core (and more): worker threads that run the same wasm kernels on the same shared memory.
 * A job is split into numbered chunks; the calling thread and the workers take chunk numbers from an
 * atomic counter until none is left, so a worker that is busy elsewhere (or still starting) only
 * means the caller does more chunks itself. The caller then waits, with Atomics.wait, until no worker
 * is inside the job. Workers are unref'd: they never keep the process alive.
 *
 * Control block (Int32Array over a SharedArrayBuffer):
 *   GEN      bumped to wake the workers for a new job
 *   ACTIVE   workers inside the current job
 *   NEXT     the next chunk number; CLOSED (larger than any job) between jobs, so a late worker takes none
 *   CHUNKS, KERNEL, ARGS   the job, written while NEXT is CLOSED and published by storing NEXT = 0
 *   FAILED   set by a worker whose chunk trapped
 */
import { Thread, platform } from "../../platform";
import type { JobArgs, JobName } from "./contract";
import { JOB_KERNELS, MAX_THREADS, WasmHeap } from "./wasm";

const GEN = 0;
const ACTIVE = 1;
const NEXT = 2;
const CHUNKS = 3;
const KERNEL = 4;
const ARGS = 5;
const FAILED = 6;
const CLOSED = 0x3fffffff;
/** Iterations a thread polls before it sleeps in Atomics.wait (some 100 microseconds). */
const SPIN = 20000;

/** The source of a worker's main function, given the worker's data. */
const WORKER_MAIN = `({ module, memory, control, thread, names }) => {
const ctl = new Int32Array(control);
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = names.map((name) => exports[name]);
let seen = 0;
for (;;) {
  // Jobs come in bursts (one per op of a training step): spin a little before sleeping, since waking
  // from Atomics.wait takes tens of microseconds.
  for (let spin = 0; spin < ${SPIN} && Atomics.load(ctl, ${GEN}) === seen; spin++);
  Atomics.wait(ctl, ${GEN}, seen);
  seen = Atomics.load(ctl, ${GEN});
  Atomics.add(ctl, ${ACTIVE}, 1);
  for (;;) {
    const chunk = Atomics.add(ctl, ${NEXT}, 1);
    if (chunk >= Atomics.load(ctl, ${CHUNKS})) break;
    try {
      kernels[Atomics.load(ctl, ${KERNEL})](Atomics.load(ctl, ${ARGS}), chunk, thread);
    } catch {
      Atomics.store(ctl, ${FAILED}, 1); // a trap: the caller throws instead of waiting forever
    }
  }
  if (Atomics.sub(ctl, ${ACTIVE}, 1) === 1) Atomics.notify(ctl, ${ACTIVE});
}
}`;

/** Threads to use in all, the caller included: MINITORCH_THREADS if set, else the machine's cores, or
 * just the caller while the machine is oversubscribed (see `busy`). */
export function threadCount(): number {
  const fromEnv = Number(platform.env("MINITORCH_THREADS"));
  const n = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : busy() ? 1 : platform.maxThreads();
  return Math.max(1, Math.min(MAX_THREADS, n));
}

let busyUntil = 0;
let busyValue = false;
/** True while the machine is oversubscribed (checked at most once a second): then a worker that has
 * taken a chunk is often descheduled mid-chunk and the caller waits a whole time slice for it, so a
 * job is faster on the calling thread alone. The 1-minute load average counts our own threads too,
 * hence the hysteresis: busy from cores + 1.5 runnable tasks, free again below cores + 0.5. */
function busy(): boolean {
  const now = Date.now();
  if (now >= busyUntil) {
    const load = platform.loadAverage();
    const cores = platform.maxThreads();
    busyValue = load !== null && (busyValue ? load >= cores + 0.5 : load >= cores + 1.5);
    busyUntil = now + 1000;
  }
  return busyValue;
}

class Pool {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly workers: Thread[] = [];
  private broken = false;

  constructor(private readonly heap: WasmHeap) {
    Atomics.store(this.ctl, NEXT, CLOSED);
  }

  /** Starts the workers on first use (about 30 ms, once); false when they cannot run here. */
  private start(): boolean {
    if (this.workers.length > 0 || this.broken) return !this.broken;
    try {
      const threads = threadCount();
      for (let t = 1; t < threads; t++) {
        const { module, memory } = this.heap;
        const data = { module, memory, control: this.ctl.buffer, thread: t, names: JOB_KERNELS };
        const worker = platform.startThread(WORKER_MAIN, data);
        worker.onError(() => (this.broken = true));
        this.workers.push(worker);
      }
    } catch {
      this.broken = true;
    }
    return !this.broken;
  }

  /** Runs `chunks` chunks of kernel `name` (arguments already in the heap), sharing them with the workers. */
  run(name: JobName, chunks: number, meanwhile?: () => void): void {
    const kernel = this.heap.kernels[name];
    const args = this.heap.args;
    if (!this.start()) {
      meanwhile?.();
      for (let c = 0; c < chunks; c++) kernel(args, c, 0);
      return;
    }
    const ctl = this.ctl;
    Atomics.store(ctl, CHUNKS, chunks);
    Atomics.store(ctl, KERNEL, JOB_KERNELS.indexOf(name));
    Atomics.store(ctl, ARGS, args);
    Atomics.store(ctl, NEXT, 0); // publishes the job
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    meanwhile?.(); // the workers have started on the chunks
    for (;;) {
      const chunk = Atomics.add(ctl, NEXT, 1);
      if (chunk >= chunks) break;
      kernel(args, chunk, 0);
    }
    for (let spin = 0; spin < SPIN && Atomics.load(ctl, ACTIVE) !== 0; spin++);
    for (;;) {
      const active = Atomics.load(ctl, ACTIVE);
      if (active === 0) break;
      Atomics.wait(ctl, ACTIVE, active);
    }
    Atomics.store(ctl, NEXT, CLOSED);
    if (Atomics.exchange(ctl, FAILED, 0) !== 0) {
      throw new Error(`fast backend: a worker thread failed in the ${name} kernel`);
    }
  }
}

let pool: Pool | null = null;
let parallelJobs = 0;

/** How many jobs have been shared with worker threads so far (tests check that the workers ran). */
export function parallelJobCount(): number {
  return parallelJobs;
}

/** Work (in flops or element touches) below which a job runs on the calling thread alone: some 0.5 ms
 * of work. Below that, waking a worker and waiting for its last chunk cost about what it saves (the
 * MNIST training step, whose jobs are 1-7 MFLOP, runs no faster on two threads). */
export const PARALLEL_WORK = 1 << 23;

/** PARALLEL_WORK, or MINITORCH_PARALLEL_WORK when set (tests set 0 to send every job to the workers). */
function parallelWork(): number {
  const value = platform.env("MINITORCH_PARALLEL_WORK");
  return value !== undefined && value !== "" && Number(value) >= 0 ? Number(value) : PARALLEL_WORK;
}

/** Runs `chunks` chunks of job `name` with `args`: on the calling thread alone when the job is small
 * (`work` flops or element touches) or threads are off, else shared with the workers. `meanwhile` is
 * JavaScript work for the calling thread (allocating the result, which page-faults) done while the
 * workers start on the chunks. */
export function runJob<J extends JobName>(
  heap: WasmHeap, name: J, args: JobArgs<J>, chunks: number, work: number, meanwhile?: () => void,
): void {
  heap.setArgs(name, args);
  if (chunks <= 1 || work < parallelWork() || threadCount() < 2) {
    meanwhile?.();
    const kernel = heap.kernels[name];
    for (let c = 0; c < chunks; c++) kernel(heap.args, c, 0);
    return;
  }
  if (pool === null) pool = new Pool(heap);
  pool.run(name, chunks, meanwhile);
  parallelJobs++;
}
