/**
 * plotly.js itself, for the HTML fallback that must draw with no network: read from the installed
 * plotly.js-dist-min package on first use only (4.8 MB), so importing the library stays cheap.
 */
import { readFileSync } from "fs";
import { createRequire } from "module";
import { scriptSource } from "./escape";

let cached: string | null = null;

/** The plotly.js bundle as source that is safe to inline in a `<script>` element. */
export function plotlySource(): string {
  if (cached === null) {
    const file = createRequire(__filename).resolve("plotly.js-dist-min");
    cached = scriptSource(readFileSync(file, "utf8"));
  }
  return cached;
}
