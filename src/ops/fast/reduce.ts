/**
 * Fast reduce and argmax. A reduction folds, for every lane (an index with `dim` left free), the n
 * elements along `dim` from `start`, in order k = 0..n-1 as the reference does, so sums agree exactly.
 * Two loop orders, chosen by memory layout:
 *   - the lane is the innermost run in memory (stride of dim is the smallest): fold each lane in turn;
 *   - otherwise (summing over a batch dim, say): accumulate slice k = 0, 1, ... into the whole output,
 *     so every pass streams through memory instead of jumping by the lane stride.
 */
import { TensorData } from "../../data/tensor-data";
import type { Binary } from "../operators";
import { stridesFromShape } from "../../data/shape";
import { collapse } from "./layout";
import { zipRaw } from "./elementwise";
import { Advance, LoopCache, advance } from "./specialize";

/** o[p] = the fold of the lane starting at the p-th position of the (collapsed) lane layout. */
function foldLoop(
  fn: Binary, o: Float64Array, x: Float64Array, xOff: number, shape: number[], xs: number[],
  n: number, stride: number, start: number, step: Advance,
): void {
  const d = shape.length;
  if (d === 0) {
    let acc = start;
    for (let k = 0, q = xOff; k < n; k++, q += stride) acc = fn(acc, x[q]);
    o[0] = acc;
    return;
  }
  const m = shape[d - 1], sx = xs[d - 1];
  let outer = 1;
  for (let k = 0; k < d - 1; k++) outer *= shape[k];
  const index = new Int32Array(d);
  const offsets = [xOff];
  for (let t = 0, p = 0; t < outer; t++) {
    for (let j = 0, base = offsets[0]; j < m; j++, base += sx) {
      let acc = start;
      for (let k = 0, q = base; k < n; k++, q += stride) acc = fn(acc, x[q]);
      o[p++] = acc;
    }
    step(index, shape, d - 1, [xs], offsets);
  }
}

const foldLoops = new LoopCache<Binary, typeof foldLoop>(foldLoop);

/** True when dim's stride is the smallest among a's dims of size > 1: its lanes are the inner runs. */
function laneIsInner(a: TensorData, dim: number): boolean {
  const step = a.strides[dim];
  return a.shape.every((d, i) => i === dim || d === 1 || a.strides[i] >= step);
}

/** out (dense, a's shape with dim = 1) = fold of a along dim. */
export function reduceInto(fn: Binary, start: number, o: Float64Array, a: TensorData, dim: number): void {
  const n = a.shape[dim];
  const step = a.strides[dim];
  if (n === 0 || o.length === 0) {
    o.fill(0); // as the reference: an empty fold leaves the zeros
    return;
  }
  // The lanes: a's shape and strides without `dim`.
  const laneShape = a.shape.filter((_, i) => i !== dim);
  const laneStrides = a.strides.filter((_, i) => i !== dim);
  if (laneIsInner(a, dim) || o.length === 1) {
    const { shape, strides } = collapse(laneShape, [laneStrides]);
    foldLoops.get(fn)(fn, o, a.storage, 0, shape, strides[0], n, step, start, advance);
    return;
  }
  o.fill(start);
  for (let k = 0; k < n; k++) zipRaw(fn, o, o, a.storage, k * step, laneShape, laneStrides);
}

/** out (dense, a's shape) = one-hot of the first maximum of each lane along dim. */
export function argmaxInto(o: Float64Array, a: TensorData, dim: number): void {
  o.fill(0);
  const n = a.shape[dim];
  const inStep = a.strides[dim];
  const outStrides = stridesFromShape(a.shape); // o is dense with a's shape
  const outStep = outStrides[dim];
  const { shape, strides } = collapse(a.shape.filter((_, i) => i !== dim), [
    a.strides.filter((_, i) => i !== dim),
    outStrides.filter((_, i) => i !== dim),
  ]);
  const x = a.storage;
  const index = new Int32Array(shape.length);
  const count = o.length / Math.max(n, 1);
  const offsets = [0, 0]; // of the lane in x and in o
  for (let t = 0; t < count; t++) {
    const xOff = offsets[0];
    let best = 0;
    let bestValue = x[xOff];
    for (let k = 1, q = xOff + inStep; k < n; k++, q += inStep) {
      if (x[q] > bestValue) {
        best = k;
        bestValue = x[q];
      }
    }
    if (n > 0) o[offsets[1] + best * outStep] = 1;
    advance(index, shape, shape.length, strides, offsets);
  }
}
