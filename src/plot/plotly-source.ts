/**
 * plotly.js itself, for the HTML fallback that must draw with no network: read from the installed
 * plotly.js-dist-min package on first use only (4.8 MB), so importing the library stays cheap. The same
 * file is what Jupyter servers started by `npm run lab` serve to pages that lack it (PLOTLY_STATIC_PATH).
 */
import { readFileSync } from "fs";
import { createRequire } from "module";
import { basename, dirname } from "path";
import { scriptSource } from "./escape";

let cached: string | null = null;

/** The installed plotly.js bundle file. */
export function plotlyFile(): string {
  return createRequire(__filename).resolve("plotly.js-dist-min");
}

/** Where a Jupyter server serves plotly.js, relative to its base URL, when its static paths include
 * the plotly.js-dist-min package folder (`--ServerApp.extra_static_paths`, see plotlyStaticDir). */
export const PLOTLY_STATIC_PATH = `static/${basename(plotlyFile())}`;

/** The folder to add to a Jupyter server's static paths so that it serves PLOTLY_STATIC_PATH. */
export function plotlyStaticDir(): string {
  return dirname(plotlyFile());
}

/** The plotly.js bundle as source that is safe to inline in a `<script>` element. */
export function plotlySource(): string {
  cached ??= scriptSource(readFileSync(plotlyFile(), "utf8"));
  return cached;
}
