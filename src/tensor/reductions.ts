/**
 * Reductions with PyTorch's conventions: along a dim (negative counts from the end), which the result
 * drops unless keepdim keeps it as size 1, or over all elements (the tensor flattened, the result 0-dim).
 * max / min along a dim are value-selecting: the values at the argmax / argmin, as PyTorch computes them.
 */
import { checkNumber, checkOptions, check, fmtShape } from "../errors";
import { normalizeDim, reducedShape } from "../data/shape";
import { backend } from "../ops/backend";
import * as ops from "../ops/operators";
import { checkBoolean } from "./args";
import * as F from "./functions";
import * as I from "./indexing";
import { Tensor } from "./tensor";

/** Options of var() and std(): the divisor is N - correction (1: the unbiased estimate, PyTorch's default). */
export interface VarOptions {
  correction?: number;
}
/** What maxWithIndices / minWithIndices return, as PyTorch's (values, indices) pair. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

/** A dim to reduce along, or undefined for all elements. */
type Dim = number | undefined;

/** The tensor to reduce, the dim and the result's shape: a given dim is removed (or kept as 1); without
 * one the tensor is flattened and the result is 0-dim (or all ones). */
function along(t: Tensor, op: string, dim: number | undefined, keepdim: unknown) {
  checkBoolean(keepdim, op, "keepdim");
  if (dim === undefined) return { x: t.reshape(-1), d: 0, outShape: keepdim ? t.shape.map(() => 1) : [] };
  const d = normalizeDim(dim, t.dims, op);
  return { x: t, d, outShape: keepdim ? reducedShape(t.shape, d) : t.shape.filter((_, i) => i !== d) };
}

export function sum(t: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const { x, d, outShape } = along(t, "sum", dim, keepdim);
  return F.sum([x], d, outShape);
}

export function mean(t: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const { x, d } = along(t, "mean", dim, keepdim);
  return sum(t, dim, keepdim).div(x.shape[d]);
}

/** The argmax (or, for `smallest`, the argmin as the argmax of -x) along a dim, kept at size 1. */
function argAlong(t: Tensor, op: string, smallest: boolean, dim: number | undefined, keepdim: unknown) {
  const { x, d, outShape } = along(t, op, dim, keepdim);
  check(x.shape[d] > 0, op, () => `cannot reduce an empty dim (shape ${fmtShape(t.shape)}): there is no identity`);
  return { x, d, outShape, index: I.argmaxAlong(smallest ? backend().map(ops.neg, x.data) : x.data, d) };
}

/** argmax / argmin: indices only, no gradient. */
export function argExtreme(t: Tensor, op: string, smallest: boolean, dim: Dim, keepdim: boolean): Tensor {
  const { index, outShape } = argAlong(t, op, smallest, dim, keepdim);
  return new Tensor(index.view(outShape));
}

/** max / min: the values at the argmax / argmin (gradient to that element) and the indices. */
export function extreme(t: Tensor, op: string, smallest: boolean, dim: Dim, keepdim: boolean): ValuesIndices {
  const { x, d, outShape, index } = argAlong(t, op, smallest, dim, keepdim);
  const values = (smallest ? I.minApply : I.maxApply)([x], d, index, outShape);
  return { values, indices: new Tensor(index.view(outShape)) };
}

/** sum((x - mean)^2) / max(0, N - correction), composed so autodiff gives its gradient. */
export function variance(t: Tensor, op: string, dim: Dim, keepdim: boolean, options: VarOptions): Tensor {
  checkOptions(options, op, ["correction"]);
  const correction = options.correction ?? 1;
  checkNumber(correction, op, "correction");
  const { x, d } = along(t, op, dim, keepdim);
  const centered = t.sub(t.mean(dim, true));
  return centered.mul(centered).sum(dim, keepdim).div(Math.max(0, x.shape[d] - correction));
}

/** m + log(sum(exp(x - m))) with m the lane's max as a constant (0 for a lane of infinities), so no exp
 * overflows; its gradient is softmax(x). */
export function logsumexp(t: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const { x, d, outShape } = along(t, "logsumexp", dim, keepdim);
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
  const m = new Tensor(backend().map(finite, backend().reduce(ops.max, -Infinity, x.data, d)));
  return x.sub(m).exp().sum(d, true).log().add(m).view(outShape);
}
