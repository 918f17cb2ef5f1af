// A live Jupyter session, as a student has one: Debian's Jupyter Notebook on a loopback port with a token,
// the starter notebook opened in headless Chromium (any request off that server is blocked), every cell
// run through the UI's Cell > Run All menu, and the result checked in the page: every cell ran, none left
// an error or stderr output, every figure is drawn by plotly, the math is typeset, and running the cells
// logged no error in the page. The server (and its kernel) is shut down whatever happens.
import { ChildProcess, spawn } from "child_process";
import { randomBytes } from "crypto";
import { copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "fs";
import { AddressInfo, createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchChromium, offlinePage } from "../scripts/lib/handouts/browser";
import { NOTEBOOKS, ROOT, jupyterPython } from "../scripts/lib/jupyter";

const STARTER = join(NOTEBOOKS, "01-tensors-strides-views.ipynb");
/** The session works on a copy under build/ (autosave must not touch notebooks/), deep enough in the
 * repository that the kernel resolves "minitorch-ts" from its node_modules. */
const WORKDIR = join(ROOT, "build", "live-notebook");
const SCREENSHOT = join(ROOT, "build", "screenshots", "live-notebook.png");
const PLOTLY_MIME = "application/vnd.plotly.v1+json";

let server: ChildProcess | null = null;
let browser: Browser | null = null;
const token = randomBytes(24).toString("hex");
let port = 0;
let scratch = "";
let logFile = "";

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the server process has exited. */
const exited = (): boolean => server === null || server.exitCode !== null || server.signalCode !== null;

/** Ends the server: Jupyter's own shutdown (which shuts its kernels down), then SIGTERM and SIGKILL to
 * its process group if it lingers. Only the process this test started, by its id. */
async function stopServer(): Promise<void> {
  if (server === null || server.pid === undefined) return;
  const pid = server.pid;
  if (!exited()) {
    await fetch(`http://127.0.0.1:${port}/api/shutdown`, { method: "POST", headers: { Authorization: `token ${token}` } }).catch(() => undefined);
    for (let i = 0; i < 50 && !exited(); i++) await sleep(200);
  }
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    try {
      process.kill(-pid, 0);
    } catch {
      break; // the group is gone
    }
    try {
      process.kill(-pid, signal);
    } catch {
      break;
    }
    for (let i = 0; i < 25; i++) {
      try {
        process.kill(-pid, 0);
        await sleep(200);
      } catch {
        break;
      }
    }
  }
  server = null;
}

/** Last resort if the worker exits without afterAll (e.g. a crash): kill the group synchronously. */
function killOnExit(): void {
  if (server?.pid !== undefined) {
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

beforeAll(async () => {
  process.once("exit", killOnExit);
  mkdirSync(WORKDIR, { recursive: true });
  mkdirSync(join(ROOT, "build", "screenshots"), { recursive: true });
  copyFileSync(STARTER, join(WORKDIR, "starter.ipynb"));
  // Jupyter's config and runtime files go to a scratch folder; its data path (where `npm run kernel`
  // registered the tslab kernel) stays the user's.
  scratch = mkdtempSync(join(tmpdir(), "minitorch-live-"));
  logFile = join(scratch, "notebook.log");
  port = await freePort();
  const args = [
    "-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--NotebookApp.token=${token}`, `--notebook-dir=${WORKDIR}`, "--NotebookApp.open_browser=False",
  ];
  if (process.getuid?.() === 0) args.push("--allow-root");
  const log = openSync(logFile, "a");
  server = spawn(jupyterPython(), args, {
    cwd: WORKDIR,
    detached: true, // its own process group, so that stopServer reaches everything it started
    stdio: ["ignore", log, log],
    env: { ...process.env, JUPYTER_CONFIG_DIR: join(scratch, "config"), JUPYTER_RUNTIME_DIR: join(scratch, "runtime") },
  });
  for (let i = 0; ; i++) {
    if (exited()) throw new Error(`Jupyter Notebook exited at start:\n${readFileSync(logFile, "utf8")}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { Authorization: `token ${token}` } }).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300) throw new Error(`Jupyter Notebook did not answer on port ${port} within 60 s:\n${readFileSync(logFile, "utf8")}`);
    await sleep(200);
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await stopServer();
    process.removeListener("exit", killOnExit);
    if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
  }
}, 60_000);

test("Run All in a live Notebook session runs the starter notebook without errors and draws its figures", async () => {
  if (browser === null) throw new Error("no browser");
  const origin = `http://127.0.0.1:${port}`;
  const { context, page, log } = await offlinePage(browser, { allow: (url) => url.origin === origin, viewport: { width: 1280, height: 1000 } });
  try {
    await page.goto(`${origin}/notebooks/starter.ipynb?token=${token}`);
    await page.waitForFunction(() => {
      const nb = (window as { Jupyter?: { notebook?: { _fully_loaded?: boolean; kernel?: { is_connected(): boolean } } } }).Jupyter?.notebook;
      return nb?._fully_loaded === true && nb.kernel?.is_connected() === true;
    }, undefined, { timeout: 90_000, polling: 200 });
    // What the Notebook front end itself logs while loading is its business; from here on, anything
    // logged comes from running the cells and their outputs.
    const loading = { errors: log.errors.length, blocked: log.blocked.length };

    // Cell > Run All, clicked as a student would
    await page.click("#celllink");
    await page.click("#run_all_cells > a");
    // done: no cell waiting ("*") and the kernel idle; an error stops the queue, leaving later cells unrun
    await page.waitForFunction(() => {
      type Cell = { cell_type: string; input_prompt_number?: number | string | null };
      const cells = (window as unknown as { Jupyter: { notebook: { get_cells(): Cell[] } } }).Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code");
      const waiting = cells.some((c) => c.input_prompt_number === "*");
      const idle = document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
      return !waiting && idle && cells.some((c) => typeof c.input_prompt_number === "number");
    }, undefined, { timeout: 240_000, polling: 250 });

    const state = await page.evaluate((mime) => {
      type Output = { output_type: string; name?: string; text?: string; data?: Record<string, unknown> };
      type Cell = { cell_type: string; input_prompt_number?: number | string | null; output_area?: { outputs: Output[] } };
      const cells = (window as unknown as { Jupyter: { notebook: { get_cells(): Cell[] } } }).Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code");
      const outputs = cells.flatMap((c) => c.output_area?.outputs ?? []);
      const plots = Array.from(document.querySelectorAll(".minitorch-plot"));
      return {
        prompts: cells.map((c) => c.input_prompt_number ?? null),
        errorOutputs: document.querySelectorAll(".output_error").length,
        stderr: outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => String(o.text).slice(0, 300)),
        figures: outputs.filter((o) => o.data !== undefined && mime in o.data).length,
        plotDivs: plots.length,
        drawn: plots.filter((div) => div.querySelector(".main-svg") !== null).length,
        math: document.querySelectorAll(".MathJax_SVG, .MathJax, .MathJax_CHTML, mjx-container").length,
        mathErrors: document.querySelectorAll(".MathJax_Error, merror").length,
      };
    }, PLOTLY_MIME);
    const first = page.locator(".minitorch-plot").first();
    if (state.drawn > 0) {
      await first.scrollIntoViewIfNeeded();
      await page.screenshot({ path: SCREENSHOT });
    }

    expect(state.prompts.every((p) => typeof p === "number"), `every code cell ran: ${JSON.stringify(state.prompts)}`).toBe(true);
    expect(state.errorOutputs).toBe(0);
    expect(state.stderr).toEqual([]);
    expect(state.figures).toBeGreaterThanOrEqual(5);
    expect(state.plotDivs).toBe(state.figures);
    expect(state.drawn).toBe(state.figures);
    expect(state.math).toBeGreaterThan(0);
    expect(state.mathErrors).toBe(0);
    expect(log.errors.slice(loading.errors), "errors logged while the cells ran").toEqual([]);
    expect(log.blocked, "requests off the Jupyter server").toEqual([]);
    expect(loading.blocked).toBe(0);
  } finally {
    await context.close();
  }
}, 300_000);
