/**
 * plotly.js itself, for the HTML fallback that must draw with no network: read from the installed
 * plotly.js-dist-min package on first use only (4.8 MB), so importing the library stays cheap.
 */
import { platform } from "../platform";
import { scriptSource } from "./escape";

let cached: string | null = null;

/** The plotly.js bundle as source that is safe to inline in a `<script>` element. */
export function plotlySource(): string {
  if (cached === null) {
    cached = scriptSource(platform.readPackageFile("plotly.js-dist-min/plotly.min.js"));
  }
  return cached;
}
