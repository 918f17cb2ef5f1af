/**
 * Golden values computed by PyTorch: test/golden/nn-train.py writes test/golden/nn-train.json (run it with
 * Debian's python3-torch after changing it); the tests only read the JSON, so they never need Python.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { expect } from "vitest";
import type { NestedArray } from "../../src";

let cache: Record<string, unknown> | null = null;

/** One section of test/golden/nn-train.json ("losses", "conv", ...), typed by the caller. */
export function golden<T>(section: string): T {
  const path = join(__dirname, "..", "golden", "nn-train.json");
  cache ??= JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const value = cache[section];
  if (value === undefined)
    throw new Error(`test/golden/nn-train.json has no section "${section}"; rerun test/golden/nn-train.py`);
  return value as T;
}

const flatten = (v: NestedArray): number[] => (Array.isArray(v) ? v.flatMap(flatten) : [v]);
const shapeOf = (v: NestedArray): number[] =>
  Array.isArray(v) ? [v.length, ...(v.length > 0 ? shapeOf(v[0]) : [])] : [];

/** Same nesting (shape) and every value within atol + rtol |expected|; infinities must match exactly. */
export function expectNestedClose(
  actual: NestedArray, expected: NestedArray, atol = 1e-12, rtol = 1e-10, what = "",
): void {
  expect(shapeOf(actual), `${what} shape`).toEqual(shapeOf(expected));
  const [a, e] = [flatten(actual), flatten(expected)];
  a.forEach((v, i) => {
    const ok = Number.isFinite(e[i]) ? Math.abs(v - e[i]) <= atol + rtol * Math.abs(e[i]) : v === e[i];
    if (!ok) throw new Error(`${what} element ${i}: got ${v}, PyTorch ${e[i]}`);
  });
}
