/**
 * Storage offset: position = offset + sum(index * strides). Every kernel of both backends gives on a view
 * that starts inside its storage (a slice) exactly what it gives on a fresh copy of the same elements,
 * and the copy is made here by plain index arithmetic, not by the library's kernels.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Backend, TensorData, indexToPosition, referenceBackend } from "../src";
import { fastBackend } from "../src/ops/fast";
import * as op from "../src/ops/operators";
import { fcOptions, shapes, valuesOf } from "./support/gradcheck";

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function allIndices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) out = out.flatMap((prefix) => Array.from({ length: d }, (_, i) => [...prefix, i]));
  return out;
}

/** The elements of a view in row-major order, read as offset + sum(index * strides). */
function logical(t: TensorData): number[] {
  return allIndices(t.shape).map((i) => {
    let pos = t.offset;
    i.forEach((v, k) => (pos += v * t.strides[k]));
    return t.storage[pos];
  });
}

/** A fresh contiguous tensor holding the view's elements. */
const copyOf = (t: TensorData): TensorData => new TensorData(Float64Array.from(logical(t)), t.shape);

/** A view of `shape` that starts `pad` values into a storage filled with sentinels around it: the view
 * is the middle of a bigger tensor, so reading from position 0 would read the sentinels. */
function inside(shape: number[], values: number[], pad: number, transposed = false): TensorData {
  const stored = transposed && shape.length >= 2 ? [...shape.slice(0, -2), shape.at(-1)!, shape.at(-2)!] : shape;
  const storage = new Float64Array(pad + sizeOf(shape) + 3).fill(1e6);
  const base = new TensorData(storage, stored, undefined, pad);
  allIndices(stored).forEach((i, k) => (storage[indexToPosition(i, base.strides, pad)] = values[k]));
  if (!transposed || shape.length < 2) return base;
  const order = shape.map((_, i) => i);
  [order[order.length - 2], order[order.length - 1]] = [order[order.length - 1], order[order.length - 2]];
  return base.permute(order);
}

const backends: [string, Backend][] = [["reference", referenceBackend], ["fast", fastBackend]];

describe("TensorData offset", () => {
  it("get and set use offset + sum(index * strides)", () => {
    const t = new TensorData(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]), [2, 3], [3, 1], 2);
    expect(t.get([0, 0])).toBe(2);
    expect(t.get([1, 2])).toBe(7);
    t.set([1, 0], -5);
    expect(t.storage[5]).toBe(-5);
  });

  it("rejects a negative or fractional offset and a view that reaches past its storage", () => {
    expect(() => new TensorData(new Float64Array(6), [2, 3], [3, 1], -1)).toThrow(/offset/);
    expect(() => new TensorData(new Float64Array(6), [2, 3], [3, 1], 0.5)).toThrow(/offset/);
    expect(() => new TensorData(new Float64Array(6), [2, 3], [3, 1], 1)).toThrow(/past the end/);
  });

  it("views keep the offset: permute, view, and views of views", () => {
    const t = new TensorData(Float64Array.from({ length: 10 }, (_, i) => i), [2, 4], [4, 1], 2);
    expect(logical(t.permute([1, 0]))).toEqual([2, 6, 3, 7, 4, 8, 5, 9]);
    expect(logical(t.view([8]))).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(t.select(0, 1).offset).toBe(6);
    expect(logical(t.select(0, 1).slice(0, 1, 4, 2))).toEqual([7, 9]);
  });
});

describe.each(backends)("kernels on views with an offset (%s backend)", (_name, B) => {
  const viewOf = (s: number[]) =>
    fc
      .tuple(valuesOf(sizeOf(s)), fc.integer({ min: 1, max: 7 }), fc.boolean())
      .map(([v, pad, tr]) => inside(s, v, pad, tr));

  it("map and zip (with broadcasting) equal the same ops on copies", () => {
    const pair = shapes(3, 4).chain((s) => fc.tuple(viewOf(s), viewOf(s), viewOf(s.slice(1))));
    fc.assert(
      fc.property(pair, ([a, b, c]) => {
        expect(logical(B.map(op.neg, a))).toEqual(logical(B.map(op.neg, copyOf(a))));
        expect(logical(B.zip(op.mul, a, b))).toEqual(logical(B.zip(op.mul, copyOf(a), copyOf(b))));
        expect(logical(B.zip(op.sub, a, c))).toEqual(logical(B.zip(op.sub, copyOf(a), copyOf(c))));
      }),
      fcOptions(40),
    );
  });

  it("reduce along every dim equals the reduction of a copy", () => {
    fc.assert(
      fc.property(shapes(3, 4).chain(viewOf), (a) => {
        for (let dim = 0; dim < a.dims; dim++) {
          expect(logical(B.reduce(op.add, 0, a, dim))).toEqual(logical(B.reduce(op.add, 0, copyOf(a), dim)));
          const max = (t: TensorData) => logical(B.reduce(op.max, -Infinity, t, dim));
          expect(max(a)).toEqual(max(copyOf(a)));
        }
      }),
      fcOptions(40),
    );
  });

  it("matmul, small and large enough for the wasm kernels, equals the product of copies", () => {
    for (const [n, m, p] of [[3, 4, 2], [40, 50, 30]]) {
      const vals = (k: number) => Array.from({ length: k }, (_, i) => Math.sin(i + k));
      const a = inside([2, n, m], vals(2 * n * m), 5, true);
      const b = inside([m, p], vals(m * p), 3);
      const got = logical(B.matmul(a, b, [2, n, p]));
      const want = logical(B.matmul(copyOf(a), copyOf(b), [2, n, p]));
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
    }
  });

  it("conv1d and conv2d, forward and reverse, equal the convolution of copies", () => {
    const vals = (k: number) => Array.from({ length: k }, (_, i) => Math.cos(3 * i + k));
    for (const big of [false, true]) {
      const [B1, C, W] = big ? [4, 3, 40] : [2, 2, 5];
      const x1 = inside([B1, C, W], vals(B1 * C * W), 4);
      const w1 = inside([5, C, 3], vals(5 * C * 3), 2);
      const x2 = inside([B1, C, W, 7], vals(B1 * C * W * 7), 6);
      const w2 = inside([5, C, 3, 2], vals(5 * C * 6), 1);
      for (const reverse of [false, true]) {
        const conv1 = (x: TensorData, w: TensorData) => logical(B.conv1d(x, w, reverse, [B1, 5, W]));
        const conv2 = (x: TensorData, w: TensorData) => logical(B.conv2d(x, w, reverse, [B1, 5, W, 7]));
        const c1 = conv1(copyOf(x1), copyOf(w1));
        conv1(x1, w1).forEach((v, i) => expect(v).toBeCloseTo(c1[i], 12));
        const c2 = conv2(copyOf(x2), copyOf(w2));
        conv2(x2, w2).forEach((v, i) => expect(v).toBeCloseTo(c2[i], 12));
      }
    }
  });
});
