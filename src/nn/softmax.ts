/**
 * Softmax and log-softmax (lectures 24 and 26). softmax(x)_i = exp(x_i) / sum_j exp(x_j) is the soft,
 * differentiable argmax. Subtracting any constant c from every x_j leaves it unchanged (e^{-c} cancels), so
 * taking c = max(x) makes every exponent <= 0: [1000, 2000, 3000] gives no NaN. The max is detached: it is
 * only a shift, and the gradient is the same for every c.
 *
 * Written here from primitives (tinygrad's way); a backend with a fused softmax kernel (the fast one) runs
 * that instead, with the backward below, and test/softmax.test.ts shows both paths agree.
 */
import { Context } from "../autodiff/context";
import { check } from "../errors";
import { normalizeDim } from "../data/shape";
import { backend } from "../ops/backend";
import { checkTensor } from "../tensor/args";
import { defineFunction } from "../tensor/function";
import { Tensor } from "../tensor/tensor";
import { max } from "./max";

/** The backend's fused kernel. Backward, with s the softmax: d s_i / d x_j = s_i (1[i = j] - s_j), so the
 * gradient of one output spreads to every input; d log s_i / d x_j = 1[i = j] - s_j. */
function fusedFunction(log: boolean) {
  return defineFunction({
    name: log ? "logsoftmax" : "softmax",
    forward: (ctx: Context<[Tensor, number]>, [a]: [Tensor], dim: number) => {
      const kernel = backend().softmax;
      check(kernel !== undefined, "softmax", () => `backend ${backend().name} has no fused softmax`);
      const out = new Tensor(kernel(a.data, dim, log));
      ctx.save(out, dim);
      return out.data;
    },
    backward: (ctx, grad) => {
      const [out, dim] = ctx.saved;
      return log ? [grad.sub(out.exp().mul(grad.sum(dim, true)))] : [out.mul(grad.sub(grad.mul(out).sum(dim, true)))];
    },
  });
}
const fusedSoftmax = fusedFunction(false);
const fusedLogsoftmax = fusedFunction(true);

/** softmax along dim (default the last): exp(x - max) / sum exp(x - max). */
export function softmax(input: Tensor, dim = -1): Tensor {
  checkTensor(input, "softmax", "input");
  const d = normalizeDim(dim, input.dims, "softmax");
  if (backend().softmax) return fusedSoftmax([input], d);
  const e = input.sub(max(input, d, true).detach()).exp();
  return e.div(e.sum(d, true));
}

/** log softmax = x - logsumexp(x): the log-sum-exp trick (logsumexp shifts by the max), never the log of a
 * softmax that underflowed to 0. */
export function logsoftmax(input: Tensor, dim = -1): Tensor {
  checkTensor(input, "logsoftmax", "input");
  const d = normalizeDim(dim, input.dims, "logsoftmax");
  if (backend().softmax) return fusedLogsoftmax([input], d);
  return input.sub(input.logsumexp(d, true));
}
