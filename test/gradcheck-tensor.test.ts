/**
 * Central-difference gradient checks of every differentiable Tensor op (property-based, seeded): unary
 * maps, broadcasting binary ops, sum / mean / max over each dim and over all, batched broadcast matmul,
 * the shape ops, and compositions. Every index of every input is checked (test/support/gradcheck.ts), with
 * a random weighting of the output so mis-routed gradients cannot cancel out. Inputs are often permuted
 * (non-contiguous) views, so the kernels' strided paths are differentiated too.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Tensor, TensorData, backend, defineFunction, fromStorage, tensor } from "../src";
import {
  anyTensor,
  breakTies,
  broadcastablePair,
  fcOptions,
  gradCheck,
  permutationOf,
  shapes,
  tensorOf,
  ValueRange,
} from "./support/gradcheck";

const RUNS = 30;

/** A tensor of random shape, seen through a random permutation of its dims (usually non-contiguous). */
function permutedTensor(maxDims = 3, maxSize = 4, range: ValueRange = {}, minDims = 1): fc.Arbitrary<Tensor> {
  return anyTensor(maxDims, maxSize, range, minDims).chain((t) => permutationOf(t.dims).map((p) => t.permute(...p)));
}

/** Runs gradCheck(f, inputs) for every generated input list. */
function check(arb: fc.Arbitrary<Tensor[]>, f: (...xs: Tensor[]) => Tensor, numRuns = RUNS): void {
  fc.assert(
    fc.property(arb, (inputs) => {
      gradCheck(f, inputs);
    }),
    fcOptions(numRuns),
  );
}

const one = (arb: fc.Arbitrary<Tensor>): fc.Arbitrary<Tensor[]> => arb.map((t) => [t]);

/** An identity op whose backward is deliberately given, to show what gradCheck catches. */
function identityWithBackward(backward: (g: Tensor) => Tensor): (x: Tensor) => Tensor {
  const apply = defineFunction({
    name: "testIdentity",
    forward: (_ctx, [a]: [Tensor]) => backend().map((v) => v, a.data),
    backward: (_ctx, g) => [backward(g)],
  });
  return (x) => apply([x]);
}

describe("gradCheck itself", () => {
  it("passes a correct derivative and returns the analytic gradients", () => {
    const x = tensor([1, -2, 3]);
    const [g] = gradCheck((t) => t.mul(t), [x], { weights: "sum" });
    expect(g.toFlat()).toEqual([2, -4, 6]);
  });

  it("catches a wrong derivative, naming the input, the index and both values", () => {
    const square = defineFunction({
      name: "badSquare",
      forward: (_ctx, [a]: [Tensor]) => backend().map((v) => v * v, a.data),
      backward: (_ctx, g) => [g], // forgot the 2x
    });
    expect(() => gradCheck((t) => square([t]), [tensor([[1, 2], [3, 4]])])).toThrow(
      /input 0 \(shape \[2,2\]\) at index \[0,0\].*analytic .* vs numeric /,
    );
  });

  it("names the one wrong index, and the right input number", () => {
    const mask = tensor([[1, 1, 1], [1, 1, 0]]);
    const leaky = identityWithBackward((g) => g.mul(mask)); // drops the gradient of element [1,2]
    let msg = "";
    try {
      gradCheck((x, y) => x.add(leaky(y)), [tensor([[1, 2, 3], [4, 5, 6]]), tensor([[1, 2, 3], [4, 5, 6]])]);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain("1 gradient entry");
    expect(msg).toContain("input 1 (shape [2,3]) at index [1,2]");
    expect(msg).not.toContain("input 0");
  });

  it("the random weighting catches a transposed gradient that a plain sum cannot see", () => {
    const x = tensor([[1, 2], [3, 4]]);
    const transposing = identityWithBackward((g) => g.T().contiguous());
    // with w = 1 everywhere, the transposed gradient is still all ones: the bug hides
    expect(() => gradCheck(transposing, [x], { weights: "sum" })).not.toThrow();
    expect(() => gradCheck(transposing, [x])).toThrow(/gradCheck/);
  });

  it("leaves the caller's tensors untouched (values, layout, grad) and keeps permuted layouts", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const p = x.detach().T();
    gradCheck(
      (t) => {
        expect(t.isContiguous()).toBe(false);
        return t.exp();
      },
      [p],
    );
    gradCheck((t) => t.mul(t), [x]);
    expect(x.toFlat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(x.grad).toBeNull();
    expect(p.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it("breakTies makes values pairwise at least gap apart and keeps their order", () => {
    fc.assert(
      fc.property(anyTensor(3, 4, { min: -2, max: 2 }), (t) => {
        const b = breakTies(t, 1e-3).toFlat();
        const v = t.toFlat();
        const sorted = [...b].sort((x, y) => x - y);
        const gap = 1e-3 * (1 - 1e-9);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(gap);
        for (let i = 0; i < v.length; i++)
          for (let j = 0; j < v.length; j++) if (v[i] < v[j]) expect(b[i]).toBeLessThan(b[j]);
      }),
      fcOptions(50),
    );
    expect(breakTies(tensor([2, 2, 1]), 0.5).toFlat()).toEqual([2, 2.5, 1]);
  });
});

describe("unary ops", () => {
  it("neg", () => check(one(permutedTensor()), (x) => x.neg()));
  it("exp", () => check(one(permutedTensor(3, 4, { min: -3, max: 3 })), (x) => x.exp()));
  it("log (positive inputs)", () => check(one(permutedTensor(3, 4, { min: 0.1, max: 5 })), (x) => x.log()));
  it("sigmoid", () => check(one(permutedTensor(3, 4, { min: -6, max: 6 })), (x) => x.sigmoid()));
  it("relu (values kept 1e-3 away from the kink at 0)", () =>
    check(one(permutedTensor(3, 4, { min: -3, max: 3, minAbs: 1e-3 })), (x) => x.relu()));

  it("pow by integer exponents on any sign, fractional and negative exponents on positive inputs", () => {
    for (const n of [2, 3, 1]) check(one(permutedTensor(3, 4, { min: -3, max: 3 })), (x) => x.pow(n), 15);
    for (const n of [0.5, -1, 1.5, -2.5]) check(one(permutedTensor(3, 4, { min: 0.2, max: 4 })), (x) => x.pow(n), 15);
  });
});

describe("binary ops with broadcasting", () => {
  const pairs = (rb: ValueRange = {}): fc.Arbitrary<Tensor[]> =>
    broadcastablePair(3, 3).chain(([sa, sb]) =>
      fc.tuple(tensorOf(sa, { min: -3, max: 3 }), tensorOf(sb, { min: -3, max: 3, ...rb })),
    );

  it("add", () => check(pairs(), (a, b) => a.add(b)));
  it("sub", () => check(pairs(), (a, b) => a.sub(b)));
  it("mul", () => check(pairs(), (a, b) => a.mul(b)));
  it("div (denominators at least 0.5 from 0)", () => check(pairs({ minAbs: 0.5 }), (a, b) => a.div(b)));

  it("the same in the other order, with a permuted operand", () => {
    const arb = fc
      .tuple(permutedTensor(3, 3, { min: -3, max: 3 }), fc.boolean())
      .chain(([t, lastOnly]) => {
        const s = lastOnly ? t.shape.slice(-1) : t.shape.map((d, i) => (i % 2 === 0 ? 1 : d));
        return fc.tuple(fc.constant(t), tensorOf(s, { min: 0.5, max: 3 }));
      });
    check(arb, (a, b) => b.sub(a).mul(b).div(a.mul(a).add(b)));
  });

  it("with a number operand", () => {
    check(one(permutedTensor(3, 4, { min: -3, max: 3 })), (x) => x.add(2).mul(-1.5).sub(0.25).div(3));
  });

  it("a leaf used on both sides: x * x, x / x", () => {
    check(one(permutedTensor(3, 4, { min: 0.5, max: 3 })), (x) => x.mul(x).add(x.div(x.add(1))));
  });
});

describe("reductions", () => {
  /** A tensor (a permuted view), a valid dim of it (negative about half the time) and keepdim. */
  const withDim = (range: ValueRange = {}) =>
    fc
      .tuple(anyTensor(3, 4, range), fc.integer({ min: -3, max: 2 }), fc.boolean())
      .chain(([t, d, keep]) => permutationOf(t.dims).map((p) => ({ t, p, d, keep })))
      .map(({ t, p, d, keep }) => {
        const dim = (((d % t.dims) + t.dims) % t.dims) - (d < 0 ? t.dims : 0);
        return { t: t.permute(...p), p, base: t, dim, keep };
      });

  it("sum over each dim (keepdim or not) and over all", () => {
    fc.assert(
      fc.property(withDim(), ({ t, dim, keep }) => {
        gradCheck((x) => x.sum(dim, keep), [t]);
        gradCheck((x) => x.sum(), [t]);
      }),
      fcOptions(RUNS),
    );
  });

  it("mean over each dim (keepdim or not) and over all", () => {
    fc.assert(
      fc.property(withDim(), ({ t, dim, keep }) => {
        gradCheck((x) => x.mean(dim, keep), [t]);
        gradCheck((x) => x.mean(undefined, keep), [t]);
      }),
      fcOptions(RUNS),
    );
  });

  it("max over each dim and over all, with ties broken (gap 1e-3 >> h)", () => {
    fc.assert(
      fc.property(withDim({ min: -2, max: 2 }), ({ base, p, dim, keep }) => {
        const u = breakTies(base).permute(...p); // distinct values, non-contiguous layout
        gradCheck((x) => x.max(dim, keep), [u]);
        gradCheck((x) => x.max(), [u]);
      }),
      fcOptions(RUNS),
    );
  });

  it("max sends the gradient only to the argmax of each lane", () => {
    fc.assert(
      fc.property(withDim({ min: -2, max: 2 }), ({ t, dim }) => {
        const u = breakTies(t); // contiguous, so its flat values are in the order the naive loop reads
        const [g] = gradCheck((x) => x.max(dim), [u], { weights: "sum" });
        // naive: for every lane along dim, 1 at its largest value, 0 elsewhere
        const d = dim < 0 ? dim + u.dims : dim;
        const vals = u.toFlat();
        const inner = u.shape.slice(d + 1).reduce((a, b) => a * b, 1);
        const outer = u.shape.slice(0, d).reduce((a, b) => a * b, 1);
        const n = u.shape[d];
        const expected = new Array<number>(vals.length).fill(0);
        for (let o = 0; o < outer; o++)
          for (let i = 0; i < inner; i++) {
            const lane = Array.from({ length: n }, (_, k) => o * n * inner + k * inner + i);
            const best = lane.reduce((bst, p) => (vals[p] > vals[bst] ? p : bst), lane[0]);
            expected[best] = 1;
          }
        expect(g.toFlat()).toEqual(expected);
        // over all elements: a single 1 at the global max
        const [gAll] = gradCheck((x) => x.max(), [u], { weights: "sum" });
        const top = vals.indexOf(Math.max(...vals));
        expect(gAll.toFlat()).toEqual(vals.map((_, i) => (i === top ? 1 : 0)));
      }),
      fcOptions(RUNS),
    );
  });

  it("max with exact ties sends the whole gradient to the first max (hand example)", () => {
    const x = tensor([[3, 1, 3], [2, 2, 0]], { requiresGrad: true });
    x.max(1).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 0, 0], [1, 0, 0]]);
    const y = tensor([5, 5, 5], { requiresGrad: true });
    y.max().backward();
    expect(y.grad!.toFlat()).toEqual([1, 0, 0]);
  });
});

describe("matmul", () => {
  /** Operands [...ba, n, m] and [...bb, m, p] with broadcastable batches; each possibly a transposed view. */
  const operands = fc
    .tuple(
      broadcastablePair(2, 2),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      fc.boolean(),
    )
    .chain(([[ba, bb], n, m, p, ta, tb]) =>
      fc.tuple(
        tensorOf(ta ? [...ba, m, n] : [...ba, n, m]).map((t) => (ta ? t.transpose() : t)),
        tensorOf(tb ? [...bb, p, m] : [...bb, m, p]).map((t) => (tb ? t.transpose() : t)),
      ),
    );

  it("batched, broadcast batch dims, transposed operands", () => check(operands, (a, b) => a.matmul(b)));

  it("1-D operands: vector @ batch, batch @ vector, vector @ vector", () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
      .chain(([batch, m, p]) =>
        fc.tuple(tensorOf([m]), tensorOf([batch, m, p]), tensorOf([batch, p, m]), tensorOf([m])));
    fc.assert(
      fc.property(arb, ([v, bm, bt, w]) => {
        gradCheck((x, y) => x.matmul(y), [v, bm]);
        gradCheck((x, y) => x.matmul(y), [bt, v]);
        gradCheck((x, y) => x.matmul(y), [v, w]);
      }),
      fcOptions(RUNS),
    );
  });
});

describe("shape ops", () => {
  it("view to 1-D, to the reversed shape, and with -1", () => {
    fc.assert(
      fc.property(anyTensor(3, 4), (t) => {
        gradCheck((x) => x.view(-1), [t]);
        gradCheck((x) => x.view(...[...t.shape].reverse()), [t]);
        gradCheck((x) => x.view(t.shape[0], -1), [t]);
      }),
      fcOptions(RUNS),
    );
  });

  it("permute by a random permutation", () => {
    const arb = anyTensor(4, 3).chain((t) => fc.tuple(fc.constant(t), permutationOf(t.dims)));
    fc.assert(
      fc.property(arb, ([t, p]) => {
        gradCheck((x) => x.permute(...p), [t]);
      }),
      fcOptions(RUNS),
    );
  });

  it("transpose of random dim pairs, and T", () => {
    const arb = anyTensor(4, 3, {}, 2).chain((t) => {
      const dim = fc.integer({ min: -t.dims, max: t.dims - 1 });
      return fc.tuple(fc.constant(t), dim, dim);
    });
    fc.assert(
      fc.property(arb, ([t, d0, d1]) => {
        gradCheck((x) => x.transpose(d0, d1), [t]);
        gradCheck((x) => x.T(), [t]);
      }),
      fcOptions(RUNS),
    );
  });

  it("contiguous of a permuted tensor, then view", () => {
    check(one(permutedTensor(3, 4)), (x) => x.contiguous().view(-1));
  });

  it("unsqueeze at every position", () => {
    const arb = permutedTensor(3, 3).chain((t) =>
      fc.tuple(fc.constant(t), fc.integer({ min: -(t.dims + 1), max: t.dims })));
    fc.assert(
      fc.property(arb, ([t, d]) => {
        gradCheck((x) => x.unsqueeze(d), [t]);
      }),
      fcOptions(RUNS),
    );
  });
});

describe("compositions", () => {
  it("sigmoid(a * b + exp(a)) summed over dim 0, with b broadcast", () => {
    const small = { min: -2, max: 2 };
    const arb = shapes(3, 3).chain((s) => fc.tuple(tensorOf(s, small), tensorOf(s.slice(-1), small)));
    check(arb, (a, b) => a.mul(b).add(a.exp()).sigmoid().sum(0));
  });

  it("mean squared error of a linear layer: ((x @ w + bias) - y)^2 mean", () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
      .chain(([n, i, o]) => fc.tuple(tensorOf([n, i]), tensorOf([i, o]), tensorOf([o]), tensorOf([n, o])));
    check(arb, (x, w, b, y) => x.matmul(w).add(b).sub(y).pow(2).mean());
  });

  it("softmax written with exp / sum, and a stable log-sum-exp through max", () => {
    const arb = permutedTensor(3, 4, { min: -3, max: 3 }).map((t) => [breakTies(t)]);
    check(arb, (x) => x.exp().div(x.exp().sum(-1, true)));
    check(arb, (x) => {
      const m = x.max(-1, true);
      return m.add(x.sub(m).exp().sum(-1, true).log());
    });
  });

  it("a two-layer network with sigmoid, through permute + contiguous + view", () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
      .chain(([b, c, h]) =>
        fc.tuple(tensorOf([c, b, 2]), tensorOf([2 * c, h]), tensorOf([h]), tensorOf([h, 1])),
      );
    check(arb, (x, w1, b1, w2) =>
      x.permute(1, 0, 2).contiguous().view(x.shape[1], -1).matmul(w1).add(b1).sigmoid().matmul(w2).view(-1),
    );
  });

  it("one input reaching the output along many paths", () => {
    check(one(permutedTensor(3, 3, { min: 0.5, max: 2 })), (x) =>
      x.mul(x).add(x.exp()).div(x.pow(2).add(1)).add(x.log().mul(x.sigmoid())).mean(0),
    );
  });
});

describe("gradients of the non-differentiable ops", () => {
  it("comparisons pass no gradient, and do not break the graph around them", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const mask = x.gt(1.5);
    x.mul(mask).sum().backward(); // d/dx (x * [x > 1.5]) = [x > 1.5]
    expect(x.grad!.toFlat()).toEqual([0, 1, 1]);
  });

  it("a constant (not requiring grad) operand receives no gradient, a fresh leaf does", () => {
    const c = fromStorage(Float64Array.of(2, 3), [2]);
    const x = fromStorage(Float64Array.of(1, 1), [2], { requiresGrad: true });
    x.mul(c).sum().backward();
    expect(c.grad).toBeNull();
    expect(x.grad!.toFlat()).toEqual([2, 3]);
    expect(new Tensor(new TensorData(Float64Array.of(1), [1])).requiresGrad).toBe(false);
  });
});
