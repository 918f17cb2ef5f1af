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
import { LoopCache, ODOMETER } from "./specialize";

type FoldLoop = (
  o: Float64Array, x: Float64Array, xOff: number, shape: number[], xs: number[], n: number, step: number, start: number,
) => void;

const FOLD_SOURCE = `
  return function foldLoop(o, x, xOff, shape, xs, n, step, start) {
    const d = shape.length;
    if (d === 0) { let acc = start; for (let k = 0, q = xOff; k < n; k++, q += step) acc = fn(acc, x[q]); o[0] = acc; return; }
    const m = shape[d - 1], sx = xs[d - 1];
    let outer = 1;
    for (let k = 0; k < d - 1; k++) outer *= shape[k];
    const idx = new Int32Array(d);
    for (let t = 0, p = 0; t < outer; t++) {
      for (let j = 0, base = xOff; j < m; j++, base += sx) {
        let acc = start;
        for (let k = 0, q = base; k < n; k++, q += step) acc = fn(acc, x[q]);
        o[p++] = acc;
      }
      ${ODOMETER.replace("YSTEP", "").replace("YREWIND", "")}
    }
  };`;

const foldLoops = new LoopCache<Binary, FoldLoop>(FOLD_SOURCE);

/** True when dim's stride is the smallest among a's dims of size > 1: its lanes are the inner runs. */
function laneIsInner(a: TensorData, dim: number): boolean {
  const step = a.strides[dim];
  return a.shape.every((d, i) => i === dim || d === 1 || a.strides[i] >= step);
}

/** out (dense, a's shape with dim = 1) = fold of a along dim. */
export function reduceInto(fn: Binary, start: number, o: Float64Array, a: TensorData, dim: number): void {
  const n = a.shape[dim];
  const step = a.strides[dim];
  if (n === 0 || o.length === 0) return; // as the reference: an empty fold leaves the zeros
  // The lanes: a's shape and strides without `dim`.
  const laneShape = a.shape.filter((_, i) => i !== dim);
  const laneStrides = a.strides.filter((_, i) => i !== dim);
  if (laneIsInner(a, dim) || o.length === 1) {
    const { shape, strides } = collapse(laneShape, [laneStrides]);
    foldLoops.get(fn)(o, a.storage, 0, shape, strides[0], n, step, start);
    return;
  }
  o.fill(start);
  for (let k = 0; k < n; k++) zipRaw(fn, o, o, a.storage, k * step, laneShape, laneStrides);
}

/** out (dense, a's shape) = one-hot of the first maximum of each lane along dim. */
export function argmaxInto(o: Float64Array, a: TensorData, dim: number): void {
  const n = a.shape[dim];
  const inStep = a.strides[dim];
  const outStrides = stridesFromShape(a.shape); // o is dense with a's shape
  const outStep = outStrides[dim];
  const { shape, strides } = collapse(a.shape.filter((_, i) => i !== dim), [
    a.strides.filter((_, i) => i !== dim),
    outStrides.filter((_, i) => i !== dim),
  ]);
  const [xs, os] = strides;
  const d = shape.length;
  const x = a.storage;
  const idx = new Int32Array(d);
  const count = o.length / Math.max(n, 1);
  let xOff = 0;
  let oOff = 0;
  for (let t = 0; t < count; t++) {
    let best = 0;
    let bestValue = x[xOff];
    for (let k = 1, q = xOff + inStep; k < n; k++, q += inStep) {
      if (x[q] > bestValue) {
        best = k;
        bestValue = x[q];
      }
    }
    if (n > 0) o[oOff + best * outStep] = 1;
    for (let k = d - 1; k >= 0; k--) {
      xOff += xs[k];
      oOff += os[k];
      if (++idx[k] < shape[k]) break;
      xOff -= xs[k] * shape[k];
      oOff -= os[k] * shape[k];
      idx[k] = 0;
    }
  }
}
