/**
 * Test support shared by every suite: a central-difference gradient checker that looks at EVERY index of
 * every input (not one sampled index, and not minitorch's 1e-2 tolerance), and fast-check arbitraries for
 * shapes, tensors and broadcastable shape pairs.
 *
 *   import { gradCheck, shapes, tensorOf, broadcastablePair, breakTies } from "./support/gradcheck";
 *   gradCheck((a, b) => a.mul(b), [x, y]);
 *
 * The library is used only through its public entry point, as a notebook would use it.
 */
import fc from "fast-check";
import { Generator, Tensor, TensorData, fromStorage, indexToPosition, noGrad, shapeSize, toIndex } from "../../src";

export interface GradCheckOptions {
  /** Step of the central difference (default 1e-6). */
  h?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, relative to |numeric| (default 1e-4). */
  rtol?: number;
  /**
   * How the output is reduced to the scalar whose gradient is checked:
   * - "random" (default): L = sum(out * w) with w a fixed, seeded weighting of uniform magnitudes in
   *   [0.5, 1.5] and random signs. Stronger than a plain sum: a backward that permutes, transposes or
   *   mis-broadcasts the incoming gradient gives wrong answers for a random w, while for w = 1 (all
   *   equal) many such bugs cancel out.
   * - "sum": L = sum(out).
   */
  weights?: "random" | "sum";
  /** Seed of the weighting w (default 1234). */
  seed?: number;
}

/**
 * Checks autodiff against central differences for every element of every input.
 *
 * For L(x) = sum(f(x) * w) (see `weights`) it runs `L.backward()` on fresh leaf copies of `inputs` and, for
 * every input k and every index i of it, compares the analytic dL/dx_k[i] with
 *
 *     numeric = (L(x + h e_i) - L(x - h e_i)) / 2h
 *
 * and requires |analytic - numeric| <= atol + rtol * |numeric|.
 *
 * Why these tolerances (all arithmetic is float64, eps = 2.2e-16):
 * - truncation error of the central difference is h^2/6 * |L'''|, about 2e-13 * |L'''| for h = 1e-6:
 *   negligible for the smooth ops we test on O(1) inputs;
 * - round-off error is about eps * |L| / h, i.e. 2e-10 * |L|: for the O(1)-O(1e3) losses of our small test
 *   tensors that is below 2e-7, two orders under atol = 1e-5;
 * - rtol = 1e-4 covers gradients that are large (exp of inputs up to ~5, 1/x of log near small x), where
 *   round-off scales with the value.
 * A wrong derivative (a missing factor, a wrong sign, a gradient sent to the wrong element, a missed
 * broadcast sum) is off by O(1) relative error, orders of magnitude above these bounds.
 * Keep inputs away from kinks (relu at 0, ties of max) by more than h, or the numeric side is meaningless.
 *
 * The caller's tensors are never written: the check works on copies (same shape, strides and offset, so a
 * permuted or sliced input stays one) and the caller's `.grad` fields are left untouched.
 * Throws an Error naming the input number, the index, both values and the tolerance; returns the analytic
 * gradients (one per input) for further assertions.
 */
export function gradCheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: GradCheckOptions = {},
): Tensor[] {
  const h = opts.h ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-4;

  // Leaf copies over copied storage: perturbing them never touches the caller's tensors.
  const leaves = inputs.map((t) => {
    const copy = new TensorData(Float64Array.from(t.storage), t.shape, t.strides, t.data.offset);
    return new Tensor(copy).requiresGrad_(true);
  });

  // The weighting w, fixed by the output's shape and the seed.
  const out0 = noGrad(() => f(...leaves));
  const weights = new Float64Array(out0.size);
  if (opts.weights === "sum") weights.fill(1);
  else {
    const g = new Generator(opts.seed ?? 1234);
    for (let i = 0; i < weights.length; i++) weights[i] = (0.5 + g.random()) * (g.random() < 0.5 ? -1 : 1);
  }
  const w = fromStorage(weights, out0.shape);

  /** L(x) computed outside autodiff, in plain float64 (out read in row-major order, as w is laid out). */
  const loss = (): number => {
    const out = noGrad(() => f(...leaves)).toFlat();
    if (out.length !== weights.length)
      throw new Error(`gradCheck: f's output changed size from ${weights.length} to ${out.length} under perturbation`);
    let s = 0;
    for (let i = 0; i < out.length; i++) s += out[i] * weights[i];
    return s;
  };

  // Analytic gradients.
  const out = f(...leaves);
  if (out.requiresGrad) out.mul(w).sum().backward();
  const analytic = leaves.map((leaf, k) => {
    const g = leaf.grad;
    if (g === null) return fromStorage(new Float64Array(leaf.size), leaf.shape); // L does not depend on it
    if (g.dims !== leaf.dims || g.shape.some((d, i) => d !== leaf.shape[i])) {
      throw new Error(
        `gradCheck: input ${k} has shape [${leaf.shape.join(",")}] but its gradient has shape [${g.shape.join(",")}]`,
      );
    }
    return g;
  });

  // Numeric gradients, one index at a time.
  const failures: string[] = [];
  let count = 0;
  leaves.forEach((leaf, k) => {
    const index = new Int32Array(leaf.dims);
    const analyticFlat = analytic[k].toFlat();
    for (let ord = 0; ord < leaf.size; ord++) {
      toIndex(ord, leaf.shape, index);
      const pos = indexToPosition(index, leaf.strides, leaf.data.offset);
      const x = leaf.storage[pos];
      leaf.storage[pos] = x + h;
      const plus = loss();
      leaf.storage[pos] = x - h;
      const minus = loss();
      leaf.storage[pos] = x;
      const numeric = (plus - minus) / (2 * h);
      const a = analyticFlat[ord];
      const tol = atol + rtol * Math.abs(numeric);
      if (!(Math.abs(a - numeric) <= tol)) {
        count++;
        if (failures.length < 5)
          failures.push(
            `input ${k} (shape [${leaf.shape.join(",")}]) at index [${Array.from(index).join(",")}] (value ${x}): ` +
              `analytic ${a} vs numeric ${numeric} (|diff| ${Math.abs(a - numeric)} > tol ${tol})`,
          );
      }
    }
  });
  if (count > 0) {
    throw new Error(
      `gradCheck: ${count} gradient entr${count === 1 ? "y" : "ies"} disagree with central differences ` +
        `(h=${h}, atol=${atol}, rtol=${rtol}):\n  ${failures.join("\n  ")}${count > failures.length ? "\n  ..." : ""}`,
    );
  }
  return analytic;
}

// ---- fast-check arbitraries -----------------------------------------------------------------------

/** Shapes with minDims..maxDims dims, each of length 1..maxSize (small, so every-index checks stay fast). */
export function shapes(maxDims = 3, maxSize = 4, minDims = 1): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxSize }), { minLength: minDims, maxLength: maxDims });
}

export interface ValueRange {
  /** Smallest value (default -5). */
  min?: number;
  /** Largest value (default 5). */
  max?: number;
  /** Values with |v| < minAbs are pushed out to +-minAbs (keeps relu away from its kink at 0). */
  minAbs?: number;
  /** Mark the tensors as leaves that require grad. */
  requiresGrad?: boolean;
}

/** Finite doubles in [min, max] (no NaN, no infinities): one value per element. */
export function valuesOf(n: number, range: ValueRange = {}): fc.Arbitrary<number[]> {
  const { min = -5, max = 5, minAbs = 0 } = range;
  return fc
    .array(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n })
    .map((vs) => vs.map((v) => (Math.abs(v) < minAbs ? (v < 0 ? -minAbs : minAbs) : v === 0 ? 0 : v)));
}

/** A contiguous tensor of the given shape with finite values in [min, max]. */
export function tensorOf(shape: readonly number[], range: ValueRange = {}): fc.Arbitrary<Tensor> {
  return valuesOf(shapeSize(shape), range).map((vs) =>
    fromStorage(Float64Array.from(vs), shape, { requiresGrad: range.requiresGrad ?? false }),
  );
}

/** A tensor of a random shape (see `shapes`) with values as in `tensorOf`. */
export function anyTensor(maxDims = 3, maxSize = 4, range: ValueRange = {}, minDims = 1): fc.Arbitrary<Tensor> {
  return shapes(maxDims, maxSize, minDims).chain((s) => tensorOf(s, range));
}

/**
 * Two shapes that broadcast together: a random result shape, from which each operand drops some leading
 * dims and turns some dims into 1 (so both [3,1] with [1,4] and [2,3,4] with [4] come up).
 */
export function broadcastablePair(maxDims = 3, maxSize = 3): fc.Arbitrary<[number[], number[]]> {
  const operand = (out: number[]): fc.Arbitrary<number[]> =>
    fc
      .tuple(
        fc.integer({ min: 0, max: out.length }),
        fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      )
      .map(([drop, ones]) => out.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
  return fc
    .array(fc.integer({ min: 1, max: maxSize }), { minLength: 0, maxLength: maxDims })
    .chain((out) => fc.tuple(operand(out), operand(out)));
}

/** A random permutation of 0..n-1. */
export function permutationOf(n: number): fc.Arbitrary<number[]> {
  return fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n })
    .map((keys) => keys.map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i));
}

/**
 * Breaks ties (the lecture's advice for checking max): returns a copy of `t` (same shape, contiguous)
 * whose values are pairwise at least `gap` apart, moving each value up by as little as needed (values are
 * visited in ascending order, so the order of distinct values is kept). With gap >> h, a central
 * difference never crosses from one argmax to another.
 */
export function breakTies(t: Tensor, gap = 1e-3): Tensor {
  const vs = t.toFlat();
  const order = vs.map((_, i) => i).sort((a, b) => vs[a] - vs[b] || a - b);
  const out = new Float64Array(vs.length);
  let prev = -Infinity;
  for (const i of order) {
    prev = Math.max(vs[i], prev + gap);
    out[i] = prev;
  }
  return fromStorage(out, t.shape, { requiresGrad: t.requiresGrad && t.isLeaf() });
}

/** A fixed-seed fast-check configuration: deterministic runs, modest numRuns. */
export function fcOptions(numRuns = 30, seed = 42): { seed: number; numRuns: number } {
  return { seed, numRuns };
}
