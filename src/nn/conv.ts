/**
 * Convolution (module 4.2): conv1d and conv2d with the box anchored top-left. By default the lecture's
 * convention: the output as large as the input, positions past the right and bottom edges reading 0 (as
 * in minitorch: conv1d of [0,1,2,3] with [1,2,3] is [8,14,8,3]). With a `padding` or `stride` option,
 * PyTorch's convolution: out = floor((in + before + after - k) / stride) + 1.
 *
 * Both are the one kernel. Padding before the input is a real frame of zeros (nn.pad); padding after it
 * is the kernel's own "past the edge reads 0", so the lecture's convention is just padding k - 1 after
 * each spatial dim. The kernel computes every stride-1 position; a stride keeps every stride-th one.
 * Backward reuses the forward kernel ("derive, don't duplicate"):
 *   grad_input  = conv(grad_out, weight with in/out channels swapped), with the anchor reversed
 *                 (grad_input[2] = w[0]*d[2] + w[1]*d[1] + w[2]*d[0]),
 *   grad_weight = conv(input with batch/channels swapped, grad_out with batch/channels swapped),
 * whatever the output's size: past its edges the gradient reads 0 too.
 */
import { Context } from "../autodiff/context";
import { check, checkOptions, describe, fmtShape } from "../errors";
import { backend, Backend } from "../ops/backend";
import { defineFunction } from "../tensor/function";
import { Tensor } from "../tensor/tensor";
import { checkTensor } from "../tensor/args";
import { pad } from "./pad";

type Spatial = 1 | 2;
const AXES: Record<Spatial, string> = { 1: "[batch, in_channels, width]", 2: "[batch, in_channels, height, width]" };
const WEIGHT_AXES: Record<Spatial, string> = {
  1: "[out_channels, in_channels, kw]",
  2: "[out_channels, in_channels, kh, kw]",
};

/** Zeros around the input: a count per side of every spatial dim (one number for all), "valid" (none),
 * "same" (output as large as the input, centred as PyTorch: the odd zero goes after), or "lecture" (k - 1
 * after, none before: the default when neither option is given). */
export type Padding = number | readonly number[] | "valid" | "same" | "lecture";

/** PyTorch's convolution options. Without either, the lecture's same-size convolution. */
export interface ConvOptions {
  /** Zeros added on both sides of each spatial dim (default 0 when `stride` is given, else "lecture"). */
  padding?: Padding;
  /** Step between boxes, one number for every spatial dim or one per dim (default 1). */
  stride?: number | readonly number[];
}

/** Where the boxes go: zeros before and after each spatial dim, and the step between boxes. */
export interface ConvGeometry {
  readonly before: readonly number[];
  readonly after: readonly number[];
  readonly stride: readonly number[];
}

/** One integer >= min per spatial dim from a number or a list (as PyTorch's _pair). */
function perDim(op: string, name: string, value: unknown, spatial: number, min: number): number[] {
  const values = typeof value === "number" ? Array<number>(spatial).fill(value) : value;
  check(Array.isArray(values) && values.length === spatial && values.every((v) => Number.isInteger(v) && v >= min), op,
    () => `${name} must be an integer >= ${min} or ${spatial === 1 ? "a list of one" : `a list of ${spatial}`}, ` +
      `got ${describe(value)}`);
  return values as number[];
}

/** Validates a convolution's options against its kernel size and resolves them to a geometry. */
export function convGeometry(op: string, kernel: readonly number[], options: ConvOptions | undefined): ConvGeometry {
  checkOptions(options, op, ["padding", "stride"]);
  const n = kernel.length;
  const lecture = options?.padding === undefined && options?.stride === undefined;
  const padding = lecture ? "lecture" : (options?.padding ?? 0);
  const stride = perDim(op, "stride", options?.stride ?? 1, n, 1);
  if (padding === "same") {
    check(stride.every((s) => s === 1), op, () => `padding "same" is not supported for strided convolutions ` +
      `(stride ${fmtShape(stride)}), as in PyTorch`);
    const before = kernel.map((k) => Math.floor((k - 1) / 2));
    return { before, after: kernel.map((k, d) => k - 1 - before[d]), stride };
  }
  if (padding === "lecture") return { before: kernel.map(() => 0), after: kernel.map((k) => k - 1), stride };
  const both = padding === "valid" ? Array<number>(n).fill(0) : perDim(op, "padding", padding, n, 0);
  return { before: both, after: both, stride };
}

/** Spatial sizes of the stride-1 output, after checking that the box fits in the padded input. */
function fullOutput(op: string, input: Tensor, kernel: readonly number[], g: ConvGeometry): number[] {
  const size = input.shape.slice(2);
  const padded = size.map((s, d) => s + g.before[d] + g.after[d]);
  check(padded.every((p, d) => p >= kernel[d]), op, () =>
    `kernel ${fmtShape(kernel)} is larger than the padded input ${padded.join("x")} (input ${fmtShape(input.shape)}, ` +
    `padding before ${fmtShape(g.before)}, after ${fmtShape(g.after)})`);
  return padded.map((p, d) => p - kernel[d] + 1);
}

/** Keeps every stride-th position of each spatial dim (dims 2, 3, ...), starting at the first. */
function subsample(t: Tensor, stride: readonly number[]): Tensor {
  return stride.reduce((out, s, d) => (s === 1 ? out : out.slice(d + 2, 0, null, s)), t);
}

/** Pads each spatial dim with `before[d]` zeros in front (none after: the kernel reads zeros there). */
function padBefore(input: Tensor, before: readonly number[]): Tensor {
  if (before.every((b) => b === 0)) return input;
  return pad(input, [...before].reverse().flatMap((b) => [b, 0]));
}

function kernel(spatial: Spatial): Backend["conv1d"] {
  const b = backend();
  return (input, weight, reverse, outShape) =>
    spatial === 1 ? b.conv1d(input, weight, reverse, outShape) : b.conv2d(input, weight, reverse, outShape);
}

/** [0, 1, 2, ...] with the first two swapped: batch <-> channels, or in <-> out channels. */
function swapFirstTwo(dims: number): number[] {
  return [1, 0, ...Array.from({ length: dims - 2 }, (_, i) => i + 2)];
}

function convolution(name: string, spatial: Spatial) {
  const apply = defineFunction({
    name,
    forward: (ctx: Context<[Tensor, Tensor]>, [input, weight]: [Tensor, Tensor], outSize: readonly number[]) => {
      ctx.save(input, weight);
      return kernel(spatial)(input.data, weight.data, false, [input.shape[0], weight.shape[0], ...outSize]);
    },
    backward: (ctx, grad) => {
      const [input, weight] = ctx.saved;
      const swap = swapFirstTwo(spatial + 2);
      const [needInput, needWeight] = ctx.needsInputGrad;
      const gradInput = needInput ? kernel(spatial)(grad.data, weight.data.permute(swap), true, input.shape) : null;
      const gradWeight = needWeight
        ? kernel(spatial)(input.data.permute(swap), grad.data.permute(swap), false, [
          input.shape[1], weight.shape[0], ...weight.shape.slice(2),
        ]).permute(swap)
        : null;
      return [gradInput && new Tensor(gradInput), gradWeight && new Tensor(gradWeight)];
    },
  });

  return (input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor => {
    const dims = spatial + 2;
    checkTensor(input, name, "input");
    checkTensor(weight, name, "weight");
    if (bias !== undefined && bias !== null) checkTensor(bias, name, "bias");
    check(input.dims === dims, name, () =>
      `input must be ${dims}-D ${AXES[spatial]}, got shape ${fmtShape(input.shape)}`);
    check(weight.dims === dims, name, () =>
      `weight must be ${dims}-D ${WEIGHT_AXES[spatial]}, got shape ${fmtShape(weight.shape)}`);
    check(input.shape[1] === weight.shape[1], name, () =>
      `input has ${input.shape[1]} channels but weight expects ${weight.shape[1]}; ` +
      `input ${fmtShape(input.shape)}, weight ${fmtShape(weight.shape)}`);
    check(bias === undefined || bias === null || (bias.dims === 1 && bias.shape[0] === weight.shape[0]), name, () =>
      `bias must have shape [${weight.shape[0]}] (one per out channel), got ${fmtShape((bias as Tensor).shape)}`);
    const box = weight.shape.slice(2);
    const g = convGeometry(name, box, options);
    const outSize = fullOutput(name, input, box, g);
    const out = subsample(apply([padBefore(input, g.before), weight], outSize), g.stride);
    if (bias === undefined || bias === null) return out;
    return out.add(bias.view(1, weight.shape[0], ...Array<number>(spatial).fill(1)));
  };
}

/** conv1d(input [B, Cin, W], weight [Cout, Cin, K], bias? [Cout], options?) -> [B, Cout, W] (the lecture's
 * out[b, o, i] = sum_{c, k} weight[o, c, k] * input[b, c, i + k]), or PyTorch's size with padding / stride. */
export const conv1d = convolution("conv1d", 1);

/** conv2d(input [B, Cin, H, W], weight [Cout, Cin, KH, KW], bias? [Cout], options?) -> [B, Cout, H, W]:
 * the box anchored at the top-left, zip-reduced over the full box and every input channel; PyTorch's
 * output size with padding / stride. */
export const conv2d = convolution("conv2d", 2);
