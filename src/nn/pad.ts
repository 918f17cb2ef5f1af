/**
 * Constant padding, as torch.nn.functional.pad: a frame of `value` around the last dims. It is what turns
 * PyTorch's padded convolution and pooling into the lecture's kernel (nn/conv.ts, nn/pool.ts). The input
 * is copied into the middle of the bigger tensor; backward is a view of the gradient's middle: the frame
 * is a constant, so no gradient flows to it.
 */
import { Context } from "../autodiff/context";
import { check, describe, fmtShape } from "../errors";
import { TensorData } from "../data/tensor-data";
import { tensorMap } from "../ops/kernels";
import { id } from "../ops/operators";
import { defineFunction } from "../tensor/function";
import { Tensor } from "../tensor/tensor";
import { checkTensor } from "../tensor/args";

/** The middle of `padded`: the elements that came from the input, a view (dims before[d] .. + shape[d]). */
function middle(padded: TensorData, before: readonly number[], shape: readonly number[]): TensorData {
  return shape.reduce((t, n, d) => t.slice(d, before[d], before[d] + n), padded);
}

const padApply = defineFunction({
  name: "constantPad",
  forward: (ctx: Context<[readonly number[], readonly number[]]>, [a]: [Tensor], before: number[], after: number[],
    value: number) => {
    ctx.save(before, a.shape);
    const out = TensorData.zeros(a.shape.map((n, d) => before[d] + n + after[d]));
    if (value !== 0) out.storage.fill(value);
    tensorMap(id, middle(out, before, a.shape), a.data);
    return out;
  },
  backward: (ctx, grad) => [new Tensor(middle(grad.data, ...ctx.saved))],
});

/** Pads the last dims with `value` (default 0). `amounts` lists [before, after] pairs from the last dim
 * backwards, as torch's pad: [left, right] pads the width, [left, right, top, bottom] the height too. */
export function pad(input: Tensor, amounts: readonly number[], value = 0): Tensor {
  checkTensor(input, "pad", "input");
  check(Array.isArray(amounts) && amounts.length % 2 === 0 && amounts.length / 2 <= input.dims, "pad", () =>
    `amounts must be [before, after] pairs for at most ${input.dims} dims (input ${fmtShape(input.shape)}), got ` +
    describe(amounts));
  check(amounts.every((p) => Number.isInteger(p) && p >= 0), "pad", () =>
    `amounts must be integers >= 0, got ${fmtShape(amounts)}`);
  check(typeof value === "number" && !Number.isNaN(value), "pad", () =>
    `value must be a number, got ${describe(value)}`);
  const before = input.shape.map(() => 0);
  const after = input.shape.map(() => 0);
  for (let i = 0; i < amounts.length / 2; i++) {
    before[input.dims - 1 - i] = amounts[2 * i];
    after[input.dims - 1 - i] = amounts[2 * i + 1];
  }
  return padApply([input], before, after, value);
}
