/** Fixtures shared by the nn tests: distinct-valued tensors and an elementwise closeness check that says
 * which element is off. */
import { expect } from "vitest";
import { Tensor, fromStorage } from "../../src";

/** Tensor whose element at a row-major position i is f(i): a convenient distinct-valued fixture. */
export function filled(shape: number[], f: (i: number) => number, requiresGrad = false): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return fromStorage(Float64Array.from({ length: n }, (_, i) => f(i)), shape, { requiresGrad });
}

/** Same length, and every element within tol * max(1, |expected|). */
export function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > tol * Math.max(1, Math.abs(expected[i])))
      throw new Error(`element ${i}: got ${a}, expected ${expected[i]}`);
  });
}
