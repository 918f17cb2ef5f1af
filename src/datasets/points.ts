/**
 * minitorch's 2-D classification datasets: n points in the unit square with 0/1 labels given by a rule
 * (a half-plane, a diagonal, two bands, xor, a circle) or two interleaved spirals. Linear models solve
 * the first two; the rest need hidden layers, which is what the notebooks show.
 */
import { check, checkInteger, describe } from "../errors";
import { Generator, defaultGenerator } from "../data/random";
import { fromStorage } from "../tensor/create";
import { Tensor } from "../tensor/tensor";

/** A labelled point set (minitorch's Graph): X [n, 2] (in [0, 1]^2 except spiral's outer turns), y [n] of 0/1
 * labels. */
export interface Points2d {
  readonly name: string;
  readonly n: number;
  readonly X: Tensor;
  readonly y: Tensor;
}

/** Makes a dataset of `n` points; those drawn at random come from `generator` (default: the global one,
 * seeded by manualSeed). */
export type PointsMaker = (n: number, generator?: Generator) => Points2d;

function points(name: string, xs: readonly (readonly [number, number])[], labels: readonly number[]): Points2d {
  const n = xs.length;
  const X = fromStorage(Float64Array.from(xs.flat()), [n, 2]);
  return { name, n, X, y: fromStorage(Float64Array.from(labels), [n]) };
}

function checkCount(name: string, n: unknown, generator?: unknown): void {
  checkInteger(n, name, "n", 1);
  check(generator === undefined || generator instanceof Generator, name, () =>
    `generator must be a Generator (new Generator(seed)), got ${describe(generator)}`);
}

/** Uniform points labelled 1 where `rule` holds; x0 then x1 drawn per point, as minitorch's make_pts. */
function byRule(name: string, rule: (x0: number, x1: number) => boolean): PointsMaker {
  return (n, generator = defaultGenerator()) => {
    checkCount(name, n, generator);
    const xs = Array.from({ length: n }, () => [generator.random(), generator.random()] as const);
    return points(name, xs, xs.map(([a, b]) => (rule(a, b) ? 1 : 0)));
  };
}

/** Label 1 left of x0 = 0.5: one vertical line separates the classes. */
export const simple = byRule("simple", (x0) => x0 < 0.5);
/** Label 1 below the diagonal x0 + x1 = 0.5: still linearly separable. */
export const diag = byRule("diag", (x0, x1) => x0 + x1 < 0.5);
/** Label 1 in the outer bands x0 < 0.2 or x0 > 0.8: needs two lines. */
export const split = byRule("split", (x0) => x0 < 0.2 || x0 > 0.8);
/** Label 1 in the top-left and bottom-right quadrants: the classic problem no single line solves. */
export const xor = byRule("xor", (x0, x1) => (x0 < 0.5 && x1 > 0.5) || (x0 > 0.5 && x1 < 0.5));
/** Label 1 outside the circle of radius sqrt(0.1) around the centre. */
export const circle = byRule("circle", (x0, x1) => (x0 - 0.5) ** 2 + (x1 - 0.5) ** 2 > 0.1);

/** Two interleaved spirals of n/2 points each (class 0, then class 1), with no randomness: minitorch's
 * (t cos t, t sin t) / 20 + 0.5 for t = 10 i / (n/2), i = 5 .. n/2 + 4, the second spiral mirrored. */
export function spiral(n: number): Points2d {
  checkCount("spiral", n);
  check(n % 2 === 0, "spiral", () => `n must be even (n/2 points per spiral), got ${n}`);
  const half = n / 2;
  const ts = Array.from({ length: half }, (_, i) => (10 * (i + 5)) / half);
  const x = (t: number): number => (t * Math.cos(t)) / 20;
  const y = (t: number): number => (t * Math.sin(t)) / 20;
  const first = ts.map((t) => [x(t) + 0.5, y(t) + 0.5] as const);
  const second = ts.map((t) => [y(-t) + 0.5, x(-t) + 0.5] as const);
  return points("spiral", [...first, ...second], [...first.map(() => 0), ...second.map(() => 1)]);
}

type PointsName = "simple" | "diag" | "split" | "xor" | "circle" | "spiral";

/** Every 2-D dataset by name, for notebooks that loop over them (minitorch's `datasets` dict). */
export const POINTS_DATASETS: Readonly<Record<PointsName, PointsMaker>> = {
  simple, diag, split, xor, circle, spiral,
};
