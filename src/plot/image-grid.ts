/**
 * A grid of small images with their names: the input image, its feature maps, the pooled image, the
 * learned filters of a conv layer. Each image is a heatmap in its own square subplot.
 */
import type { Annotation, Data, Layout } from "plotly.js-dist-min";
import { check } from "../errors";
import { escapeText } from "./escape";
import { Figure, PlotOptions, makeFigure } from "./figure";
import { ImageOptions, imageAxes, imageTrace } from "./heatmap";
import { Images, toImages } from "./values";

/** Options of `imageGrid`. */
export interface ImageGridOptions extends PlotOptions, ImageOptions {
  /** Images per row (default: up to 4, fewer when there are fewer images). */
  columns?: number;
}

/** Draws images side by side, e.g. `imageGrid({ input: x, "feature map": y, pooled: p })` or a [N, H, W] tensor. */
export function imageGrid(images: Images, options: ImageGridOptions = {}): Figure {
  const named = toImages(images, "plot.imageGrid", "images");
  const columns = options.columns ?? Math.min(4, named.length);
  check(Number.isInteger(columns) && columns >= 1, "plot.imageGrid", () =>
    `columns must be a positive integer, got ${columns}`);
  const rows = Math.ceil(named.length / columns);
  const data: Data[] = [];
  const annotations: Partial<Annotation>[] = [];
  const layout: Partial<Layout> = { grid: { rows, columns, pattern: "independent", ygap: 0.25 } };
  named.forEach(([name, z], i) => {
    const suffix = i === 0 ? "" : String(i + 1); // plotly names the first axes x/y, then x2/y2, ...
    const trace = imageTrace(z, options, "plot.imageGrid");
    data.push({ ...trace, showscale: false, xaxis: `x${suffix}`, yaxis: `y${suffix}`, name: escapeText(name) });
    const { xaxis, yaxis } = imageAxes(z, `x${suffix}`);
    layout[`xaxis${suffix}` as "xaxis"] = { ...xaxis, visible: false };
    layout[`yaxis${suffix}` as "yaxis"] = { ...yaxis, visible: false };
    annotations.push({
      text: escapeText(name), showarrow: false, x: 0.5, y: 1, xanchor: "center", yanchor: "bottom",
      xref: `x${suffix} domain` as Annotation["xref"], yref: `y${suffix} domain` as Annotation["yref"],
    });
  });
  layout.annotations = annotations;
  const height = options.height ?? (options.title === undefined ? 40 : 70) + rows * 170;
  return makeFigure(data, { ...options, height }, layout);
}
