/**
 * Line charts: y against x for one or more named series. The shared builder behind `functions` (a
 * function and its derivative) and `curves` (loss and accuracy per epoch).
 */
import type { Data, Layout, LayoutAxis } from "plotly.js-dist-min";
import { check } from "../errors";
import { escapeText } from "./escape";
import { Figure, PlotOptions, axisTitle, color, makeFigure } from "./figure";
import { Values, toNumbers } from "./values";

/** Options of the line-chart builders. */
export interface LineOptions extends PlotOptions {
  /** Names of series drawn against a second y-axis on the right, e.g. accuracy (0..1) next to a loss. */
  right?: readonly string[];
  /** Title of the right y-axis. */
  rightLabel?: string;
  /** Fixed range of the right y-axis, e.g. [0, 1] for an accuracy; by default it fits the series. */
  rightRange?: readonly [number, number];
  /** Mark every point as well as joining them (default: only when a series has at most 50 points). */
  markers?: boolean;
  /** Names of series drawn as markers only, not joined: a second computation of a curve stays visible on top
   * of the first, e.g. `{ markersOnly: ["softmax([0, x])[1]"] }` over "sigmoid(x)". */
  markersOnly?: readonly string[];
  /** Log-scale x-axis, for x spanning decades (a sweep of k, an input scale); x <= 0 is not drawn. */
  logX?: boolean;
  /** Log-scale left y-axis, for errors or losses spanning decades; y <= 0 is not drawn. */
  logY?: boolean;
}

/** Data of `line`: named y series against one shared x (0, 1, 2, ... when x is left out). */
export interface LineData {
  x?: Values;
  ys: Readonly<Record<string, Values>>;
}

/** One drawn series: its x and y values and how it looks. */
export interface Series {
  name: string;
  x: number[];
  y: number[];
  color: string;
  dash?: "solid" | "dash" | "dot";
}

/** Plots named series against a shared x, e.g. `line({ x, ys: { "f(x)": y, "f'(x)": x.grad! } })`. */
export function line(data: LineData, options: LineOptions = {}): Figure {
  const names = Object.keys(data.ys);
  check(names.length > 0, "plot.line", () => "ys must name at least one series, e.g. { ys: { loss: [...] } }");
  let sharedX: number[] | undefined; // data.x, converted once for every series
  const series = names.map((name, k): Series => {
    const y = toNumbers(data.ys[name], "plot.line", `ys[${JSON.stringify(name)}]`);
    const x = data.x === undefined ? y.map((_, i) => i) : (sharedX ??= toNumbers(data.x, "plot.line", "x"));
    check(x.length === y.length, "plot.line", () =>
      `x has ${x.length} values but ys[${JSON.stringify(name)}] has ${y.length}`);
    return { name, x, y, color: color(k) };
  });
  return seriesFigure(series, options, "plot.line");
}

/** Ticks of a log axis read 10^-16 rather than 1e-16, as the lectures write them. */
const LOG_AXIS: Partial<LayoutAxis> = { type: "log", exponentformat: "power" };

/** A figure of ready-made series, styled as `options` say; `op` names the builder in error messages. */
export function seriesFigure(series: readonly Series[], options: LineOptions, op: string): Figure {
  const right = seriesNamed(series, options.right, "right", op);
  const markersOnly = seriesNamed(series, options.markersOnly, "markersOnly", op);
  const data: Data[] = series.map((s) => ({
    type: "scatter",
    mode: markersOnly.has(s.name) ? "markers" : (options.markers ?? s.y.length <= 50) ? "lines+markers" : "lines",
    name: escapeText(s.name),
    x: s.x,
    y: s.y,
    line: { color: s.color, dash: s.dash ?? "solid" },
    yaxis: right.has(s.name) ? "y2" : "y",
  }));
  // With a right-hand axis the legend moves clear of its tick labels. The right axis picks its own round
  // ticks (plotly would otherwise place them at the left axis's grid lines: 0.6992, 0.7546, ...) and draws
  // no grid of its own, which would not line up with the left one.
  const layout: Partial<Layout> = right.size === 0 ? {} : {
    yaxis2: {
      ...axisTitle(options.rightLabel), overlaying: "y", side: "right", tickmode: "auto", showgrid: false,
      ...rightRange(options, op),
    },
    legend: { x: 1.1, xanchor: "left" },
  };
  if (options.logX) layout.xaxis = LOG_AXIS;
  if (options.logY) layout.yaxis = LOG_AXIS;
  return makeFigure(data, options, layout);
}

/** The right axis's fixed range, checked, or nothing. */
function rightRange(options: LineOptions, op: string): Partial<LayoutAxis> {
  if (options.rightRange === undefined) return {};
  const [lo, hi] = options.rightRange;
  check(lo < hi, op, () => `rightRange must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
  return { range: [lo, hi] };
}

/** The series an option names (`right`, `markersOnly`), checked to be plotted: a typo would silently do nothing. */
function seriesNamed(
  series: readonly Series[],
  names: readonly string[] | undefined,
  arg: string,
  op: string,
): Set<string> {
  const named = new Set(names ?? []);
  const plotted = series.map((s) => s.name);
  const unknown = [...named].filter((name) => !plotted.includes(name));
  check(unknown.length === 0, op, () =>
    `${arg} names series ${JSON.stringify(unknown)} that are not plotted; the series are ${JSON.stringify(plotted)}`);
  return named;
}
