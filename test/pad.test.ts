/**
 * nn.pad (torch.nn.functional.pad with a constant): values and gradients against PyTorch, a gradient
 * check over random shapes and amounts, and the argument errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Tensor, nn, tensor } from "../src";
import { expectError } from "./support/errors";
import { GoldenCase, expectGolden, golden } from "./support/golden";
import { fcOptions, gradCheck, shapes, tensorOf } from "./support/gradcheck";

interface GoldenPad extends GoldenCase {
  pad: number[];
  fill: number;
}

describe("pad against PyTorch (test/golden/nn-train.json)", () => {
  for (const [name, c] of Object.entries(golden<Record<string, GoldenPad>>("pad"))) {
    it(`${name}: pad ${JSON.stringify(c.pad)} with ${c.fill}`, () => {
      expectGolden(c, (x) => nn.pad(x, c.pad, c.fill), { atol: 0, rtol: 0 });
    });
  }
});

describe("pad", () => {
  it("frames a matrix; no padding is the identity", () => {
    expect(nn.pad(tensor([[1, 2]]), [1, 0, 0, 1], 9).toArray()).toEqual([[9, 1, 2], [9, 9, 9]]);
    expect(nn.pad(tensor([1, 2]), []).toArray()).toEqual([1, 2]);
    expect(nn.pad(tensor([[1]]), [1, 1], -Infinity).toArray()).toEqual([[-Infinity, 1, -Infinity]]);
  });

  it("gradient check over random shapes (permuted inputs too) and amounts", () => {
    const cases = shapes(3, 3).chain((shape) => fc.tuple(
      tensorOf(shape),
      fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 * shape.length })
        .map((a) => a.slice(0, a.length - (a.length % 2))),
      fc.double({ min: -2, max: 2, noNaN: true }),
    ));
    fc.assert(fc.property(cases, ([x, amounts, fill]) => {
      gradCheck((a) => nn.pad(a, amounts, fill), [x]);
      if (x.dims >= 2) gradCheck((a) => nn.pad(a.transpose(0, 1), amounts, fill), [x]);
    }), fcOptions(40, 801));
  });

  it("errors name the op, the argument and what came", () => {
    const x = tensor([[1, 2]]);
    expectError(() => nn.pad([1, 2] as unknown as Tensor, [1, 1]),
      "pad: expected a Tensor for input, got an array [1, 2]");
    expectError(() => nn.pad(x, [1]),
      "pad: amounts must be [before, after] pairs for at most 2 dims (input [1,2]), got an array [1]");
    expectError(() => nn.pad(x, [1, 1, 1, 1, 1, 1]), "pad: amounts must be [before, after] pairs for at most 2 dims");
    expectError(() => nn.pad(x, [1, -1]), "pad: amounts must be integers >= 0, got [1,-1]");
    expectError(() => nn.pad(x, [0.5, 1]), "pad: amounts must be integers >= 0");
    expectError(() => nn.pad(x, [1, 1], Number.NaN), "pad: value must be a number, got NaN");
  });
});
