/**
 * Loop layouts for the fast kernels. An elementwise kernel walks a dense row-major output and reads each
 * input through its strides seen from the output's shape (0 along broadcast dims). Dims of size 1 are
 * dropped and neighbouring dims merged wherever every operand steps through them as one, so a
 * contiguous tensor becomes a single flat loop and a transposed one two nested loops.
 */
import { TensorData } from "../../data/tensor-data";
import { Shape } from "../../data/shape";

/** A collapsed loop nest: `shape` of the dims kept, and for each operand its strides along them. */
export interface Layout {
  readonly shape: number[];
  readonly strides: number[][];
}

/** Strides of `t`'s first `dims` dims (default all) indexed by the dims of the (broadcast) `shape`: 0 where
 * t broadcasts, as in broadcastIndex (leading dims absent, dims of size 1 repeated). */
export function broadcastStrides(t: TensorData, shape: Shape, dims = t.dims): number[] {
  const offset = shape.length - dims;
  return shape.map((_, i) => (i < offset || t.shape[i - offset] === 1 ? 0 : t.strides[i - offset]));
}

/** Drops dims of size 1 and merges dim i into i + 1 when every operand has stride[i] = stride[i+1] * shape[i+1]. */
export function collapse(shape: Shape, strides: readonly (readonly number[])[]): Layout {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = outShape.length - 1;
    const merge = last >= 0 && strides.every((s, k) => outStrides[k][last] === s[i] * shape[i]);
    if (merge) {
      outShape[last] *= shape[i];
      strides.forEach((s, k) => (outStrides[k][last] = s[i]));
    } else {
      outShape.push(shape[i]);
      strides.forEach((s, k) => outStrides[k].push(s[i]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** Number of storage elements a view reaches: 1 + sum (shape_i - 1) stride_i (0 when empty). */
export function span(t: TensorData): number {
  if (t.size === 0) return 0;
  let last = 0;
  for (let i = 0; i < t.dims; i++) last += (t.shape[i] - 1) * t.strides[i];
  return last + 1;
}
