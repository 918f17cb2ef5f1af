/**
 * Max, argmax, softmax, logsoftmax (lectures 24 and 26, NN basics II): the lecture's numbers, the
 * stability example, the laws (rows sum to 1, sigmoid = softmax([0, x])[1], logsoftmax = log softmax),
 * argmax / max with ties, the softmax brainteaser, and gradient checks over random shapes and dims.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tensor, backend, fromStorage, manualSeed, nn, randn, tensor, useBackend } from "../src";
import { type ValueRange, breakTies, fcOptions, gradCheck, shapes, tensorOf } from "./support/gradcheck";

function filled(shape: number[], f: (i: number) => number, requiresGrad = false): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return fromStorage(Float64Array.from({ length: n }, (_, i) => f(i)), shape, { requiresGrad });
}

/** Softmax of a plain array, by the definition (shifted by the max, which does not change the value). */
function refSoftmax(xs: readonly number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

/** The lanes of a tensor along dim (as plain arrays), with the row-major positions of their elements. */
function lanes(t: Tensor, dim: number): { values: number[]; positions: number[] }[] {
  const shape = t.shape;
  const d = dim < 0 ? dim + shape.length : dim;
  const flat = t.toFlat();
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  const out: { values: number[]; positions: number[] }[] = [];
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const positions = Array.from({ length: shape[d] }, (_, k) => (o * shape[d] + k) * inner + i);
      out.push({ values: positions.map((p) => flat[p]), positions });
    }
  return out;
}

/** A random shape of 1 to 4 dims, each of size 1 to 4, and a dim of it given as a negative or positive index. */
const shapeAndDim = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      dim: fc.integer({ min: -shape.length, max: shape.length - 1 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    }),
  );

const FC = { seed: 20240607, numRuns: 60 };

describe("softmax forward", () => {
  it("softmax([1, 2, 3]) = [0.09003057, 0.24472847, 0.66524096] (the lecture's console)", () => {
    const s = nn.softmax(tensor([1, 2, 3])).toFlat();
    [0.09003057, 0.24472847, 0.66524096].forEach((v, i) => expect(Math.abs(s[i] - v)).toBeLessThan(5e-9));
  });

  it("softmax([1000, 2000, 3000]) is finite, [0, 0, 1], where the naive formula gives NaN", () => {
    // the lecture's naive exp(x) / sum exp(x) gives Infinity / Infinity = NaN here
    expect(nn.softmax(tensor([1000, 2000, 3000])).toFlat()).toEqual([0, 0, 1]);
    expect(nn.softmax(tensor([-1000, -2000, -3000])).toFlat()).toEqual([1, 0, 0]);
  });

  it("matches the definition along every dim of a 3-D tensor, the default being the last", () => {
    manualSeed(1);
    const x = randn(2, 3, 4).mul(3);
    for (const dim of [0, 1, 2, -1, -2, -3]) {
      const s = nn.softmax(x, dim);
      expect(s.shape).toEqual([2, 3, 4]);
      const got = s.toFlat();
      for (const lane of lanes(x, dim)) {
        const ref = refSoftmax(lane.values);
        lane.positions.forEach((p, k) => expect(got[p]).toBeCloseTo(ref[k], 14));
      }
    }
    expect(nn.softmax(x).toFlat()).toEqual(nn.softmax(x, 2).toFlat());
  });

  it("softmax, logsoftmax and argmax read non-contiguous (permuted) inputs correctly", () => {
    manualSeed(2);
    const x = randn(4, 2, 3).mul(3).permute(2, 0, 1); // [3, 4, 2]
    expect(x.isContiguous()).toBe(false);
    for (const dim of [0, 1, 2]) {
      const [s, l, a] = [nn.softmax(x, dim).toFlat(), nn.logsoftmax(x, dim).toFlat(), nn.argmaxOneHot(x, dim).toFlat()];
      for (const lane of lanes(x, dim)) {
        const ref = refSoftmax(lane.values);
        const first = lane.values.indexOf(Math.max(...lane.values));
        lane.positions.forEach((p, k) => {
          expect(s[p]).toBeCloseTo(ref[k], 14);
          expect(l[p]).toBeCloseTo(Math.log(ref[k]), 13);
          expect(a[p]).toBe(k === first ? 1 : 0);
        });
      }
    }
  });

  it("law: every lane is a distribution, entries in [0, 1] summing to 1 (random shapes, dims, scales)", () => {
    fc.assert(
      fc.property(shapeAndDim, fc.double({ min: 0.1, max: 500, noNaN: true }), ({ shape, dim, seed }, scale) => {
        manualSeed(seed);
        const s = nn.softmax(randn(...shape).mul(scale), dim);
        for (const lane of lanes(s, dim)) {
          expect(lane.values.every((v) => v >= 0 && v <= 1)).toBe(true);
          expect(Math.abs(lane.values.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
        }
      }),
      FC,
    );
  });

  it("law: sigmoid(x) = softmax([0, x])[1]", () => {
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
        const viaSoftmax = nn.softmax(tensor([0, x])).get(1);
        const sigma = nn.sigmoid(tensor([x])).get(0);
        expect(Math.abs(viaSoftmax - sigma)).toBeLessThanOrEqual(1e-15 + 1e-13 * Math.abs(sigma));
        // and both equal the definition 1 / (1 + e^-x) where that does not overflow
        if (x > -700) expect(Math.abs(sigma - 1 / (1 + Math.exp(-x)))).toBeLessThanOrEqual(1e-300 + 1e-13 * sigma);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe("logsoftmax", () => {
  it("law: logsoftmax = log(softmax) on moderate inputs", () => {
    fc.assert(
      fc.property(shapeAndDim, ({ shape, dim, seed }) => {
        manualSeed(seed);
        const x = randn(...shape).mul(5);
        const l = nn.logsoftmax(x, dim).toFlat();
        const got = nn.softmax(x, dim).toFlat();
        l.forEach((v, i) => expect(Math.abs(v - Math.log(got[i]))).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))));
        // independent of our softmax: log s_k = x_k - log sum_j exp x_j
        for (const lane of lanes(x, dim)) {
          const lse = Math.log(lane.values.reduce((a, v) => a + Math.exp(v), 0));
          lane.positions.forEach((p, k) => expect(l[p]).toBeCloseTo(lane.values[k] - lse, 12));
        }
      }),
      FC,
    );
  });

  it("stays finite on huge inputs: logsoftmax([1000, 2000, 3000]) = [-2000, -1000, 0]", () => {
    expect(nn.logsoftmax(tensor([1000, 2000, 3000])).toFlat()).toEqual([-2000, -1000, 0]);
    const l = nn.logsoftmax(tensor([[1e6, -1e6, 0, 1e6]]), 1).toFlat();
    expect(l.every(Number.isFinite)).toBe(true);
    expect(l[0]).toBeCloseTo(-Math.LN2, 14);
    expect(l[1]).toBeCloseTo(-2e6 - Math.LN2, 8);
    expect(l[2]).toBeCloseTo(-1e6 - Math.LN2, 8);
    expect(l[3]).toBeCloseTo(-Math.LN2, 14);
  });
});

describe("argmax and max", () => {
  it("argmax is the one-hot of the maximum along dim, same shape as the input", () => {
    const x = tensor([
      [1, 5, 3],
      [9, 2, 4],
    ]);
    expect(nn.argmaxOneHot(x, 1).toArray()).toEqual([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(nn.argmaxOneHot(x, 0).toArray()).toEqual([
      [0, 1, 0],
      [1, 0, 1],
    ]);
    expect(nn.argmaxOneHot(x, -1).toArray()).toEqual(nn.argmaxOneHot(x, 1).toArray());
  });

  it("argmax picks the first of tied maxima", () => {
    expect(nn.argmaxOneHot(tensor([2, 7, 7, 1, 7]), 0).toFlat()).toEqual([0, 1, 0, 0, 0]);
    expect(nn.argmaxOneHot(tensor([[4, 4], [4, 4]]), 1).toFlat()).toEqual([1, 0, 1, 0]);
    expect(nn.argmaxOneHot(tensor([[4, 4], [4, 4]]), 0).toFlat()).toEqual([1, 1, 0, 0]);
  });

  it("argmax generalises step: argmax([0, x]) = [1 - step(x), step(x)]", () => {
    for (const x of [-3, -1e-9, 0, 1e-9, 2]) {
      const s = x > 0 ? 1 : 0;
      expect(nn.argmaxOneHot(tensor([0, x]), 0).toFlat()).toEqual([1 - s, s]);
    }
  });

  it("argmax along a random dim agrees with a naive scan", () => {
    fc.assert(
      fc.property(shapeAndDim, ({ shape, dim, seed }) => {
        manualSeed(seed);
        // rounded values, so ties are common
        const x = randn(...shape).mul(1.5).toFlat().map(Math.round);
        const t = filled(shape, (i) => x[i]);
        const a = nn.argmaxOneHot(t, dim).toFlat();
        for (const lane of lanes(t, dim)) {
          const first = lane.values.indexOf(Math.max(...lane.values));
          lane.positions.forEach((p, k) => expect(a[p]).toBe(k === first ? 1 : 0));
        }
      }),
      FC,
    );
  });

  it("max(dim) gives the values, keepdim keeps the dim with size 1", () => {
    const x = tensor([
      [1, 5, 3],
      [9, 2, 4],
    ]);
    expect(nn.max(x, 1).toArray()).toEqual([5, 9]);
    expect(nn.max(x, 0).toArray()).toEqual([9, 5, 4]);
    expect(nn.max(x, -1, true).toArray()).toEqual([[5], [9]]);
  });

  it("max backward sends the gradient only to the argmax, the first one on ties", () => {
    const x = tensor([[1, 5, 3, 5], [9, 2, 9, 4], [-1, -7, -3, -2]], { requiresGrad: true });
    nn.max(x, 1).backward(tensor([10, 20, 30]));
    expect((x.grad as Tensor).toArray()).toEqual([
      [0, 10, 0, 0],
      [20, 0, 0, 0],
      [30, 0, 0, 0],
    ]);
    const y = tensor([[1, 5], [9, 2], [9, 4]], { requiresGrad: true });
    nn.max(y, 0).backward(tensor([7, 8]));
    expect((y.grad as Tensor).toArray()).toEqual([
      [0, 8],
      [7, 0],
      [0, 0],
    ]);
  });
});

describe("the softmax brainteaser (lecture 26): softmax is not a map", () => {
  /** Differentiable indexing: multiply by the one-hot of position k and sum. */
  const pick = (t: Tensor, k: number) => t.mul(filled([t.size], (i) => (i === k ? 1 : 0))).sum();

  it("softmax(a)[2].backward() reaches every input; sigmoid(a)[2].backward() only a[2]", () => {
    manualSeed(26);
    const values = randn(10).toFlat();
    const a1 = tensor(values, { requiresGrad: true });
    const a2 = tensor(values, { requiresGrad: true });
    pick(nn.softmax(a1), 2).backward();
    pick(nn.sigmoid(a2), 2).backward();

    // d s_2 / d a_j = s_2 (1[j = 2] - s_j), from the definition
    const s = refSoftmax(values);
    const g1 = (a1.grad as Tensor).toFlat();
    g1.forEach((g, j) => expect(g).toBeCloseTo(s[2] * ((j === 2 ? 1 : 0) - s[j]), 14));
    expect(g1.every((g) => g !== 0)).toBe(true);
    expect(g1[2]).toBeGreaterThan(0);
    expect(g1.filter((_, j) => j !== 2).every((g) => g < 0)).toBe(true);
    expect(g1.reduce((x, y) => x + y, 0)).toBeCloseTo(0, 14); // the output always sums to 1

    const sig = 1 / (1 + Math.exp(-values[2]));
    const g2 = (a2.grad as Tensor).toFlat();
    expect(g2[2]).toBeCloseTo(sig * (1 - sig), 14);
    expect(g2.filter((_, j) => j !== 2)).toEqual(Array(9).fill(0));
  });
});

describe.each(["reference", "fast"])("gradient checks over random shapes and dims, negative too (%s)", (name) => {
  let previous = "";
  beforeAll(() => (previous = useBackend(name)));
  afterAll(() => void useBackend(previous));

  /** A random tensor and a dim of it, given as a negative or a non-negative index. */
  const tensorAndDim = (maxDims = 4, range: ValueRange = {}) =>
    shapes(maxDims, 4).chain((shape) =>
      fc.tuple(tensorOf(shape, range), fc.integer({ min: -shape.length, max: shape.length - 1 })),
    );

  it("softmax", () => {
    fc.assert(
      fc.property(tensorAndDim(), ([x, dim]) => {
        gradCheck((t) => nn.softmax(t, dim), [x]);
      }),
      fcOptions(60, 501),
    );
  });

  it("logsoftmax", () => {
    fc.assert(
      fc.property(tensorAndDim(), ([x, dim]) => {
        gradCheck((t) => nn.logsoftmax(t, dim), [x]);
      }),
      fcOptions(60, 502),
    );
  });

  it("softmax and logsoftmax of large, non-contiguous inputs", () => {
    manualSeed(503);
    const x = randn(4, 3, 5).mul(20).permute(2, 0, 1); // [5, 4, 3], spread of +-60
    expect(x.isContiguous()).toBe(false);
    for (const dim of [0, 1, -1]) {
      gradCheck((t) => nn.softmax(t, dim), [x]);
      gradCheck((t) => nn.logsoftmax(t, dim), [x]);
    }
  });

  it("max(dim), ties broken first", () => {
    fc.assert(
      fc.property(tensorAndDim(3, { min: -3, max: 3 }), fc.boolean(), ([x, dim], keepdim) => {
        const distinct = breakTies(fromStorage(Float64Array.from(x.toFlat().map(Math.round)), x.shape));
        gradCheck((t) => nn.max(t, dim, keepdim), [distinct]);
      }),
      fcOptions(60, 504),
    );
  });
});

describe("the composed path (reference backend) and the fused kernels (fast backend) agree", () => {
  /** Values and the gradient of sum(f(x) * w) for a fixed weighting w, on the named backend. */
  type Result = { values: number[]; grad: number[]; fused: boolean };
  function run(name: string, f: (t: Tensor) => Tensor, x: Tensor, w: Tensor): Result {
    const previous = useBackend(name);
    try {
      const leaf = fromStorage(Float64Array.from(x.toFlat()), x.shape, { requiresGrad: true });
      const out = f(leaf);
      out.mul(w).sum().backward();
      return { values: out.toFlat(), grad: (leaf.grad as Tensor).toFlat(), fused: backend().softmax !== undefined };
    } finally {
      useBackend(previous);
    }
  }

  it("softmax, logsoftmax, max and argmaxOneHot: values and gradients within 1e-12 over random shapes and dims", () => {
    fc.assert(
      fc.property(shapeAndDim, ({ shape, dim, seed }) => {
        manualSeed(seed);
        const x = breakTies(randn(...shape).mul(10));
        const w = randn(...shape);
        const wKept = randn(...shape.map((d, i) => (i === (dim < 0 ? dim + shape.length : dim) ? 1 : d)));
        const cases: [(t: Tensor) => Tensor, Tensor][] = [
          [(t) => nn.softmax(t, dim), w],
          [(t) => nn.logsoftmax(t, dim), w],
          [(t) => nn.max(t, dim, true), wKept],
          [(t) => nn.argmaxOneHot(t, dim).add(t), w],
        ];
        for (const [f, weights] of cases) {
          const composed = run("reference", f, x, weights);
          const fused = run("fast", f, x, weights);
          expect([composed.fused, fused.fused]).toEqual([false, true]);
          const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(a)));
          composed.values.forEach((v, i) => near(v, fused.values[i]));
          composed.grad.forEach((g, i) => near(g, fused.grad[i]));
        }
      }),
      FC,
    );
  });

  it("both handle [1000, 2000, 3000] and a -inf entry without NaN", () => {
    for (const name of ["reference", "fast"]) {
      const previous = useBackend(name);
      try {
        expect(nn.softmax(tensor([1000, 2000, 3000])).toFlat()).toEqual([0, 0, 1]);
        expect(nn.logsoftmax(tensor([1000, 2000, 3000])).toFlat()).toEqual([-2000, -1000, 0]);
        expect(nn.softmax(tensor([-Infinity, 0])).toFlat()).toEqual([0, 1]);
      } finally {
        useBackend(previous);
      }
    }
  });
});

describe("nn.max (the lecture's derivation) and Tensor.max (PyTorch's gather at the argmax)", () => {
  it("give the same values and gradients, ties included (the first maximum gets the gradient)", () => {
    fc.assert(
      fc.property(shapeAndDim, fc.boolean(), ({ shape, dim, seed }, keepdim) => {
        manualSeed(seed);
        const x = randn(...shape).mul(2).toFlat().map(Math.round); // many ties
        const g = randn(...nn.max(fromStorage(Float64Array.from(x), shape), dim, keepdim).shape);
        const grads = [(t: Tensor) => nn.max(t, dim, keepdim), (t: Tensor) => t.max(dim, keepdim)].map((f) => {
          const leaf = fromStorage(Float64Array.from(x), shape, { requiresGrad: true });
          const out = f(leaf);
          out.backward(g);
          // -0 and 0 are one value here (one form multiplies by 0, the other scatters)
          return [out.toFlat(), (leaf.grad as Tensor).toFlat()].map((vs) => vs.map((v) => v + 0));
        });
        expect(grads[0]).toEqual(grads[1]);
      }),
      FC,
    );
  });
});
