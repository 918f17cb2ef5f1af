/**
 * Pooling (module 4.3): "tensor origami". tile folds each kh x kw block of an image into a new last
 * dimension using only contiguous + view + permute, so pooling is a plain reduction over that fold and
 * the image "zooms out" by kh x kw while autodiff comes for free.
 */
import { check, fmtShape } from "../errors";
import { Tensor } from "../tensor/tensor";

export type Kernel2d = readonly [number, number];

/** [B, C, H, W] -> [B, C, H/kh, W/kw, kh*kw]: the last dim holds each block's values. */
export function tile(input: Tensor, kernel: Kernel2d, op = "tile"): Tensor {
  check(input.dims === 4, op, () => `input must be 4-D [batch, channels, height, width], got shape ${fmtShape(input.shape)}`);
  const [kh, kw] = kernel;
  const [B, C, H, W] = input.shape;
  check(Number.isInteger(kh) && Number.isInteger(kw) && kh > 0 && kw > 0, op, () =>
    `kernel must be two positive integers, got [${kernel.join(",")}]`);
  check(H % kh === 0 && W % kw === 0, op, () =>
    `kernel [${kh},${kw}] does not divide the input's height x width ${H}x${W} (input ${fmtShape(input.shape)})`);
  const [nh, nw] = [H / kh, W / kw];
  return input
    .contiguous()
    .view(B, C, H, nw, kw) // split each row into blocks of kw
    .permute(0, 1, 3, 2, 4) // [B, C, nw, H, kw]: a block column's rows sit next to each other
    .contiguous()
    .view(B, C, nw, nh, kh * kw) // fold kh rows of kw into one run of kh*kw
    .permute(0, 1, 3, 2, 4);
}

/** Mean over each kh x kw block: [B, C, H, W] -> [B, C, H/kh, W/kw]. */
export function avgpool2d(input: Tensor, kernel: Kernel2d): Tensor {
  return tile(input, kernel, "avgpool2d").mean(4);
}

/** Max over each kh x kw block; the gradient reaches only each block's maximum. */
export function maxpool2d(input: Tensor, kernel: Kernel2d): Tensor {
  return tile(input, kernel, "maxpool2d").max(4);
}
