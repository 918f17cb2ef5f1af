/**
 * Convolution lowered to matmul (im2col): each output position's box of inputs, unfolded into a
 * column, makes the convolution one GEMM per batch element,
 *   out[b] [Co, Ho*Wo] = weight [Co, Ci*KH*KW] @ cols[b] [Ci*KH*KW, Ho*Wo],
 * with cols[b][(c, kh, kw), (oh, ow)] = input[b, c, oh + dir*kh, ow + dir*kw] (0 past the edges),
 * dir = +1 for the forward anchor and -1 for the reverse one. The same code serves the forward pass and
 * both gradients, exactly as the reference kernel's callers use it (src/ops/conv.ts): the weight
 * gradient is a "convolution" whose kernel is the whole gradient image and whose output is KH x KW.
 * conv1d is conv2d with a height of 1.
 */
import { TensorData } from "../../data/tensor-data";
import { Shape, shapeSize } from "../../data/shape";
import { gatherInto } from "./elementwise";
import { span } from "./layout";
import { gemm } from "./matmul";
import { runJob } from "./threads";
import { wasmHeap } from "./wasm";

/** Multiply-adds below which the reference loops win. */
export const SMALL_CONV = 4096;

/** out [B, Co, Ho, Wo] from input [B, Ci, H, W] and weight [Co, Ci, KH, KW], or null when the wasm
 * kernels are unavailable or the problem does not suit them (the caller uses the reference kernel). */
export function fastConv2d(input: TensorData, weight: TensorData, reverse: boolean, outShape: Shape): TensorData | null {
  const [B, Co, Ho, Wo] = outShape;
  const [, Ci, H, W] = input.shape;
  const [KH, KW] = [weight.shape[2], weight.shape[3]];
  const K = Ci * KH * KW;
  const N = Ho * Wo;
  const size = shapeSize(outShape);
  if (size === 0 || K === 0) return TensorData.zeros(outShape);
  const heap = wasmHeap();
  if (heap === null || size * K < SMALL_CONV) return null;
  const xSpan = span(input);
  heap.reset();
  if (!heap.fits(xSpan + B * K * N + Co * K + size)) return null;
  const x = heap.put(input.storage.subarray(0, xSpan));
  const cols = heap.alloc(B * K * N);
  const [sb, sc, sh, sw] = input.strides;
  // The layout with the longer contiguous runs: cols [K, N] normally, colsT [N, K] when the kernel is
  // wider than the output (the weight gradient), read by the GEMM as B with transposed strides.
  const transposed = KW > Wo;
  const args = {
    x, channels: Ci, height: H, width: W, xBatch: sb, xChannel: sc, xRow: sh, xCol: sw,
    kh: KH, kw: KW, outHeight: Ho, outWidth: Wo, dir: reverse ? -1 : 1, cols, transposed: transposed ? 1 : 0,
  };
  runJob(heap, "im2col", args, B, B * K * N);
  const w = heap.alloc(Co * K);
  gatherInto(heap.f64, w / 8, weight);
  const out = heap.alloc(size);
  let result = new Float64Array(0);
  gemm(heap, { ptr: w, batch: 0, rows: K, cols: 1 }, transposed ? { ptr: cols, batch: K * N, rows: 1, cols: K } : { ptr: cols, batch: K * N, rows: N, cols: 1 }, { ptr: out, batch: Co * N, rows: N, cols: 1 }, Co, N, K, B, () => (result = new Float64Array(size)));
  return new TensorData(heap.takeInto(result, out), outShape);
}

/** The 1-D case as 2-D with a height of 1: input [B, Ci, W] -> [B, Ci, 1, W] by strides alone. */
export function fastConv1d(input: TensorData, weight: TensorData, reverse: boolean, outShape: Shape): TensorData | null {
  const lift = (t: TensorData) => new TensorData(t.storage, [t.shape[0], t.shape[1], 1, t.shape[2]], [t.strides[0], t.strides[1], 0, t.strides[2]]);
  const [B, Co, Wo] = outShape;
  const out = fastConv2d(lift(input), lift(weight), reverse, [B, Co, 1, Wo]);
  return out === null ? null : new TensorData(out.storage, outShape);
}
