/**
 * Losses and information measures (NN basics II): crossEntropy against PyTorch's CrossEntropyLoss
 * definition written out here (and the lecture's printed batch), nllLoss, the lecture's hinge example,
 * binaryCrossEntropy at the edges, entropy, KL divergence and its laws, CE = H + D, the log 2 bound,
 * and the label errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MiniTorchError, Tensor, manualSeed, nn, rand, randn, tensor } from "../src";
import { expectError } from "./support/errors";
import { GoldenCase, expectGolden, golden } from "./support/golden";
import { breakTies, fcOptions, gradCheck, shapes, tensorOf } from "./support/gradcheck";

type Rows = number[][];

const logSumExp = (row: readonly number[]): number => {
  const m = Math.max(...row);
  return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
};

/** torch.nn.CrossEntropyLoss (mean reduction), by its definition: mean_i (logsumexp(x_i) - x_i[y_i]). */
const refCrossEntropy = (scores: Rows, ys: readonly number[]): number =>
  scores.reduce((s, row, i) => s + logSumExp(row) - row[ys[i]], 0) / scores.length;

const rows = (t: Tensor): Rows => t.toArray() as Rows;

/** -0 and +0 are the same answer here; toBe / toEqual would tell them apart. */
const plusZero = (xs: readonly number[]): number[] => xs.map((v) => v + 0);

/** A random distribution over n outcomes (strictly positive entries). */
const distribution = (n: number) =>
  fc.array(fc.double({ min: 1e-3, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((w) => {
    const z = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / z);
  });

describe("crossEntropy", () => {
  // the lecture's PyTorch cell: CrossEntropyLoss of these scores with labels [2, 0, 0, 1] printed 1.0730
  const lectureScores = [
    [0.3275, 0.4101, 0.2624],
    [0.3724, 0.3478, 0.2798],
    [0.2729, 0.4804, 0.2467],
    [0.2259, 0.5482, 0.2259],
  ];
  const lectureLabels = [2, 0, 0, 1];

  it("on the lecture's batch equals the definition, and what PyTorch printed (1.0730)", () => {
    const loss = nn.crossEntropy(tensor(lectureScores), lectureLabels);
    expect(loss.shape).toEqual([]);
    expect(loss.item()).toBeCloseTo(refCrossEntropy(lectureScores, lectureLabels), 14);
    expect(Math.abs(loss.item() - 1.073)).toBeLessThan(5e-5);
  });

  it("labels may be a tensor or a plain array", () => {
    const a = nn.crossEntropy(tensor(lectureScores), lectureLabels).item();
    const b = nn.crossEntropy(tensor(lectureScores), tensor(lectureLabels)).item();
    expect(b).toBe(a);
  });

  it("equals the definition on random batches, including huge scores (no overflow)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(1, 10, 1000),
        (n, c, seed, scale) => {
          manualSeed(seed);
          const scores = randn(n, c).mul(scale);
          const ys = Array.from({ length: n }, (_, i) => (seed + 3 * i) % c);
          const loss = nn.crossEntropy(scores, ys).item();
          const ref = refCrossEntropy(rows(scores), ys);
          expect(Number.isFinite(loss)).toBe(true);
          expect(Math.abs(loss - ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref));
        },
      ),
      { seed: 31, numRuns: 60 },
    );
  });

  it("the gradient wrt the scores is (softmax - onehot) / N", () => {
    manualSeed(4);
    const scores = randn(3, 4).requiresGrad_();
    const ys = [1, 3, 0];
    nn.crossEntropy(scores, ys).backward();
    const g = rows(scores.grad as Tensor);
    rows(scores).forEach((row, i) => {
      const lse = logSumExp(row);
      row.forEach((v, k) => expect(g[i][k]).toBeCloseTo((Math.exp(v - lse) - (k === ys[i] ? 1 : 0)) / 3, 14));
    });
  });

  it("the bound CE >= log(2) * 1[prediction wrong] holds for every example", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(0.1, 1, 5),
        (c, seed, scale) => {
        manualSeed(seed);
        const row = randn(1, c).mul(scale);
        const values = row.toFlat();
        const prediction = values.indexOf(Math.max(...values));
        for (let y = 0; y < c; y++) {
          const ce = nn.crossEntropy(row, [y]).item();
          const wrong = prediction !== y ? 1 : 0;
          expect(ce).toBeGreaterThanOrEqual(Math.LN2 * wrong);
          expect(ce).toBeGreaterThan(0);
        }
      }),
      { seed: 5, numRuns: 80 },
    );
  });
});

describe("nllLoss", () => {
  it("is the mean over rows of -logProbs[i, y_i]", () => {
    const logProbs = [
      [-0.5, -1.5, -2.5],
      [-3, -0.1, -4],
    ];
    expect(nn.nllLoss(tensor(logProbs), [2, 1]).item()).toBeCloseTo((2.5 + 0.1) / 2, 15);
    expect(nn.nllLoss(tensor(logProbs), [0, 0]).item()).toBeCloseTo((0.5 + 3) / 2, 15);
  });

  it("composed with logsoftmax is crossEntropy", () => {
    manualSeed(6);
    const scores = randn(5, 3);
    const ys = [0, 2, 1, 1, 0];
    expect(nn.nllLoss(nn.logsoftmax(scores, 1), ys).item()).toBeCloseTo(refCrossEntropy(rows(scores), ys), 14);
  });

  it("its gradient is -1/N at each row's label and 0 elsewhere", () => {
    const lp = tensor([[-1, -2], [-3, -4], [-5, -6]], { requiresGrad: true });
    nn.nllLoss(lp, [1, 0, 1]).backward();
    const t = -1 / 3;
    expect(plusZero((lp.grad as Tensor).toFlat())).toEqual([0, t, t, 0, 0, t]);
  });
});

describe("hingeLoss", () => {
  it("the lecture's example: p_correct = 0.15, the max wrong score 0.7, loss 0.7 - 0.15 + 1", () => {
    const loss = nn.hingeLoss(tensor([[0.1, 0.15, 0.7, 0.05]]), [1]).item();
    expect(loss).toBeCloseTo(0.7 - 0.15 + 1, 15);
  });

  it("is zero once the true score beats every other by at least 1, positive inside the margin", () => {
    expect(nn.hingeLoss(tensor([[3, 1.5, 2]]), [0]).item()).toBe(0);
    expect(nn.hingeLoss(tensor([[3, 2, 1]]), [0]).item()).toBe(0); // margin exactly 1
    expect(nn.hingeLoss(tensor([[3, 2.25, 1]]), [0]).item()).toBeCloseTo(0.25, 15);
    // the true class may hold the largest score and still pay for a small margin
    expect(nn.hingeLoss(tensor([[0.5, 0.25]]), [0]).item()).toBeCloseTo(0.75, 15);
  });

  it("is the mean over rows of max(max_{i != y} p_i - p_y + 1, 0)", () => {
    manualSeed(8);
    const scores = randn(6, 4);
    const ys = [0, 1, 2, 3, 2, 1];
    const ref =
      rows(scores).reduce((s, row, i) =>
        s + Math.max(Math.max(...row.filter((_, k) => k !== ys[i])) - row[ys[i]] + 1, 0), 0) / 6;
    expect(nn.hingeLoss(scores, ys).item()).toBeCloseTo(ref, 14);
  });

  it("the gradient is +1/N on the largest wrong score and -1/N on the true one, where the loss is positive", () => {
    const scores = tensor([[0.1, 0.15, 0.7, 0.05], [5, 0, 0.5, 0.2]], { requiresGrad: true });
    nn.hingeLoss(scores, [1, 0]).backward(); // row 1 has zero loss: no gradient
    expect(plusZero((scores.grad as Tensor).toFlat())).toEqual([0, -0.5, 0.5, 0, 0, 0, 0, 0]);
  });

  it("needs at least two classes", () => {
    expect(() => nn.hingeLoss(tensor([[1], [2]]), [0, 0])).toThrow(/^hingeLoss: needs at least 2 classes.*\[2,1\]/);
  });
});

describe("binaryCrossEntropy", () => {
  it("is -mean(t log p + (1 - t) log(1 - p))", () => {
    const p = [0.9, 0.2, 0.6, 0.01];
    const t = [1, 0, 0, 1];
    const ref = -p.reduce((s, pi, i) => s + t[i] * Math.log(pi) + (1 - t[i]) * Math.log(1 - pi), 0) / 4;
    expect(nn.binaryCrossEntropy(tensor(p), tensor(t)).item()).toBeCloseTo(ref, 14);
    // soft targets too, on a 2-D batch
    const p2 = [[0.3, 0.8], [0.5, 0.99]];
    const t2 = [[0.25, 1], [0.5, 0]];
    const ref2 = -p2.flat().reduce((s, pi, i) =>
      s + t2.flat()[i] * Math.log(pi) + (1 - t2.flat()[i]) * Math.log(1 - pi), 0) / 4;
    expect(nn.binaryCrossEntropy(tensor(p2), tensor(t2)).item()).toBeCloseTo(ref2, 14);
  });

  it("is finite at p = 0 and p = 1: log is clamped at -100 as in PyTorch's BCELoss", () => {
    expect(nn.binaryCrossEntropy(tensor([1, 0]), tensor([1, 0])).item() + 0).toBe(0);
    expect(nn.binaryCrossEntropy(tensor([0]), tensor([1])).item()).toBe(100);
    expect(nn.binaryCrossEntropy(tensor([1]), tensor([0])).item()).toBe(100);
    expect(nn.binaryCrossEntropy(tensor([0, 1, 0.5]), tensor([1, 0, 1])).item()).toBeCloseTo((200 + Math.LN2) / 3, 13);
  });

  it("its gradient is finite at p = 0 and p = 1, and -(t/p - (1-t)/(1-p))/N inside", () => {
    const p = tensor([0, 1, 0, 1, 0.25, 0.8], { requiresGrad: true });
    const t = [1, 0, 0, 1, 1, 0];
    nn.binaryCrossEntropy(p, tensor(t)).backward();
    const g = (p.grad as Tensor).toFlat();
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g[4]).toBeCloseTo(-(1 / 0.25) / 6, 14);
    expect(g[5]).toBeCloseTo(1 / (1 - 0.8) / 6, 13);
  });

  it("rejects mismatched shapes and probabilities outside [0, 1]", () => {
    expect(() => nn.binaryCrossEntropy(tensor([0.5, 0.5]), tensor([[1, 0]]))).toThrow(
      /^binaryCrossEntropy: probabilities \[2\] and targets \[1,2\] must have the same shape/,
    );
    expect(() => nn.binaryCrossEntropy(tensor([1.5]), tensor([1])))
      .toThrow(/^binaryCrossEntropy: probabilities must lie in \[0, 1\]/);
    expect(() => nn.binaryCrossEntropy(tensor([-0.1]), tensor([1]))).toThrow(MiniTorchError);
  });
});

describe("entropy and KL divergence", () => {
  it("entropy of the uniform distribution over n outcomes is log n; of a one-hot, 0", () => {
    for (const n of [1, 2, 3, 10, 100]) {
      expect(nn.entropy(tensor(Array(n).fill(1 / n))).item()).toBeCloseTo(Math.log(n), 13);
      const oneHot = Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0));
      expect(nn.entropy(tensor(oneHot)).item() + 0).toBe(0);
    }
  });

  it("entropy = -sum p log p along the given dim", () => {
    const p = [
      [0.5, 0.25, 0.25],
      [0.1, 0.6, 0.3],
    ];
    const h = (xs: number[]) => -xs.reduce((s, v) => s + v * Math.log(v), 0);
    const byRow = nn.entropy(tensor(p)).toFlat();
    expect(byRow[0]).toBeCloseTo(h(p[0]), 15);
    expect(byRow[1]).toBeCloseTo(h(p[1]), 15);
    expect(nn.entropy(tensor(p), 1).toFlat()).toEqual(byRow);
    const byCol = nn.entropy(tensor(p), 0).toFlat();
    [0, 1, 2].forEach((k) => expect(byCol[k]).toBeCloseTo(h([p[0][k], p[1][k]]), 15));
  });

  it("KL(p || q) = sum p log(p / q), by hand", () => {
    const p = [0.5, 0.3, 0.2];
    const q = [0.2, 0.2, 0.6];
    const ref = p.reduce((s, v, i) => s + v * Math.log(v / q[i]), 0);
    expect(nn.klDivergence(tensor(p), tensor(q)).item()).toBeCloseTo(ref, 15);
  });

  it("law: KL >= 0 over random distributions, and = 0 when p = q", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(distribution(n), distribution(n))),
        ([p, q]) => {
          expect(nn.klDivergence(tensor(p), tensor(q)).item()).toBeGreaterThanOrEqual(-1e-15);
          expect(Math.abs(nn.klDivergence(tensor(p), tensor(p)).item())).toBeLessThan(1e-15);
        },
      ),
      { seed: 11, numRuns: 150 },
    );
  });

  it("KL = 0 only if p = q: a different q gives a strictly positive value", () => {
    fc.assert(
      fc.property(distribution(5), fc.integer({ min: 0, max: 4 }), fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        (p, k, eps) => {
        // move mass eps * p_j from every j != k to k: q != p
        const q = p.map((v, j) => (j === k ? v + eps * (1 - v) : v * (1 - eps)));
        expect(nn.klDivergence(tensor(p), tensor(q)).item()).toBeGreaterThan(0);
      }),
      { seed: 12, numRuns: 100 },
    );
  });

  it("KL(p || p) = 0 also when p has zero entries (0 log 0 = 0); zero-probability outcomes of p add nothing", () => {
    const p = tensor([0, 0.5, 0, 0.5]);
    expect(nn.klDivergence(p, p).item() + 0).toBe(0);
    const rowsPQ = [[1, 0, 0], [0, 0.25, 0.75]];
    expect(plusZero(nn.klDivergence(tensor(rowsPQ), tensor(rowsPQ)).toFlat())).toEqual([0, 0]);
    // p_i = 0 where q_i = 0: that term is 0, the rest is the usual sum
    const kl = nn.klDivergence(tensor([0, 0.5, 0.5]), tensor([0, 0.25, 0.75])).item();
    expect(kl).toBeCloseTo(0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75), 15);
  });

  it("KL is infinite where q = 0 but p > 0 (q cannot explain an outcome p sees)", () => {
    expect(nn.klDivergence(tensor([0.5, 0.5]), tensor([1, 0])).item()).toBe(Infinity);
  });

  it("its gradients are finite with zero entries, and log(p/q) + 1 wrt p, -p/q wrt q inside", () => {
    const p = tensor([0, 0.5, 0.2, 0.3], { requiresGrad: true });
    const q = tensor([0, 0.25, 0.25, 0.5], { requiresGrad: true });
    nn.klDivergence(p, q).backward();
    const [gp, gq] = [(p.grad as Tensor).toFlat(), (q.grad as Tensor).toFlat()];
    expect(gp.every(Number.isFinite)).toBe(true);
    expect(gq.every(Number.isFinite)).toBe(true);
    [1, 2, 3].forEach((i) => {
      const [pi, qi] = [p.get(i), q.get(i)];
      expect(gp[i]).toBeCloseTo(Math.log(pi / qi) + 1, 14);
      expect(gq[i]).toBeCloseTo(-pi / qi, 14);
    });
  });

  it("rejects negative probabilities", () => {
    expect(() => nn.entropy(tensor([0.5, -0.1, 0.6]))).toThrow(/^entropy: expects probabilities \(>= 0\)/);
    expect(() => nn.klDivergence(tensor([0.5, 0.5]), tensor([1.5, -0.5])))
      .toThrow(/^klDivergence: expects probabilities/);
  });
});

describe("cross-entropy = H(y) + D(y || p)", () => {
  it("for soft targets y, -sum y log p = entropy(y) + klDivergence(y, p), row by row", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(distribution(n), distribution(n))), ([y, p]) => {
        const ce = -y.reduce((s, v, i) => s + v * Math.log(p[i]), 0);
        const sum = nn.entropy(tensor(y)).add(nn.klDivergence(tensor(y), tensor(p))).item();
        expect(Math.abs(sum - ce)).toBeLessThan(1e-12 * Math.max(1, ce));
      }),
      { seed: 13, numRuns: 100 },
    );
  });

  it("for one-hot y, H(y) = 0 and crossEntropy(scores, labels) = mean D(y || softmax(scores))", () => {
    manualSeed(14);
    const scores = randn(4, 5);
    const ys = [4, 0, 2, 2];
    const oneHot = tensor(ys.map((y) => Array.from({ length: 5 }, (_, k) => (k === y ? 1 : 0))));
    expect(plusZero(nn.entropy(oneHot).toFlat())).toEqual([0, 0, 0, 0]);
    const kl = nn.klDivergence(oneHot, nn.softmax(scores, 1)).mean().item();
    expect(nn.crossEntropy(scores, ys).item()).toBeCloseTo(kl, 13);
  });
});

describe("gradient checks of every loss wrt its scores / probabilities", () => {
  /** Scores [N, C] and N labels in range. */
  const batch = fc
    .record({ n: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 2, max: 6 }) })
    .chain(({ n, c }) =>
      fc.tuple(tensorOf([n, c]), fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n })));

  it("crossEntropy and nllLoss", () => {
    fc.assert(
      fc.property(batch, ([scores, ys]) => {
        gradCheck((s) => nn.crossEntropy(s, ys), [scores]);
        gradCheck((s) => nn.nllLoss(s, ys), [scores]);
        gradCheck((s) => nn.nllLoss(nn.logsoftmax(s, 1), ys), [scores]);
      }),
      fcOptions(40, 701),
    );
  });

  it("hingeLoss, away from its kinks (ties among wrong scores, margin exactly 1)", () => {
    fc.assert(
      fc.property(batch, ([raw, ys]) => {
        const scores = breakTies(raw.mul(0.4)); // values within ~2 of each other: many rows inside the margin
        const margins = rows(scores).map((row, i) => Math.max(...row.filter((_, k) => k !== ys[i])) - row[ys[i]] + 1);
        fc.pre(margins.every((m) => Math.abs(m) > 1e-3));
        gradCheck((s) => nn.hingeLoss(s, ys), [scores]);
      }),
      fcOptions(60, 702),
    );
  });

  it("binaryCrossEntropy wrt probabilities and targets", () => {
    fc.assert(
      fc.property(
        shapes(3, 4).chain((shape) =>
          fc.tuple(tensorOf(shape, { min: 0.02, max: 0.98 }), tensorOf(shape, { min: 0, max: 1 }))),
        ([p, t]) => {
          gradCheck((a, b) => nn.binaryCrossEntropy(a, b), [p, t]);
        },
      ),
      fcOptions(40, 703),
    );
  });

  it("entropy and klDivergence along random dims, wrt p and q", () => {
    fc.assert(
      fc.property(
        shapes(3, 4).chain((shape) =>
          fc.tuple(
            tensorOf(shape, { min: 0.02, max: 1 }),
            tensorOf(shape, { min: 0.02, max: 1 }),
            fc.integer({ min: -shape.length, max: shape.length - 1 }),
          ),
        ),
        ([p, q, dim]) => {
          gradCheck((a) => nn.entropy(a, dim), [p]);
          gradCheck((a, b) => nn.klDivergence(a, b, dim), [p, q]);
        },
      ),
      fcOptions(40, 704),
    );
  });
});

describe("label errors", () => {
  const scores = tensor([
    [0.1, 0.2, 0.7],
    [0.3, 0.3, 0.4],
  ]);
  const losses = [
    ["crossEntropy", nn.crossEntropy],
    ["nllLoss", nn.nllLoss],
    ["hingeLoss", nn.hingeLoss],
  ] as const;

  it("labels out of range name the op, the label and the valid range", () => {
    for (const [name, loss] of losses) {
      expect(() => loss(scores, [0, 3])).toThrow(MiniTorchError);
      expect(() => loss(scores, [0, 3])).toThrow(`${name}: label 1 is 3; labels must be class indices 0..2`);
      expect(() => loss(scores, [-1, 0])).toThrow(`${name}: label 0 is -1; labels must be class indices 0..2`);
      expect(() => loss(scores, [0.5, 0])).toThrow(`${name}: label 0 is 0.5`);
    }
  });

  it("NaN labels say so", () => {
    for (const [name, loss] of losses) {
      expect(() => loss(scores, [1, Number.NaN])).toThrow(new RegExp(`^${name}: label 1 is NaN.*NaN`));
      expect(() => loss(scores, tensor([Number.NaN, 0]))).toThrow(/NaN label/);
    }
  });

  it("a wrong number of labels (or labels that are not 1-D) names both shapes", () => {
    for (const [name, loss] of losses) {
      expect(() => loss(scores, [0, 1, 2]))
        .toThrow(`${name}: expected 2 labels (one per row of scores [2,3]), got labels of shape [3]`);
      expect(() => loss(scores, tensor([[0], [1]])))
        .toThrow(`${name}: expected 2 labels (one per row of scores [2,3]), got labels of shape [2,1]`);
    }
  });

  it("scores that are not 2-D", () => {
    for (const [name, loss] of losses) {
      expect(() => loss(tensor([0.1, 0.9]), [1]))
        .toThrow(`${name}: scores must be 2-D [batch, classes], got shape [2]`);
      expect(() => loss(rand(2, 3, 4), [1, 0]))
        .toThrow(`${name}: scores must be 2-D [batch, classes], got shape [2,3,4]`);
    }
  });
});

describe("nllLoss with impossible classes", () => {
  it("a -Infinity log-probability in another class does not make the loss NaN", () => {
    const logProbs = tensor([[-Infinity, 0]], { requiresGrad: true });
    const loss = nn.nllLoss(logProbs, [1]);
    expect(Math.abs(loss.item())).toBe(0);
    loss.backward();
    expect(logProbs.grad?.toFlat().map((g) => g + 0)).toEqual([0, -1]); // + 0 folds -0 into 0
  });
});

interface GoldenLoss extends GoldenCase {
  labels?: number[];
}

describe("every loss and reduction against PyTorch (test/golden/nn-train.json)", () => {
  const cases = golden<Record<string, GoldenLoss>>("losses");
  type Loss = (inputs: Tensor[], labels: number[], options: nn.LossOptions) => Tensor;
  const losses: Record<string, Loss> = {
    crossEntropy: ([s], ys, o) => nn.crossEntropy(s, ys, o),
    nllLoss: ([s], ys, o) => nn.nllLoss(s, ys, o),
    hingeLoss: ([s], ys, o) => nn.hingeLoss(s, ys, o),
    mseLoss: ([a, b], _, o) => nn.mseLoss(a, b, o),
    binaryCrossEntropy: ([a, b], _, o) => nn.binaryCrossEntropy(a, b, o),
    binaryCrossEntropyWithLogits: ([a, b], _, o) => nn.binaryCrossEntropyWithLogits(a, b, o),
    entropy: ([p], _, o) => nn.entropy(p, -1, o),
    klDivergence: ([p, q], _, o) => nn.klDivergence(p, q, -1, o),
  };

  it("covers every loss with each reduction", () => {
    const names = Object.keys(cases);
    for (const loss of Object.keys(losses))
      for (const r of ["mean", "sum", "none"]) expect(names).toContain(`${loss}/${r}`);
  });

  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: value and gradients`, () => {
      const parts = name.split("/");
      const reduction = parts[parts.length - 1] as nn.Reduction;
      // at p = 0 or 1 PyTorch divides by its EPSILON 1e-12 stored as a float32 (9.99999996e-13): 4e-9 apart
      const gradRtol = name.includes("edges") ? 1e-8 : 1e-12;
      expectGolden(c, (...inputs) => losses[parts[0]](inputs, c.labels ?? [], { reduction }), { gradRtol });
    });
  }
});

describe("reduction", () => {
  const scores = tensor([[1, 2, 3], [0, -1, 4]]);

  it("none keeps one loss per example; sum and mean reduce them", () => {
    const none = nn.crossEntropy(scores, [2, 0], { reduction: "none" });
    expect(none.shape).toEqual([2]);
    const [a, b] = none.toFlat();
    expect(nn.crossEntropy(scores, [2, 0], { reduction: "sum" }).item()).toBeCloseTo(a + b, 14);
    expect(nn.crossEntropy(scores, [2, 0]).item()).toBeCloseTo((a + b) / 2, 14);
    expect(nn.mseLoss(scores, scores.mul(0), { reduction: "none" }).shape).toEqual([2, 3]);
    expect(nn.entropy(tensor([[0.5, 0.5], [1, 0]])).shape).toEqual([2]); // information measures default to "none"
  });

  it("an unknown reduction or option is an error naming the op and what came", () => {
    const t = tensor([0.5, 0.5]);
    const calls: [string, (o: unknown) => unknown][] = [
      ["crossEntropy", (o) => nn.crossEntropy(scores, [2, 0], o as nn.LossOptions)],
      ["nllLoss", (o) => nn.nllLoss(scores, [2, 0], o as nn.LossOptions)],
      ["hingeLoss", (o) => nn.hingeLoss(scores, [2, 0], o as nn.LossOptions)],
      ["mseLoss", (o) => nn.mseLoss(t, t, o as nn.LossOptions)],
      ["binaryCrossEntropy", (o) => nn.binaryCrossEntropy(t, t, o as nn.LossOptions)],
      ["binaryCrossEntropyWithLogits", (o) => nn.binaryCrossEntropyWithLogits(t, t, o as nn.LossOptions)],
      ["entropy", (o) => nn.entropy(t, -1, o as nn.LossOptions)],
      ["klDivergence", (o) => nn.klDivergence(t, t, -1, o as nn.LossOptions)],
    ];
    for (const [name, call] of calls) {
      expectError(() => call({ reduction: "avg" }),
        `${name}: reduction must be "mean", "sum" or "none", got a string "avg"`);
      expectError(() => call({ reduction: "batchmean" }), `${name}: reduction`, "batchmean");
      expectError(() => call({ reduce: "sum" }), `${name}: unknown option reduce (known: reduction)`);
      expectError(() => call("sum"), `${name}: options must be an object`, `a string "sum"`);
    }
  });
});

describe("mseLoss and binaryCrossEntropyWithLogits", () => {
  it("mseLoss is mean((x - y)^2)", () => {
    expect(nn.mseLoss(tensor([1, 2, 3]), tensor([1, 0, 6])).item()).toBeCloseTo((0 + 4 + 9) / 3, 14);
  });

  it("BCE with logits equals BCE of the sigmoid where that is exact, and stays exact where it is not", () => {
    const x = tensor([-3, -0.5, 0, 2]);
    const t = tensor([0, 1, 0.25, 1]);
    expect(nn.binaryCrossEntropyWithLogits(x, t).item()).toBeCloseTo(nn.binaryCrossEntropy(x.sigmoid(), t).item(), 13);
    // sigmoid(40) rounds to 1 and BCE clamps log(0) at -100; from the logit the loss is exactly 40
    expect(nn.binaryCrossEntropy(tensor([40]).sigmoid(), tensor([0])).item()).toBe(100);
    expect(nn.binaryCrossEntropyWithLogits(tensor([40]), tensor([0])).item()).toBe(40);
    const huge = tensor([-1e308, 1e308], { requiresGrad: true });
    const loss = nn.binaryCrossEntropyWithLogits(huge, tensor([1, 0]), { reduction: "sum" });
    expect(loss.item()).toBe(Infinity); // 1e308 + 1e308 overflows, as in PyTorch; never NaN
    loss.backward();
    expect(huge.grad?.toFlat()).toEqual([-1, 1]);
  });

  it("gradients wrt both arguments match central differences, over random shapes and values", () => {
    fc.assert(
      fc.property(
        shapes(3, 4).chain((s) =>
          fc.tuple(tensorOf(s), tensorOf(s, { min: -8, max: 8 }), tensorOf(s, { min: 0, max: 1 }))),
        ([a, logits, t]) => {
          for (const reduction of ["mean", "sum", "none"] as const) {
            gradCheck((x, y) => nn.mseLoss(x, y, { reduction }), [a, t]);
            gradCheck((x, y) => nn.binaryCrossEntropyWithLogits(x, y, { reduction }), [logits, t]);
          }
        }),
      fcOptions(30, 705),
    );
  });

  it("the reductions of the other losses are gradient-checked too", () => {
    fc.assert(
      fc.property(
        fc.record({ n: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 2, max: 5 }) }).chain(({ n, c }) =>
          fc.tuple(tensorOf([n, c]), fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
            tensorOf([n, c], { min: 0.05, max: 0.95 }), tensorOf([n, c], { min: 0.05, max: 1 }))),
        ([s, ys, p, q]) => {
          for (const reduction of ["sum", "none"] as const) {
            gradCheck((x) => nn.crossEntropy(x, ys, { reduction }), [s]);
            gradCheck((x) => nn.nllLoss(x, ys, { reduction }), [s]);
            gradCheck((x, y) => nn.binaryCrossEntropy(x, y, { reduction }), [p, p.mul(0.5)]);
            gradCheck((x, y) => nn.klDivergence(x, y, 1, { reduction }), [q, p]);
            gradCheck((x) => nn.entropy(x, 0, { reduction: reduction === "sum" ? "mean" : reduction }), [q]);
          }
        }),
      fcOptions(20, 706),
    );
  });
});

describe("bad input to losses", () => {
  it("a plain array where a Tensor is required names the op, the argument and what came", () => {
    expectError(() => nn.crossEntropy([[1, 2]] as unknown as Tensor, [0]),
      "crossEntropy: expected a Tensor for scores, got an array [[...]]; wrap it with tensor([...])");
    expectError(() => nn.mseLoss(tensor([1]), [1] as unknown as Tensor),
      "mseLoss: expected a Tensor for target, got an array [1]");
    expectError(() => nn.binaryCrossEntropyWithLogits(0.5 as unknown as Tensor, tensor([1])),
      "binaryCrossEntropyWithLogits: expected a Tensor for logits, got the number 0.5");
    expectError(() => nn.klDivergence(tensor([1]), undefined as unknown as Tensor),
      "klDivergence: expected a Tensor for q, got undefined");
    expectError(() => nn.nllLoss(tensor([[0, 0]]), 1 as unknown as number[]),
      "nllLoss: labels must be a Tensor or an array of class indices, got the number 1");
  });

  it("elementwise losses do not broadcast: different shapes are an error naming both", () => {
    expectError(() => nn.mseLoss(tensor([[1, 2]]), tensor([1, 2])),
      "mseLoss: input [1,2] and target [2] must have the same shape");
    expectError(() => nn.binaryCrossEntropyWithLogits(tensor([1, 2]), tensor([1])),
      "binaryCrossEntropyWithLogits: logits [2] and targets [1] must have the same shape");
  });

  it("klDivergence broadcasts p against q as PyTorch's kl_div; shapes that do not broadcast name the op", () => {
    expect(nn.klDivergence(tensor([[0.5, 0.5], [0.25, 0.75]]), tensor([0.5, 0.5])).shape).toEqual([2]);
    expectError(() => nn.klDivergence(tensor([[0.5, 0.5]]), tensor([[0.2, 0.3, 0.5]])),
      "klDivergence: shapes [1,2] and [1,3] do not broadcast");
  });
});
