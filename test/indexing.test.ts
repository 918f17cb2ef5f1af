/**
 * Indexing and joining (src/tensor/indexing.ts, src/ops/gather.ts): gather, indexSelect, maskedFill,
 * where, cat, stack, split, chunk, argmax / argmin (indices, first of ties, NaN as PyTorch), max / min along
 * a dim with their indices. Values against naive loops written here; gradients by central differences
 * over random shapes on both backends (ties broken for max / min).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tensor, arange, cat, stack, tensor, useBackend, where } from "../src";
import { expectError } from "./support/errors";
import { anyTensor, breakTies, fcOptions, gradCheck, shapes, tensorOf } from "./support/gradcheck";

/** Lanes along dim of a contiguous tensor's flat values: each lane's row-major positions. */
function lanes(shape: readonly number[], dim: number): number[][] {
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const out: number[][] = [];
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      out.push(Array.from({ length: shape[dim] }, (_, k) => (o * shape[dim] + k) * inner + i));
    }
  return out;
}

/** A tensor with a random dim, and an index tensor for gather along it (values in range, repeats allowed). */
const gatherCase = shapes(3, 4).chain((s) =>
  fc.integer({ min: 0, max: s.length - 1 }).chain((dim) =>
    fc.tuple(fc.integer({ min: 1, max: 4 }), tensorOf(s)).chain(([m, t]) => {
      const idxShape = s.map((d, i) => (i === dim ? m : d));
      const n = idxShape.reduce((a, b) => a * b, 1);
      return fc
        .array(fc.integer({ min: 0, max: s[dim] - 1 }), { minLength: n, maxLength: n })
        .map((vals) => ({ t, dim, index: tensor(vals).view(...idxShape) }));
    }),
  ),
);

describe("gather and indexSelect", () => {
  it("gather picks this[index[i][j]][j] along dim 0 and this[i][index[i][j]] along dim 1", () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.gather(1, tensor([[2, 0], [1, 1]])).toArray()).toEqual([[3, 1], [5, 5]]);
    expect(t.gather(0, tensor([[1, 0, 1]])).toArray()).toEqual([[4, 2, 6]]);
  });

  it("property: gather agrees with a naive loop", () => {
    fc.assert(
      fc.property(gatherCase, ({ t, dim, index }) => {
        const got = t.gather(dim, index).toFlat();
        const vals = t.toFlat();
        const idx = index.toFlat();
        const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
        const expected = idx.map((k, ord) => {
          let rest = ord;
          let pos = 0;
          for (let i = index.dims - 1; i >= 0; i--) {
            const c = rest % index.shape[i];
            rest = Math.floor(rest / index.shape[i]);
            pos += (i === dim ? k : c) * strides[i];
          }
          return vals[pos];
        });
        expect(got).toEqual(expected);
      }),
      fcOptions(60),
    );
  });

  it("indexSelect takes whole rows / columns in the given order, repeats allowed", () => {
    const t = arange(12).view(3, 4);
    expect(t.indexSelect(0, tensor([2, 0, 2])).toArray()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3], [8, 9, 10, 11]]);
    expect(t.indexSelect(1, tensor([3, 1])).toArray()).toEqual([[3, 1], [7, 5], [11, 9]]);
    expect(t.transpose().indexSelect(0, tensor([1])).toArray()).toEqual([[1, 5, 9]]);
  });

  it("bad indices name the op, the value and the dim's size", () => {
    const t = arange(6).view(2, 3);
    expectError(() => t.gather(1, tensor([[3], [0]])), "gather", "3", "size 3");
    expectError(() => t.gather(1, tensor([[0.5], [0]])), "gather", "0.5");
    expectError(() => t.gather(1, tensor([0, 1])), "gather", "[2]", "[2,3]");
    expectError(() => t.gather(1, [[0]] as never), "gather", "index", "an array");
    expectError(() => t.indexSelect(0, tensor([-1])), "indexSelect", "-1", "size 2");
    expectError(() => t.indexSelect(0, tensor([[0]])), "indexSelect", "1-D");
  });
});

describe("maskedFill and where", () => {
  it("maskedFill puts the value where the mask is nonzero; the mask broadcasts", () => {
    const t = arange(6).view(2, 3);
    expect(t.maskedFill(t.gt(3), -1).toArray()).toEqual([[0, 1, 2], [3, -1, -1]]);
    const inf = -Infinity;
    expect(t.maskedFill(tensor([1, 0, 1]), inf).toArray()).toEqual([[inf, 1, inf], [inf, 4, inf]]);
    expectError(() => tensor([1, 2]).maskedFill(tensor([[1, 0], [0, 1]]), 0), "maskedFill", "[2,2]", "[2]");
  });

  it("where picks a where cond holds, else b, broadcasting all three; inf and NaN in the other branch stay out", () => {
    const c = tensor([[1], [0]]);
    expect(where(c, tensor([1, 2, 3]), 0).toArray()).toEqual([[1, 2, 3], [0, 0, 0]]);
    expect(where(tensor([1, 0]), tensor([Infinity, NaN]), tensor([5, 6])).toFlat()).toEqual([Infinity, 6]);
    expectError(() => where(tensor([1, 0]), [1, 2] as never, 0), "where", "input", "wrap it with tensor");
  });
});

describe("cat, stack, split, chunk", () => {
  it("cat joins along an existing dim, stack along a new one", () => {
    const a = tensor([[1, 2]]);
    const b = tensor([[3, 4], [5, 6]]);
    expect(cat([a, b]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(cat([b, b.transpose()], 1).toArray()).toEqual([[3, 4, 3, 5], [5, 6, 4, 6]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])]).shape).toEqual([2, 2]);
    expectError(() => cat([a, tensor([1, 2, 3]).view(1, 3)]), "cat", "tensors[1]", "[1,3]", "dim 0");
    expectError(() => cat([]), "cat", "non-empty");
    expectError(() => stack([tensor([1]), tensor([1, 2])]), "stack", "tensors[1]", "[2]");
  });

  it("split and chunk give views that cover the dim in order", () => {
    const t = arange(10);
    expect(t.split(4).map((p) => p.toFlat())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(t.split([1, 6, 3]).map((p) => p.size)).toEqual([1, 6, 3]);
    expect(t.chunk(3).map((p) => p.size)).toEqual([4, 4, 2]);
    expect(t.chunk(3)[1].storage).toBe(t.storage);
    expect(arange(6).view(2, 3).chunk(3, 1).map((p) => p.shape)).toEqual([[2, 1], [2, 1], [2, 1]]);
    expectError(() => t.split([3, 3]), "split", "[3,3]", "10");
    expectError(() => t.chunk(0), "chunk", "chunks", ">= 1");
  });
});

describe("argmax, argmin, max and min along a dim", () => {
  it("return indices as PyTorch does: the first of ties, over all elements without a dim", () => {
    const t = tensor([[1, 7, 7], [9, 0, 9], [2, 2, 2]]);
    expect(t.argmax(1).toFlat()).toEqual([1, 0, 0]);
    expect(t.argmin(0).toFlat()).toEqual([0, 1, 2]);
    expect(t.argmax().item()).toBe(3);
    expect(t.argmax(1, true).shape).toEqual([3, 1]);
    expect(t.argmax(1).requiresGrad).toBe(false);
    const { values, indices } = t.maxWithIndices(0);
    expect(values.toFlat()).toEqual([9, 7, 9]);
    expect(indices.toFlat()).toEqual([1, 0, 1]);
    const low = t.minWithIndices(1, true);
    expect(low.values.toArray()).toEqual([[1], [0], [2]]);
    expect(low.indices.toArray()).toEqual([[0], [1], [0]]);
    expect(t.min().item()).toBe(0);
  });

  it("a NaN counts as the maximum (and the minimum), as in PyTorch", () => {
    const t = tensor([[1, NaN, 3], [NaN, 5, 1]]);
    expect(t.argmax(1).toFlat()).toEqual([1, 0]);
    expect(t.argmin(1).toFlat()).toEqual([1, 0]);
    expect(t.max(1).toFlat().every(Number.isNaN)).toBe(true);
  });

  it("property: argmax / argmin are the first extreme of each lane; max / min are the values there", () => {
    const arb = shapes(3, 4).chain((s) => {
      const n = s.reduce((a, b) => a * b, 1);
      const small = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n });
      return fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.length - 1 }), small);
    });
    fc.assert(
      fc.property(arb, ([shape, dim, vals]) => {
        const t = tensor(vals).view(...shape);
        const first = (lane: number[], better: (a: number, b: number) => boolean) =>
          lane.reduce((best, p, k) => (better(vals[p], vals[lane[best]]) ? k : best), 0);
        const ls = lanes(shape, dim);
        expect(t.argmax(dim).toFlat()).toEqual(ls.map((l) => first(l, (a, b) => a > b)));
        expect(t.argmin(dim).toFlat()).toEqual(ls.map((l) => first(l, (a, b) => a < b)));
        expect(t.max(dim).toFlat()).toEqual(ls.map((l) => Math.max(...l.map((p) => vals[p]))));
        expect(t.min(dim).toFlat()).toEqual(ls.map((l) => Math.min(...l.map((p) => vals[p]))));
      }),
      fcOptions(80),
    );
  });

  it("an empty dim has no max", () => {
    expectError(() => tensor([]).max(), "max", "empty");
    expectError(() => tensor([]).argmin(0), "argmin", "empty");
  });
});

describe.each(["reference", "fast"])("gradients of indexing and joining (%s backend)", (name) => {
  let previous = "";
  beforeAll(() => (previous = useBackend(name)));
  afterAll(() => void useBackend(previous));

  it("gather and indexSelect: each gradient goes back to the element read, summed over repeats", () => {
    fc.assert(
      fc.property(gatherCase, ({ t, dim, index }) => {
        gradCheck((x) => x.gather(dim, index), [t]);
        gradCheck((x) => x.indexSelect(dim, index.reshape(-1).narrow(0, 0, Math.min(index.size, 5))), [t]);
      }),
      fcOptions(30),
    );
  });

  it("maskedFill and where: the gradient goes to the branch taken", () => {
    const arb = anyTensor(3, 3).chain((t) =>
      fc.tuple(fc.constant(t), tensorOf(t.shape), fc.array(fc.boolean(), { minLength: t.size, maxLength: t.size })));
    fc.assert(
      fc.property(arb, ([a, b, bits]) => {
        const mask = tensor(bits.map(Number)).view(...a.shape);
        gradCheck((x) => x.maskedFill(mask, 2).mul(x), [a]);
        gradCheck((x, y) => where(mask, x, y).mul(x), [a, b]);
        gradCheck((x) => where(mask.select(0, 0), x, 3), [a]);
      }),
      fcOptions(30),
    );
  });

  it("cat, stack, split and chunk route each part's gradient to its input", () => {
    const arb = shapes(3, 3).chain((s) =>
      fc
        .tuple(fc.integer({ min: 0, max: s.length - 1 }), tensorOf(s), fc.integer({ min: 1, max: 3 }))
        .chain(([dim, a, k]) => tensorOf(s.map((d, i) => (i === dim ? k : d))).map((b) => ({ dim, a, b }))));
    fc.assert(
      fc.property(arb, ({ dim, a, b }) => {
        gradCheck((x, y) => cat([x, y.mul(y), x], dim), [a, b]);
        gradCheck((x, y) => stack([x, y.mul(x)], dim), [a, a.mul(0.5).detach()]);
        gradCheck((x) => { const [p, q] = x.chunk(2, dim).concat([x]); return p.sum().mul(q.sum()); }, [a]);
        gradCheck((x) => cat(x.split(1, dim).reverse(), dim), [b]);
      }),
      fcOptions(30),
    );
  });

  it("max and min along a dim (ties broken) send the gradient to the extreme only", () => {
    const arb = anyTensor(3, 4).chain((t) =>
      fc.tuple(fc.constant(t), fc.integer({ min: 0, max: t.dims - 1 }), fc.boolean()));
    fc.assert(
      fc.property(arb, ([t, dim, keep]) => {
        const u = breakTies(t);
        gradCheck((x) => x.max(dim, keep), [u]);
        gradCheck((x) => x.min(dim, keep).mul(x.min()), [u]);
        gradCheck((x) => x.maxWithIndices(dim).values.add(x.minWithIndices(dim).values), [u]);
      }),
      fcOptions(30),
    );
  });
});

describe("grad_fn names", () => {
  it("max along a dim prints MaxBackward, gather GatherBackward", () => {
    const x = tensor([[1, 2]], { requiresGrad: true });
    expect(x.max(1).toString()).toContain("grad_fn=<MaxBackward>");
    expect(x.gather(1, tensor([[1]])).toString()).toContain("grad_fn=<GatherBackward>");
    expect((x.min(1) as Tensor).history?.name).toBe("min");
  });
});
