/**
 * Shapes and strides (src/data/shape.ts, minitorch module 2): row-major strides, index <-> position
 * round trips over every ordinal, broadcasting against an independent naive implementation, broadcastIndex
 * against the "stride 0" formulation of broadcasting, and error messages naming both shapes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MiniTorchError,
  broadcastIndex,
  indexToPosition,
  shapeBroadcast,
  shapeSize,
  stridesFromShape,
  toIndex,
} from "../src";
import { broadcastablePair, fcOptions, shapes } from "./support/gradcheck";

/** Naive broadcasting, written the way NumPy's docs state the rule: pad the shorter shape with leading
 * 1s, then each dim pair must be equal or contain a 1; null when the shapes do not broadcast. */
function naiveBroadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const pa = [...Array(n - a.length).fill(1), ...a];
  const pb = [...Array(n - b.length).fill(1), ...b];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (pa[i] === pb[i]) out.push(pa[i]);
    else if (pa[i] === 1) out.push(pb[i]);
    else if (pb[i] === 1) out.push(pa[i]);
    else return null;
  }
  return out;
}

/** Row-major ordinal of an index, by Horner's rule (no strides involved). */
function ordinalOf(index: ArrayLike<number>, shape: readonly number[]): number {
  let ord = 0;
  for (let i = 0; i < shape.length; i++) ord = ord * shape[i] + index[i];
  return ord;
}

describe("stridesFromShape", () => {
  it("View(4, 2) makes strides (2, 1)", () => {
    expect(stridesFromShape([4, 2])).toEqual([2, 1]);
  });

  it("hand-computed cases, including a scalar and size-1 dims", () => {
    expect(stridesFromShape([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesFromShape([5])).toEqual([1]);
    expect(stridesFromShape([])).toEqual([]);
    expect(stridesFromShape([3, 1, 2])).toEqual([2, 2, 1]);
  });

  it("law: the last stride is 1 and each stride is the next one times the next dim", () => {
    fc.assert(
      fc.property(shapes(5, 5), (shape) => {
        const s = stridesFromShape(shape);
        expect(s.length).toBe(shape.length);
        expect(s[s.length - 1]).toBe(1);
        for (let i = 0; i < shape.length - 1; i++) expect(s[i]).toBe(s[i + 1] * shape[i + 1]);
      }),
      fcOptions(50),
    );
  });
});

describe("shapeSize", () => {
  it("multiplies the dims; a scalar shape has one element, a zero dim none", () => {
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([3, 0, 2])).toBe(0);
  });
});

describe("indexToPosition and toIndex", () => {
  it("hand-computed cases", () => {
    expect(indexToPosition([1, 2], [3, 1])).toBe(5);
    expect(indexToPosition([1, 2], [1, 2])).toBe(5); // transposed strides of a [2,3] storage
    expect(indexToPosition([1, 0, 3], [12, 4, 1])).toBe(15);
    expect(indexToPosition([], [])).toBe(0);
    const idx = [0, 0];
    toIndex(5, [2, 3], idx);
    expect(idx).toEqual([1, 2]);
    const idx3 = new Int32Array(3);
    toIndex(23, [2, 3, 4], idx3);
    expect(Array.from(idx3)).toEqual([1, 2, 3]);
  });

  it("round trip over every ordinal: toIndex then indexToPosition with row-major strides gives it back", () => {
    fc.assert(
      fc.property(shapes(4, 5, 0), (shape) => {
        const strides = stridesFromShape(shape);
        const index = new Int32Array(shape.length);
        const bad: string[] = [];
        for (let ord = 0; ord < shapeSize(shape); ord++) {
          toIndex(ord, shape, index);
          const inRange = index.every((v, i) => v >= 0 && v < shape[i]);
          // the index is the ord-th in row-major order, and row-major strides map it back to ord
          if (!inRange || ordinalOf(index, shape) !== ord || indexToPosition(index, strides) !== ord)
            bad.push(`ordinal ${ord} -> index [${Array.from(index)}]`);
        }
        expect(bad).toEqual([]);
      }),
      fcOptions(50),
    );
  });

  it("permuted strides visit every storage position exactly once", () => {
    fc.assert(
      fc.property(
        shapes(4, 4).chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length }),
          ),
        ),
        ([shape, order]) => {
          // storage laid out for the permuted shape, read through the original dims
          const permShape = order.map((d) => shape[d]);
          const permStrides = stridesFromShape(permShape);
          const strides = shape.map((_, d) => permStrides[order.indexOf(d)]);
          const seen = new Set<number>();
          const index = new Int32Array(shape.length);
          for (let ord = 0; ord < shapeSize(shape); ord++) {
            toIndex(ord, shape, index);
            seen.add(indexToPosition(index, strides));
          }
          expect(seen.size).toBe(shapeSize(shape));
          expect(Math.max(...seen)).toBe(shapeSize(shape) - 1);
        },
      ),
      fcOptions(50),
    );
  });
});

describe("shapeBroadcast", () => {
  it("hand-computed cases", () => {
    expect(shapeBroadcast([2, 3, 1], [4])).toEqual([2, 3, 4]);
    expect(shapeBroadcast([5, 1], [1, 6])).toEqual([5, 6]);
    expect(shapeBroadcast([], [2, 2])).toEqual([2, 2]);
    expect(shapeBroadcast([3], [3])).toEqual([3]);
    expect(shapeBroadcast([1], [])).toEqual([1]);
  });

  it("agrees with a naive implementation on arbitrary pairs (compatible or not)", () => {
    const dims = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 4 });
    let compatible = 0;
    let incompatible = 0;
    fc.assert(
      fc.property(dims, dims, (a, b) => {
        const expected = naiveBroadcast(a, b);
        if (expected === null) {
          incompatible++;
          expect(() => shapeBroadcast(a, b)).toThrow(MiniTorchError);
        } else {
          compatible++;
          expect(shapeBroadcast(a, b)).toEqual(expected);
          expect(shapeBroadcast(b, a)).toEqual(expected); // symmetric
        }
      }),
      fcOptions(200),
    );
    // the generator really exercised both branches
    expect(compatible).toBeGreaterThan(20);
    expect(incompatible).toBeGreaterThan(20);
  });

  it("always succeeds on pairs made to broadcast", () => {
    fc.assert(
      fc.property(broadcastablePair(4, 4), ([a, b]) => {
        expect(shapeBroadcast(a, b)).toEqual(naiveBroadcast(a, b));
      }),
      fcOptions(100),
    );
  });

  it("error names the op and both shapes", () => {
    expect(() => shapeBroadcast([2, 3], [4])).toThrow(MiniTorchError);
    try {
      shapeBroadcast([2, 3], [4], "add");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MiniTorchError);
      const msg = (e as Error).message;
      expect(msg.startsWith("add")).toBe(true);
      expect(msg).toContain("[2,3]");
      expect(msg).toContain("[4]");
    }
  });
});

describe("broadcastIndex", () => {
  it("hand-computed: leading dims dropped, size-1 dims read 0", () => {
    const out = [9, 9];
    broadcastIndex([1, 2, 3], [2, 3, 4], [3, 1], out);
    expect(out).toEqual([2, 0]);
    const out2 = [9];
    broadcastIndex([1, 2], [2, 4], [4], out2);
    expect(out2).toEqual([2]);
    const none: number[] = [];
    broadcastIndex([1, 1], [2, 2], [], none); // a scalar reads its only element
    expect(none).toEqual([]);
  });

  it("agrees with NumPy's stride-0 formulation of broadcasting for every index of the big shape", () => {
    fc.assert(
      fc.property(broadcastablePair(4, 3), ([small, other]) => {
        const big = naiveBroadcast(small, other)!;
        const strides = stridesFromShape(small);
        // a broadcast view: stride 0 for added leading dims and for dims of size 1
        const offset = big.length - small.length;
        const zeroStrides = big.map((_, i) => (i < offset || small[i - offset] === 1 ? 0 : strides[i - offset]));
        const bigIndex = new Int32Array(big.length);
        const smallIndex = new Int32Array(small.length);
        const bad: string[] = [];
        for (let ord = 0; ord < shapeSize(big); ord++) {
          toIndex(ord, big, bigIndex);
          broadcastIndex(bigIndex, big, small, smallIndex);
          let expected = 0;
          bigIndex.forEach((v, i) => (expected += v * zeroStrides[i]));
          const inRange = smallIndex.every((v, i) => v >= 0 && v < small[i]);
          if (!inRange || indexToPosition(smallIndex, strides) !== expected) {
            const [from, to] = [Array.from(bigIndex), Array.from(smallIndex)];
            bad.push(`big index [${from}] -> [${to}], expected position ${expected}`);
          }
        }
        expect(bad).toEqual([]);
      }),
      fcOptions(100),
    );
  });
});
