/**
 * Convolution (module 4.2): conv1d and conv2d with the box anchored top-left and the output as large as
 * the input (positions past the right and bottom edges read as 0, as in minitorch: conv1d of [0,1,2,3]
 * with [1,2,3] is [8,14,8,3]). Backward reuses the forward kernel ("derive, don't duplicate"):
 *   grad_input  = conv(grad_out, weight with in/out channels swapped), with the anchor reversed
 *                 (grad_input[2] = w[0]*d[2] + w[1]*d[1] + w[2]*d[0]),
 *   grad_weight = conv(input with batch/channels swapped, grad_out with batch/channels swapped).
 */
import { Context } from "../autodiff/context";
import { check, fmtShape } from "../errors";
import { backend, Backend } from "../ops/backend";
import { defineFunction } from "../tensor/function";
import { Tensor } from "../tensor/tensor";

type Spatial = 1 | 2;
const AXES: Record<Spatial, string> = { 1: "[batch, in_channels, width]", 2: "[batch, in_channels, height, width]" };
const WEIGHT_AXES: Record<Spatial, string> = { 1: "[out_channels, in_channels, kw]", 2: "[out_channels, in_channels, kh, kw]" };

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
    forward: (ctx: Context<[Tensor, Tensor]>, [input, weight]: [Tensor, Tensor]) => {
      ctx.save(input, weight);
      return kernel(spatial)(input.data, weight.data, false, [input.shape[0], weight.shape[0], ...input.shape.slice(2)]);
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

  return (input: Tensor, weight: Tensor, bias?: Tensor): Tensor => {
    const dims = spatial + 2;
    check(input.dims === dims, name, () => `input must be ${dims}-D ${AXES[spatial]}, got shape ${fmtShape(input.shape)}`);
    check(weight.dims === dims, name, () =>
      `weight must be ${dims}-D ${WEIGHT_AXES[spatial]}, got shape ${fmtShape(weight.shape)}`);
    check(input.shape[1] === weight.shape[1], name, () =>
      `input has ${input.shape[1]} channels but weight expects ${weight.shape[1]}; input ${fmtShape(input.shape)}, weight ${fmtShape(weight.shape)}`);
    const out = apply([input, weight]);
    if (bias === undefined) return out;
    check(bias.dims === 1 && bias.shape[0] === weight.shape[0], name, () =>
      `bias must have shape [${weight.shape[0]}] (one per out channel), got ${fmtShape(bias.shape)}`);
    return out.add(bias.view(1, weight.shape[0], ...Array<number>(spatial).fill(1)));
  };
}

/** conv1d(input [B, Cin, W], weight [Cout, Cin, K], bias? [Cout]) -> [B, Cout, W]:
 * out[b, o, i] = sum_{c, k} weight[o, c, k] * input[b, c, i + k]. */
export const conv1d = convolution("conv1d", 1);

/** conv2d(input [B, Cin, H, W], weight [Cout, Cin, KH, KW], bias? [Cout]) -> [B, Cout, H, W]:
 * the box anchored at the top-left, zip-reduced over the full box and every input channel. */
export const conv2d = convolution("conv2d", 2);
