// The project's JupyterLab (frontend/lab) as a student uses it: the server started as `npm run lab` starts it,
// headless Chromium with every request off that server blocked, and for every lecture notebook and each
// homework's instructor copy: open it, Run > Run All Cells, and check that every cell ran, none left an error
// or stderr output, the math is typeset and every figure is drawn by plotly (as many drawn plots as plotly
// outputs the saved notebook holds); a live training figure redraws in place (its trace grows); the page
// reloaded while the kernel keeps running (which the kernel cannot know), the saved notebook reopens with its
// figures drawn, and a second Run All draws every figure again. The first notebook also opens, saved, in a
// second tab with its figures. The page logs no error. Screenshots go to build/screenshots/lab-*.png, timings
// to build/lab-timings.json. The server and its kernels are shut down whatever happens.
import type { ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "fs";
import { basename, join } from "path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, test } from "vitest";
import { offlinePage } from "../scripts/lib/handouts/browser";
import { NOTEBOOKS, ROOT } from "../scripts/lib/jupyter";
import { cellSource, listNotebooks, readNotebook } from "../scripts/lib/notebook";
import { SCREENSHOTS, useJupyterSession } from "./support/jupyter-server";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";
/** The session works on copies (autosave must not touch notebooks/), deep enough in the repository that
 * the kernel resolves "minitorch-ts" from its node_modules. */
const WORKDIR = join(ROOT, "build", "lab-check");
const NOTEBOOK_FILES = [...listNotebooks(NOTEBOOKS), ...listNotebooks(join(ROOT, "homework"))];
/** Generous: a shared machine under load trains the MNIST notebook's CNN several times slower than usual. */
const RUN_TIMEOUT = 20 * 60_000;

const timings: { notebook: string; openSeconds: number; runAllSeconds: number; rerunSeconds: number }[] = [];

const session = useJupyterSession("lab", WORKDIR, () => {
  // fresh copies: a notebook saved by an earlier run must not count as this run's
  rmSync(WORKDIR, { recursive: true, force: true });
  mkdirSync(WORKDIR);
  for (const file of NOTEBOOK_FILES) copyFileSync(file, join(WORKDIR, basename(file)));
});
afterAll(() => writeFileSync(join(ROOT, "build", "lab-timings.json"), `${JSON.stringify(timings, null, 2)}\n`));

/** The figures a saved notebook shows: its outputs that carry the plotly MIME type. */
function savedFigures(name: string): number {
  const nb: INotebookContent = readNotebook(join(WORKDIR, name));
  return nb.cells
    .filter((c): c is ICodeCell => c.cell_type === "code")
    .flatMap((c) => c.outputs)
    .filter((o) => typeof o.data === "object" && o.data !== null && PLOTLY_MIME in o.data).length;
}

/** Whether the notebook's text has math (which MathJax must typeset). */
function hasMath(name: string): boolean {
  return readNotebook(join(WORKDIR, name)).cells.some((c) => c.cell_type === "markdown" && cellSource(c).includes("$"));
}

/** Whether the notebook trains with a live figure (`plot.live`), which must redraw in place. */
function hasLiveFigure(name: string): boolean {
  const cells = readNotebook(join(WORKDIR, name)).cells;
  return cells.some((c) => c.cell_type === "code" && cellSource(c).includes("plot.live("));
}

/** The open notebook's code-cell prompts: a number once run, "*" while queued or running, "" never run. */
function prompts(page: Page): Promise<string[]> {
  return page.$$eval(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt", (els) =>
    els.map((el) => (el.textContent ?? "").replace(/[[\]:\s]/g, "")));
}

/** Waits until the open notebook is shown and connected to its idle kernel (the status bar says
 * "TypeScript | Idle"; before that, running cells would ask which kernel to start); returns the seconds it
 * took since `since`. */
async function notebookReady(page: Page, since: number): Promise<number> {
  await page.waitForSelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell", { timeout: 120_000 });
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll(".jp-StatusBar-TextItem"))
      .some((el) => /\| Idle$/.test(el.textContent ?? "")),
    undefined,
    { timeout: 120_000, polling: 200 },
  );
  return (Date.now() - since) / 1000;
}

/** Clicks a menu item as a student would, e.g. Run > Run All Cells. */
async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.click(`.lm-MenuBar-itemLabel:text-is("${top}")`);
  await page.click(`.lm-Menu-itemLabel:text-is("${item}")`);
}

/** Run > Run All Cells, then waits until no cell is queued and the kernel is idle; returns the seconds it
 * took. An error stops the queue, leaving later cells unrun (the checks then say which). */
async function runAll(page: Page): Promise<number> {
  const before = Math.max(0, ...(await prompts(page)).map(Number).filter(Number.isFinite));
  const started = Date.now();
  await menu(page, "Run", "Run All Cells");
  await page.waitForFunction(([previous]) => {
    const panel = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden)");
    const texts = Array.from(panel?.querySelectorAll(".jp-CodeCell .jp-InputPrompt") ?? [])
      .map((el) => (el.textContent ?? "").replace(/[[\]:\s]/g, ""));
    const idle = panel?.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']") !== null;
    // started (some cell ran after `previous`), nothing queued, kernel idle
    return idle && !texts.includes("*") && texts.some((t) => Number(t) > previous);
  }, [before], { timeout: RUN_TIMEOUT, polling: 250 });
  return (Date.now() - started) / 1000;
}

/** What the open notebook shows, once it shows `figures` figures all drawn (or 60 s passed: the checks then
 * say what is missing). JupyterLab renders a notebook's cells a batch at a time while it opens. */
async function shown(page: Page, figures: number) {
  const panel = ".jp-NotebookPanel:not(.lm-mod-hidden)";
  await page.waitForFunction(([p, n]) => {
    const plots = Array.from(document.querySelectorAll(`${p} .minitorch-plot`));
    return plots.length >= n && plots.every((div) => div.querySelector(".main-svg") !== null);
  }, [panel, figures] as const, { timeout: 60_000, polling: 250 }).catch(() => undefined);
  return page.evaluate((p) => {
    const plots = Array.from(document.querySelectorAll(`${p} .minitorch-plot`));
    const outputs = (type: string) =>
      Array.from(document.querySelectorAll(`${p} .jp-OutputArea-output[data-mime-type="${type}"]`));
    return {
      plots: plots.length,
      // drawn by the plotly renderer extension (the plotly MIME type won), not by the HTML fallback
      byRenderer: plots.filter((div) => div.closest(".minitorch-plotly") !== null).length,
      drawn: plots.filter((div) => div.querySelector(".main-svg") !== null).length,
      notDrawn: plots.filter((div) => div.querySelector(".main-svg") === null)
        .map((div) => div.textContent?.slice(0, 200)),
      errors: outputs("application/vnd.jupyter.stderr").map((el) => el.textContent?.slice(0, 300)),
      math: document.querySelectorAll(`${p} mjx-container`).length,
      mathErrors: document.querySelectorAll(`${p} mjx-merror, ${p} merror`).length,
    };
  }, panel);
}

/** What watchFigures leaves in the page. */
type FigureWatch = { figureStates: () => number[][] };

/** From now on, records every state of every figure drawn by the plotly renderer: the number of points
 * of its traces, per figure element, so that a figure redrawn in place shows as one element that grew. */
async function watchFigures(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Graph = HTMLElement & { data?: { x?: ArrayLike<unknown> }[] };
    const seen = new Map<Graph, number[]>();
    (window as unknown as FigureWatch).figureStates = () => Array.from(seen.values());
    new MutationObserver((records) => {
      for (const record of records) {
        const graph = (record.target as Element).closest?.(".minitorch-plotly .minitorch-plot") as Graph | null;
        if (!graph?.data) continue;
        const points = graph.data.reduce((sum, trace) => sum + (trace.x?.length ?? 0), 0);
        const states = seen.get(graph) ?? [];
        if (states[states.length - 1] !== points) states.push(points);
        seen.set(graph, states);
      }
    }).observe(document.body, { subtree: true, childList: true });
  });
}

/** Saves the notebook through the File menu and waits until the tab is no longer marked unsaved. */
async function save(page: Page): Promise<void> {
  await menu(page, "File", "Save Notebook");
  await page.waitForFunction(() => document.querySelector(".lm-TabBar-tab.lm-mod-current.jp-mod-dirty") === null,
    undefined, { timeout: 60_000 });
}

async function screenshot(page: Page, name: string): Promise<void> {
  const first = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .minitorch-plot .main-svg").first();
  if ((await first.count()) > 0) await first.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}

/** Shuts the notebook's kernel down through the server (the next notebook gets its own). */
async function shutDownSessions(): Promise<void> {
  const { origin, token } = session.server();
  const headers = { Authorization: `token ${token}` };
  const sessions = (await (await fetch(`${origin}/api/sessions`, { headers })).json()) as { id: string }[];
  for (const { id } of sessions) await fetch(`${origin}/api/sessions/${id}`, { method: "DELETE", headers });
}

describe("the project's JupyterLab", () => {
  const names = NOTEBOOK_FILES.map((file) => basename(file));
  test.each(names)("%s: Run All draws every figure, and again after a reload", async (name) => {
    const { origin, token } = session.server();
    const { context, page, log } = await offlinePage(session.browser(), {
      allow: (url) => url.origin === origin,
      viewport: { width: 1280, height: 1000 },
    });
    const stem = name.replace(/\.ipynb$/, "");
    let passed = false;
    try {
      // ?reset: a fresh workspace, so only this notebook opens (and starts a kernel)
      const opening = Date.now();
      await page.goto(`${origin}/lab/tree/${name}?reset&token=${token}`);
      const openSeconds = await notebookReady(page, opening);
      const loading = log.errors.length;

      await watchFigures(page);
      const runAllSeconds = await runAll(page);
      await save(page);
      const figures = savedFigures(name);
      const first = await shown(page, figures);
      const ran = await prompts(page);
      await screenshot(page, `lab-${stem}.png`);
      expect(ran.every((p) => /^\d+$/.test(p)), `every code cell ran: ${JSON.stringify(ran)}`).toBe(true);
      expect(first.errors).toEqual([]);
      if (hasMath(name)) expect(first.math, "the math is typeset").toBeGreaterThan(0);
      expect(first.mathErrors).toBe(0);
      expect(figures, "the notebook shows figures").toBeGreaterThan(0);
      expect(first.plots).toBe(figures);
      expect(first.byRenderer).toBe(figures);
      expect(first.drawn, JSON.stringify(first.notDrawn)).toBe(figures);
      if (hasLiveFigure(name)) {
        const states = await page.evaluate(() => (window as unknown as FigureWatch).figureStates());
        const grew = states.filter((s) => s.length > 1 && s.every((n, i) => i === 0 || n > s[i - 1]));
        const message = `a live figure redrew in place, growing (states per figure: ${JSON.stringify(states)})`;
        expect(grew.length, message).toBeGreaterThan(0);
      }

      // a second tab opens the saved notebook from disk, with its figures (one notebook shows it: the
      // renderer does not depend on what the notebook holds, and every page load costs seconds)
      if (name === basename(NOTEBOOK_FILES[0])) await checkSecondTab(context, origin, name, figures);

      // reloaded while the kernel keeps running: the saved figures draw, and so do those of a second Run All
      const reloading = log.errors.length;
      await page.reload();
      await notebookReady(page, Date.now());
      // the reload aborts the old page's polls of the server (sessions, kernels, terminals...): not errors
      const aborted = log.errors.splice(reloading).filter((e) => !/^request failed: .* \(net::ERR_ABORTED\)$/.test(e));
      log.errors.push(...aborted);
      const reopened = await shown(page, figures);
      expect(reopened.drawn, JSON.stringify(reopened.notDrawn)).toBe(figures);
      const rerunSeconds = await runAll(page);
      const again = await shown(page, figures);
      await screenshot(page, `lab-${stem}-reloaded.png`);
      expect(again.errors).toEqual([]);
      expect(again.plots).toBe(figures);
      expect(again.drawn, JSON.stringify(again.notDrawn)).toBe(figures);
      expect(log.errors.slice(loading), "errors logged in the page").toEqual([]);
      expect(log.blocked, "requests off the Jupyter server").toEqual([]);
      timings.push({ notebook: name, openSeconds, runAllSeconds, rerunSeconds });
      passed = true;
    } finally {
      if (!passed) await page.screenshot({ path: join(SCREENSHOTS, `lab-${stem}-failed.png`) }).catch(() => undefined);
      await context.close();
      await shutDownSessions();
    }
  }, 3 * RUN_TIMEOUT);
});

/** Opens the notebook in a second tab of the same browser session and checks its saved figures draw. */
async function checkSecondTab(context: BrowserContext, origin: string, name: string, figures: number): Promise<void> {
  const second = await context.newPage();
  const errors: string[] = [];
  second.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  second.on("pageerror", (error) => errors.push(error.message));
  try {
    await second.goto(`${origin}/lab/tree/${name}`);
    await notebookReady(second, Date.now());
    const state = await shown(second, figures);
    await screenshot(second, `lab-${name.replace(/\.ipynb$/, "")}-second-tab.png`);
    expect(state.plots, "second tab").toBe(figures);
    expect(state.drawn, `second tab: ${JSON.stringify(state.notDrawn)}`).toBe(figures);
    if (hasMath(name)) expect(state.math, "second tab: the math is typeset").toBeGreaterThan(0);
    expect(errors, "errors logged in the second tab").toEqual([]);
  } finally {
    await second.close();
  }
}
