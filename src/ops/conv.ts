/**
 * Convolution kernels (minitorch module 4), the box anchored top-left:
 *   forward  out[b, co, w] = sum_{ci, k} weight[co, ci, k] * input[b, ci, w + k]
 *   reverse  out[b, co, w] = sum_{ci, k} weight[co, ci, k] * input[b, ci, w - k]
 * Input positions past the edges read as 0. The reverse anchor is what backward needs, so one kernel
 * serves the forward pass and both gradients (see nn/conv.ts). Shapes are checked by the caller;
 * out's spatial size may differ from input's (the weight gradient only needs K outputs).
 */
import { TensorData } from "../data/tensor-data";

/** out [B, Co, Wo], input [B, Ci, W], weight [Co, Ci, K]. */
export function tensorConv1d(out: TensorData, input: TensorData, weight: TensorData, reverse: boolean): void {
  const [B, Co, Wo] = out.shape;
  const [, Ci, W] = input.shape;
  const K = weight.shape[2];
  const [os, is, ws] = [out.strides, input.strides, weight.strides];
  const [o, x, w] = [out.storage, input.storage, weight.storage];
  const [oo, xo, wo] = [out.offset, input.offset, weight.offset];
  const dir = reverse ? -1 : 1;
  for (let b = 0; b < B; b++)
    for (let co = 0; co < Co; co++)
      for (let ow = 0; ow < Wo; ow++) {
        let acc = 0;
        for (let ci = 0; ci < Ci; ci++)
          for (let k = 0; k < K; k++) {
            const iw = ow + dir * k;
            if (iw < 0 || iw >= W) continue;
            acc += w[wo + co * ws[0] + ci * ws[1] + k * ws[2]] * x[xo + b * is[0] + ci * is[1] + iw * is[2]];
          }
        o[oo + b * os[0] + co * os[1] + ow * os[2]] = acc;
      }
}

/** out [B, Co, Ho, Wo], input [B, Ci, H, W], weight [Co, Ci, KH, KW]. */
export function tensorConv2d(out: TensorData, input: TensorData, weight: TensorData, reverse: boolean): void {
  const [B, Co, Ho, Wo] = out.shape;
  const [, Ci, H, W] = input.shape;
  const [KH, KW] = [weight.shape[2], weight.shape[3]];
  const [os, is, ws] = [out.strides, input.strides, weight.strides];
  const [o, x, w] = [out.storage, input.storage, weight.storage];
  const [oo, xo, wo] = [out.offset, input.offset, weight.offset];
  const dir = reverse ? -1 : 1;
  for (let b = 0; b < B; b++)
    for (let co = 0; co < Co; co++)
      for (let oh = 0; oh < Ho; oh++)
        for (let ow = 0; ow < Wo; ow++) {
          let acc = 0;
          for (let ci = 0; ci < Ci; ci++)
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh + dir * kh;
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow + dir * kw;
                if (iw < 0 || iw >= W) continue;
                acc +=
                  w[wo + co * ws[0] + ci * ws[1] + kh * ws[2] + kw * ws[3]] *
                  x[xo + b * is[0] + ci * is[1] + ih * is[2] + iw * is[3]];
              }
            }
          o[oo + b * os[0] + co * os[1] + oh * os[2] + ow * os[3]] = acc;
        }
}
