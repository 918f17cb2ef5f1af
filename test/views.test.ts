/**
 * Views (src/data/tensor-data.ts, src/tensor/views.ts): slice / narrow / select / expand / squeeze /
 * unsqueeze / flatten / transpose / reshape are O(1) views over the same storage (offset and strides as the
 * lecture computes them), writes through a view reach the base, reshape copies only when no strides can
 * do, and every view is differentiable (central differences over random shapes, on both backends).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tensor, arange, tensor, useBackend } from "../src";
import { viewStrides } from "../src/data/shape";
import { expectError } from "./support/errors";
import { anyTensor, fcOptions, gradCheck, permutationOf, shapes } from "./support/gradcheck";

/** Python's slice indices for a dim of size n: what t[start:end:step] picks. */
function pySlice(n: number, start: number, end: number, step: number): number[] {
  const norm = (i: number) => Math.min(n, Math.max(0, i < 0 ? i + n : i));
  const out: number[] = [];
  for (let i = norm(start); i < norm(end); i += step) out.push(i);
  return out;
}

describe("slice, narrow, select: offset and strides", () => {
  const t = arange(24).view(4, 6); // t[i, j] = 6i + j

  it("slice moves the offset to start and multiplies the stride by step, sharing storage", () => {
    const s = t.slice(1, 1, 6, 2); // columns 1, 3, 5
    expect(s.shape).toEqual([4, 3]);
    expect(s.strides).toEqual([6, 2]);
    expect(s.storageOffset()).toBe(1);
    expect(s.storage).toBe(t.storage);
    expect(s.toArray()).toEqual([[1, 3, 5], [7, 9, 11], [13, 15, 17], [19, 21, 23]]);
    const rows = t.slice(0, 2); // rows 2, 3
    expect(rows.storageOffset()).toBe(12);
    expect(rows.isContiguous()).toBe(true);
  });

  it("property: slice picks exactly Python's t[start:end:step] (negative and out-of-range bounds)", () => {
    const bound = fc.integer({ min: -8, max: 8 });
    fc.assert(
      fc.property(bound, bound, fc.integer({ min: 1, max: 4 }), (start, end, step) => {
        const got = arange(6).slice(0, start, end, step).toFlat();
        expect(got).toEqual(pySlice(6, start, end, step));
      }),
      fcOptions(200),
    );
    expect(arange(5).slice(0, undefined, null, 2).toFlat()).toEqual([0, 2, 4]);
  });

  it("select removes the dim (negative indices count from the end); narrow keeps it", () => {
    expect(t.select(0, 1).toFlat()).toEqual([6, 7, 8, 9, 10, 11]);
    expect(t.select(1, -1).toFlat()).toEqual([5, 11, 17, 23]);
    expect(t.select(1, -1).storageOffset()).toBe(5);
    expect(t.narrow(1, 2, 3).shape).toEqual([4, 3]);
    expect(t.narrow(0, -2, 2).toArray()).toEqual([[12, 13, 14, 15, 16, 17], [18, 19, 20, 21, 22, 23]]);
  });

  it("writing through a view is seen by the base, and the other way round", () => {
    const base = arange(12).view(3, 4);
    base.slice(1, 1, 4, 2).set([2, 1], -1); // base[2, 3]
    expect(base.get(2, 3)).toBe(-1);
    base.select(0, 0).set(2, -2);
    expect(base.get(0, 2)).toBe(-2);
    base.set([1, 1], 100);
    expect(base.transpose().narrow(0, 1, 1).get(0, 1)).toBe(100);
    expect(base.view(12).get(5)).toBe(100);
  });

  it("bad bounds name the op and what came", () => {
    expectError(() => t.narrow(0, 3, 2), "narrow", "start 3", "length 2", "size 4");
    expectError(() => t.select(1, 6), "select", "index 6", "size 6");
    expectError(() => t.slice(0, 0, 4, 0), "slice", "step", "1");
    expectError(() => t.slice(2, 0, 1), "slice", "dim 2");
    expectError(() => t.slice(0, 1.5), "slice", "start", "1.5");
  });
});

describe("expand, squeeze, unsqueeze, flatten, reshape", () => {
  it("expand repeats size-1 dims with stride 0, no copy; -1 keeps a dim; new leading dims", () => {
    const col = tensor([[1], [2], [3]]);
    const e = col.expand(3, 4);
    expect(e.strides).toEqual([1, 0]);
    expect(e.storage).toBe(col.storage);
    expect(e.toArray()).toEqual([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);
    expect(col.expand(2, -1, 2).shape).toEqual([2, 3, 2]);
    expect(col.expand([2, 3, 1]).strides).toEqual([0, 1, 1]);
    col.set([1, 0], 7);
    expect(e.get(1, 3)).toBe(7); // every repeat reads the one stored value
    expectError(() => col.expand(4, 4), "expand", "[3,1]", "[4,4]", "size 3");
    expectError(() => col.expand(4), "expand", "at least 2 dims");
  });

  it("squeeze and unsqueeze add or drop size-1 dims as views", () => {
    const t = arange(6).view(1, 2, 1, 3);
    expect(t.squeeze().shape).toEqual([2, 3]);
    expect(t.squeeze(2).shape).toEqual([1, 2, 3]);
    expect(t.squeeze(1).shape).toEqual([1, 2, 1, 3]); // size 2: unchanged, as in PyTorch
    expect(t.unsqueeze(-1).shape).toEqual([1, 2, 1, 3, 1]);
    const tr = arange(6).view(2, 3).transpose();
    expect(tr.unsqueeze(1).storage).toBe(tr.storage);
    expect(tr.unsqueeze(1).squeeze(1).strides).toEqual(tr.strides);
  });

  it("reshape is a view when the strides allow it and a copy otherwise; view refuses the copy case", () => {
    const t = arange(24).view(4, 6);
    const everyOtherRow = t.slice(0, 0, 4, 2); // [2, 6], strides [12, 1]: rows are contiguous
    expect(everyOtherRow.reshape(2, 2, 3).storage).toBe(t.storage);
    expect(everyOtherRow.view(2, 3, 2).toFlat()).toEqual([0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 16, 17]);
    const tr = t.transpose(); // [6, 4]
    const flat = tr.reshape(-1);
    expect(flat.storage).not.toBe(t.storage);
    expect(flat.toFlat()).toEqual(tr.toFlat());
    expectError(() => tr.view(24), "view", "reshape()");
    expect(tr.flatten().toFlat()).toEqual(tr.toFlat());
    expect(arange(24).view(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    expect(arange(24).view(2, 3, 4).flatten(0, 1).shape).toEqual([6, 4]);
  });

  it("property: viewStrides gives a view reading the same row-major elements as a copy would", () => {
    const arb = shapes(4, 4)
      .chain((s) => fc.tuple(fc.constant(s), permutationOf(s.length), fc.shuffledSubarray(s.map((_, i) => i))))
      .map(([s, p, cut]) => {
        const base = arange(s.reduce((a, b) => a * b, 1)).view(...s).permute(...p);
        // a new shape: merge the dims between cuts
        const newShape: number[] = [];
        let run = 1;
        base.shape.forEach((d, i) => {
          run *= d;
          if (cut.includes(i) || i === base.dims - 1) [newShape[newShape.length], run] = [run, 1];
        });
        return { base, newShape };
      });
    fc.assert(
      fc.property(arb, ({ base, newShape }) => {
        const strides = viewStrides(base.shape, base.strides, newShape);
        const copy = base.reshape(...newShape);
        if (strides !== null) expect(base.view(...newShape).toFlat()).toEqual(base.toFlat());
        expect(copy.toFlat()).toEqual(base.toFlat());
        if (base.isContiguous()) expect(strides).not.toBeNull();
      }),
      fcOptions(100),
    );
  });
});

describe.each(["reference", "fast"])("gradients of views (%s backend)", (name) => {
  let previous = "";
  beforeAll(() => (previous = useBackend(name)));
  afterAll(() => void useBackend(previous));

  const withDim = anyTensor(3, 4).chain((t) =>
    fc.tuple(fc.constant(t), fc.integer({ min: 0, max: t.dims - 1 }), fc.integer({ min: -5, max: 5 }),
      fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 3 })));

  it("slice, narrow and select send the gradient back to the elements they picked, 0 elsewhere", () => {
    fc.assert(
      fc.property(withDim, ([t, dim, a, b, step]) => {
        gradCheck((x) => x.slice(dim, a, b, step), [t]);
        const n = t.shape[dim];
        const start = ((a % n) + n) % n;
        gradCheck((x) => x.narrow(dim, start, n - start), [t]);
        gradCheck((x) => x.select(dim, start).mul(x.select(dim, -1)), [t]);
      }),
      fcOptions(30),
    );
  });

  it("expand sums the gradient over the repeats; squeeze, unsqueeze, flatten, reshape route it back", () => {
    fc.assert(
      fc.property(withDim, fc.integer({ min: 1, max: 3 }), ([t, dim], k) => {
        const ones = t.shape.map((d, i) => (i === dim ? 1 : d));
        const small = t.sum(dim, true).detach(); // shape with a 1 at dim
        gradCheck((x) => x.expand(k, ...t.shape).mul(x.expand(k, ...t.shape)), [small]);
        expect(ones).toEqual(small.shape);
        gradCheck((x) => x.unsqueeze(dim).squeeze(dim).mul(x.unsqueeze(-1).squeeze(-1)).unsqueeze(0).squeeze(), [t]);
        const reversed = t.shape.map((_, i) => t.dims - 1 - i);
        gradCheck((x) => x.permute(...reversed).flatten().mul(x.permute(...reversed).reshape(-1)), [t]);
      }),
      fcOptions(30),
    );
  });

  it("a chain of views on a permuted input", () => {
    const x = arange(24).view(2, 3, 4).permute(2, 0, 1).mul(0.1);
    gradCheck((t) => t.slice(0, 1, 4, 2).select(2, 1).reshape(4).mul(t.narrow(1, 1, 1).sum()), [x]);
  });
});

describe("views stay in the graph", () => {
  it("a gradient reaches the base through a slice of a slice", () => {
    const x = arange(10).requiresGrad_();
    x.slice(0, 2, 9).slice(0, 0, 7, 3).sum().backward(); // elements 2, 5, 8
    expect((x.grad as Tensor).toFlat()).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1, 0]);
  });
});
