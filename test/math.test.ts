/**
 * The math of issue 11 (src/tensor/functions.ts, tensor.ts): var / std with PyTorch's defaults, logsumexp
 * (stable for large and infinite inputs), sqrt, sin, cos, pow with a tensor exponent, clamp, and the
 * comparisons lt le gt ge eq ne, whose results carry no gradient history. Values against formulas written
 * here; gradients by central differences over random shapes on both backends.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tensor, tensor, useBackend } from "../src";
import { expectError } from "./support/errors";
import { anyTensor, broadcastablePair, fcOptions, gradCheck, tensorOf } from "./support/gradcheck";

const close = (a: number[], b: number[], tol = 1e-12) =>
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]))));

describe("var, std, logsumexp", () => {
  it("var and std divide by N - 1 by default (unbiased), by N with correction 0", () => {
    const t = tensor([[1, 2, 3, 4], [2, 2, 2, 2]]);
    close(t.var(1).toFlat(), [5 / 3, 0]);
    close(t.var(1, false, { correction: 0 }).toFlat(), [5 / 4, 0]);
    close(t.std(1, true).toFlat(), [Math.sqrt(5 / 3), 0]);
    const all = [1, 2, 3, 4, 2, 2, 2, 2];
    const mean = all.reduce((a, b) => a + b) / 8;
    close([t.var().item()], [all.reduce((s, v) => s + (v - mean) ** 2, 0) / 7]);
    expect(t.var(0, true).shape).toEqual([1, 4]);
    expect(Number.isNaN(tensor([5]).var().item())).toBe(true); // N - 1 = 0, as PyTorch
    expectError(() => t.var(0, false, { unbiased: false } as never), "var", "unbiased", "correction");
  });

  it("logsumexp equals log(sum(exp(x))) and survives huge and -inf inputs", () => {
    const t = tensor([[1, 2, 3], [-1, 0, 1]]);
    close(t.logsumexp(1).toFlat(), [Math.log(Math.E + Math.E ** 2 + Math.E ** 3), Math.log(Math.exp(-1) + 1 + Math.E)]);
    close([tensor([1000, 1000]).logsumexp(0).item()], [1000 + Math.log(2)]);
    expect(tensor([-Infinity, -Infinity]).logsumexp(0).item()).toBe(-Infinity);
    expect(tensor([Infinity, 1]).logsumexp(0).item()).toBe(Infinity);
    expect(t.logsumexp(0, true).shape).toEqual([1, 3]);
    close([t.logsumexp().item()], [Math.log([1, 2, 3, -1, 0, 1].reduce((s, v) => s + Math.exp(v), 0))]);
  });
});

describe("sqrt, sin, cos, pow, clamp", () => {
  it("elementwise values", () => {
    close(tensor([0, 4, 2]).sqrt().toFlat(), [0, 2, Math.SQRT2]);
    close(tensor([0, 1]).sin().toFlat(), [0, Math.sin(1)]);
    close(tensor([0, 1]).cos().toFlat(), [1, Math.cos(1)]);
    close(tensor([2, 3]).pow(tensor([[3], [0.5]])).toFlat(), [8, 27, Math.SQRT2, Math.sqrt(3)]);
    expect(tensor([-3, 0.5, 7]).clamp(0, 1).toFlat()).toEqual([0, 0.5, 1]);
    expect(tensor([-3, 0.5, 7]).clamp(null, 1).toFlat()).toEqual([-3, 0.5, 1]);
    expect(tensor([-3, 0.5, 7]).clamp(0).toFlat()).toEqual([0, 0.5, 7]);
    expect(Number.isNaN(tensor([NaN]).clamp(0, 1).item())).toBe(true);
    expectError(() => tensor([1]).clamp(), "clamp", "min and max");
    expectError(() => tensor([1]).clamp("0" as never), "clamp", "min");
  });

  it("pow's exponent gradient is x^n ln x, taken as 0 at x = 0 with n >= 0 (PyTorch's convention)", () => {
    const x = tensor([0, 2], { requiresGrad: true });
    const n = tensor([2, 3], { requiresGrad: true });
    x.pow(n).sum().backward();
    close((n.grad as Tensor).toFlat(), [0, 8 * Math.log(2)]);
    close((x.grad as Tensor).toFlat(), [0, 12]);
  });
});

describe("comparisons", () => {
  it("lt le gt ge eq ne give 0/1 with broadcasting", () => {
    const a = tensor([1, 2, 3]);
    const b = tensor([[2], [3]]);
    expect(a.lt(b).toArray()).toEqual([[1, 0, 0], [1, 1, 0]]);
    expect(a.le(2).toFlat()).toEqual([1, 1, 0]);
    expect(a.gt(2).toFlat()).toEqual([0, 0, 1]);
    expect(a.ge(b).toArray()).toEqual([[0, 1, 1], [0, 0, 1]]);
    expect(a.eq(2).toFlat()).toEqual([0, 1, 0]);
    expect(a.ne(2).toFlat()).toEqual([1, 0, 1]);
    expect(tensor([NaN]).ne(tensor([NaN])).item()).toBe(1);
  });

  it("have no gradient history even when an input requires grad, as PyTorch's bool results", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    for (const c of [x.lt(1), x.le(1), x.gt(1), x.ge(1), x.eq(1), x.ne(1), x.isClose(1)]) {
      expect(c.requiresGrad).toBe(false);
      expect(c.isLeaf()).toBe(true);
    }
    x.mul(x.gt(1.5)).sum().backward();
    expect((x.grad as Tensor).toFlat()).toEqual([0, 1]);
  });
});

describe.each(["reference", "fast"])("gradients of the new math (%s backend)", (name) => {
  let previous = "";
  beforeAll(() => (previous = useBackend(name)));
  afterAll(() => void useBackend(previous));

  const withDim = anyTensor(3, 4).chain((t) =>
    fc.tuple(fc.constant(t), fc.integer({ min: -t.dims, max: t.dims - 1 }), fc.boolean()));

  it("var, std (away from 0), logsumexp along a dim and over all", () => {
    fc.assert(
      fc.property(withDim, ([t, dim, keep]) => {
        if (t.shape.at(dim)! > 1) gradCheck((x) => x.var(dim, keep), [t]); // N - 1 = 0 gives NaN
        gradCheck((x) => x.var(undefined, keep, { correction: 0 }), [t]);
        gradCheck((x) => x.logsumexp(dim, keep), [t]);
        gradCheck((x) => x.logsumexp(), [t]);
        if (t.shape.at(dim)! > 1 && t.var(dim).toFlat().every((v) => v > 1e-2)) gradCheck((x) => x.std(dim, keep), [t]);
      }),
      fcOptions(30),
    );
  });

  it("sqrt (positive inputs), sin, cos, clamp (away from the bounds)", () => {
    fc.assert(
      fc.property(anyTensor(3, 4, { min: 0.1, max: 5 }), anyTensor(3, 4), (pos, t) => {
        gradCheck((x) => x.sqrt(), [pos]);
        gradCheck((x) => x.sin().mul(x.cos()), [t]);
        const away = t.add(t.sub(0.5).abs().lt(1e-3).mul(0.01)).detach(); // no input within 1e-3 of 0.5
        gradCheck((x) => x.clamp(-1, 0.5), [away]);
      }),
      fcOptions(30),
    );
  });

  it("pow with a tensor exponent (positive base), broadcasting base and exponent", () => {
    const arb = broadcastablePair(3, 3).chain(([s1, s2]) =>
      fc.tuple(tensorOf(s1, { min: 0.2, max: 3 }), tensorOf(s2, { min: -2, max: 2 })));
    fc.assert(
      fc.property(arb, ([base, exponent]) => {
        gradCheck((x, n) => x.pow(n), [base, exponent]);
      }),
      fcOptions(30),
    );
  });
});
