/**
 * Kernels (src/ops/kernels.ts, src/ops/matmul.ts, through the reference backend): map / zip / reduce on
 * strided (permuted) and broadcast inputs against naive references written here over plain row-major
 * arrays, matmul against a triple loop (batched, broadcast batch dims, 1-D operands). The fused kernels
 * only the fast backend has (its plain-loop paths, for these small tensors): argmax picking the first max
 * on ties, and softmax rows that sum to 1 and survive [1000, 2000, 3000].
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TensorData, fromStorage, referenceBackend as B, Tensor, MiniTorchError } from "../src";
import { tensorMap, tensorReduce, tensorZip } from "../src/ops/kernels";
import { tensorMatmul } from "../src/ops/matmul";
import { fastBackend as Fused } from "../src/ops/fast";
import { broadcastablePair, fcOptions, permutationOf, shapes, valuesOf } from "./support/gradcheck";

// ---- naive helpers over plain row-major arrays (no library code) ----------------------------------

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Every index of a shape in row-major order. */
function allIndices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) out = out.flatMap((prefix) => Array.from({ length: d }, (_, i) => [...prefix, i]));
  return out;
}

/** Row-major ordinal by Horner's rule. */
function ord(index: readonly number[], shape: readonly number[]): number {
  let o = 0;
  for (let i = 0; i < shape.length; i++) o = o * shape[i] + index[i];
  return o;
}

/** The index of a smaller shape that a big index reads under broadcasting (right-aligned, 1s read 0). */
function bcast(bigIndex: readonly number[], small: readonly number[]): number[] {
  const off = bigIndex.length - small.length;
  return small.map((d, i) => (d === 1 ? 0 : bigIndex[i + off]));
}

function naiveBroadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const pa = [...Array(n - a.length).fill(1), ...a];
  const pb = [...Array(n - b.length).fill(1), ...b];
  return pa.map((d, i) => Math.max(d, pb[i]));
}

/** Reads a TensorData at a logical index with plain stride arithmetic. */
function read(t: TensorData, index: readonly number[]): number {
  let pos = 0;
  index.forEach((v, k) => (pos += v * t.strides[k]));
  return t.storage[pos];
}

/** All elements of a TensorData in row-major logical order. */
function logicalValues(t: TensorData): number[] {
  return allIndices(t.shape).map((i) => read(t, i));
}

/**
 * A TensorData with logical shape `shape` and row-major logical values `vals`, stored in the layout of
 * `perm`: it is a contiguous tensor of the permuted shape, permuted back, so its strides are not row-major
 * whenever perm moves a dim of size > 1.
 */
function strided(shape: readonly number[], vals: readonly number[], perm: readonly number[]): TensorData {
  const baseShape = new Array<number>(shape.length);
  perm.forEach((d, k) => (baseShape[d] = shape[k]));
  const storage = new Float64Array(vals.length);
  for (const j of allIndices(baseShape)) {
    const i = perm.map((d) => j[d]);
    storage[ord(j, baseShape)] = vals[ord(i, shape)];
  }
  return new TensorData(storage, baseShape).permute(perm);
}

/** fast-check: a logical tensor (shape, values, layout permutation). */
function logicalTensor(shape: number[], range = {}): fc.Arbitrary<{ shape: number[]; vals: number[]; t: TensorData }> {
  return fc
    .tuple(valuesOf(sizeOf(shape), range), permutationOf(shape.length))
    .map(([vals, perm]) => ({ shape, vals, t: strided(shape, vals, perm) }));
}

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol * (1 + Math.abs(b));

// ---- tests ---------------------------------------------------------------------------------------------

describe("the strided test fixture itself", () => {
  it("really produces non-contiguous layouts with the intended logical values", () => {
    const t = strided([2, 3], [0, 1, 2, 3, 4, 5], [1, 0]);
    expect(t.isContiguous()).toBe(false);
    expect(t.get([1, 0])).toBe(3);
    expect(t.get([0, 2])).toBe(2);
    expect(logicalValues(t)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe("map", () => {
  const f = (x: number): number => 3 * x - 1;

  it("property: on permuted inputs, out[i] = f(a[i]) in logical order", () => {
    fc.assert(
      fc.property(shapes(4, 4).chain((s) => logicalTensor(s)), ({ vals, t }) => {
        const out = B.map(f, t);
        expect(out.shape).toEqual(t.shape);
        expect(logicalValues(out)).toEqual(vals.map(f));
      }),
      fcOptions(50),
    );
  });

  it("property: writes into a permuted (non-contiguous) out at the right positions", () => {
    fc.assert(
      fc.property(
        shapes(4, 4).chain((s) => fc.tuple(logicalTensor(s), permutationOf(s.length))),
        ([{ shape, vals, t }, outPerm]) => {
          const out = strided(shape, new Array(vals.length).fill(0), outPerm);
          tensorMap(f, out, t);
          expect(logicalValues(out)).toEqual(vals.map(f));
        },
      ),
      fcOptions(50),
    );
  });

  it("property: broadcasts a smaller input to the requested shape", () => {
    fc.assert(
      fc.property(
        broadcastablePair(3, 3).chain(([a, b]) => fc.tuple(logicalTensor(a), fc.constant(naiveBroadcastShape(a, b)))),
        ([{ shape, vals, t }, big]) => {
          const out = B.map(f, t, big);
          expect(out.shape).toEqual(big);
          const expected = allIndices(big).map((i) => f(vals[ord(bcast(i, shape), shape)]));
          expect(logicalValues(out)).toEqual(expected);
        },
      ),
      fcOptions(50),
    );
  });
});

describe("zip", () => {
  const g = (x: number, y: number): number => 2 * x - y; // not symmetric: swapped operands would show

  it("hand-computed broadcast of a column and a row", () => {
    const col = new TensorData(Float64Array.of(1, 2), [2, 1]);
    const row = new TensorData(Float64Array.of(10, 20, 30), [3]);
    const out = B.zip(g, col, row);
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.storage)).toEqual([2 - 10, 2 - 20, 2 - 30, 4 - 10, 4 - 20, 4 - 30]);
  });

  it("property: on broadcast and permuted inputs, out[i] = g(a[bcast i], b[bcast i])", () => {
    fc.assert(
      fc.property(
        broadcastablePair(4, 3).chain(([a, b]) => fc.tuple(logicalTensor(a), logicalTensor(b))),
        ([A, Bt]) => {
          const big = naiveBroadcastShape(A.shape, Bt.shape);
          const out = B.zip(g, A.t, Bt.t);
          expect(out.shape).toEqual(big);
          const expected = allIndices(big).map((i) =>
            g(A.vals[ord(bcast(i, A.shape), A.shape)], Bt.vals[ord(bcast(i, Bt.shape), Bt.shape)]),
          );
          expect(logicalValues(out)).toEqual(expected);
        },
      ),
      fcOptions(60),
    );
  });

  it("property: same-shape inputs into a permuted out", () => {
    fc.assert(
      fc.property(
        shapes(3, 4).chain((s) => fc.tuple(logicalTensor(s), logicalTensor(s), permutationOf(s.length))),
        ([A, Bt, outPerm]) => {
          const out = strided(A.shape, new Array(A.vals.length).fill(0), outPerm);
          tensorZip(g, out, A.t, Bt.t);
          expect(logicalValues(out)).toEqual(A.vals.map((x, i) => g(x, Bt.vals[i])));
        },
      ),
      fcOptions(40),
    );
  });

  it("a one-element operand is broadcast against a contiguous one (both argument orders)", () => {
    const a = new TensorData(Float64Array.of(1, 2, 3, 4), [2, 2]);
    const c = new TensorData(Float64Array.of(5), [1, 1]);
    expect(Array.from(B.zip(g, a, c).storage)).toEqual([2 - 5, 4 - 5, 6 - 5, 8 - 5]);
    expect(Array.from(B.zip(g, c, a).storage)).toEqual([10 - 1, 10 - 2, 10 - 3, 10 - 4]);
  });
});

describe("reduce", () => {
  /** Left fold along dim, over plain arrays. */
  function naiveReduce(
    shape: number[], vals: number[], dim: number, fn: (a: number, x: number) => number, start: number,
  ) {
    const outShape = shape.map((d, i) => (i === dim ? 1 : d));
    return allIndices(outShape).map((o) => {
      let acc = start;
      for (let k = 0; k < shape[dim]; k++) {
        const i = [...o];
        i[dim] = k;
        acc = fn(acc, vals[ord(i, shape)]);
      }
      return acc;
    });
  }

  const withDim = shapes(4, 4).chain((s) => fc.tuple(logicalTensor(s), fc.integer({ min: 0, max: s.length - 1 })));

  it("hand-computed sums of a [2,3] matrix along each dim", () => {
    const t = new TensorData(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    const add = (a: number, b: number): number => a + b;
    expect(B.reduce(add, 0, t, 0).shape).toEqual([1, 3]);
    expect(Array.from(B.reduce(add, 0, t, 0).storage)).toEqual([5, 7, 9]);
    expect(Array.from(B.reduce(add, 0, t, 1).storage)).toEqual([6, 15]);
  });

  it("property: sum and max along any dim of a permuted input", () => {
    fc.assert(
      fc.property(withDim, ([{ shape, vals, t }, dim]) => {
        const add = (a: number, b: number): number => a + b;
        const max = (a: number, b: number): number => (a > b ? a : b);
        const s = B.reduce(add, 0, t, dim);
        expect(s.shape).toEqual(shape.map((d, i) => (i === dim ? 1 : d)));
        const expected = naiveReduce(shape, vals, dim, add, 0);
        logicalValues(s).forEach((v, i) => expect(close(v, expected[i])).toBe(true));
        expect(logicalValues(B.reduce(max, -Infinity, t, dim))).toEqual(naiveReduce(shape, vals, dim, max, -Infinity));
      }),
      fcOptions(60),
    );
  });

  it("property: folds left to right from start (checked with a non-commutative fold)", () => {
    const fold = (acc: number, x: number): number => acc * 0.5 + x;
    fc.assert(
      fc.property(withDim, ([{ shape, vals, t }, dim]) => {
        const got = logicalValues(B.reduce(fold, 7, t, dim));
        const expected = naiveReduce(shape, vals, dim, fold, 7);
        got.forEach((v, i) => expect(close(v, expected[i])).toBe(true));
      }),
      fcOptions(50),
    );
  });

  it("writes into a permuted out", () => {
    const t = strided([2, 3, 2], Array.from({ length: 12 }, (_, i) => i), [2, 0, 1]);
    const out = strided([2, 1, 2], [0, 0, 0, 0], [2, 1, 0]);
    tensorReduce((a, b) => a + b, 0, out, t, 1);
    // out[i, 0, k] = sum_j (6i + 2j + k)
    expect(logicalValues(out)).toEqual([0 + 2 + 4, 1 + 3 + 5, 6 + 8 + 10, 7 + 9 + 11]);
  });
});

describe("fused argmax", () => {
  it("one-hot of the FIRST max on ties, hand-computed along each dim", () => {
    const t = new TensorData(Float64Array.of(1, 3, 3, 2, 2, 1), [2, 3]);
    expect(Array.from(Fused.argmax(t, 1).storage)).toEqual([0, 1, 0, 1, 0, 0]);
    // columns (1,2) (3,2) (3,1)
    expect(Array.from(Fused.argmax(t, 0).storage)).toEqual([0, 1, 1, 1, 0, 0]);
  });

  it("property: with many ties (values in {0,1,2}) and permuted inputs, marks exactly the first max of a lane", () => {
    const tiny = shapes(3, 4).chain((s) =>
      fc.tuple(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: sizeOf(s), maxLength: sizeOf(s) }),
        permutationOf(s.length),
        fc.integer({ min: 0, max: s.length - 1 }),
        fc.constant(s),
      ),
    );
    fc.assert(
      fc.property(tiny, ([vals, perm, dim, shape]) => {
        const t = strided(shape, vals, perm);
        const got = logicalValues(Fused.argmax(t, dim));
        const expected = new Array<number>(vals.length).fill(0);
        const laneShape = shape.map((d, i) => (i === dim ? 1 : d));
        for (const o of allIndices(laneShape)) {
          let best = -1;
          let bestK = -1;
          for (let k = 0; k < shape[dim]; k++) {
            const i = [...o];
            i[dim] = k;
            const v = vals[ord(i, shape)];
            if (bestK < 0 || v > best) [best, bestK] = [v, k];
          }
          const i = [...o];
          i[dim] = bestK;
          expected[ord(i, shape)] = 1;
        }
        expect(got).toEqual(expected);
      }),
      fcOptions(60),
    );
  });
});

describe("fused softmax", () => {
  const withDim = shapes(3, 4).chain((s) =>
    fc.tuple(logicalTensor(s, { min: -20, max: 20 }), fc.integer({ min: 0, max: s.length - 1 })),
  );

  /** exp(x) / sum exp(x) straight from the definition (fine for |x| <= 20). */
  function naiveSoftmax(shape: number[], vals: number[], dim: number): number[] {
    const out = new Array<number>(vals.length);
    for (const o of allIndices(shape.map((d, i) => (i === dim ? 1 : d)))) {
      const lane = Array.from({ length: shape[dim] }, (_, k) => {
        const i = [...o];
        i[dim] = k;
        return ord(i, shape);
      });
      const z = lane.reduce((s, p) => s + Math.exp(vals[p]), 0);
      for (const p of lane) out[p] = Math.exp(vals[p]) / z;
    }
    return out;
  }

  it("property: agrees with the definition on permuted inputs; log=true gives its log", () => {
    fc.assert(
      fc.property(withDim, ([{ shape, vals, t }, dim]) => {
        const expected = naiveSoftmax(shape, vals, dim);
        const got = logicalValues(Fused.softmax(t, dim, false));
        got.forEach((v, i) => expect(close(v, expected[i], 1e-10)).toBe(true));
        const logGot = logicalValues(Fused.softmax(t, dim, true));
        logGot.forEach((v, i) => expect(Math.abs(v - Math.log(expected[i]))).toBeLessThan(1e-10));
      }),
      fcOptions(50),
    );
  });

  it("property: every lane sums to 1, values in [0, 1], even for large inputs", () => {
    fc.assert(
      fc.property(
        shapes(3, 4).chain((s) =>
          fc.tuple(logicalTensor(s, { min: -1e4, max: 1e4 }), fc.integer({ min: 0, max: s.length - 1 })),
        ),
        ([{ shape, t }, dim]) => {
          const out = Fused.softmax(t, dim, false);
          const sums = logicalValues(B.reduce((a, b) => a + b, 0, out, dim));
          sums.forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-12));
          logicalValues(out).forEach((v) => {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          });
          expect(out.shape).toEqual(shape);
        },
      ),
      fcOptions(50),
    );
  });

  it("[1000, 2000, 3000] gives [0, 0, 1] (no NaN), and log-softmax [-2000, -1000, 0]", () => {
    // softmax = e^{x - 3000} / (e^-2000 + e^-1000 + 1): e^-1000 underflows to 0 in float64
    const t = new TensorData(Float64Array.of(1000, 2000, 3000), [3]);
    const s = Array.from(Fused.softmax(t, 0, false).storage);
    expect(s.some(Number.isNaN)).toBe(false);
    expect(s).toEqual([0, 0, 1]);
    expect(Array.from(Fused.softmax(t, 0, true).storage)).toEqual([-2000, -1000, 0]);
    const neg = new TensorData(Float64Array.of(-1000, -2000, -3000), [3]);
    expect(Array.from(Fused.softmax(neg, 0, false).storage)).toEqual([1, 0, 0]);
  });

  it("equal inputs give the uniform distribution", () => {
    const t = new TensorData(Float64Array.of(5, 5, 5, 5), [4]);
    expect(Array.from(Fused.softmax(t, 0, false).storage)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe("matmul", () => {
  /** out[..., i, j] = sum_k a[..., i, k] b[..., k, j] with broadcast batch dims: a plain triple loop. */
  function naiveMatmul(
    aShape: number[], a: number[], bShape: number[], b: number[],
  ): { shape: number[]; vals: number[] } {
    const [n, m] = aShape.slice(-2);
    const p = bShape[bShape.length - 1];
    const aBatch = aShape.slice(0, -2);
    const bBatch = bShape.slice(0, -2);
    const batch = naiveBroadcastShape(aBatch, bBatch);
    const shape = [...batch, n, p];
    const vals: number[] = [];
    for (const bi of allIndices(batch)) {
      const ai = bcast(bi, aBatch);
      const bj = bcast(bi, bBatch);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < p; j++) {
          let s = 0;
          for (let k = 0; k < m; k++) s += a[ord([...ai, i, k], aShape)] * b[ord([...bj, k, j], bShape)];
          vals.push(s);
        }
    }
    return { shape, vals };
  }

  const size = () => fc.integer({ min: 1, max: 4 });
  const operands = fc
    .tuple(broadcastablePair(2, 3), size(), size(), size())
    .chain(([[ba, bb], n, m, p]) => fc.tuple(logicalTensor([...ba, n, m]), logicalTensor([...bb, m, p])));

  it("hand-computed 2x2", () => {
    const a = new TensorData(Float64Array.of(1, 2, 3, 4), [2, 2]);
    const b = new TensorData(Float64Array.of(5, 6, 7, 8), [2, 2]);
    expect(Array.from(B.matmul(a, b, [2, 2]).storage)).toEqual([19, 22, 43, 50]);
  });

  it("property: batched, broadcast batch dims, permuted (strided) operands agree with a triple loop", () => {
    fc.assert(
      fc.property(operands, ([A, Bt]) => {
        const expected = naiveMatmul(A.shape, A.vals, Bt.shape, Bt.vals);
        const out = B.matmul(A.t, Bt.t, expected.shape);
        expect(out.shape).toEqual(expected.shape);
        logicalValues(out).forEach((v, i) => expect(close(v, expected.vals[i])).toBe(true));
      }),
      fcOptions(60),
    );
  });

  it("writes into a permuted (zero-filled) out", () => {
    const a = strided([2, 2, 3], Array.from({ length: 12 }, (_, i) => i - 5), [0, 2, 1]);
    const b = strided([3, 2], [1, -1, 2, 0, -3, 4], [1, 0]);
    const expected = naiveMatmul([2, 2, 3], logicalValues(a), [3, 2], logicalValues(b));
    const out = strided([2, 2, 2], new Array(8).fill(0), [2, 1, 0]);
    tensorMatmul(out, a, b);
    expect(logicalValues(out)).toEqual(expected.vals);
  });

  it("Tensor.matmul with 1-D operands: vector @ matrix, matrix @ vector, vector @ vector (a 0-dim dot)", () => {
    const m = fromStorage(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    const v2 = fromStorage(Float64Array.of(1, -1), [2]);
    const v3 = fromStorage(Float64Array.of(2, 0, 1), [3]);
    const vm = v2.matmul(m); // [1,-1] @ [[1,2,3],[4,5,6]]
    expect(vm.shape).toEqual([3]);
    expect(vm.toFlat()).toEqual([1 - 4, 2 - 5, 3 - 6]);
    const mv = m.matmul(v3); // rows dotted with [2,0,1]
    expect(mv.shape).toEqual([2]);
    expect(mv.toFlat()).toEqual([2 + 3, 8 + 6]);
    const dot = v3.matmul(v3);
    expect(dot.shape).toEqual([]);
    expect(dot.item()).toBe(5);
  });

  it("property: Tensor.matmul with a 1-D operand against a batch agrees with the triple loop", () => {
    const cases = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
      .chain(([batch, m, p]) =>
        fc.tuple(logicalTensor([m]), logicalTensor([batch, m, p]), logicalTensor([batch, p, m])),
      );
    fc.assert(
      fc.property(cases, ([v, bat, batT]) => {
        const [batch, m, p] = bat.shape;
        // v @ bat: v acts as a [1, m] row; the row dim is then dropped
        const e1 = naiveMatmul([1, m], v.vals, bat.shape, bat.vals);
        const r1 = new Tensor(v.t).matmul(new Tensor(bat.t));
        expect(r1.shape).toEqual([batch, p]);
        r1.toFlat().forEach((x, i) => expect(close(x, e1.vals[i])).toBe(true));
        // batT @ v: v acts as an [m, 1] column; the column dim is then dropped
        const e2 = naiveMatmul(batT.shape, batT.vals, [m, 1], v.vals);
        const r2 = new Tensor(batT.t).matmul(new Tensor(v.t));
        expect(r2.shape).toEqual([batch, p]);
        r2.toFlat().forEach((x, i) => expect(close(x, e2.vals[i])).toBe(true));
      }),
      fcOptions(40),
    );
  });

  it("mismatched inner dims throw naming matmul and both shapes", () => {
    const a = fromStorage(new Float64Array(6), [2, 3]);
    const b = fromStorage(new Float64Array(20), [4, 5]);
    let err: unknown = null;
    try {
      a.matmul(b);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MiniTorchError);
    const msg = (err as Error).message;
    for (const part of ["matmul", "[2,3]", "[4,5]"]) expect(msg).toContain(part);
  });
});
