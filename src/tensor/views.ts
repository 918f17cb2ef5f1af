/**
 * Views as differentiable functions (the lecture's subject: a view is storage + shape + strides + offset).
 * Each forward is O(1) and shares the input's storage; each backward says where the view's gradient goes
 * in the input. Only `copy` (contiguous, clone, reshape of a layout no view can take) copies.
 */
import { Context } from "../autodiff/context";
import { TensorData } from "../data/tensor-data";
import { Shape } from "../data/shape";
import { backend } from "../ops/backend";
import { tensorMap } from "../ops/kernels";
import * as op from "../ops/operators";
import { defineFunction } from "./function";
import { wrap } from "./functions";
import { Tensor } from "./tensor";

/** The same elements in row-major order under a new shape (view, reshape, flatten, squeeze, unsqueeze):
 * the gradient takes the input's shape back the same way. */
export const view = defineFunction({
  name: "view",
  forward: (ctx: Context<[Shape]>, [a]: [Tensor], shape: Shape) => {
    ctx.save(a.shape);
    return a.data.view(shape);
  },
  backward: (ctx, grad) => [grad.reshape(...ctx.saved[0])],
});

/** Reorders dims without copying; backward applies the inverse permutation. */
export const permute = defineFunction({
  name: "permute",
  forward: (ctx: Context<[readonly number[]]>, [a]: [Tensor], order: readonly number[]) => {
    ctx.save(order);
    return a.data.permute(order);
  },
  backward: (ctx, grad) => {
    const order = ctx.saved[0];
    return [grad.permute(...order.map((_, i) => order.indexOf(i)))];
  },
});

/** Copies into fresh row-major storage: what contiguous() and clone() do. */
export const copy = defineFunction({
  name: "clone",
  forward: (_ctx: Context<[]>, [a]: [Tensor]) => backend().map(op.id, a.data),
  backward: (_ctx, grad) => [grad],
});

/** Broadcasting made visible: size-1 dims repeat with stride 0. Each input element is read by many output
 * elements, so its gradient is their sum: exactly what unbroadcast (run on every input's gradient) does. */
export const expand = defineFunction({
  name: "expand",
  forward: (_ctx: Context<[]>, [a]: [Tensor], shape: Shape) => a.data.expand(shape),
  backward: (_ctx, grad) => [grad],
});

/** A view that picks some of the input's elements (slice, narrow, select). Backward writes the gradient
 * into the same view of a zero tensor of the input's shape: the elements the view did not see get 0. */
function pickFunction<P extends unknown[]>(name: string, pick: (d: TensorData, ...params: P) => TensorData) {
  return defineFunction({
    name,
    forward: (ctx: Context<[Shape, P]>, [a]: [Tensor], ...params: P) => {
      ctx.save(a.shape, params);
      return pick(a.data, ...params);
    },
    backward: (ctx, grad) => {
      const [shape, params] = ctx.saved;
      const g = TensorData.zeros(shape);
      tensorMap(op.id, pick(g, ...params), grad.data);
      return [wrap(g)];
    },
  });
}

export const slice = pickFunction("slice", (d, dim: number, start: number, end: number, step: number) =>
  d.slice(dim, start, end, step));
export const narrow = pickFunction("narrow", (d, dim: number, start: number, length: number) =>
  d.narrow(dim, start, length));
export const select = pickFunction("select", (d, dim: number, index: number) => d.select(dim, index));
