/**
 * The HTML fallback of a figure, for front ends that do not render the plotly MIME type (classic
 * Notebook, JupyterLab without the plotly extension, nbconvert HTML, Colab-like iframes): a div holding a
 * text summary (what untrusted or script-less viewers show), optionally plotly.js itself, and a script
 * that draws the figure with `window.Plotly` (page-draw.ts: it asks the Jupyter server serving the page
 * for plotly.js when no output in the page carried it). Nothing is fetched from the network.
 */
import { escapeText, scriptJson, scriptSource } from "./escape";
import { Figure } from "./figure";
import { PageDrawOptions, drawInPage } from "./page-draw";
import { PLOTLY_STATIC_PATH, plotlySource } from "./plotly-source";

/** What the page script needs besides the figure: where the server serves plotly.js, and what to say
 * when the page has no plotly.js and no server gives it. */
const PAGE_DRAW: PageDrawOptions = {
  plotlyPath: PLOTLY_STATIC_PATH,
  missing:
    "plotly.js is not loaded: no earlier output in this page carries it and no Jupyter server serves it. " +
    "Restart the kernel and run the notebook from the top, start Jupyter with `npm run lab`, or set " +
    "MINITORCH_PLOT_INLINE=every to put it in every figure.",
};

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
  const loader = options.plotly
    ? `<script type="text/javascript">if (!window.Plotly) {\n${plotlySource()}\n}</script>\n`
    : "";
  const style = `width:${width};height:${height}`;
  return (
    `<div id="${id}" class="minitorch-plot" style="${style}">${escapeText(options.text)}</div>\n` +
    loader +
    `<script type="text/javascript">${drawScript(id, fig)}</script>`
  );
}

/** The page script (page-draw.ts) called with this figure. */
function drawScript(id: string, fig: Figure): string {
  return `(${scriptSource(drawInPage.toString())})(${scriptJson(id)}, ${scriptJson(fig)}, ${scriptJson(PAGE_DRAW)});`;
}
