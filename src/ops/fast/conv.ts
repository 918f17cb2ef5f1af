/**
 * Direct convolution on the wasm kernels, with the exact semantics of the reference kernel
 * (src/ops/conv.ts), for the forward pass and both gradients as nn.conv2d calls it:
 *   out[b, co, oh, ow] = sum_{ci, kh, kw} weight[co, ci, kh, kw] * input[b, ci, oh + dir*kh, ow + dir*kw],
 * 0 past the edges, dir = +1 (forward anchor) or -1 (reverse). The input is copied into a zero-padded
 * block (`pad`), so the kernels read no edge: bottom-right padding for the forward anchor; for the
 * reverse one, top-left padding and the weight flipped, which turns it into the forward anchor. Then
 * one loop nest: vectorised along the output's rows when they are long (the forward pass, the input
 * gradient), along the kernel's rows when the output is narrow (the weight gradient, whose "kernel" is
 * the whole gradient image and whose output is KH x KW). No im2col: with the lectures' 1 to 16
 * channels an unfolded input is used only a few times, and writing and reading it cost more than the
 * products. conv1d is conv2d with a height of 1.
 */
import { TensorData } from "../../data/tensor-data";
import { Shape, shapeSize } from "../../data/shape";
import type { JobArgs } from "./contract";
import { gatherInto } from "./elementwise";
import { span } from "./layout";
import { runJob } from "./threads";
import { WasmHeap, wasmHeap } from "./wasm";
import { output } from "./output";

/** Multiply-adds below which the reference loops win. */
export const SMALL_CONV = 4096;

const roundUp = (n: number, k: number) => Math.ceil(n / k) * k;

/** Copies the 4-D `t` (already in the heap at `src`) into a zero-padded dense block; returns its address. */
function padded(
  heap: WasmHeap, src: number, t: TensorData, planes: number, hp: number, wp: number, corner: number[], flip: boolean,
): number {
  const [n, c, h, w] = t.shape;
  const [sN, sC, sH, sW] = t.strides;
  const dst = heap.alloc(planes * c * hp * wp);
  const [top, left] = corner;
  const args: JobArgs<"pad"> = { src, n, c, h, w, sN, sC, sH, sW, dst, hp, wp, top, left, flip: flip ? 1 : 0 };
  runJob(heap, "pad", args, planes, planes * c * hp * wp);
  return dst;
}

/** out [B, Co, Ho, Wo] from input [B, Ci, H, W] and weight [Co, Ci, KH, KW], or null when the wasm
 * kernels are unavailable or the problem is small (the caller uses the reference kernel). */
export function fastConv2d(
  input: TensorData, weight: TensorData, reverse: boolean, outShape: Shape,
): TensorData | null {
  const [B, Co, Ho, Wo] = outShape;
  const [, Ci, KH, KW] = weight.shape;
  const size = shapeSize(outShape);
  if (size === 0 || Ci * KH * KW === 0) return TensorData.zeros(outShape);
  const heap = wasmHeap();
  if (heap === null || size * Ci * KH * KW < SMALL_CONV) return null;
  // Long output rows: 4 output columns a step; else 2 columns, the kernel's row in pairs.
  const image = Wo >= 4;
  const [wo, q] = image ? [roundUp(Wo, 4), KW] : [roundUp(Wo, 2), roundUp(KW, 2)];
  const m = roundUp(Co, 4);
  const [hp, wp] = [Ho + KH - 1, wo + q];
  const [xSpan, wSpan] = [span(input), span(weight)];
  heap.reset();
  if (!heap.fits(xSpan + wSpan + B * Ci * hp * wp + m * Ci * KH * q + B * m * Ho * wo)) return null;
  const [xRaw, wRaw] = [heap.put(input.storage.subarray(0, xSpan)), heap.put(weight.storage.subarray(0, wSpan))];
  const x = padded(heap, xRaw, input, B, hp, wp, reverse ? [KH - 1, KW - 1] : [0, 0], false);
  const w = padded(heap, wRaw, weight, m, KH, q, [0, 0], reverse);
  const out = heap.alloc(B * m * Ho * wo);
  let result = new Float64Array(0);
  const args = { x, c: Ci, hp, wp, w, m, p: KH, q, out, ho: Ho, wo, kernelRows: image ? 0 : 1 };
  runJob(heap, "conv", args, (B * m) / 4, 2 * size * Ci * KH * KW, () => (result = output(size)));
  if (m === Co && wo === Wo) return new TensorData(heap.takeInto(result, out), outShape);
  // The valid corner of the padded output: Co of the m planes, Wo of the wo columns.
  const block = heap.f64.subarray(out / 8, out / 8 + B * m * Ho * wo);
  const view = new TensorData(block, outShape, [m * Ho * wo, Ho * wo, wo, 1]);
  gatherInto(result, 0, view);
  return new TensorData(result, outShape);
}

/** The 1-D case as 2-D with a height of 1: input [B, Ci, W] -> [B, Ci, 1, W] by strides alone. */
export function fastConv1d(
  input: TensorData, weight: TensorData, reverse: boolean, outShape: Shape,
): TensorData | null {
  const lift = (t: TensorData) =>
    new TensorData(t.storage, [t.shape[0], t.shape[1], 1, t.shape[2]], [t.strides[0], t.strides[1], 0, t.strides[2]]);
  const [B, Co, Wo] = outShape;
  const out = fastConv2d(lift(input), lift(weight), reverse, [B, Co, 1, Wo]);
  return out === null ? null : new TensorData(out.storage, outShape);
}
