/**
 * Scatter plots of 2-D points coloured by class, optionally over a model's decision boundary: the model
 * is evaluated on a grid covering the points, the regions are shaded by its output and the boundary is
 * drawn where the output crosses the threshold (the classification lectures' picture).
 */
import type { Data } from "plotly.js-dist-min";
import { check } from "../errors";
import { escapeText } from "./escape";
import { Figure, PlotOptions, color, makeFigure } from "./figure";
import { Matrix, Values, toMatrix, toNumbers } from "./values";

/** Data of `scatter`: N points [x1, x2] and, optionally, a class label for each. */
export interface ScatterData {
  points: Matrix;
  labels?: Values;
}

/** Options of `scatter`. */
export interface ScatterOptions extends PlotOptions {
  /** The model's output for a batch of points [[x1, x2], ...], one number per point (e.g. the
   * probability of class 1). Shades the plane by it and draws the boundary where it crosses `threshold`. */
  boundary?: (grid: number[][]) => Values;
  /** Output value on the boundary (default 0.5, the probability where both classes tie). */
  threshold?: number;
  /** Grid points per axis at which `boundary` is evaluated (default 60). */
  resolution?: number;
  /** Legend name of each label value, e.g. `{ 0: "correct", 1: "wrong" }` (default `class k`). */
  classNames?: Readonly<Record<number, string>>;
}

/** Points coloured by label,
 * e.g. `scatter({ points: X, labels: y }, { boundary: (g) => model.forward(tensor(g)) })`. */
export function scatter(data: ScatterData, options: ScatterOptions = {}): Figure {
  const points = toMatrix(data.points, "plot.scatter", "points");
  check(points[0].length === 2, "plot.scatter", () =>
    `points must be N x 2 ([x1, x2] per point), got rows of ${points[0].length} values`);
  const labels = data.labels === undefined ? null : toNumbers(data.labels, "plot.scatter", "labels");
  check(labels === null || labels.length === points.length, "plot.scatter", () =>
    `labels has ${labels?.length} values but there are ${points.length} points`);
  const traces = options.boundary === undefined ? [] : boundaryTraces(points, options.boundary, options);
  return makeFigure([...traces, ...classTraces(points, labels, options.classNames ?? {})], options);
}

function classTraces(points: number[][], labels: number[] | null, names: Readonly<Record<number, string>>): Data[] {
  if (labels === null) {
    const [x, y] = [points.map((p) => p[0]), points.map((p) => p[1])];
    return [{ type: "scatter", mode: "markers", name: "points", x, y, marker: { color: color(0) } }];
  }
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  return classes.map((c, k) => {
    const mine = points.filter((_, i) => labels[i] === c);
    return {
      type: "scatter", mode: "markers", name: escapeText(names[c] ?? `class ${c}`),
      x: mine.map((p) => p[0]), y: mine.map((p) => p[1]),
      marker: { color: color(Number.isInteger(c) ? c : k), size: 7, line: { color: "#ffffff", width: 1 } },
    };
  });
}

function boundaryTraces(points: number[][], boundary: (grid: number[][]) => Values, options: ScatterOptions): Data[] {
  const n = options.resolution ?? 60;
  const threshold = options.threshold ?? 0.5;
  check(Number.isInteger(n) && n >= 2, "plot.scatter", () => `resolution must be an integer >= 2, got ${n}`);
  const xs = axisSamples(points.map((p) => p[0]), n);
  const ys = axisSamples(points.map((p) => p[1]), n);
  const grid = ys.flatMap((y) => xs.map((x) => [x, y]));
  const out = toNumbers(boundary(grid), "plot.scatter", "boundary(grid)");
  check(out.length === grid.length, "plot.scatter", () =>
    `boundary(grid) must return one number per grid point (${grid.length}), got ${out.length}`);
  const z = ys.map((_, i) => out.slice(i * n, (i + 1) * n));
  return [
    {
      type: "heatmap", x: xs, y: ys, z, zmid: threshold, opacity: 0.35, showscale: false, hoverinfo: "skip",
      colorscale: [[0, color(0)], [0.5, "#ffffff"], [1, color(1)]],
    },
    {
      type: "contour", x: xs, y: ys, z, name: "boundary", showscale: false, hoverinfo: "skip",
      contours: { start: threshold, end: threshold, size: 1, coloring: "lines" }, line: { color: "#333333", width: 2 },
    },
  ];
}

/** n evenly spaced values covering `values` with a 10% margin on each side. */
function axisSamples(values: number[], n: number): number[] {
  const lo = values.reduce((a, b) => Math.min(a, b));
  const hi = values.reduce((a, b) => Math.max(a, b));
  const pad = hi > lo ? (hi - lo) * 0.1 : 0.5;
  return Array.from({ length: n }, (_, i) => lo - pad + ((hi - lo + 2 * pad) * i) / (n - 1));
}
