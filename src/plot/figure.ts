/**
 * The Figure every builder returns: plotly's own JSON (`data`, `layout`, `config`), so it can be sent
 * unchanged as the `application/vnd.plotly.v1+json` MIME type and drawn by plotly.js in the HTML fallback.
 * Builders share the options and layout defaults defined here.
 */
import type { Config, Data, Layout, LayoutAxis } from "plotly.js-dist-min";
import { escapeText } from "./escape";

/** A plotly figure. Tweak it freely before `show` (e.g. `fig.layout.height = 500`). */
export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
  config: Partial<Config>;
}

/** Options every builder takes. Text is shown as written: markup such as `<b>` is escaped, not rendered. */
export interface PlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels; by default the figure fills the output's width. */
  width?: number;
  /** Pixels (default 360). */
  height?: number;
}

/** plotly's default colour cycle, named so that class k and the k-th series get the same colour everywhere. */
const PALETTE: readonly string[] = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
];

/** The colour of the k-th class or series. */
export function color(k: number): string {
  return PALETTE[((k % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** A figure from traces and extra layout, with the shared title, axis labels, size and config applied. */
export function makeFigure(data: Data[], options: PlotOptions, layout: Partial<Layout> = {}): Figure {
  const base: Partial<Layout> = {
    height: options.height ?? 360,
    margin: { t: options.title === undefined ? 30 : 60, r: 30, b: 50, l: 60 },
    xaxis: axisTitle(options.xLabel),
    yaxis: axisTitle(options.yLabel),
  };
  if (options.width !== undefined) base.width = options.width;
  if (options.title !== undefined) base.title = { text: escapeText(options.title) };
  return {
    data,
    layout: {
      ...base,
      ...layout,
      xaxis: { ...base.xaxis, ...layout.xaxis },
      yaxis: { ...base.yaxis, ...layout.yaxis },
    },
    config: { responsive: true, displaylogo: false },
  };
}

/** An axis title from user text (escaped), or no title. */
export function axisTitle(text: string | undefined): LayoutAxis {
  return text === undefined ? {} : { title: { text: escapeText(text) } };
}
