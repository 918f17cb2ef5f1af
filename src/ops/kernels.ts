/**
 * Higher-order kernels (minitorch module 3): map, zip and reduce lift a scalar function to strided,
 * broadcast tensors. They write into an `out` TensorData the caller allocated, know nothing of
 * autodiff, allocate only one index buffer per call, and take a flat loop when layouts allow it.
 */
import { TensorData } from "../data/tensor-data";
import { broadcastIndex, indexToPosition, reducedShape, sameShape, toIndex } from "../data/shape";
import type { Binary, Unary } from "./operators";

/** out[i] = fn(a[broadcast(i)]); `a` may broadcast to out's shape (used to expand gradients). */
export function tensorMap(fn: Unary, out: TensorData, a: TensorData): void {
  const o = out.storage;
  const x = a.storage;
  if (sameShape(out.shape, a.shape) && out.isContiguous() && a.isContiguous()) {
    const [oo, xo] = [out.offset, a.offset];
    for (let i = 0; i < out.size; i++) o[oo + i] = fn(x[xo + i]);
    return;
  }
  const outIndex = new Int32Array(out.dims);
  const aIndex = new Int32Array(a.dims);
  for (let i = 0; i < out.size; i++) {
    toIndex(i, out.shape, outIndex);
    broadcastIndex(outIndex, out.shape, a.shape, aIndex);
    o[indexToPosition(outIndex, out.strides, out.offset)] = fn(x[indexToPosition(aIndex, a.strides, a.offset)]);
  }
}

/** out[i] = fn(a[broadcast(i)], b[broadcast(i)]) where out's shape is the broadcast of a's and b's. */
export function tensorZip(fn: Binary, out: TensorData, a: TensorData, b: TensorData): void {
  const o = out.storage;
  const x = a.storage;
  const y = b.storage;
  const contiguous = out.isContiguous() && a.isContiguous() && b.isContiguous();
  const [oo, xo, yo] = [out.offset, a.offset, b.offset];
  if (contiguous && sameShape(out.shape, a.shape) && sameShape(out.shape, b.shape)) {
    for (let i = 0; i < out.size; i++) o[oo + i] = fn(x[xo + i], y[yo + i]);
    return;
  }
  if (contiguous && sameShape(out.shape, a.shape) && b.size === 1) {
    const c = y[yo];
    for (let i = 0; i < out.size; i++) o[oo + i] = fn(x[xo + i], c);
    return;
  }
  const outIndex = new Int32Array(out.dims);
  const aIndex = new Int32Array(a.dims);
  const bIndex = new Int32Array(b.dims);
  for (let i = 0; i < out.size; i++) {
    toIndex(i, out.shape, outIndex);
    broadcastIndex(outIndex, out.shape, a.shape, aIndex);
    broadcastIndex(outIndex, out.shape, b.shape, bIndex);
    o[indexToPosition(outIndex, out.strides, oo)] = fn(
      x[indexToPosition(aIndex, a.strides, xo)],
      y[indexToPosition(bIndex, b.strides, yo)],
    );
  }
}

/** Calls `body` once per lane along `dim`: the 1-D run of elements that a reduction folds, given by its
 * first storage positions in `a` and `out`, its length and both steps between its elements. `out` has
 * a's shape, or a's shape with `dim` set to 1. */
export function forEachLane(
  a: TensorData,
  out: TensorData,
  dim: number,
  body: (inPos: number, outPos: number, n: number, inStep: number, outStep: number) => void,
): void {
  const [n, inStep, outStep] = [a.shape[dim], a.strides[dim], out.strides[dim]];
  const lane = reducedShape(a.shape, dim);
  const index = new Int32Array(a.dims);
  const count = a.size / Math.max(n, 1);
  for (let i = 0; i < count; i++) {
    toIndex(i, lane, index);
    const inPos = indexToPosition(index, a.strides, a.offset);
    body(inPos, indexToPosition(index, out.strides, out.offset), n, inStep, outStep);
  }
}

/** Folds dimension `dim` of `a` with fn starting from `start`; out has a's shape with that dim set to 1. */
export function tensorReduce(fn: Binary, start: number, out: TensorData, a: TensorData, dim: number): void {
  const [o, x] = [out.storage, a.storage];
  forEachLane(a, out, dim, (inPos, outPos, n, step) => {
    let acc = start;
    for (let k = 0, pos = inPos; k < n; k++, pos += step) acc = fn(acc, x[pos]);
    o[outPos] = acc;
  });
}
