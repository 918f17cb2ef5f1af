/**
 * Indexing and joining as differentiable functions: gather (and the value-selecting reductions max / min
 * along a dim, which gather at the argmax / argmin, as PyTorch computes them), where (and maskedFill), and
 * cat. The Tensor methods check their index arguments before these run; where, cat and stack, which are
 * functions as in PyTorch (torch.where, torch.cat, torch.stack), check theirs here.
 */
import { Context } from "../autodiff/context";
import { TensorData } from "../data/tensor-data";
import { Shape, normalizeDim, sameShape, shapeBroadcast } from "../data/shape";
import { check, checkInteger, fmtShape } from "../errors";
import { backend } from "../ops/backend";
import { tensorGather, tensorScatterAdd } from "../ops/gather";
import { tensorMap } from "../ops/kernels";
import * as op from "../ops/operators";
import { Binary } from "../ops/operators";
import { defineFunction } from "./function";
import { wrap } from "./functions";
import { Tensor, TensorLike } from "./tensor";
import { checkIndices, checkSameShapeExcept, checkTensor, checkTensorList, tensorOrNumber } from "./args";

/** 0, 1, ..., n-1 along dim and size 1 elsewhere: it broadcasts against a tensor of `shape`. */
function lanePositions(shape: Shape, dim: number): TensorData {
  const positions = Float64Array.from({ length: shape[dim] }, (_, k) => k);
  return new TensorData(positions, shape.map((d, i) => (i === dim ? d : 1)));
}

const isMaxOrNaN: Binary = (x, m) => (x === m || x !== x ? 1 : 0);
const positionIfHit: Binary = (hit, k) => (hit ? k : Infinity);

/** Index of the first maximum of each lane along dim (a NaN counts as the maximum, as in PyTorch), with
 * dim kept at size 1: the smallest position k whose value equals the lane's max. */
export function argmaxAlong(a: TensorData, dim: number): TensorData {
  const b = backend();
  const hits = b.zip(isMaxOrNaN, a, b.reduce(op.max, -Infinity, a, dim));
  return b.reduce(op.min, Infinity, b.zip(positionIfHit, hits, lanePositions(a.shape, dim)), dim);
}

/** Gather's forward and backward under `name`, its result viewed as `outShape`. The backward is
 * scatter-add: each output's gradient goes back to the one input element it read. */
function selectAlong(name: string) {
  return defineFunction({
    name,
    forward: (
      ctx: Context<[Shape, TensorData, number]>, [a]: [Tensor], dim: number, index: TensorData, outShape: Shape,
    ) => {
      ctx.save(a.shape, index, dim);
      const out = TensorData.zeros(index.shape);
      tensorGather(out, a.data, index, dim);
      return out.view(outShape);
    },
    backward: (ctx, grad) => {
      const [shape, index, dim] = ctx.saved;
      const g = TensorData.zeros(shape);
      tensorScatterAdd(g, grad.reshape(...index.shape).data, index, dim);
      return [wrap(g)];
    },
  });
}

/** out[i, j] = a[index[i, j], j] for dim 0 (and so on): index has a's dims. */
export const gatherApply = selectAlong("gather");
/** Max along a dim = the values at the argmax: its gradient goes to the first maximum of each lane. */
export const maxApply = selectAlong("max");
/** Min along a dim = the values at the argmin. */
export const minApply = selectAlong("min");

const keep: Binary = (x, c) => (c !== 0 ? x : 0);
const drop: Binary = (y, c) => (c !== 0 ? 0 : y);

/** cond ? a : b elementwise, all three broadcast together; the gradient goes to a where cond holds and to b
 * elsewhere. Written as keep(a) + drop(b) where the other side is exactly 0, so an inf or NaN in the
 * branch not taken never leaks into the result. */
export const whereApply = defineFunction({
  name: "where",
  forward: (ctx: Context<[TensorData]>, [a, b]: [Tensor, Tensor], cond: TensorData) => {
    ctx.save(cond);
    const k = backend();
    return k.zip(op.add, k.zip(keep, a.data, cond), k.zip(drop, b.data, cond));
  },
  backward: (ctx, grad) => {
    const [cond] = ctx.saved;
    return [wrap(backend().zip(keep, grad.data, cond)), wrap(backend().zip(drop, grad.data, cond))];
  },
});

/** Joins tensors along an existing dim (shapes checked by the caller): each input is copied into its own
 * narrow view of the output, and its gradient is that narrow view of the output's gradient. */
export const catApply = defineFunction({
  name: "cat",
  forward: (ctx: Context<[number, number[]]>, inputs: readonly Tensor[], dim: number) => {
    const sizes = inputs.map((t) => t.shape[dim]);
    ctx.save(dim, sizes);
    const out = TensorData.zeros(inputs[0].shape.map((d, i) => (i === dim ? sizes.reduce((s, n) => s + n, 0) : d)));
    let start = 0;
    for (const t of inputs) {
      tensorMap(op.id, out.narrow(dim, start, t.shape[dim]), t.data);
      start += t.shape[dim];
    }
    return out;
  },
  backward: (ctx, grad) => {
    const [dim, sizes] = ctx.saved;
    let start = 0;
    return sizes.map((n) => grad.narrow(dim, (start += n) - n, n));
  },
});

/** torch.where(cond, a, b): a where cond is nonzero, else b; a and b may be numbers; all three broadcast. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor(cond, "where", "condition");
  const [x, y] = [tensorOrNumber(a, "where", "input"), tensorOrNumber(b, "where", "other")];
  shapeBroadcast(shapeBroadcast(cond.shape, x.shape, "where"), y.shape, "where");
  return whereApply([x, y], cond.data);
}

/** torch.cat: joins tensors along an existing dim; they must match in every other dim. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  checkTensorList(tensors, "cat");
  const d = normalizeDim(dim, tensors[0].dims, "cat");
  checkSameShapeExcept(tensors, d, "cat");
  return catApply(tensors, d);
}

/** torch.stack: joins same-shape tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkTensorList(tensors, "stack");
  const d = normalizeDim(dim, tensors[0].dims + 1, "stack");
  tensors.forEach((t, i) =>
    check(sameShape(t.shape, tensors[0].shape), "stack", () =>
      `tensors[${i}] has shape ${fmtShape(t.shape)} but tensors[0] has ${fmtShape(tensors[0].shape)}; ` +
        "stack needs equal shapes"));
  return catApply(tensors.map((t) => t.unsqueeze(d)), d);
}

/** t.gather(dim, index), checked: index has t's dims, whole numbers in range, no larger than t outside dim. */
export function gather(t: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, t.dims, "gather");
  checkTensor(index, "gather", "index");
  check(index.dims === t.dims && index.shape.every((n, i) => i === d || n <= t.shape[i]), "gather", () =>
    `index of shape ${fmtShape(index.shape)} does not fit input of shape ${fmtShape(t.shape)} along dim ${d} ` +
      "(same number of dims, no larger outside dim)");
  checkIndices(index, t.shape[d], "gather");
  return gatherApply([t], d, index.data, index.shape);
}

/** t.indexSelect(dim, index): gather with the 1-D index expanded (stride 0) over the other dims. */
export function indexSelect(t: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, t.dims, "indexSelect");
  checkTensor(index, "indexSelect", "index");
  check(index.dims <= 1, "indexSelect", () => `index must be 1-D, got shape ${fmtShape(index.shape)}`);
  checkIndices(index, t.shape[d], "indexSelect");
  const outShape = t.shape.map((n, i) => (i === d ? index.size : n));
  const spread = index.data.view(outShape.map((n, i) => (i === d ? n : 1))).expand(outShape);
  return gatherApply([t], d, spread, outShape);
}

/** t.maskedFill(mask, value) = where(mask, value, t), with the mask broadcasting to t's shape. */
export function maskedFill(t: Tensor, mask: Tensor, value: number): Tensor {
  checkTensor(mask, "maskedFill", "mask");
  check(typeof value === "number", "maskedFill", () => `value must be a number, got ${String(value)}`);
  check(sameShape(shapeBroadcast(t.shape, mask.shape, "maskedFill"), t.shape), "maskedFill", () =>
    `mask of shape ${fmtShape(mask.shape)} does not broadcast to the input's shape ${fmtShape(t.shape)}`);
  return whereApply([Tensor.of(value), t], mask.data);
}

/** t.split(size or sizes, dim): narrow views that cover dim in order. */
export function split(t: Tensor, size: number | readonly number[], dim: number): Tensor[] {
  const d = normalizeDim(dim, t.dims, "split");
  const n = t.shape[d];
  let sizes: number[];
  if (Array.isArray(size)) {
    size.forEach((s, i) => checkInteger(s, "split", `sizes[${i}]`, 0));
    sizes = [...size];
    check(sizes.reduce((a, b) => a + b, 0) === n, "split", () =>
      `sizes ${fmtShape(sizes)} do not add up to ${n}, the size of dim ${d}`);
  } else {
    checkInteger(size, "split", "size", 1);
    sizes = Array.from({ length: Math.max(1, Math.ceil(n / size)) }, (_, i) => Math.min(size, n - i * size));
  }
  let start = 0;
  return sizes.map((s) => t.narrow(d, (start += s) - s, s));
}

/** t.chunk(chunks, dim): split into pieces of ceil(n / chunks). */
export function chunk(t: Tensor, chunks: number, dim: number): Tensor[] {
  checkInteger(chunks, "chunk", "chunks", 1);
  const n = t.shape[normalizeDim(dim, t.dims, "chunk")];
  return split(t, Math.max(1, Math.ceil(n / chunks)), dim);
}
