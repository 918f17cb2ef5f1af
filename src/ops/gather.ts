/**
 * Indexing kernels: gather reads, along one dim, the element an index tensor names; scatter-add is its
 * adjoint (the backward of gather), adding each value back where gather read it. For dim = 1:
 *   gather      out[i, j, k] = a[i, index[i, j, k], k]
 *   scatterAdd  out[i, index[i, j, k], k] += src[i, j, k]
 * Indices are whole numbers stored as floats, checked by the caller to be in range.
 */
import { TensorData } from "../data/tensor-data";
import { indexToPosition, toIndex } from "../data/shape";

/** For every index i of `index`'s shape, calls body with the position of i in `at` and the position in
 * `by` of i with i[dim] replaced by index[i]. */
function forEachIndexed(
  index: TensorData,
  at: TensorData,
  by: TensorData,
  dim: number,
  body: (atPos: number, byPos: number) => void,
): void {
  const i = new Int32Array(index.dims);
  for (let ord = 0; ord < index.size; ord++) {
    toIndex(ord, index.shape, i);
    const atPos = indexToPosition(i, at.strides, at.offset);
    i[dim] = index.storage[indexToPosition(i, index.strides, index.offset)];
    body(atPos, indexToPosition(i, by.strides, by.offset));
  }
}

/** out (index's shape) = a gathered along dim at `index`. */
export function tensorGather(out: TensorData, a: TensorData, index: TensorData, dim: number): void {
  const [o, x] = [out.storage, a.storage];
  forEachIndexed(index, out, a, dim, (outPos, aPos) => (o[outPos] = x[aPos]));
}

/** out += src scattered along dim to `index` (src has index's shape); repeated indices add up. */
export function tensorScatterAdd(out: TensorData, src: TensorData, index: TensorData, dim: number): void {
  const [o, s] = [out.storage, src.storage];
  forEachIndexed(index, src, out, dim, (srcPos, outPos) => (o[outPos] += s[srcPos]));
}
