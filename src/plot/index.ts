/**
 * The plot namespace: figure builders for the lectures and `show`, which displays a figure in any
 * Jupyter front end through the tslab kernel (see docs/plots.md for how the display bundle works).
 */
export type { Figure, PlotOptions } from "./figure";
export type { Values, Matrix, Images } from "./values";
export type { LineData, LineOptions } from "./line";
export type { FunctionsOptions } from "./functions";
export type { BarOptions, SingleBarOptions, GroupedBarData } from "./bar";
export type { ImageOptions, HeatmapOptions } from "./heatmap";
export type { ImageGridOptions } from "./image-grid";
export type { ScatterData, ScatterOptions } from "./scatter";
export type { LiveFigure, LiveOptions } from "./live";
export type { MimeBundle } from "./bundle";
export type { InlineMode } from "./inline";
export { line } from "./line";
export { functions } from "./functions";
export { curves } from "./curves";
export { bar, groupedBar } from "./bar";
export { heatmap } from "./heatmap";
export { imageGrid } from "./image-grid";
export { scatter } from "./scatter";
export { show } from "./show";
export { live } from "./live";
export { toBundle as bundle, summary, PLOTLY_MIME } from "./bundle";
export { configure } from "./inline";
