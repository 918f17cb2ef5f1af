/**
 * plotly.js itself, for the HTML fallback that must draw with no network: read from the installed
 * plotly.js-dist-min package on first use only (4.8 MB), so importing the library stays cheap. The same
 * file is what Jupyter servers started by `npm run lab` serve to pages that lack it (PLOTLY_STATIC_PATH).
 */
import { platform } from "../platform";
import { scriptSource } from "./escape";

/** The plotly.js bundle's file in the plotly.js-dist-min package. */
export const PLOTLY_FILE = "plotly.min.js";

/** Where a Jupyter server serves plotly.js, relative to its base URL, when its static paths include the
 * plotly.js-dist-min package folder (the servers `npm run lab` starts do: scripts/lib/lab.ts). */
export const PLOTLY_STATIC_PATH = `static/${PLOTLY_FILE}`;

let cached: string | null = null;

/** The plotly.js bundle as source that is safe to inline in a `<script>` element. */
export function plotlySource(): string {
  cached ??= scriptSource(platform.readPackageFile(`plotly.js-dist-min/${PLOTLY_FILE}`));
  return cached;
}
