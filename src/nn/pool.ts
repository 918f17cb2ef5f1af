/**
 * Pooling (module 4.3): "tensor origami". tile folds each kh x kw block of an image into a new last
 * dimension using only contiguous + view + permute, so pooling is a plain reduction over that fold and
 * the image "zooms out" by kh x kw while autodiff comes for free. That is the default, the lecture's
 * pooling (the kernel must divide the image). With a `stride` or `padding` option, PyTorch's pooling:
 * windows may overlap or skip, the image is framed first, and out = floor((in + 2 pad - k) / stride) + 1.
 */
import { check, checkOptions, describe, fmtShape } from "../errors";
import { checkTensor } from "../tensor/args";
import { stack } from "../tensor/indexing";
import { Tensor } from "../tensor/tensor";
import { pad } from "./pad";

/** A pooling window: one size for both dims, or [kh, kw]. */
export type Kernel2d = number | readonly [number, number];

/** PyTorch's pooling options. Without either, the lecture's tiled pooling. */
export interface PoolOptions {
  /** Step between windows, one number or [sh, sw] (default: the kernel, so windows tile the image). */
  stride?: number | readonly [number, number];
  /** Frame added on every side, one number or [ph, pw], at most half the kernel (default 0): zeros for
   * average pooling (counted in the mean, as PyTorch's default), -Infinity for max pooling. */
  padding?: number | readonly [number, number];
}

/** [a, b] from a number or a pair of integers >= min. */
function pair(op: string, name: string, value: unknown, min: number): [number, number] {
  const v = typeof value === "number" ? [value, value] : value;
  check(Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && x >= min), op, () =>
    `${name} must be an integer >= ${min} or two of them [${name === "kernel" ? "kh, kw" : "h, w"}], ` +
    `got ${describe(value)}`);
  return [v[0], v[1]];
}

/** Checks a 4-D image. */
function checkImage(input: unknown, op: string): asserts input is Tensor {
  checkTensor(input, op, "input");
  check(input.dims === 4, op, () =>
    `input must be 4-D [batch, channels, height, width], got shape ${fmtShape(input.shape)}`);
}

/** [B, C, H, W] -> [B, C, H/kh, W/kw, kh*kw]: the last dim holds each block's values. */
export function tile(input: Tensor, kernel: Kernel2d, op = "tile"): Tensor {
  checkImage(input, op);
  const [kh, kw] = pair(op, "kernel", kernel, 1);
  const [B, C, H, W] = input.shape;
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

/** A pooling's resolved settings; `lecture` when neither stride nor padding was given (tile's pooling). */
export interface PoolGeometry {
  readonly lecture: boolean;
  readonly kernel: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
}

/** Validates a pooling's kernel and options (PyTorch's rules: stride >= 1, padding at most half the kernel). */
export function poolGeometry(op: string, kernel: Kernel2d, options: PoolOptions | undefined): PoolGeometry {
  checkOptions(options, op, ["stride", "padding"]);
  const k = pair(op, "kernel", kernel, 1);
  const stride = pair(op, "stride", options?.stride ?? kernel, 1);
  const padding = pair(op, "padding", options?.padding ?? 0, 0);
  check(padding.every((p, d) => 2 * p <= k[d]), op, () =>
    `padding ${fmtShape(padding)} must be at most half the kernel ${fmtShape(k)}, as in PyTorch`);
  return { lecture: options?.stride === undefined && options?.padding === undefined, kernel: k, stride, padding };
}

/** The kh x kw windows of the input framed by `padding` values of `fill`, every stride-th one:
 * [B, C, Ho, Wo, kh*kw]. Window element (p, q) of every window at once is one strided slice of the
 * framed image, starting at (p, q); stacking the kh*kw slices gives tile's layout. */
function windows(op: string, input: Tensor, g: PoolGeometry, fill: number): Tensor {
  const { kernel: k, stride, padding } = g;
  const size = input.shape.slice(2).map((n, d) => n + 2 * padding[d]);
  check(size.every((n, d) => n >= k[d]), op, () =>
    `kernel ${fmtShape(k)} is larger than the padded input ${size.join("x")} (input ${fmtShape(input.shape)}, ` +
    `padding ${fmtShape(padding)})`);
  const out = size.map((n, d) => Math.floor((n - k[d]) / stride[d]) + 1);
  const framed = pad(input, [padding[1], padding[1], padding[0], padding[0]], fill);
  const parts: Tensor[] = [];
  for (let p = 0; p < k[0]; p++)
    for (let q = 0; q < k[1]; q++)
      parts.push(framed.slice(2, p, p + (out[0] - 1) * stride[0] + 1, stride[0])
        .slice(3, q, q + (out[1] - 1) * stride[1] + 1, stride[1]));
  return stack(parts, 4);
}

/** The values each output pools over, [..., kh*kw]: the lecture's tiles, or PyTorch's windows. */
function pooled(op: string, input: Tensor, kernel: Kernel2d, options: PoolOptions | undefined, fill: number): Tensor {
  checkImage(input, op);
  const g = poolGeometry(op, kernel, options);
  return g.lecture ? tile(input, kernel, op) : windows(op, input, g, fill);
}

/** Mean over each kh x kw block: [B, C, H, W] -> [B, C, H/kh, W/kw]; PyTorch's avg_pool2d with options. */
export function avgpool2d(input: Tensor, kernel: Kernel2d, options?: PoolOptions): Tensor {
  return pooled("avgpool2d", input, kernel, options, 0).mean(4);
}

/** Max over each kh x kw block; the gradient reaches only each block's maximum. PyTorch's max_pool2d with
 * options (the frame is -Infinity, so it never wins). */
export function maxpool2d(input: Tensor, kernel: Kernel2d, options?: PoolOptions): Tensor {
  return pooled("maxpool2d", input, kernel, options, -Infinity).max(4);
}
