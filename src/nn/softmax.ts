/**
 * Max, argmax and softmax (lectures 24 and 26). softmax(x) = exp(x) / sum_i exp(x_i) is the soft,
 * differentiable argmax; the kernel subtracts the max first so [1000, 2000, 3000] gives no NaN.
 */
import { Context } from "../autodiff/context";
import { normalizeDim } from "../data/shape";
import { backend } from "../ops/backend";
import { defineFunction } from "../tensor/function";
import { Tensor } from "../tensor/tensor";

/** Max along dim; backward sends the gradient only to the argmax (ties: the first one). */
export function max(input: Tensor, dim: number, keepdim = false): Tensor {
  return input.max(dim, keepdim);
}

/** One-hot of the (first) maximum along dim, same shape as the input: argmax generalises step. No gradient. */
export function argmax(input: Tensor, dim: number): Tensor {
  return new Tensor(backend().argmax(input.data, normalizeDim(dim, input.dims, "argmax")));
}

const softmaxApply = defineFunction({
  name: "softmax",
  forward: (ctx: Context<[Tensor, number]>, [a]: [Tensor], dim: number) => {
    const s = new Tensor(backend().softmax(a.data, dim, false));
    ctx.save(s, dim);
    return s.data;
  },
  // ds_i/dx_j = s_i (1[i = j] - s_j): the gradient of one output spreads to every input.
  backward: (ctx, grad) => {
    const [s, dim] = ctx.saved;
    return [s.mul(grad.sub(grad.mul(s).sum(dim, true)))];
  },
});

const logsoftmaxApply = defineFunction({
  name: "logsoftmax",
  forward: (ctx: Context<[Tensor, number]>, [a]: [Tensor], dim: number) => {
    const l = new Tensor(backend().softmax(a.data, dim, true));
    ctx.save(l, dim);
    return l.data;
  },
  // d log s_i / dx_j = 1[i = j] - s_j
  backward: (ctx, grad) => {
    const [l, dim] = ctx.saved;
    return [grad.sub(l.exp().mul(grad.sum(dim, true)))];
  },
});

/** softmax along dim (default the last), computed stably by shifting by the max. */
export function softmax(input: Tensor, dim = -1): Tensor {
  return softmaxApply([input], normalizeDim(dim, input.dims, "softmax"));
}

/** log softmax = x - max - log sum exp(x - max): the log-sum-exp trick, never exp of a large number. */
export function logsoftmax(input: Tensor, dim = -1): Tensor {
  return logsoftmaxApply([input], normalizeDim(dim, input.dims, "logsoftmax"));
}
