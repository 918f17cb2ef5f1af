// Displaying figures: the MIME bundle, plotly.js inlined once per session (or per output), `show`
// through tslab's display hook (a stand-in registered where tslab's module would be), and live figures.
import { createRequire } from "module";
import { tmpdir } from "os";
import { join } from "path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { existsSync } from "fs";
import { PLOTLY_FILE, PLOTLY_STATIC_PATH, plotlySource } from "../src/plot/plotly-source";
import { plotlyStaticDir } from "../scripts/lib/lab";

type Plot = typeof import("../src/plot");
interface Sent {
  data: Record<string, unknown>;
  transient: { display_id?: string };
  update: boolean;
}

const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const cache = createRequire(__filename).cache;
const fakeTslab = join(tmpdir(), "minitorch-plot-test", "node_modules", "tslab", "dist", "jupyter.js");
let sent: Sent[] = [];

/** A fresh copy of the plot modules, so "plotly.js already shipped" starts false. */
async function freshPlot(): Promise<Plot> {
  vi.resetModules();
  return import("../src/plot");
}

/** Stands in for a tslab kernel: its jupyter module, loaded, with a display writer. */
function enterKernel(): void {
  const lastWriteDisplayData = (message: Omit<Sent, "update">, update: boolean) => sent.push({ ...message, update });
  cache[fakeTslab] = { exports: { lastWriteDisplayData } } as unknown as NodeJS.Module;
}

const carriesPlotly = (s: Sent) => (s.data["text/html"] as string).length > 1_000_000;

beforeEach(() => {
  sent = [];
});
afterEach(() => {
  delete cache[fakeTslab];
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("bundle", () => {
  test("holds the plotly MIME type, an HTML fallback and a text summary", async () => {
    const plot = await freshPlot();
    const fig = plot.line({ ys: { loss: [3, 2, 1] } }, { title: "Loss" });
    const bundle = plot.bundle(fig, { plotly: false });
    expect(Object.keys(bundle).sort()).toEqual([PLOTLY_MIME, "text/html", "text/plain"]);
    expect(bundle[PLOTLY_MIME]).toBe(fig);
    expect(bundle["text/plain"]).toBe('Figure "Loss": scatter "loss" (3 points)');
    expect(bundle["text/html"]).toMatch(/^<div id="minitorch-plot-[0-9a-f]+-\d+" class="minitorch-plot"/);
    expect(bundle["text/html"].length).toBeLessThan(10_000);
  });

  test("with plotly: true the HTML carries plotly.js itself, guarded to load once per page", async () => {
    const plot = await freshPlot();
    const html = plot.bundle(plot.bar([1, 2]), { plotly: true })["text/html"];
    expect(html.length).toBeGreaterThan(4_000_000);
    expect(html.includes("if (!window.Plotly) {\n/**\n* plotly.js v")).toBe(true);
    expect(/<script[^>]*\ssrc=/i.test(html)).toBe(false); // nothing is fetched
  });

  test("without plotly.js, the HTML asks the page's Jupyter server for the file npm run lab serves", async () => {
    const plot = await freshPlot();
    const html = plot.bundle(plot.bar([1, 2]), { plotly: false })["text/html"];
    expect(html).toContain(`"plotlyPath":"${PLOTLY_STATIC_PATH}"`);
    expect(html).toContain("jupyter-config-data"); // where JupyterLab keeps the server's base URL
    expect(html).toContain("data-base-url"); // where the classic Notebook keeps it
    // the servers npm run lab starts add plotlyStaticDir() to their static paths: the file is there
    expect(PLOTLY_STATIC_PATH).toBe(`static/${PLOTLY_FILE}`);
    expect(existsSync(join(plotlyStaticDir(), PLOTLY_FILE))).toBe(true);
  });

  test("the inlined plotly.js cannot end its script element early", () => {
    expect(plotlySource()).not.toMatch(/<\/script|<!--/i);
  });
});

describe("show", () => {
  test("outside a kernel it prints the summary and sends nothing", async () => {
    const plot = await freshPlot();
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    expect(plot.show(plot.bar([1, 2], { title: "p" }))).toBeUndefined();
    expect(log).toHaveBeenCalledWith('Figure "p": bar (2 points)');
  });

  test("in a kernel it sends one bundle per figure, plotly.js only in the session's first", async () => {
    const plot = await freshPlot();
    enterKernel();
    plot.show(plot.bar([1, 2]));
    plot.show(plot.bar([3, 4]));
    expect(sent.map((s) => [Object.keys(s.data).sort(), s.update, s.transient])).toEqual([
      [[PLOTLY_MIME, "text/html", "text/plain"], false, {}],
      [[PLOTLY_MIME, "text/html", "text/plain"], false, {}],
    ]);
    expect(sent.map(carriesPlotly)).toEqual([true, false]);
  });

  test("a figure shown outside a kernel does not use up the session's plotly.js", async () => {
    const plot = await freshPlot();
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    plot.show(plot.bar([1]));
    enterKernel();
    plot.show(plot.bar([1]));
    expect(sent.map(carriesPlotly)).toEqual([true]);
  });

  test("inline: every (for iframe-per-output front ends) puts plotly.js in every figure", async () => {
    const plot = await freshPlot();
    enterKernel();
    plot.configure({ inline: "every" });
    plot.show(plot.bar([1]));
    plot.show(plot.bar([2]));
    expect(sent.map(carriesPlotly)).toEqual([true, true]);
  });

  test("MINITORCH_PLOT_INLINE=every does the same, and a bad value is reported", async () => {
    vi.stubEnv("MINITORCH_PLOT_INLINE", "every");
    const plot = await freshPlot();
    enterKernel();
    plot.show(plot.bar([1]));
    plot.show(plot.bar([2]));
    expect(sent.map(carriesPlotly)).toEqual([true, true]);
    vi.stubEnv("MINITORCH_PLOT_INLINE", "twice");
    expect(() => plot.show(plot.bar([3]))).toThrow('MINITORCH_PLOT_INLINE must be "once" or "every", got "twice"');
    expect(() => plot.configure({ inline: "never" as "once" }))
      .toThrow('plot.configure: inline must be "once" or "every", got "never"');
  });
});

describe("live", () => {
  test("draws a progress line and the figure, then updates both in place", async () => {
    const plot = await freshPlot();
    enterKernel();
    const fig = plot.live({ total: 3, every: 0, right: ["accuracy"] });
    [0.9, 0.5, 0.2].forEach((loss, i) => fig.push({ loss, accuracy: 0.5 + i / 10 }));
    expect(sent).toHaveLength(6);
    const progress = sent.filter((_, i) => i % 2 === 0);
    const figures = sent.filter((_, i) => i % 2 === 1);
    expect(new Set(progress.map((s) => s.transient.display_id)).size).toBe(1);
    expect(new Set(figures.map((s) => s.transient.display_id)).size).toBe(1);
    expect(progress[0].transient.display_id).not.toBe(figures[0].transient.display_id);
    expect(sent.map((s) => s.update)).toEqual([false, false, true, true, true, true]);
    expect(progress[2].data["text/plain"])
      .toMatch(/^epoch 3\/3 \[#{20}\] 100% \| loss 0\.2000 \| accuracy 0\.7000 \| \d+\.\d s$/);
    // the first figure loads plotly.js into the page; the last replaces it in the saved notebook, so carries it too
    expect(figures.map(carriesPlotly)).toEqual([true, false, true]);
    expect((figures[2].data[PLOTLY_MIME] as { data: { y: number[] }[] }).data[0].y).toEqual([0.9, 0.5, 0.2]);
    expect(fig.history).toEqual({ loss: [0.9, 0.5, 0.2], accuracy: [0.5, 0.6, 0.7] });
    expect(() => fig.push({ loss: 0.1 })).toThrow("LiveFigure.push: called after done()");
  });

  test("redraws are throttled, but the last step is always drawn", async () => {
    const plot = await freshPlot();
    enterKernel();
    const fig = plot.live({ total: 50, every: 60_000 });
    for (let i = 0; i < 50; i++) fig.push({ loss: 1 / (i + 1) });
    expect(sent.map((s) => s.update)).toEqual([false, false, true, true]);
    expect(sent[2].data["text/plain"]).toMatch(/^epoch 50\/50 /);
  });

  test("without a total, done() draws the final state; a live figure after another carries no plotly.js", async () => {
    const plot = await freshPlot();
    enterKernel();
    plot.show(plot.bar([1]));
    const fig = plot.live({ every: 60_000, unit: "batch" });
    fig.push({ loss: 1 });
    fig.push({ loss: 0.5 });
    fig.done();
    fig.done();
    expect(sent).toHaveLength(5);
    expect(sent[3].data["text/plain"]).toMatch(/^batch 2 \| loss 0\.5000 \| /);
    expect(sent.filter((s) => "text/html" in s.data).map(carriesPlotly)).toEqual([true, false, false]);
  });

  test("draw replaces the pushed curves, e.g. by a decision boundary that moves while training", async () => {
    const plot = await freshPlot();
    enterKernel();
    let calls = 0;
    const fig = plot.live({ total: 2, every: 0, draw: () => plot.bar([++calls]) });
    fig.push({ loss: 1 });
    fig.push({ loss: 0.5 });
    expect(calls).toBe(2);
    expect(sent.filter((s) => PLOTLY_MIME in s.data).map((s) => s.data["text/plain"]))
      .toEqual(["Figure: bar (1 point)", "Figure: bar (1 point)"]);
    expect(sent[2].data["text/plain"]).toMatch(/^epoch 2\/2 .* \| loss 0\.5000 \|/);
  });

  test("a right-axis series may arrive later (validation every few epochs); a typo fails at the end", async () => {
    const plot = await freshPlot();
    enterKernel();
    const fig = plot.live({ total: 2, every: 0, right: ["val"] });
    fig.push({ loss: 1 });
    fig.push({ loss: 0.5, val: 0.8 });
    const last = sent[sent.length - 1].data[PLOTLY_MIME] as { data: { name: string; yaxis: string }[] };
    expect(last.data.map((t) => [t.name, t.yaxis])).toEqual([["loss", "y"], ["val", "y2"]]);
    const typo = plot.live({ total: 1, every: 0, right: ["vall"] });
    expect(() => typo.push({ loss: 1 })).toThrow('plot.live: right names series ["vall"] that are not plotted');
  });

  test("reports bad pushes", async () => {
    const plot = await freshPlot();
    const fig = plot.live();
    expect(() => fig.push({})).toThrow("LiveFigure.push: pass at least one named value");
    expect(() => fig.push({ loss: "1" as unknown as number }))
      .toThrow('LiveFigure.push: "loss" must be a number, got string; use .item() on a tensor');
    expect(() => plot.live({ total: 0 })).toThrow("plot.live: total must be a positive integer, got 0");
  });
});
