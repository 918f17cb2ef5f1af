// A live Jupyter session, as a student has one: Debian's Jupyter Notebook, started as `npm run lab` starts it
// when no JupyterLab is available, the starter notebook opened in headless Chromium (any request off that
// server is blocked), every cell run through the UI's Cell > Run All menu, and the result checked in the
// page: every cell ran, none left an error or stderr output, every figure is drawn by plotly, the math is
// typeset, and running the cells logged no error in the page. Then the page is reloaded while the kernel
// keeps running, which leaves a page without plotly.js that the kernel believes has it: the saved figures
// draw again, and so do the figures of a second Run All (the page loads plotly.js from the server). The
// server (and its kernel) is shut down whatever happens.
import { copyFileSync } from "fs";
import { join } from "path";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { PLOTLY_STATIC_PATH } from "../src/plot/plotly-source";
import { offlinePage } from "../scripts/lib/handouts/browser";
import { NOTEBOOKS, ROOT } from "../scripts/lib/jupyter";
import { SCREENSHOTS, useJupyterSession } from "./support/jupyter-server";

const STARTER = join(NOTEBOOKS, "01-tensors-strides-views.ipynb");
/** The session works on a copy under build/ (autosave must not touch notebooks/), deep enough in the
 * repository that the kernel resolves "minitorch-ts" from its node_modules. */
const WORKDIR = join(ROOT, "build", "live-notebook");
const PLOTLY_MIME = "application/vnd.plotly.v1+json";

const session = useJupyterSession("notebook", WORKDIR, () => copyFileSync(STARTER, join(WORKDIR, "starter.ipynb")));

type NotebookWindow = {
  Jupyter: {
    notebook: {
      _fully_loaded?: boolean;
      kernel?: { is_connected(): boolean };
      get_cells(): Cell[];
      clear_all_output(): void;
    };
  };
};
type Output = { output_type: string; name?: string; text?: string; data?: Record<string, unknown> };
type Cell = { cell_type: string; input_prompt_number?: number | string | null; output_area?: { outputs: Output[] } };

/** Waits until the notebook is loaded and its kernel connected. */
async function loaded(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const nb = (window as unknown as Partial<NotebookWindow>).Jupyter?.notebook;
    return nb?._fully_loaded === true && nb.kernel?.is_connected() === true;
  }, undefined, { timeout: 90_000, polling: 200 });
}

/** Clicks a menu item as a student would, e.g. Cell > Run All. */
async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.click(top);
  await page.click(item);
}

/** Cell > Run All, then waits until no cell waits ("*") and the kernel is idle; an error stops the queue,
 * leaving later cells unrun. */
async function runAll(page: Page): Promise<void> {
  await menu(page, "#celllink", "#run_all_cells > a");
  await page.waitForFunction(() => {
    const notebook = (window as unknown as NotebookWindow).Jupyter.notebook;
    const cells = notebook.get_cells().filter((c) => c.cell_type === "code");
    const waiting = cells.some((c) => c.input_prompt_number === "*");
    const idle = document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
    return !waiting && idle && cells.some((c) => typeof c.input_prompt_number === "number");
  }, undefined, { timeout: 240_000, polling: 250 });
}

/** The page's cells, outputs and figures as they stand, once every figure is drawn (or 30 s passed). */
async function pageState(page: Page) {
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll(".minitorch-plot")).every((div) => div.querySelector(".main-svg")),
    undefined,
    { timeout: 30_000, polling: 250 },
  ).catch(() => undefined); // the assertions below say what is missing
  return page.evaluate((mime) => {
    const notebook = (window as unknown as NotebookWindow).Jupyter.notebook;
    const cells = notebook.get_cells().filter((c) => c.cell_type === "code");
    const outputs = cells.flatMap((c) => c.output_area?.outputs ?? []);
    const plots = Array.from(document.querySelectorAll(".minitorch-plot"));
    return {
      prompts: cells.map((c) => c.input_prompt_number ?? null),
      errorOutputs: document.querySelectorAll(".output_error").length,
      stderr: outputs.filter((o) => o.output_type === "stream" && o.name === "stderr")
        .map((o) => String(o.text).slice(0, 300)),
      figures: outputs.filter((o) => o.data !== undefined && mime in o.data).length,
      plotDivs: plots.length,
      drawn: plots.filter((div) => div.querySelector(".main-svg") !== null).length,
      notDrawn: plots.filter((div) => div.querySelector(".main-svg") === null)
        .map((div) => div.textContent?.slice(0, 200)),
      math: document.querySelectorAll(".MathJax_SVG, .MathJax, .MathJax_CHTML, mjx-container").length,
      mathErrors: document.querySelectorAll(".MathJax_Error, merror").length,
    };
  }, PLOTLY_MIME);
}

/** Saves a screenshot with the first figure in view. */
async function screenshot(page: Page, name: string): Promise<void> {
  const first = page.locator(".minitorch-plot .main-svg").first();
  if ((await first.count()) > 0) await first.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}

test("Run All in a live Notebook session draws the starter notebook's figures, and again after a reload", async () => {
  const { origin, token } = session.server();
  const { context, page, log } = await offlinePage(session.browser(), {
    allow: (url) => url.origin === origin,
    viewport: { width: 1280, height: 1000 },
  });
  const plotlyRequests: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith(PLOTLY_STATIC_PATH)) plotlyRequests.push(request.url());
  });
  try {
    await page.goto(`${origin}/notebooks/starter.ipynb?token=${token}`);
    await loaded(page);
    // What the Notebook front end itself logs while loading is its business; from here on, anything
    // logged comes from running the cells and their outputs.
    const loading = { errors: log.errors.length, blocked: log.blocked.length };
    await runAll(page);
    const state = await pageState(page);
    await screenshot(page, "live-notebook.png");

    const ran = state.prompts.every((p) => typeof p === "number");
    expect(ran, `every code cell ran: ${JSON.stringify(state.prompts)}`).toBe(true);
    expect(state.errorOutputs).toBe(0);
    expect(state.stderr).toEqual([]);
    expect(state.figures).toBeGreaterThanOrEqual(5);
    expect(state.plotDivs).toBe(state.figures);
    expect(state.drawn, JSON.stringify(state.notDrawn)).toBe(state.figures);
    expect(state.math).toBeGreaterThan(0);
    expect(state.mathErrors).toBe(0);
    expect(log.errors.slice(loading.errors), "errors logged while the cells ran").toEqual([]);
    expect(loading.blocked).toBe(0);
    // the first figure carried plotly.js: nothing was asked of the server
    expect(plotlyRequests).toEqual([]);

    // saved, reloaded: the saved outputs draw again (the first figure carries plotly.js)
    await menu(page, "#filelink", "#save_checkpoint > a");
    const saved = () => document.querySelector("#notification_notebook")?.textContent?.includes("saved") ?? false;
    await page.waitForFunction(saved, undefined, { timeout: 30_000 }).catch(() => undefined);
    await page.reload();
    await loaded(page);
    const reopened = await pageState(page);
    expect(reopened.drawn, JSON.stringify(reopened.notDrawn)).toBe(state.figures);

    // outputs cleared and saved, reloaded: the page has no plotly.js, the kernel (still running) has sent it
    // already, so no figure of this Run All carries it and the page must load it from the server
    await page.evaluate(() => (window as unknown as NotebookWindow).Jupyter.notebook.clear_all_output());
    await menu(page, "#filelink", "#save_checkpoint > a");
    await page.waitForTimeout(1000);
    await page.reload();
    await loaded(page);
    expect(await page.evaluate(() => "Plotly" in window), "the reloaded page starts without plotly.js").toBe(false);
    await runAll(page);
    const again = await pageState(page);
    await screenshot(page, "live-notebook-reloaded.png");
    expect(again.errorOutputs).toBe(0);
    expect(again.figures).toBe(state.figures);
    expect(again.drawn, JSON.stringify(again.notDrawn)).toBe(state.figures);
    expect(plotlyRequests, "plotly.js loaded from the server once").toEqual([`${origin}/${PLOTLY_STATIC_PATH}`]);
    expect(log.blocked, "requests off the Jupyter server").toEqual([]);
  } finally {
    await context.close();
  }
}, 600_000);
