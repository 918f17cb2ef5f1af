/**
 * Where plotly.js goes: front ends that share one page between outputs (JupyterLab, classic Notebook,
 * nbconvert HTML) need it once, in the first figure of the session; front ends that put each output in
 * its own iframe (Colab-like) need it in every figure. Choose with `configure({ inline })` or the
 * environment variable MINITORCH_PLOT_INLINE=once|every.
 */
import { check } from "../errors";
import { platform } from "../platform";

/** "once": plotly.js rides in the first figure shown in this kernel session; "every": in every figure. */
export type InlineMode = "once" | "every";

const MODES: readonly InlineMode[] = ["once", "every"];
let configured: InlineMode | null = null;
let shipped = false;

/** Sets how the HTML fallback carries plotly.js (see InlineMode); overrides MINITORCH_PLOT_INLINE. */
export function configure(options: { inline: InlineMode }): void {
  check(MODES.includes(options.inline), "plot.configure", () =>
    `inline must be "once" or "every", got ${JSON.stringify(options.inline)}`);
  configured = options.inline;
}

/** The mode in force: configure() first, then MINITORCH_PLOT_INLINE, else "once". */
export function inlineMode(): InlineMode {
  if (configured !== null) return configured;
  const env = platform.env("MINITORCH_PLOT_INLINE");
  check(env === undefined || env === "" || MODES.includes(env as InlineMode), "plot", () =>
    `MINITORCH_PLOT_INLINE must be "once" or "every", got ${JSON.stringify(env)}`);
  return (env || "once") as InlineMode;
}

/** Whether the output being sent now must carry plotly.js; in "once" mode only the first caller gets true. */
export function claimPlotly(): boolean {
  if (inlineMode() === "every") return true;
  const first = !shipped;
  shipped = true;
  return first;
}
