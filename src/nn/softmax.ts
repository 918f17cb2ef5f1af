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

/** Softmax or log-softmax along a dim from the backend's fused, max-shifted kernel. Backward, with s the
 * softmax: d s_i / d x_j = s_i (1[i = j] - s_j), so the gradient of one output spreads to every input;
 * d log s_i / d x_j = 1[i = j] - s_j. */
function softmaxFunction(log: boolean) {
  return defineFunction({
    name: log ? "logsoftmax" : "softmax",
    forward: (ctx: Context<[Tensor, number]>, [a]: [Tensor], dim: number) => {
      const out = new Tensor(backend().softmax(a.data, dim, log));
      ctx.save(out, dim);
      return out.data;
    },
    backward: (ctx, grad) => {
      const [out, dim] = ctx.saved;
      return log ? [grad.sub(out.exp().mul(grad.sum(dim, true)))] : [out.mul(grad.sub(grad.mul(out).sum(dim, true)))];
    },
  });
}
const softmaxApply = softmaxFunction(false);
const logsoftmaxApply = softmaxFunction(true);

/** softmax along dim (default the last), computed stably by shifting by the max. */
export function softmax(input: Tensor, dim = -1): Tensor {
  return softmaxApply([input], normalizeDim(dim, input.dims, "softmax"));
}

/** log softmax = x - max - log sum exp(x - max): the log-sum-exp trick, never exp of a large number. */
export function logsoftmax(input: Tensor, dim = -1): Tensor {
  return logsoftmaxApply([input], normalizeDim(dim, input.dims, "logsoftmax"));
}
