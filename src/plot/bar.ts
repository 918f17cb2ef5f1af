/**
 * Bar charts of distributions: a softmax output, an argmax one-hot, class counts; grouped bars put
 * several distributions over the same categories side by side (prediction vs target).
 */
import type { Data } from "plotly.js-dist-min";
import { check } from "../errors";
import { escapeText } from "./escape";
import { Figure, PlotOptions, color, makeFigure } from "./figure";
import { Values, toNumbers } from "./values";

/** Options of `bar` and `groupedBar`. */
export interface BarOptions extends PlotOptions {
  /** Category names under the bars (default 0, 1, 2, ...). */
  labels?: readonly (string | number)[];
  /** Fixed y range, e.g. [0, 1] for probabilities, so two charts compare at a glance. */
  yRange?: readonly [number, number];
}

/** Options of `bar`. */
export interface SingleBarOptions extends BarOptions {
  /** Index of one bar to draw in a contrasting colour, e.g. the true class or the argmax. */
  highlight?: number;
}

/** One bar per value, e.g. `bar(nn.softmax(logits, 0), { labels: digits, yRange: [0, 1] })`. */
export function bar(values: Values, options: SingleBarOptions = {}): Figure {
  const y = toNumbers(values, "plot.bar", "values");
  const { highlight } = options;
  const isBar = highlight === undefined || (Number.isInteger(highlight) && highlight >= 0 && highlight < y.length);
  check(isBar, "plot.bar", () => `highlight must be the index of a bar in [0, ${y.length}), got ${highlight}`);
  const colors = y.map((_, i) => (i === highlight ? color(1) : color(0)));
  const x = categories(options.labels, y.length, "plot.bar");
  return barFigure([{ type: "bar", x, y, marker: { color: colors }, showlegend: false }], options);
}

/** Data of `groupedBar`: named series over the same categories. */
export interface GroupedBarData {
  labels?: readonly (string | number)[];
  series: Readonly<Record<string, Values>>;
}

/** Side-by-side bars per category, e.g. `groupedBar({ series: { softmax: p, "one-hot": target } })`. */
export function groupedBar(data: GroupedBarData, options: BarOptions = {}): Figure {
  const entries = Object.entries(data.series);
  check(entries.length > 0, "plot.groupedBar", () =>
    "series must name at least one series, e.g. { series: { softmax: [...] } }");
  const ys = entries.map(([name, v]) => toNumbers(v, "plot.groupedBar", `series[${JSON.stringify(name)}]`));
  const n = ys[0].length;
  const bad = ys.findIndex((y) => y.length !== n);
  const nameOf = (i: number) => JSON.stringify(entries[i][0]);
  check(bad < 0, "plot.groupedBar", () =>
    `every series needs the same length: ${nameOf(0)} has ${n} values, ${nameOf(bad)} has ${ys[bad].length}`);
  const x = categories(data.labels ?? options.labels, n, "plot.groupedBar");
  const traces: Data[] = entries.map(([name], k) =>
    ({ type: "bar", name: escapeText(name), x, y: ys[k], marker: { color: color(k) } }));
  return barFigure(traces, options, { barmode: "group" });
}

function barFigure(traces: Data[], options: BarOptions, extra: { barmode?: "group" } = {}): Figure {
  const { yRange } = options;
  const yaxis = yRange === undefined ? {} : { range: [yRange[0], yRange[1]] as [number, number] };
  return makeFigure(traces, options, { ...extra, xaxis: { type: "category" }, yaxis });
}

function categories(labels: readonly (string | number)[] | undefined, n: number, op: string): string[] {
  if (labels === undefined) return Array.from({ length: n }, (_, i) => String(i));
  check(labels.length === n, op, () => `labels has ${labels.length} names but there are ${n} bars`);
  return labels.map((l) => escapeText(String(l)));
}
