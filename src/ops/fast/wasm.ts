/**
 * The WebAssembly side of the fast backend: the kernels of assembly/kernels.ts, instantiated on a
 * shared memory (so worker threads can run the same kernels on the same data), and a bump arena in
 * that memory. A backend call resets the arena, copies its operands in, runs jobs, copies the result
 * out into an ordinary Float64Array; nothing of the heap outlives the call.
 */
import { ARGS_BYTES, JOBS, JobArgs, JobName, contractHash } from "./contract";
import { KERNELS_WASM_BASE64 } from "./kernels-wasm";

/** A job kernel: does chunk `chunk` of the work described at `args`, with thread `thread`'s scratch. */
export type JobKernel = (args: number, chunk: number, thread: number) => void;

export type KernelExports = Record<JobName, JobKernel> & {
  heapBase(): number;
  scratchBytes(): number;
  contractHash(): number;
};

/** Job kernels by number, the order the worker threads index them by. */
export const JOB_KERNELS = Object.keys(JOBS) as JobName[];

const PAGE = 65536;
/** 1 GiB: the shared memory's fixed maximum (an address-space reservation, not resident memory). */
const MAX_PAGES = 16384;
/** Threads whose scratch areas are reserved at the bottom of the heap. */
export const MAX_THREADS = 4;

export class WasmHeap {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly kernels: KernelExports;
  /** Address of the job arguments (i32 slots). */
  readonly args: number;
  /** Address of thread 0's scratch; thread t's is at scratch + t * scratchBytes. */
  readonly scratch: number;
  private readonly base: number;
  private top: number;
  private f64View: Float64Array;
  private i32View: Int32Array;

  constructor(bytes: Uint8Array) {
    this.module = new WebAssembly.Module(bytes);
    this.memory = new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
    this.kernels = new WebAssembly.Instance(this.module, { env: { memory: this.memory } })
      .exports as unknown as KernelExports;
    this.args = align(this.kernels.heapBase());
    this.scratch = align(this.args + ARGS_BYTES);
    this.base = align(this.scratch + MAX_THREADS * this.kernels.scratchBytes());
    this.top = this.base;
    this.f64View = new Float64Array(this.memory.buffer);
    this.i32View = new Int32Array(this.memory.buffer);
    this.ensure(this.base);
  }

  /** Float64 view of the whole memory (refreshed after growth). */
  get f64(): Float64Array {
    if (this.f64View.byteLength !== this.memory.buffer.byteLength) this.refresh();
    return this.f64View;
  }
  get i32(): Int32Array {
    if (this.i32View.byteLength !== this.memory.buffer.byteLength) this.refresh();
    return this.i32View;
  }

  /** Frees everything allocated since the last reset (call at the start of each backend op). */
  reset(): void {
    this.top = this.base;
  }

  /** True when `count` more doubles, in up to 16 allocations, fit under the memory's maximum. */
  fits(count: number): boolean {
    return this.top + count * 8 + 16 * 64 <= MAX_PAGES * PAGE;
  }

  /** Address of `count` fresh (uninitialised) doubles, 64-byte aligned. */
  alloc(count: number): number {
    const ptr = this.top;
    this.top = align(ptr + count * 8);
    this.ensure(this.top);
    return ptr;
  }

  /** Copies `data` in; returns its address. */
  put(data: Float64Array): number {
    const ptr = this.alloc(data.length);
    this.f64.set(data, ptr / 8);
    return ptr;
  }

  /** Copies `out.length` doubles at `ptr` into `out` (allocated beforehand, see runJob's meanwhile). */
  takeInto(out: Float64Array, ptr: number): Float64Array {
    out.set(this.f64.subarray(ptr / 8, ptr / 8 + out.length));
    return out;
  }

  /** Writes job `job`'s arguments into their slots (contract.ts). */
  setArgs<J extends JobName>(job: J, args: JobArgs<J>): void {
    const slots: readonly string[] = JOBS[job];
    const values = args as Readonly<Record<string, number>>;
    const i32 = this.i32;
    const base = this.args / 4;
    for (let i = 0; i < slots.length; i++) i32[base + i] = values[slots[i]];
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      const pages = Math.ceil((bytes - have) / PAGE);
      this.memory.grow(Math.min(MAX_PAGES - have / PAGE, Math.max(pages, have / PAGE / 4)));
      this.refresh();
    }
  }

  private refresh(): void {
    this.f64View = new Float64Array(this.memory.buffer);
    this.i32View = new Int32Array(this.memory.buffer);
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

let heap: WasmHeap | null | undefined;

/** The process's heap, instantiated on first use; null where WebAssembly SIMD or shared memory is
 * missing (the fast backend then runs its JavaScript kernels, or the reference ones). A module built
 * from another contract is an error, not a fallback. */
export function wasmHeap(): WasmHeap | null {
  if (heap === undefined) {
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    let made: WasmHeap | null;
    try {
      made = new WasmHeap(bytes); // throws without SIMD or shared memory (a page not cross-origin isolated)
    } catch {
      made = null;
    }
    if (made !== null && made.kernels.contractHash() !== contractHash()) {
      throw new Error(
        "fast backend: kernels-wasm.ts was built from another src/ops/fast/contract.ts; run npm run build",
      );
    }
    heap = made;
  }
  return heap;
}
