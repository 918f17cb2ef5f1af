/**
 * The differentiable functions behind Tensor's methods (minitorch's tensor_functions). Each forward
 * calls one backend kernel; each backward is the lecture's derivative written with tensor ops.
 */
import { Context } from "../autodiff/context";
import { TensorData } from "../data/tensor-data";
import { Shape, reducedShape } from "../data/shape";
import { backend } from "../ops/backend";
import * as op from "../ops/operators";
import { Binary, Unary } from "../ops/operators";
import { defineFunction } from "./function";
import { Tensor } from "./tensor";

const wrap = (data: TensorData): Tensor => new Tensor(data);

/** An elementwise function f with derivative given as back(x, d) = d * f'(x). */
export function mapFunction(name: string, f: Unary, back: Binary): (a: Tensor) => Tensor {
  const apply = defineFunction({
    name,
    forward: (ctx: Context<[Tensor]>, [a]: [Tensor]) => {
      ctx.save(a);
      return backend().map(f, a.data);
    },
    backward: (ctx, grad) => [wrap(backend().zip(back, ctx.saved[0].data, grad.data))],
  });
  return (a) => apply([a]);
}

/** An elementwise binary function on broadcast inputs, with its two partial derivatives. */
function zipFunction(
  name: string,
  f: Binary,
  grads: (a: Tensor, b: Tensor, grad: Tensor) => [Tensor | null, Tensor | null],
): (a: Tensor, b: Tensor) => Tensor {
  const apply = defineFunction({
    name,
    forward: (ctx: Context<[Tensor, Tensor]>, [a, b]: [Tensor, Tensor]) => {
      ctx.save(a, b);
      return backend().zip(f, a.data, b.data);
    },
    backward: (ctx, grad) => grads(ctx.saved[0], ctx.saved[1], grad),
  });
  return (a, b) => apply([a, b]);
}

export const neg = mapFunction("neg", op.neg, (_, d) => -d);
export const exp = mapFunction("exp", op.exp, (x, d) => d * Math.exp(x));
export const log = mapFunction("log", op.log, op.logBack);
export const sigmoid = mapFunction("sigmoid", op.sigmoid, op.sigmoidBack);
export const relu = mapFunction("relu", op.relu, op.reluBack);
export const abs = mapFunction("abs", Math.abs, (x, d) => d * Math.sign(x));

export const add = zipFunction("add", op.add, (_a, _b, g) => [g, g]);
export const sub = zipFunction("sub", op.sub, (_a, _b, g) => [g, g.neg()]);
export const mul = zipFunction("mul", op.mul, (a, b, g) => [g.mul(b), g.mul(a)]);
export const div = zipFunction("div", op.div, (a, b, g) => [g.div(b), g.mul(a).neg().div(b.mul(b))]);
/** Comparisons are step functions: derivative 0 almost everywhere, so no gradient flows. */
const noGrads = (): [null, null] => [null, null];
export const lt = zipFunction("lt", op.lt, noGrads);
export const gt = zipFunction("gt", op.gt, noGrads);
export const eq = zipFunction("eq", op.eq, noGrads);
export const isClose = zipFunction("isClose", op.isClose, noGrads);

const powApply = defineFunction({
  name: "pow",
  forward: (ctx: Context<[Tensor, number]>, [a]: [Tensor], exponent: number) => {
    ctx.save(a, exponent);
    return backend().map((x) => Math.pow(x, exponent), a.data);
  },
  backward: (ctx, grad) => {
    const [a, n] = ctx.saved;
    return [wrap(backend().zip((x, d) => d * n * Math.pow(x, n - 1), a.data, grad.data))];
  },
});
/** x^n for a constant exponent n; d/dx = n x^(n-1). */
export const pow = (a: Tensor, exponent: number): Tensor => powApply([a], exponent);

/** A reduction's gradient seen with the reduced dim back at size 1, so it broadcasts over the input. */
const keptGrad = (grad: Tensor, input: Shape, dim: number): TensorData =>
  grad.contiguous().data.view(reducedShape(input, dim));

/** Sum along dim, its result viewed as `outShape` (dim dropped or kept); the gradient is copied back to
 * every summed element. */
export const sum = defineFunction({
  name: "sum",
  forward: (ctx: Context<[Shape, number]>, [a]: [Tensor], dim: number, outShape: Shape) => {
    ctx.save(a.shape, dim);
    return backend().reduce(op.add, 0, a.data, dim).view(outShape);
  },
  backward: (ctx, grad) => {
    const [shape, dim] = ctx.saved;
    return [wrap(backend().map(op.id, keptGrad(grad, shape, dim), shape))];
  },
});

/** Max along dim, viewed as `outShape`. Unlike sum, max throws the other values away, so backward
 * sends the gradient only to the argmax (the first one when values tie: "pick one"). */
export const max = defineFunction({
  name: "max",
  forward: (ctx: Context<[TensorData, Shape, number]>, [a]: [Tensor], dim: number, outShape: Shape) => {
    ctx.save(backend().argmax(a.data, dim), a.shape, dim);
    return backend().reduce(op.max, -Infinity, a.data, dim).view(outShape);
  },
  backward: (ctx, grad) => {
    const [argmax, shape, dim] = ctx.saved;
    return [wrap(backend().zip(op.mul, argmax, keptGrad(grad, shape, dim)))];
  },
});

/** Batched matrix product of tensors with at least 2 dims; dA = dOut B^T, dB = A^T dOut (then unbroadcast). */
export const matmul = defineFunction({
  name: "matmul",
  forward: (ctx: Context<[Tensor, Tensor]>, [a, b]: [Tensor, Tensor], outShape: Shape) => {
    ctx.save(a, b);
    return backend().matmul(a.data, b.data, outShape);
  },
  backward: (ctx, grad) => {
    const [a, b] = ctx.saved;
    return [grad.matmul(b.transpose(-2, -1)), a.transpose(-2, -1).matmul(grad)];
  },
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
    const inverse = order.map((_, i) => order.indexOf(i));
    return [grad.permute(...inverse)];
  },
});

/** Reinterprets contiguous storage with a new shape; backward views the gradient back. */
export const view = defineFunction({
  name: "view",
  forward: (ctx: Context<[Shape]>, [a]: [Tensor], shape: Shape) => {
    ctx.save(a.shape);
    return a.data.view(shape);
  },
  backward: (ctx, grad) => [grad.contiguous().view(...ctx.saved[0])],
});

/** Copies into fresh row-major storage: the one op that turns a permuted tensor viewable. */
export const copy = defineFunction({
  name: "contiguous",
  forward: (_ctx: Context<[]>, [a]: [Tensor]) => backend().map(op.id, a.data),
  backward: (_ctx, grad) => [grad],
});
