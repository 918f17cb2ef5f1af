/**
 * Dropout (inverted, as PyTorch): identity in evaluation and at rate 0, zeros at rate 1, reproducible
 * under manualSeed, drops about `rate` of the values, scales the kept ones by 1 / (1 - rate), and passes
 * gradient only through the kept elements.
 */
import { describe, expect, it } from "vitest";
import { MiniTorchError, Tensor, manualSeed, nn, ones, randn, tensor } from "../src";
import { gradCheck } from "./support/gradcheck";

describe("dropout", () => {
  it("in evaluation mode returns the input untouched", () => {
    manualSeed(1);
    const x = randn(4, 5);
    const before = x.toFlat();
    for (const rate of [0, 0.5, 1]) {
      const y = nn.dropout(x, rate, false);
      expect(y).toBe(x);
      expect(y.toFlat()).toEqual(before);
    }
  });

  it("rate 0 is the identity, also in training", () => {
    manualSeed(2);
    const x = randn(3, 7);
    expect(nn.dropout(x, 0).toFlat()).toEqual(x.toFlat());
  });

  it("rate 1 gives all zeros (no 1/0 scaling, no NaN), with zero gradient", () => {
    manualSeed(3);
    const x = randn(5, 6).requiresGrad_();
    const y = nn.dropout(x, 1);
    expect(y.toFlat().every((v) => v === 0)).toBe(true);
    y.sum().backward();
    expect((x.grad as Tensor).toFlat().every((v) => v === 0)).toBe(true);
  });

  it("is reproducible under manualSeed, and a different seed or a second call draws a different mask", () => {
    const x = ones(200);
    manualSeed(123);
    const a = nn.dropout(x, 0.5).toFlat();
    const a2 = nn.dropout(x, 0.5).toFlat();
    manualSeed(123);
    const b = nn.dropout(x, 0.5).toFlat();
    manualSeed(124);
    const c = nn.dropout(x, 0.5).toFlat();
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a2).not.toEqual(a);
  });

  it("drops a fraction of the values close to the rate (seeded; bound of 6 standard deviations)", () => {
    const n = 100_000;
    const x = ones(n);
    manualSeed(2024);
    for (const rate of [0.1, 0.25, 0.5, 0.9]) {
      const y = nn.dropout(x, rate).toFlat();
      const zeros = y.filter((v) => v === 0).length / n;
      const sd = Math.sqrt((rate * (1 - rate)) / n);
      expect(Math.abs(zeros - rate)).toBeLessThan(6 * sd);
      // inverted dropout keeps the expected value: the mean stays ~1
      const mean = y.reduce((s, v) => s + v, 0) / n;
      expect(Math.abs(mean - 1)).toBeLessThan(6 * sd / (1 - rate));
    }
  });

  it("scales every kept value by exactly 1 / (1 - rate)", () => {
    manualSeed(9);
    const x = randn(40, 25);
    const xs = x.toFlat();
    for (const rate of [0.2, 0.5, 0.75]) {
      const y = nn.dropout(x, rate).toFlat();
      let kept = 0;
      y.forEach((v, i) => {
        if (v === 0) return;
        kept++;
        expect(v).toBeCloseTo(xs[i] / (1 - rate), 13);
      });
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(xs.length);
    }
  });

  it("sends gradient only through kept elements, scaled by 1 / (1 - rate)", () => {
    manualSeed(10);
    const x = randn(30, 20).requiresGrad_();
    const rate = 0.4;
    const y = nn.dropout(x, rate);
    const d = randn(30, 20);
    y.backward(d);
    const [ys, xs, ds, g] = [y.toFlat(), x.toFlat(), d.toFlat(), (x.grad as Tensor).toFlat()];
    let dropped = 0;
    ys.forEach((v, i) => {
      const kept = v !== 0; // randn never gives an exact 0, so a 0 output is a dropped element
      expect(xs[i]).not.toBe(0);
      if (!kept) dropped++;
      expect(g[i]).toBeCloseTo(kept ? ds[i] / (1 - rate) : 0, 13);
    });
    expect(dropped).toBeGreaterThan(0);
  });

  it("passes a gradient check when the mask is fixed by reseeding before every call", () => {
    manualSeed(11);
    const x = randn(6, 7);
    for (const rate of [0.3, 0.8]) {
      const [g] = gradCheck((t) => {
        manualSeed(99);
        return nn.dropout(t, rate);
      }, [x]);
      expect(g.toFlat().some((v) => v === 0)).toBe(true); // some elements were dropped, and get nothing
    }
  });

  it("rejects a rate outside [0, 1]", () => {
    const x = tensor([1, 2, 3]);
    for (const rate of [-0.1, 1.5, Number.NaN, Infinity]) {
      expect(() => nn.dropout(x, rate)).toThrow(MiniTorchError);
      expect(() => nn.dropout(x, rate))
        .toThrow(`dropout: rate must be a number in [0, 1], got ${Number.isNaN(rate) ? "NaN" : `the number ${rate}`}`);
    }
  });
});
