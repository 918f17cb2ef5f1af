/**
 * Heatmaps: a matrix drawn as an image, row 0 at the top and square cells, as an image viewer shows
 * it. Used for a tensor's values, an input image, a feature map or a filter; `annotate` writes each
 * cell's value, handy for small index or stride tables.
 */
import type { Data, LayoutAxis } from "plotly.js-dist-min";
import { check } from "../errors";
import { Figure, PlotOptions, makeFigure } from "./figure";
import { Matrix, toMatrix } from "./values";

/** How matrix values are drawn; shared by `heatmap` and `imageGrid`. */
export interface ImageOptions {
  /** A plotly colour scale name, e.g. "Viridis" (default), "Greys", "RdBu". */
  colorscale?: string;
  /** Flip the colour scale, e.g. with "Greys" to draw high values (ink) dark. */
  reverseScale?: boolean;
  /** Fixed value range of the colour scale; by default each image uses its own min and max. */
  zRange?: readonly [number, number];
  /** Write each cell's value in it (rounded to 3 significant digits), e.g. for index or stride tables. */
  annotate?: boolean;
}

/** Options of `heatmap`. */
export interface HeatmapOptions extends PlotOptions, ImageOptions {
  /** Show the colour bar (default true). */
  showScale?: boolean;
}

/** Draws a matrix or a 2-D tensor as an image, e.g. `heatmap(image, { colorscale: "Greys", reverseScale: true })`. */
export function heatmap(matrix: Matrix, options: HeatmapOptions = {}): Figure {
  const z = toMatrix(matrix, "plot.heatmap", "matrix");
  const trace = { ...imageTrace(z, options, "plot.heatmap"), showscale: options.showScale ?? true };
  const { xaxis, yaxis } = imageAxes(z, "x");
  return makeFigure([trace], options, { xaxis, yaxis });
}

/** A heatmap trace with row 0 at the top, coloured as `options` say. */
export function imageTrace(z: number[][], options: ImageOptions, op: string): Data & { type: "heatmap" } {
  const trace: Data & { type: "heatmap" } = {
    type: "heatmap",
    z,
    colorscale: options.colorscale ?? "Viridis",
    reversescale: options.reverseScale ?? false,
  };
  if (options.annotate) Object.assign(trace, { texttemplate: "%{z:.3~g}", textfont: { size: 12 } });
  if (options.zRange !== undefined) {
    const [zmin, zmax] = options.zRange;
    check(zmin < zmax, op, () => `zRange must be [min, max] with min < max, got [${zmin}, ${zmax}]`);
    Object.assign(trace, { zmin, zmax });
  }
  return trace;
}

/** Axes that show an image the right way up with square pixels; `x` names the subplot's x axis ("x", "x2", ...). */
export function imageAxes(z: number[][], x: string): { xaxis: LayoutAxis; yaxis: LayoutAxis } {
  const small = z.length <= 16 && z[0].length <= 16;
  const ticks = small ? { dtick: 1 } : {};
  const plain = { constrain: "domain", showgrid: false, zeroline: false } as const;
  return {
    xaxis: { ...ticks, ...plain },
    yaxis: { ...ticks, autorange: "reversed", scaleanchor: x as LayoutAxis["scaleanchor"], ...plain },
  };
}
