/**
 * Function curves with their derivatives (the autodiff lectures): each f is sampled on a range, and with
 * `derivatives: true` its central difference f'(x) ~ (f(x+h) - f(x-h)) / 2h is drawn dashed beside it,
 * ready to compare with the gradient autodiff computes.
 */
import { check } from "../errors";
import { Figure, color } from "./figure";
import { LineOptions, Series, seriesFigure } from "./line";

/** Options of `functions`: the x range to sample and whether to add numerical derivatives. */
export interface FunctionsOptions extends LineOptions {
  range: readonly [number, number];
  /** Samples across the range (default 200). */
  points?: number;
  /** Also draw each function's central-difference derivative, named f' (dashed, same colour). */
  derivatives?: boolean;
}

/** Step of the central difference: small enough for curves, large enough to avoid rounding noise. */
const H = 1e-5;

/** Plots scalar functions over a range,
 * e.g. `functions({ sigmoid: (x) => 1 / (1 + Math.exp(-x)) }, { range: [-6, 6], derivatives: true })`. */
export function functions(fns: Readonly<Record<string, (x: number) => number>>, options: FunctionsOptions): Figure {
  const [lo, hi] = options.range;
  const points = options.points ?? 200;
  check(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi, "plot.functions", () =>
    `range must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
  check(Number.isInteger(points) && points >= 2, "plot.functions", () =>
    `points must be an integer >= 2, got ${points}`);
  const x = Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  const series = Object.entries(fns).flatMap(([name, f], k): Series[] => {
    check(typeof f === "function", "plot.functions", () =>
      `${JSON.stringify(name)} must be a function (x: number) => number, got ${typeof f}`);
    const curve: Series = { name, x, y: x.map(f), color: color(k) };
    if (!options.derivatives) return [curve];
    const slope = (v: number) => (f(v + H) - f(v - H)) / (2 * H);
    return [curve, { name: `${name}'`, x, y: x.map(slope), color: curve.color, dash: "dash" }];
  });
  check(series.length > 0, "plot.functions", () => "pass at least one function, e.g. { relu: (x) => Math.max(0, x) }");
  return seriesFigure(series, options, "plot.functions");
}
