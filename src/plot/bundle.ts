/**
 * A figure as one Jupyter display bundle: the plotly MIME type for front ends that draw it natively
 * (JupyterLab with jupyterlab-plotly, VS Code), an HTML fallback for the others, and a one-line
 * `text/plain` summary for text-only viewers. Each front end picks the richest type it renders.
 */
import type { Data } from "plotly.js-dist-min";
import { unescapeText } from "./escape";
import { Figure } from "./figure";
import { figureHtml } from "./html";

/** The MIME type plotly's renderers register (JupyterLab extension, VS Code). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** The data of a display_data message for one figure. */
export type MimeBundle = {
  "text/plain": string;
  "text/html": string;
  [PLOTLY_MIME]: Figure;
};

/** Builds the bundle of a figure; `plotly: true` inlines plotly.js in the HTML fallback. */
export function toBundle(fig: Figure, options: { plotly: boolean }): MimeBundle {
  const text = summary(fig);
  return { "text/plain": text, "text/html": figureHtml(fig, { plotly: options.plotly, text }), [PLOTLY_MIME]: fig };
}

/** One line saying what the figure shows, e.g. `Figure "Loss": scatter "loss" (20 points)`. */
export function summary(fig: Figure): string {
  const title = fig.layout.title?.text;
  const head = title === undefined ? "Figure" : `Figure ${JSON.stringify(unescapeText(title))}`;
  const shown = fig.data.slice(0, 6).map(describeTrace);
  const more = fig.data.length > 6 ? `, +${fig.data.length - 6} more` : "";
  return `${head}: ${shown.join(", ")}${more}`;
}

function describeTrace(trace: Data): string {
  const t = trace as { type?: string; name?: string; x?: ArrayLike<unknown>; z?: ArrayLike<ArrayLike<unknown>> };
  const name = t.name === undefined ? "" : ` ${JSON.stringify(unescapeText(t.name))}`;
  const n = t.x?.length ?? 0;
  const size = t.z !== undefined ? `${t.z.length}x${t.z[0]?.length ?? 0}` : `${n} point${n === 1 ? "" : "s"}`;
  return `${t.type ?? "scatter"}${name} (${size})`;
}
