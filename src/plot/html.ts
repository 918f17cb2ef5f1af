/**
 * The HTML fallback of a figure, for front ends that do not render the plotly MIME type (classic
 * Notebook, JupyterLab without the plotly extension, nbconvert HTML, Colab-like iframes): a div holding a
 * text summary (what untrusted or script-less viewers show), optionally plotly.js itself, and a script
 * that draws the figure with `window.Plotly`. No network is used.
 */
import { escapeText, scriptJson } from "./escape";
import { Figure } from "./figure";
import { plotlySource } from "./plotly-source";

/** What the HTML fallback shows instead of a plot when no earlier output loaded plotly.js. */
const MISSING_PLOTLY =
  "plotly.js is not loaded: the first figure of a session carries it, so run the notebook from the top " +
  "(or set MINITORCH_PLOT_INLINE=every to put it in every figure).";

/** `bytes` random bytes as hex, for ids that must not collide between kernel sessions (Web Crypto: Node and
 * browsers alike). */
export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

const session = randomHex(4);
let counter = 0;

/** The HTML of one figure; `plotly` inlines plotly.js (guarded so a page loads it only once). */
export function figureHtml(fig: Figure, options: { plotly: boolean; text: string }): string {
  const id = `minitorch-plot-${session}-${++counter}`;
  const width = fig.layout.width === undefined ? "100%" : `${fig.layout.width}px`;
  const height = `${fig.layout.height ?? 360}px`;
  const loader = options.plotly ? `<script type="text/javascript">if (!window.Plotly) {\n${plotlySource()}\n}</script>\n` : "";
  return (
    `<div id="${id}" class="minitorch-plot" style="width:${width};height:${height}">${escapeText(options.text)}</div>\n` +
    loader +
    `<script type="text/javascript">${drawScript(id, fig)}</script>`
  );
}

/** Finds the div (JupyterLab may run the script just before attaching the output) and draws into it. */
function drawScript(id: string, fig: Figure): string {
  return `(function () {
  var id = ${scriptJson(id)}, fig = ${scriptJson(fig)}, tries = 0;
  function draw() {
    var el = document.getElementById(id);
    if (!el) { if (tries++ < 100) setTimeout(draw, 50); return; }
    if (!window.Plotly) { el.textContent = ${scriptJson(MISSING_PLOTLY)}; return; }
    el.textContent = "";
    window.Plotly.newPlot(el, fig.data, fig.layout, fig.config);
  }
  draw();
})();`;
}
