/**
 * Golden values computed by PyTorch: test/golden/nn-train.py writes test/golden/nn-train.json (run it with
 * Debian's python3-torch after changing it); the tests only read the JSON, so they never need Python.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { expect } from "vitest";
import { NestedArray, Tensor, backend, nn, tensor, useBackend } from "../../src";

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

/** A case of an op: its inputs, PyTorch's value, a weighting w and PyTorch's gradients of sum(value * w)
 * wrt the first grads.length inputs. */
export interface GoldenCase {
  inputs: NestedArray[];
  value: NestedArray;
  weights: NestedArray;
  grads: NestedArray[];
}

export interface GoldenOptions {
  /** Absolute tolerance (default 1e-12). */
  atol?: number;
  /** Relative tolerance of the value (default 1e-12). */
  rtol?: number;
  /** Relative tolerance of the gradients (default rtol). */
  gradRtol?: number;
  /** The backend to run on (default: the current one). */
  backend?: string;
}

/** Runs f on leaf tensors holding the case's inputs and compares its value and its gradients with PyTorch's. */
export function expectGolden(c: GoldenCase, f: (...inputs: Tensor[]) => Tensor, options: GoldenOptions = {}): void {
  const { atol = 1e-12, rtol = 1e-12, gradRtol = rtol } = options;
  const previous = useBackend(options.backend ?? backend().name);
  try {
    const inputs = c.inputs.map((v) => tensor(v, { requiresGrad: true }));
    const out = f(...inputs);
    expectNestedClose(out.toArray(), c.value, atol, rtol, "value");
    out.mul(tensor(c.weights)).sum().backward();
    c.grads.forEach((g, k) => expectNestedClose((inputs[k].grad as Tensor).toArray(), g, atol, gradRtol, `grad ${k}`));
  } finally {
    useBackend(previous);
  }
}

/** The module's stateDict() keys, in order, with their shapes, are those of PyTorch's state_dict() for the
 * model built under `name` in test/golden/nn-train.py. */
export function expectStateDictKeys(module: nn.Module, name: string): void {
  const expected = golden<Record<string, [string, number[]][]>>("stateDicts")[name];
  expect(expected, `no state dict "${name}" in test/golden/nn-train.json`).toBeDefined();
  expect(Object.entries(module.stateDict()).map(([key, t]) => [key, t.shape]), name).toEqual(expected);
}
