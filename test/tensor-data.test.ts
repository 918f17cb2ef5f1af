/**
 * Strided storage (src/data/tensor-data.ts): views share storage, permute and view are O(1) and round trip,
 * view of a non-contiguous layout is refused, contiguity, and bounds checks whose messages name the index
 * and the shape.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TensorData } from "../src";
import { expectError } from "./support/errors";
import { fcOptions, permutationOf, shapes } from "./support/gradcheck";

/** A contiguous TensorData holding 0, 1, 2, ... in row-major order. */
function iota(shape: number[]): TensorData {
  const n = shape.reduce((a, b) => a * b, 1);
  return new TensorData(Float64Array.from({ length: n }, (_, i) => i), shape);
}

/** Every index of a shape in row-major order (written without the library's toIndex). */
function allIndices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) out = out.flatMap((prefix) => Array.from({ length: d }, (_, i) => [...prefix, i]));
  return out;
}


const shapeAndPerm = shapes(4, 4).chain((s) => fc.tuple(fc.constant(s), permutationOf(s.length)));

describe("TensorData basics", () => {
  it("get reads row-major storage; set writes it", () => {
    const t = iota([2, 3]);
    expect(t.strides).toEqual([3, 1]);
    expect(t.size).toBe(6);
    expect(t.dims).toBe(2);
    expect(t.get([0, 0])).toBe(0);
    expect(t.get([1, 2])).toBe(5);
    expect(t.get([1, 0])).toBe(3);
    t.set([0, 2], 42);
    expect(t.storage[2]).toBe(42);
  });

  it("zeros makes a contiguous zero-filled tensor; a scalar shape holds one value", () => {
    const z = TensorData.zeros([2, 2]);
    expect(Array.from(z.storage)).toEqual([0, 0, 0, 0]);
    expect(z.isContiguous()).toBe(true);
    const s = TensorData.zeros([]);
    expect(s.size).toBe(1);
    s.set([], 7);
    expect(s.get([])).toBe(7);
  });

  it("shape and strides are frozen copies: mutating the caller's array does not change the tensor", () => {
    const shape = [2, 3];
    const t = new TensorData(new Float64Array(6), shape);
    shape[0] = 99;
    expect(t.shape).toEqual([2, 3]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it("rejects strides of the wrong length and bad shapes", () => {
    expectError(() => new TensorData(new Float64Array(6), [2, 3], [1]), "TensorData", "[1]", "[2,3]");
    expectError(() => TensorData.zeros([2, -1]), "zeros", "[2,-1]");
    expectError(() => TensorData.zeros([1.5]), "zeros");
  });
});

describe("views share storage", () => {
  it("permute and view return new TensorData over the same storage; writes are seen through both", () => {
    const t = iota([2, 3]);
    const p = t.permute([1, 0]);
    const v = t.view([3, 2]);
    expect(p.storage).toBe(t.storage);
    expect(v.storage).toBe(t.storage);
    p.set([2, 1], -1); // element (1, 2) of t
    expect(t.get([1, 2])).toBe(-1);
    expect(v.get([2, 1])).toBe(-1); // ordinal 5 in both row-major layouts
    v.set([0, 1], -2); // ordinal 1 = t[0, 1] = p[1, 0]
    expect(t.get([0, 1])).toBe(-2);
    expect(p.get([1, 0])).toBe(-2);
  });

  it("permute of [2,3] swaps shape and strides: transpose by strides, no copy", () => {
    const p = iota([2, 3]).permute([1, 0]);
    expect(p.shape).toEqual([3, 2]);
    expect(p.strides).toEqual([1, 3]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(p.get([j, i])).toBe(3 * i + j);
  });
});

describe("permute", () => {
  it("property: element i of t.permute(p) is element j of t with j[p[k]] = i[k]", () => {
    fc.assert(
      fc.property(shapeAndPerm, ([shape, p]) => {
        const t = iota(shape);
        const q = t.permute(p);
        expect(q.shape).toEqual(p.map((d) => shape[d]));
        const bad = allIndices(q.shape).filter((i) => {
          const j = new Array<number>(shape.length);
          p.forEach((d, k) => (j[d] = i[k]));
          return q.get(i) !== t.get(j);
        });
        expect(bad).toEqual([]);
      }),
      fcOptions(50),
    );
  });

  it("property: permute by p then by the inverse of p is the identity (shape, strides and every element)", () => {
    fc.assert(
      fc.property(shapeAndPerm, ([shape, p]) => {
        const t = iota(shape);
        const inverse = new Array<number>(p.length);
        p.forEach((d, k) => (inverse[d] = k));
        const back = t.permute(p).permute(inverse);
        expect(back.shape).toEqual(t.shape);
        expect(back.strides).toEqual(t.strides);
        expect(allIndices(shape).every((i) => back.get(i) === t.get(i))).toBe(true);
      }),
      fcOptions(50),
    );
  });

  it("rejects orders that are not a permutation of the dims, naming the order and the shape", () => {
    const t = iota([2, 3]);
    expectError(() => t.permute([0, 0]), "permute", "[0,0]", "[2,3]");
    expectError(() => t.permute([0]), "permute", "[0]");
    expectError(() => t.permute([0, 2]), "permute", "[0,2]");
  });
});

describe("view", () => {
  it("property: view to 1-D then back gives the same elements at the same indices", () => {
    fc.assert(
      fc.property(shapes(4, 4), (shape) => {
        const t = iota(shape);
        const flat = t.view([t.size]);
        expect(flat.shape).toEqual([t.size]);
        for (let i = 0; i < t.size; i++) expect(flat.get([i])).toBe(i); // row-major order
        const back = flat.view(shape);
        expect(back.shape).toEqual(shape);
        expect(back.strides).toEqual(t.strides);
        expect(allIndices(shape).every((i) => back.get(i) === t.get(i))).toBe(true);
      }),
      fcOptions(50),
    );
  });

  it("resolves one -1 from the element count", () => {
    const t = iota([2, 3, 4]);
    expect(t.view([-1, 4]).shape).toEqual([6, 4]);
    expect(t.view([2, -1]).shape).toEqual([2, 12]);
    expect(t.view([-1]).shape).toEqual([24]);
  });

  it("on a non-contiguous layout throws a MiniTorchError that says to call contiguous()", () => {
    const p = iota([2, 3]).permute([1, 0]);
    expectError(() => p.view([6]), "view", "[3,2]", "contiguous");
  });

  it("rejects sizes that do not match and more than one -1", () => {
    const t = iota([2, 3]);
    expectError(() => t.view([4]), "view", "[4]", "6");
    expectError(() => t.view([-1, -1]), "view", "[-1,-1]");
    expectError(() => t.view([-1, 4]), "view", "[-1,4]");
  });
});

describe("isContiguous", () => {
  it("fresh tensors are contiguous; a transposed matrix is not", () => {
    expect(iota([2, 3]).isContiguous()).toBe(true);
    expect(iota([2, 3]).permute([1, 0]).isContiguous()).toBe(false);
    expect(iota([2, 3, 4]).permute([0, 2, 1]).isContiguous()).toBe(false);
  });

  it("moving a size-1 dim keeps element order, so the layout is still contiguous", () => {
    // [1,3] permuted to [3,1]: elements are still read 0, 1, 2 from storage
    const p = iota([1, 3]).permute([1, 0]);
    expect(p.isContiguous()).toBe(true);
    expect(p.view([3]).get([2])).toBe(2);
  });

  it("property: contiguous exactly when every permuted (size > 1) dim stays in order", () => {
    fc.assert(
      fc.property(shapeAndPerm, ([shape, p]) => {
        const q = iota(shape).permute(p);
        // naive: read the elements in row-major order of q; contiguous iff they are 0, 1, 2, ...
        const inOrder = allIndices(q.shape).every((i, ord) => q.get(i) === ord);
        expect(q.isContiguous()).toBe(inOrder);
      }),
      fcOptions(100),
    );
  });
});

describe("bounds checks", () => {
  const t = iota([2, 3]);

  it("get with an out-of-range index names the index and the shape", () => {
    expectError(() => t.get([2, 0]), "get", "[2,0]", "[2,3]");
    expectError(() => t.get([0, 3]), "get", "[0,3]", "[2,3]");
    expectError(() => t.get([-1, 0]), "get", "[-1,0]", "[2,3]");
    expectError(() => t.get([0.5, 0]), "get", "[0.5,0]");
  });

  it("set with an out-of-range index names the index and the shape, and writes nothing", () => {
    const before = Array.from(t.storage);
    expectError(() => t.set([1, 3], 9), "set", "[1,3]", "[2,3]");
    expect(Array.from(t.storage)).toEqual(before);
  });

  it("the wrong number of indices is reported with the shape", () => {
    expectError(() => t.get([1]), "get", "1 indices", "[2,3]");
    expectError(() => t.set([0, 0, 0], 1), "set", "3 indices", "[2,3]");
  });

  it("a permuted view checks against its own shape", () => {
    const p = t.permute([1, 0]); // [3,2]
    expect(p.get([2, 1])).toBe(t.get([1, 2]));
    expectError(() => p.get([0, 2]), "[0,2]", "[3,2]");
  });
});
