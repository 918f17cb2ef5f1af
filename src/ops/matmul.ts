/**
 * Batched matrix multiply: out[..., i, j] = sum_k a[..., i, k] * b[..., k, j], broadcasting the
 * leading (batch) dims as PyTorch does. Loops run i-k-j so the innermost loop walks rows of b and out.
 */
import { TensorData } from "../data/tensor-data";
import { broadcastIndex, indexToPosition, toIndex } from "../data/shape";

/** a: [..., n, m], b: [..., m, p], out: [...broadcast batch, n, p] (all at least 2-D, shapes checked by
 * the caller); out must be zero-filled. */
export function tensorMatmul(out: TensorData, a: TensorData, b: TensorData): void {
  const d = out.dims;
  const [n, p] = [out.shape[d - 2], out.shape[d - 1]];
  const m = a.shape[a.dims - 1];
  const [aRow, aCol] = [a.strides[a.dims - 2], a.strides[a.dims - 1]];
  const [bRow, bCol] = [b.strides[b.dims - 2], b.strides[b.dims - 1]];
  const [oRow, oCol] = [out.strides[d - 2], out.strides[d - 1]];
  const batchShape = out.shape.slice(0, d - 2);
  const batchIndex = new Int32Array(d);
  const aIndex = new Int32Array(a.dims);
  const bIndex = new Int32Array(b.dims);
  const batches = out.size / Math.max(n * p, 1);
  const [x, y, o] = [a.storage, b.storage, out.storage];
  for (let t = 0; t < batches; t++) {
    toIndex(t, batchShape, batchIndex); // trailing two entries stay 0: the batch's first element
    broadcastIndex(batchIndex, out.shape, a.shape, aIndex);
    broadcastIndex(batchIndex, out.shape, b.shape, bIndex);
    const aBase = indexToPosition(aIndex, a.strides, a.offset);
    const bBase = indexToPosition(bIndex, b.strides, b.offset);
    const oBase = indexToPosition(batchIndex, out.strides, out.offset);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < m; k++) {
        const aik = x[aBase + i * aRow + k * aCol];
        const bk = bBase + k * bRow;
        const oi = oBase + i * oRow;
        for (let j = 0; j < p; j++) o[oi + j * oCol] += aik * y[bk + j * bCol];
      }
    }
  }
}
