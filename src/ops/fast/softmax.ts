/**
 * Fused softmax / logsoftmax and exp on the wasm kernels: one pass for the max, one for exp and its
 * sum, one to normalise, with exp vectorised (assembly/kernels.ts: Cody-Waite reduction, degree-12
 * polynomial, 2^k in the exponent bits). Lanes along any dim: the input is gathered with `dim` moved
 * last so every lane is a contiguous row, and the result is permuted back.
 */
import { TensorData } from "../../data/tensor-data";
import { Shape, shapeSize } from "../../data/shape";
import { forEachLane } from "../kernels";
import { gatherInto, identity, mapInto } from "./elementwise";
import { output } from "./output";
import { runJob } from "./threads";
import { WasmHeap, wasmHeap } from "./wasm";

/** Elements below which the JavaScript loops win over copying into wasm. */
export const SMALL_SOFTMAX = 2048;
const ROW_CHUNK = 16384;

/** softmax (or log-softmax) of a along dim, or null when wasm is unavailable or the tensor small. */
export function fastSoftmax(a: TensorData, dim: number, log: boolean): TensorData | null {
  const size = a.size;
  if (size === 0) return TensorData.zeros(a.shape);
  const heap = wasmHeap();
  if (heap === null || size < SMALL_SOFTMAX) return null;
  heap.reset();
  if (!heap.fits(2 * size)) return null;
  const n = a.shape[dim];
  const rows = size / n;
  const per = Math.max(1, Math.floor(ROW_CHUNK / n));
  if (dim === a.dims - 1 && a.isContiguous() && rows >= 2) return pipelined(heap, a, n, rows, per, log);
  const order = [...a.shape.keys()].filter((i) => i !== dim).concat(dim);
  const x = heap.alloc(size);
  gatherInto(heap.f64, x / 8, a.permute(order));
  const o = heap.alloc(size);
  let out = new Float64Array(0);
  const args = { x, out: o, rows, n, log: log ? 1 : 0, perChunk: per };
  runJob(heap, "softmaxRows", args, Math.ceil(rows / per), size * 32, () => (out = output(size)));
  if (dim === a.dims - 1) return new TensorData(heap.takeInto(out, o), a.shape);
  const permuted = new TensorData(heap.f64.subarray(o / 8, o / 8 + size), order.map((i) => a.shape[i]));
  gatherInto(out, 0, permuted.permute(order.map((_, i) => order.indexOf(i))));
  return new TensorData(out, a.shape);
}

/** The fused softmax in plain loops, for tensors too small for wasm (or without it): per lane, one pass
 * for the max, one for exp(x - max) and its sum, one to normalise (or, with `log`, x - max - log(sum)). */
export function softmaxLanes(a: TensorData, dim: number, log: boolean): TensorData {
  const out = TensorData.zeros(a.shape);
  const [o, x] = [out.storage, a.storage];
  forEachLane(a, out, dim, (inPos, outPos, n, inStep, outStep) => {
    let m = -Infinity;
    for (let k = 0; k < n; k++) m = Math.max(m, x[inPos + k * inStep]);
    let total = 0;
    for (let k = 0; k < n; k++) total += Math.exp(x[inPos + k * inStep] - m);
    const logTotal = Math.log(total);
    for (let k = 0; k < n; k++) {
      const shifted = x[inPos + k * inStep] - m;
      o[outPos + k * outStep] = log ? shifted - logTotal : Math.exp(shifted) / total;
    }
  });
  return out;
}

/** Softmax of contiguous rows in two halves, so the copies overlap the workers' computing: while they
 * do the first half, the caller copies in the second and allocates the result; while they do the
 * second, it copies out the first. With one thread the same steps run one after the other. */
function pipelined(heap: WasmHeap, a: TensorData, n: number, rows: number, per: number, log: boolean): TensorData {
  const size = rows * n;
  const half = Math.floor(rows / 2) * n;
  const [x, o] = [heap.alloc(size), heap.alloc(size)];
  const src = a.storage;
  let out = new Float64Array(0);
  const job = (first: number, count: number, meanwhile: () => void) => {
    const args = { x: x + first * 8, out: o + first * 8, rows: count / n, n, log: log ? 1 : 0, perChunk: per };
    runJob(heap, "softmaxRows", args, Math.ceil(count / n / per), count * 32, meanwhile); // ~32 flops an element
  };
  heap.f64.set(src.subarray(0, half), x / 8);
  job(0, half, () => {
    heap.f64.set(src.subarray(half, size), x / 8 + half);
    out = output(size);
  });
  job(half, size - half, () => out.set(heap.f64.subarray(o / 8, o / 8 + half)));
  out.set(heap.f64.subarray(o / 8 + half, o / 8 + size), half);
  return new TensorData(out, a.shape);
}

/** exp of a broadcast to shape, or null when wasm is unavailable or the tensor small. */
export function fastExp(a: TensorData, shape: Shape): TensorData | null {
  const size = shapeSize(shape);
  const heap = wasmHeap();
  if (heap === null || size < SMALL_SOFTMAX) return null;
  heap.reset();
  if (!heap.fits(2 * size)) return null;
  const x = heap.alloc(size);
  if (a.shape.length === shape.length && a.shape.every((d, i) => d === shape[i])) gatherInto(heap.f64, x / 8, a);
  else mapInto(identity, heap.f64, x / 8, a, shape);
  const o = heap.alloc(size);
  const chunk = 16384;
  let out = new Float64Array(0);
  runJob(heap, "expMap", { x, out: o, n: size, chunk }, Math.ceil(size / chunk), size * 32, () => (out = output(size)));
  return new TensorData(heap.takeInto(out, o), shape);
}
