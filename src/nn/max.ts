/**
 * Max and argmax (lecture 24). max along a dim keeps one value per lane and throws the others away, so its
 * derivative is 1 at the maximum and 0 elsewhere: backward sends the gradient only to the argmax (the first
 * one when values tie: "pick one"). argmax generalises step: a one-hot tensor marking where the max is.
 *
 * Tensor methods give the same values and gradients the way PyTorch computes them (t.max(dim) gathers the
 * values at t.argmax(dim)); this file is the lecture's derivation, and test/max.test.ts shows both agree.
 */
import { Context } from "../autodiff/context";
import { normalizeDim } from "../data/shape";
import { backend } from "../ops/backend";
import * as op from "../ops/operators";
import { checkBoolean, checkTensor } from "../tensor/args";
import { arange } from "../tensor/create";
import { defineFunction } from "../tensor/function";
import { wrap } from "../tensor/functions";
import { Tensor } from "../tensor/tensor";

/** One-hot of the (first) maximum along dim, same shape as the input; no gradient. Composed as the
 * positions 0..n-1 along dim compared with the argmax; a backend's fused argmax kernel is used if it has one. */
export function argmaxOneHot(input: Tensor, dim = -1): Tensor {
  checkTensor(input, "argmaxOneHot", "input");
  const d = normalizeDim(dim, input.dims, "argmaxOneHot");
  const b = backend();
  if (b.argmax) return wrap(b.argmax(input.data, d));
  const positions = arange(input.shape[d]).view(input.shape.map((n, i) => (i === d ? n : 1)));
  return positions.eq(input.argmax(d, true));
}

const maxApply = defineFunction({
  name: "max",
  forward: (ctx: Context<[Tensor, number]>, [a]: [Tensor], dim: number) => {
    ctx.save(a, dim);
    return backend().reduce(op.max, -Infinity, a.data, dim);
  },
  backward: (ctx, grad) => {
    const [a, dim] = ctx.saved;
    return [argmaxOneHot(a, dim).mul(grad)]; // grad keeps dim as 1, so it broadcasts along the lane
  },
});

/** Max along dim: forward folds the lane with max, backward is argmaxOneHot(input) * grad. */
export function max(input: Tensor, dim: number, keepdim = false): Tensor {
  checkTensor(input, "max", "input");
  checkBoolean(keepdim, "max", "keepdim");
  const d = normalizeDim(dim, input.dims, "max");
  const out = maxApply([input], d);
  return keepdim ? out : out.squeeze(d);
}
