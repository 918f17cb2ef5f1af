/**
 * The differentiable functions behind Tensor's elementwise math, sum and matmul (minitorch's
 * tensor_functions). Each forward calls one backend kernel; each backward is the lecture's derivative
 * written with tensor ops. Views live in views.ts, indexing and joining in indexing.ts.
 */
import { Context } from "../autodiff/context";
import { check, describe } from "../errors";
import { TensorData } from "../data/tensor-data";
import { Shape, reducedShape } from "../data/shape";
import { backend } from "../ops/backend";
import * as op from "../ops/operators";
import { Binary, Unary } from "../ops/operators";
import { defineFunction } from "./function";
import { Tensor } from "./tensor";

export const wrap = (data: TensorData): Tensor => new Tensor(data);

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
export const sqrt = mapFunction("sqrt", op.sqrt, op.sqrtBack);
export const sin = mapFunction("sin", op.sin, op.sinBack);
export const cos = mapFunction("cos", op.cos, op.cosBack);

/** add and sub: their partial derivatives are the constants 1 and +-1, so they save nothing (and an in-place
 * change to an input after the forward pass is harmless, as in PyTorch). */
function linearFunction(name: string, f: Binary, sign: 1 | -1): (a: Tensor, b: Tensor) => Tensor {
  const apply = defineFunction({
    name,
    forward: (_ctx: Context<[]>, [a, b]: [Tensor, Tensor]) => backend().zip(f, a.data, b.data),
    backward: (_ctx, grad) => [grad, sign > 0 ? grad : grad.neg()],
  });
  return (a, b) => apply([a, b]);
}

export const add = linearFunction("add", op.add, 1);
export const sub = linearFunction("sub", op.sub, -1);
export const mul = zipFunction("mul", op.mul, (a, b, g) => [g.mul(b), g.mul(a)]);
export const div = zipFunction("div", op.div, (a, b, g) => [g.div(b), g.mul(a).neg().div(b.mul(b))]);

/** a^b for a tensor exponent: d/da = b a^(b-1), d/db = a^b ln a, taken as 0 where a = 0 and b >= 0 (where
 * a^b is flat in b or the limit is 0), as PyTorch does. */
export const powTensor = zipFunction("pow", Math.pow, (a, b, g) => {
  const dB = a.pow(b).mul(a.log()).mul(g);
  return [g.mul(b).mul(a.pow(b.sub(1))), dB.maskedFill(a.eq(0).mul(b.ge(0)), 0)];
});

/** A comparison or test is a step function: derivative 0 almost everywhere, so, like PyTorch's bool
 * results, its 0/1 result has no history and needs no grad. */
export const compare = (fn: Binary) => (a: Tensor, b: Tensor): Tensor => wrap(backend().zip(fn, a.data, b.data));

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

const clampApply = defineFunction({
  name: "clamp",
  forward: (ctx: Context<[Tensor, number, number]>, [a]: [Tensor], lo: number, hi: number) => {
    ctx.save(a, lo, hi);
    return backend().map((x) => (x < lo ? lo : x > hi ? hi : x), a.data);
  },
  backward: (ctx, grad) => {
    const [a, lo, hi] = ctx.saved;
    return [wrap(backend().zip((x, d) => (x >= lo && x <= hi ? d : 0), a.data, grad.data))];
  },
});
/** min(max(x, lo), hi) with either bound left out (undefined or null); the gradient passes where
 * lo <= x <= hi (bounds included, as PyTorch). */
export function clamp(a: Tensor, lo: unknown, hi: unknown): Tensor {
  const bound = (v: unknown, arg: string, none: number): number => {
    if (v === undefined || v === null) return none;
    check(typeof v === "number" && !Number.isNaN(v), "clamp", () =>
      `${arg} must be a number, undefined or null, got ${describe(v)}`);
    return v;
  };
  check((lo ?? hi) !== undefined && (lo ?? hi) !== null, "clamp", () => "give at least one of min and max");
  return clampApply([a], bound(lo, "min", -Infinity), bound(hi, "max", Infinity));
}

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
