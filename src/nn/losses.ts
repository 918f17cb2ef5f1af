/**
 * Losses and information measures (NN basics II). Labels are class indices, as PyTorch's
 * CrossEntropyLoss takes them. Every loss takes PyTorch's `reduction`: "mean" (the default: the mean over
 * the batch, or over every element for elementwise losses), "sum", or "none" (one loss per example).
 */
import { Context } from "../autodiff/context";
import { check, checkOptions, describe, fmtShape } from "../errors";
import { normalizeDim, shapeBroadcast } from "../data/shape";
import { backend } from "../ops/backend";
import { sigmoid } from "../ops/operators";
import { fromStorage } from "../tensor/create";
import { defineFunction } from "../tensor/function";
import { mapFunction } from "../tensor/functions";
import { Tensor } from "../tensor/tensor";
import { checkTensor } from "../tensor/args";
import { logsoftmax } from "./softmax";

/** Class indices: a tensor of shape [N] or a plain array. */
export type Labels = Tensor | readonly number[];

/** How a loss combines its per-example values, as PyTorch's `reduction` argument. */
export type Reduction = "mean" | "sum" | "none";

/** The options every loss takes. */
export interface LossOptions {
  /** "mean" (default for losses), "sum", or "none" to keep one value per example. */
  reduction?: Reduction;
}

const REDUCTIONS: readonly string[] = ["mean", "sum", "none"];

/** Validates a loss's options and returns the reduction to apply to its per-example values. */
function reducer(op: string, options: LossOptions | undefined, fallback: Reduction = "mean"): (t: Tensor) => Tensor {
  checkOptions(options, op, ["reduction"]);
  const r = options?.reduction ?? fallback;
  check(REDUCTIONS.includes(r), op, () => `reduction must be "mean", "sum" or "none", got ${describe(r)}`);
  return (t) => (r === "none" ? t : r === "sum" ? t.sum() : t.mean());
}

/** Validates labels against scores [N, C] and returns them as numbers. */
function labelIndices(op: string, scores: Tensor, labels: Labels): number[] {
  checkTensor(scores, op, "scores");
  check(scores.dims === 2, op, () => `scores must be 2-D [batch, classes], got shape ${fmtShape(scores.shape)}`);
  check(labels instanceof Tensor || Array.isArray(labels), op, () =>
    `labels must be a Tensor or an array of class indices, got ${describe(labels)}`);
  const [n, c] = scores.shape;
  const ys = labels instanceof Tensor ? labels.toFlat() : [...labels];
  const shape = labels instanceof Tensor ? labels.shape : [ys.length];
  check(shape.length === 1 && ys.length === n, op, () =>
    `expected ${n} labels (one per row of scores ${fmtShape(scores.shape)}), got labels of shape ${fmtShape(shape)}`);
  ys.forEach((y, i) =>
    check(Number.isInteger(y) && y >= 0 && y < c, op, () =>
      `label ${i} is ${y}; labels must be class indices 0..${c - 1}${Number.isNaN(y) ? " (NaN label)" : ""}`));
  return ys;
}

/** Checks that a and b are Tensors of the same shape (elementwise losses do not broadcast). */
function checkSameShape(op: string, a: unknown, aName: string, b: unknown, bName: string): void {
  checkTensor(a, op, aName);
  checkTensor(b, op, bName);
  check(a.dims === b.dims && a.shape.every((d, i) => d === b.shape[i]), op, () =>
    `${aName} ${fmtShape(a.shape)} and ${bName} ${fmtShape(b.shape)} must have the same shape`);
}

/** [N, C] matrix holding `value` at each row's label and `other` elsewhere (a constant: no gradient). */
function labelMask(ys: readonly number[], classes: number, value: number, other: number): Tensor {
  const m = new Float64Array(ys.length * classes).fill(other);
  ys.forEach((y, i) => (m[i * classes + y] = value));
  return fromStorage(m, [ys.length, classes]);
}

/** scores[i, y_i] for every row, as [N]. Picking (not multiplying by a one-hot mask) keeps a -Infinity
 * in another class from turning into NaN (-inf * 0); backward puts each row's gradient back at its label. */
const pickLabels = defineFunction({
  name: "pickLabels",
  forward: (ctx: Context<[readonly number[], readonly number[]]>, [scores]: [Tensor], ys: readonly number[]) => {
    ctx.save(scores.shape, ys);
    return fromStorage(Float64Array.from(ys, (y, i) => scores.get(i, y)), [ys.length]).data;
  },
  backward: (ctx, grad) => {
    const [shape, ys] = ctx.saved;
    const column = grad.contiguous().data.view([ys.length, 1]);
    return [new Tensor(backend().zip((m, g) => m * g, labelMask(ys, shape[1], 1, 0).data, column))];
  },
});

/** Negative log-likelihood: -logProbs[i, y_i] per row, reduced (default: the mean over rows). */
export function nllLoss(logProbs: Tensor, labels: Labels, options?: LossOptions): Tensor {
  const reduce = reducer("nllLoss", options);
  const ys = labelIndices("nllLoss", logProbs, labels);
  return reduce(pickLabels([logProbs], ys).neg());
}

/** Cross-entropy from raw scores, as torch.nn.CrossEntropyLoss: nllLoss(logsoftmax(logits, 1), labels). */
export function crossEntropy(logits: Tensor, labels: Labels, options?: LossOptions): Tensor {
  const reduce = reducer("crossEntropy", options);
  const ys = labelIndices("crossEntropy", logits, labels);
  return reduce(pickLabels([logsoftmax(logits, 1)], ys).neg()); // nllLoss without checking the labels again
}

/** Multiclass hinge: max(max_{i != y} p_i - p_y + 1, 0) per row. Zero once the true score beats every
 * other by 1: hinge is to the 0-1 loss what ReLU is to step. (The lecture's max over wrong classes;
 * torch's multi_margin_loss averages over them instead.) */
export function hingeLoss(scores: Tensor, labels: Labels, options?: LossOptions): Tensor {
  const reduce = reducer("hingeLoss", options);
  const ys = labelIndices("hingeLoss", scores, labels);
  const c = scores.shape[1];
  check(c >= 2, "hingeLoss", () => `needs at least 2 classes, got scores of shape ${fmtShape(scores.shape)}`);
  const correct = pickLabels([scores], ys).view(ys.length, 1);
  const wrongOnly = labelMask(ys, c, -Infinity, 0); // the true class never wins the max over wrong ones
  return reduce(scores.sub(correct).add(1).add(wrongOnly).max(1).relu());
}

/** Mean squared error, as torch.nn.MSELoss: (input - target)^2 per element, reduced. */
export function mseLoss(input: Tensor, target: Tensor, options?: LossOptions): Tensor {
  const reduce = reducer("mseLoss", options);
  checkSameShape("mseLoss", input, "input", target, "target");
  const diff = input.sub(target);
  return reduce(diff.mul(diff));
}

/** log clamped at -100 as PyTorch's BCELoss does, so p = 0 or 1 gives a large finite loss, not NaN. */
const clampedLog = (x: number): number => Math.max(Math.log(x), -100);

/** -(t log p + (1 - t) log(1 - p)) with the clamped log. Backward as PyTorch's: (p - t) / p(1 - p) wrt p,
 * its denominator kept >= 1e-12 so a confident wrong p = 0 or 1 still gets a large, finite push;
 * log(1 - p) - log p wrt t (clamped logs, so finite at the edges where PyTorch's is infinite). */
const bce = defineFunction({
  name: "binaryCrossEntropy",
  forward: (ctx: Context<[Tensor, Tensor]>, [p, t]: [Tensor, Tensor]) => {
    ctx.save(p, t);
    return backend().zip((a, b) => -(b * clampedLog(a) + (1 - b) * clampedLog(1 - a)), p.data, t.data);
  },
  backward: (ctx, grad) => {
    const [p, t] = ctx.saved;
    const dp = backend().zip((a, b) => (a - b) / Math.max(a * (1 - a), 1e-12), p.data, t.data);
    const dt = backend().map((a) => clampedLog(1 - a) - clampedLog(a), p.data);
    return [grad.mul(new Tensor(dp)), grad.mul(new Tensor(dt))];
  },
});

/** Binary cross-entropy of probabilities p against 0/1 targets: -(t log p + (1 - t) log(1 - p)) per
 * element, reduced. */
export function binaryCrossEntropy(p: Tensor, target: Tensor, options?: LossOptions): Tensor {
  const reduce = reducer("binaryCrossEntropy", options);
  checkSameShape("binaryCrossEntropy", p, "probabilities", target, "targets");
  check(p.toFlat().every((v) => v >= 0 && v <= 1), "binaryCrossEntropy", () =>
    "probabilities must lie in [0, 1] (apply sigmoid to raw scores first, or use binaryCrossEntropyWithLogits)");
  return reduce(bce([p, target]));
}

/** BCE of sigmoid(x) written in x, stable for any logit: max(x, 0) - x t + log(1 + e^-|x|) never takes
 * exp of a large number nor log of 0. Its gradients are sigmoid(x) - t wrt x and -x wrt t. */
const bceWithLogits = defineFunction({
  name: "binaryCrossEntropyWithLogits",
  forward: (ctx: Context<[Tensor, Tensor]>, [x, t]: [Tensor, Tensor]) => {
    ctx.save(x, t);
    return backend().zip((a, b) => Math.max(a, 0) - a * b + Math.log1p(Math.exp(-Math.abs(a))), x.data, t.data);
  },
  backward: (ctx, grad) => {
    const [x, t] = ctx.saved;
    return [grad.mul(new Tensor(backend().zip((a, b) => sigmoid(a) - b, x.data, t.data))), grad.mul(x).neg()];
  },
});

/** binaryCrossEntropy(sigmoid(logits), target) computed from the logits, as torch.nn.BCEWithLogitsLoss:
 * exact where sigmoid would round to 0 or 1 (a logit of 40 with target 0 costs 40, not the clamp's 100). */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, options?: LossOptions): Tensor {
  const reduce = reducer("binaryCrossEntropyWithLogits", options);
  checkSameShape("binaryCrossEntropyWithLogits", logits, "logits", target, "targets");
  return reduce(bceWithLogits([logits, target]));
}

/** x log x with its limit 0 at x = 0, so zero-probability outcomes add nothing. */
const xlogx = mapFunction("xlogx", (x) => (x > 0 ? x * Math.log(x) : 0), (x, d) => (x > 0 ? d * (Math.log(x) + 1) : 0));

/** x log y with 0 log y = 0 even at y = 0 (torch.xlogy), so an outcome p never sees adds nothing to
 * D(p || q) whatever q says of it; its gradients are 0 there too, as for xlogx. */
const xlogyApply = defineFunction({
  name: "xlogy",
  forward: (ctx: Context<[Tensor, Tensor]>, [x, y]: [Tensor, Tensor]) => {
    ctx.save(x, y);
    return backend().zip((a, b) => (a === 0 ? 0 : a * Math.log(b)), x.data, y.data);
  },
  backward: (ctx, grad) => {
    const [x, y] = ctx.saved;
    const dx = backend().zip((a, b) => (a === 0 ? 0 : Math.log(b)), x.data, y.data);
    const dy = backend().zip((a, b) => (a === 0 ? 0 : a / b), x.data, y.data);
    return [grad.mul(new Tensor(dx)), grad.mul(new Tensor(dy))];
  },
});
const xlogy = (x: Tensor, y: Tensor): Tensor => xlogyApply([x, y]);

function checkDistribution(op: string, p: unknown, arg: string): asserts p is Tensor {
  checkTensor(p, op, arg);
  check(p.toFlat().every((v) => v >= 0), op, () =>
    `expects probabilities (>= 0), got a negative value in ${arg} of shape ${fmtShape(p.shape)}`);
}

/** Entropy H(p) = -sum_i p_i log p_i along dim (default the last): one value per distribution, unless
 * `reduction` is "mean" or "sum" over them (default "none"). */
export function entropy(p: Tensor, dim = -1, options?: LossOptions): Tensor {
  const reduce = reducer("entropy", options, "none");
  checkDistribution("entropy", p, "p");
  return reduce(xlogx(p).sum(normalizeDim(dim, p.dims, "entropy")).neg());
}

/** KL divergence D(p || q) = sum_i p_i log(p_i / q_i) along dim: >= 0, and 0 only when p = q. One value
 * per distribution unless `reduction` is "mean" or "sum" (default "none"). Argument order as in the
 * lecture (torch's kl_div takes log q first, and its "batchmean" is our "mean" for [batch, classes]). */
export function klDivergence(p: Tensor, q: Tensor, dim = -1, options?: LossOptions): Tensor {
  const reduce = reducer("klDivergence", options, "none");
  checkDistribution("klDivergence", p, "p");
  checkDistribution("klDivergence", q, "q");
  const d = normalizeDim(dim, shapeBroadcast(p.shape, q.shape, "klDivergence").length, "klDivergence");
  return reduce(xlogx(p).sub(xlogy(p, q)).sum(d));
}
