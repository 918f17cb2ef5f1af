/**
 * Classification losses and information measures (NN basics II). Labels are class indices, as
 * PyTorch's CrossEntropyLoss takes them; every batch loss is the mean over the batch.
 */
import { Context } from "../autodiff/context";
import { check, fmtShape } from "../errors";
import { normalizeDim } from "../data/shape";
import { backend } from "../ops/backend";
import { fromStorage } from "../tensor/create";
import { defineFunction } from "../tensor/function";
import { mapFunction } from "../tensor/functions";
import { Tensor } from "../tensor/tensor";
import { logsoftmax } from "./softmax";

/** Class indices: a tensor of shape [N] or a plain array. */
export type Labels = Tensor | readonly number[];

/** Validates labels against scores [N, C] and returns them as numbers. */
function labelIndices(op: string, scores: Tensor, labels: Labels): number[] {
  check(scores.dims === 2, op, () => `scores must be 2-D [batch, classes], got shape ${fmtShape(scores.shape)}`);
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

/** [N, C] matrix holding `value` at each row's label and `other` elsewhere (a constant: no gradient). */
function labelMask(ys: readonly number[], classes: number, value: number, other: number): Tensor {
  const m = new Float64Array(ys.length * classes).fill(other);
  ys.forEach((y, i) => (m[i * classes + y] = value));
  return fromStorage(m, [ys.length, classes]);
}

/** scores[i, y_i] for every row, as [N, 1]. Picking (not multiplying by a one-hot mask) keeps a -Infinity
 * in another class from turning into NaN (-inf * 0); backward puts each row's gradient back at its label. */
const pickLabels = defineFunction({
  name: "pickLabels",
  forward: (ctx: Context<[readonly number[], readonly number[]]>, [scores]: [Tensor], ys: readonly number[]) => {
    ctx.save(scores.shape, ys);
    return fromStorage(Float64Array.from(ys, (y, i) => scores.get(i, y)), [ys.length, 1]).data;
  },
  backward: (ctx, grad) => {
    const [shape, ys] = ctx.saved;
    return [new Tensor(backend().zip((m, g) => m * g, labelMask(ys, shape[1], 1, 0).data, grad.data))];
  },
});

/** Negative log-likelihood: mean over rows of -logProbs[i, y_i]. */
export function nllLoss(logProbs: Tensor, labels: Labels): Tensor {
  const ys = labelIndices("nllLoss", logProbs, labels);
  return pickLabels([logProbs], ys).neg().mean();
}

/** Cross-entropy from raw scores, as torch.nn.CrossEntropyLoss: nllLoss(logsoftmax(logits, 1), labels). */
export function crossEntropy(logits: Tensor, labels: Labels): Tensor {
  const ys = labelIndices("crossEntropy", logits, labels);
  return pickLabels([logsoftmax(logits, 1)], ys).neg().mean(); // nllLoss without checking the labels again
}

/** Multiclass hinge: max(max_{i != y} p_i - p_y + 1, 0), mean over rows. Zero once the true score beats
 * every other by 1: hinge is to the 0-1 loss what ReLU is to step. */
export function hingeLoss(scores: Tensor, labels: Labels): Tensor {
  const ys = labelIndices("hingeLoss", scores, labels);
  const c = scores.shape[1];
  check(c >= 2, "hingeLoss", () => `needs at least 2 classes, got scores of shape ${fmtShape(scores.shape)}`);
  const correct = pickLabels([scores], ys);
  const wrongOnly = labelMask(ys, c, -Infinity, 0); // the true class never wins the max over wrong ones
  return scores.sub(correct).add(1).add(wrongOnly).max(1).relu().mean();
}

/** log clamped at -100 as PyTorch's BCELoss does, so p = 0 or 1 gives a large finite loss, not NaN. */
const clampedLog = mapFunction("log", (x) => Math.max(Math.log(x), -100), (x, d) => (x > Math.exp(-100) ? d / x : 0));

/** Binary cross-entropy of probabilities p against 0/1 targets: -mean(t log p + (1 - t) log(1 - p)). */
export function binaryCrossEntropy(p: Tensor, target: Tensor): Tensor {
  check(p.dims === target.dims && p.shape.every((d, i) => d === target.shape[i]), "binaryCrossEntropy", () =>
    `probabilities ${fmtShape(p.shape)} and targets ${fmtShape(target.shape)} must have the same shape`);
  const values = p.toFlat();
  check(values.every((v) => v >= 0 && v <= 1), "binaryCrossEntropy", () =>
    "probabilities must lie in [0, 1] (apply sigmoid to raw scores first)");
  const one = (t: Tensor) => t.neg().add(1);
  return target.mul(clampedLog(p)).add(one(target).mul(clampedLog(one(p)))).mean().neg();
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

function checkDistribution(op: string, p: Tensor): void {
  check(p.toFlat().every((v) => v >= 0), op, () => `expects probabilities (>= 0), got a negative value in shape ${fmtShape(p.shape)}`);
}

/** Entropy H(p) = -sum_i p_i log p_i along dim (default the last). */
export function entropy(p: Tensor, dim = -1): Tensor {
  checkDistribution("entropy", p);
  return xlogx(p).sum(normalizeDim(dim, p.dims, "entropy")).neg();
}

/** KL divergence D(p || q) = sum_i p_i log(p_i / q_i) along dim: >= 0, and 0 only when p = q.
 * Argument order as in the lecture (note torch's kl_div takes log q first). */
export function klDivergence(p: Tensor, q: Tensor, dim = -1): Tensor {
  checkDistribution("klDivergence", p);
  checkDistribution("klDivergence", q);
  const d = normalizeDim(dim, Math.max(p.dims, q.dims), "klDivergence");
  return xlogx(p).sub(xlogy(p, q)).sum(d);
}
