// The course's static site (build/lite, built by `npm run lite`, which pretest runs) used as a student uses
// it: served by a plain static server, opened in headless Chromium with every request off that server
// blocked. The first visit (a fresh profile) opens the first lecture; then one page opens each lecture
// notebook in turn, as a student's browser would (the site cached), and runs it with Run > Run All Cells:
// every cell runs, no error or stderr output, every figure is drawn, and the figures are those the notebook
// draws in Jupyter with tslab (same count, same traces). The homework's student version fails its tests with "not
// implemented"; a copy solved in the site passes, is downloaded with File > Download and `npm run grade`
// gives it full marks. Interrupt stops a running cell; on a cross-origin isolated page the library's worker
// threads run. Timings go to build/lite-report.json (see test/README or the report in the lead's notes).
import type { ICell, INotebookContent } from "@jupyterlab/nbformat";
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { basename, join } from "path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PageLog, launchChromium, offlinePage } from "../scripts/lib/handouts/browser";
import { expectedPlots } from "../scripts/lib/handouts/check";
import { HOMEWORK, loadAssignment } from "../scripts/lib/homework/grader";
import { nbgrader } from "../scripts/lib/homework/notebook";
import { NOTEBOOKS, ROOT } from "../scripts/lib/jupyter";
import { FOLDERS, labLink } from "../scripts/lib/lite/links";
import { SiteServer, serveSite } from "../scripts/lib/lite/serve";
import { SITE, folderBytes } from "../scripts/lib/lite/site";
import { cellSource, listNotebooks, readNotebook } from "../scripts/lib/notebook";
import { navigate } from "./support/navigate";

const LECTURES = listNotebooks(NOTEBOOKS).map((file) => basename(file));
const HOMEWORK_FILES = listNotebooks(HOMEWORK).map((file) => basename(file));
/** The homework the site is checked with (its student version fails, a solved copy grades 100). */
const HOMEWORK_FILE = HOMEWORK_FILES[0];
const EXECUTED = join(ROOT, "build", "notebooks");
const SCREENSHOTS = join(ROOT, "build", "screenshots", "lite");
const REPORT = join(ROOT, "build", "lite-report.json");
const PLOTLY_MIME = "application/vnd.plotly.v1+json";
/** Long enough for the MNIST notebook's training on a busy machine. */
const RUN_TIMEOUT = 20 * 60_000;

/** A kernel message the page received, with when. */
interface Received {
  at: number;
  type: string;
  parent: string;
  code?: string;
}

/** What one notebook did in the site. */
interface NotebookRun {
  notebook: INotebookContent;
  runAllMs: number;
  /** Per executed cell: its code and the milliseconds the kernel was busy with it (status busy -> idle, as
   * nbclient records it in Jupyter). */
  cells: { code: string; ms: number }[];
  updates: number;
  figures: number;
  drawn: number;
  shot: string;
}

const report = {
  siteMB: 0,
  siteWithMapsMB: 0,
  firstLoad: { notebookShownMs: 0, kernelReadyMs: 0, compilerReadyMs: 0 },
  notebooks: {} as Record<
    string,
    { cells: number; browserRunAllS: number; browserCellsS: number; tslabCellsS: number | null }
  >,
  mnistTrainingS: { browser: 0, tslab: null as number | null },
  isolated: { crossOriginIsolated: false, threads: 0, matmulMs: 0 },
  singleThread: { matmulMs: 0 },
};

let server: SiteServer;
let isolatedServer: SiteServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(SITE, "index.html")))
    throw new Error("no site in build/lite: run `npm run lite` (npm test's pretest does)");
  server = await serveSite(SITE);
  isolatedServer = await serveSite(SITE, { isolated: true });
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  report.siteMB = folderBytes(SITE, (name) => !name.endsWith(".map")) / 1e6;
  report.siteWithMapsMB = folderBytes(SITE) / 1e6;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await isolatedServer?.close();
  // a run of some tests only (vitest -t) leaves the last full report in place
  if (Object.keys(report.notebooks).length === LECTURES.length)
    writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`lite report (${REPORT}):\n${JSON.stringify(report, null, 2)}`);
});

/** A fresh browser profile on `site` (nothing cached, nothing stored), blocking every other origin. */
async function openSite(site: SiteServer): Promise<{ context: BrowserContext; page: Page; log: PageLog }> {
  const origin = new URL(site.url).origin;
  const opened = await offlinePage(browser, {
    allow: (url) => url.origin === origin,
    viewport: { width: 1280, height: 900 },
  });
  // name what was missing (the console only says "404")
  opened.page.on("response", (response) => {
    if (response.status() >= 400) opened.log.errors.push(`${response.status()} ${response.url()}`);
  });
  return opened;
}

/** Waits until the open notebook's kernel is idle, then records the kernel messages the page receives. */
async function waitForKernel(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      type Message = { header: { msg_type: string }; parent_header: { msg_id?: string }; content: { code?: string } };
      type Kernel = {
        status: string;
        anyMessage: { connect(fn: (sender: unknown, args: { direction: string; msg: Message }) => void): void };
      };
      type Win = {
        jupyterapp?: { shell: { currentWidget: { sessionContext?: { session?: { kernel?: Kernel } } } | null } };
        received?: unknown[];
      };
      const win = window as unknown as Win;
      const kernel = win.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
      if (kernel?.status !== "idle") return false;
      if (win.received === undefined) {
        const received: unknown[] = [];
        win.received = received;
        kernel.anyMessage.connect((_, { direction, msg }) => {
          if (direction !== "recv") return;
          const type = msg.header.msg_type;
          received.push({
            at: Date.now(),
            type,
            parent: msg.parent_header.msg_id ?? "",
            code: type === "execute_input" ? msg.content.code : undefined,
          });
        });
      }
      return true;
    },
    undefined,
    { timeout: 180_000, polling: 200 },
  );
}

/** Opens the lab on `path` (a notebook of the site) and waits until its kernel is idle. */
async function openNotebook(page: Page, site: SiteServer, path: string): Promise<void> {
  await page.goto(`${site.url}${labLink(path)}&exposeAppInBrowser`);
  // the lab restores the previous notebook first: on a busy machine its idle kernel answered for this one
  await page.waitForFunction(
    (wanted) => {
      type Win = { jupyterapp?: { shell: { currentWidget: { context?: { path: string } } | null } } };
      return (window as unknown as Win).jupyterapp?.shell.currentWidget?.context?.path === wanted;
    },
    path,
    { timeout: 120_000 },
  );
  await waitForKernel(page);
}

/** Clicks a top menu, then one of its items. */
async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.click(`.lm-MenuBar-itemLabel:text-is("${top}")`);
  await page.click(`.lm-Menu-itemLabel:text-is("${item}")`);
}

/** Waits until no cell is queued or running and the kernel is idle. */
async function waitForCells(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const prompts = Array.from(
        document.querySelectorAll(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt"),
        (p) => p.textContent ?? "",
      );
      const panel = (
        window as unknown as {
          jupyterapp: { shell: { currentWidget: { sessionContext: { session: { kernel: { status: string } } } } } };
        }
      ).jupyterapp.shell.currentWidget;
      return (
        prompts.some((p) => /\[\d+\]/.test(p)) &&
        !prompts.some((p) => p.includes("*")) &&
        panel.sessionContext.session.kernel.status === "idle"
      );
    },
    undefined,
    { timeout: RUN_TIMEOUT, polling: 500 },
  );
}

/** The open notebook as the front end holds it (what File > Download saves). */
function currentNotebook(page: Page): Promise<INotebookContent> {
  return page.evaluate(
    () =>
      (
        window as unknown as { jupyterapp: { shell: { currentWidget: { content: { model: { toJSON(): unknown } } } } } }
      ).jupyterapp.shell.currentWidget.content.model.toJSON() as INotebookContent,
  );
}

/** Per-cell timings from the kernel messages the page received: its first status (busy) to its last (idle). */
async function cellTimings(page: Page): Promise<{ cells: { code: string; ms: number }[]; updates: number }> {
  const received = await page.evaluate(() => (window as unknown as { received: Received[] }).received);
  const inputs = received.filter((m) => m.type === "execute_input");
  const cells = inputs.map((input) => {
    const statuses = received.filter((m) => m.type === "status" && m.parent === input.parent);
    const [busy, idle] = [statuses.at(0), statuses.at(-1)];
    return { code: input.code ?? "", ms: busy === undefined || idle === undefined ? Number.NaN : idle.at - busy.at };
  });
  return { cells, updates: received.filter((m) => m.type === "update_display_data").length };
}

/** Runs the open notebook with Run > Run All Cells and collects what it did. */
async function runAll(page: Page, name: string): Promise<NotebookRun> {
  const started = Date.now();
  await menu(page, "Run", "Run All Cells");
  await waitForCells(page);
  const runAllMs = Date.now() - started;
  const notebook = await currentNotebook(page);
  const drawn = await page.$$eval(
    ".jp-NotebookPanel:not(.lm-mod-hidden) .minitorch-plot",
    (plots) => plots.filter((p) => p.querySelector(".main-svg") !== null).length,
  );
  const figures = notebook.cells
    .flatMap((c) => (c.outputs as { data?: Record<string, unknown> }[] | undefined) ?? [])
    .filter((o) => o.data?.[PLOTLY_MIME] !== undefined).length;
  const shot = join(SCREENSHOTS, `${name.replace(/\.ipynb$/, "")}.png`);
  await page.screenshot({ path: shot });
  return { notebook, runAllMs, ...(await cellTimings(page)), figures, drawn, shot };
}

type Output = {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  data?: Record<string, unknown>;
};
const outputsOf = (cell: ICell): Output[] => (cell.outputs as Output[] | undefined) ?? [];
const textOf = (o: Output): string => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""));
/** Error and stderr outputs, as short strings for a failure message. */
const failures = (nb: INotebookContent): string[] =>
  nb.cells
    .flatMap(outputsOf)
    .filter((o) => o.output_type === "error" || o.name === "stderr")
    .map((o) => `${o.ename ?? o.name}: ${o.evalue ?? textOf(o)}`.slice(0, 300));

/** Seconds the kernel was busy with a cell (status busy -> idle) as nbclient recorded it in an executed notebook
 * (tslab sends no execute_input, so that is the one span Jupyter records for it). */
function recordedSeconds(cell: ICell): number {
  const execution = cell.metadata.execution as Record<string, string> | undefined;
  if (execution === undefined) return Number.NaN;
  return (Date.parse(execution["iopub.status.idle"]) - Date.parse(execution["iopub.status.busy"])) / 1000;
}

describe("the site in a browser", () => {
  test("the index links every lecture and the homework; the first lecture opens with a ready kernel", async () => {
    const { context, page, log } = await openSite(server);
    try {
      await page.goto(`${server.url}index.html`);
      const links = await page.$$eval("ol.toc a.title", (as) => as.map((a) => a.getAttribute("href") ?? ""));
      expect(links).toEqual([
        ...LECTURES.map((n) => labLink(`${FOLDERS.lectures}/${n}`)),
        ...HOMEWORK_FILES.map((n) => labLink(`${FOLDERS.homework}/${n}`)),
      ]);
      // the first visit of the lab (nothing of it cached): the first link, with the app exposed to the test
      const started = Date.now();
      const compiler = page.waitForEvent("console", {
        predicate: (m) => m.text().startsWith("TypeScript kernel:"),
        timeout: 180_000,
      });
      await page.goto(new URL(`${links[0]}&exposeAppInBrowser`, page.url()).href);
      await page.waitForSelector(".jp-NotebookPanel .jp-CodeCell", { timeout: 120_000 });
      report.firstLoad.notebookShownMs = Date.now() - started;
      await waitForKernel(page);
      report.firstLoad.kernelReadyMs = Date.now() - started;
      // the kernel's worker loading TypeScript and starting tslab's converter
      report.firstLoad.compilerReadyMs = Number(/ready in (\d+) ms/.exec((await compiler).text())?.[1] ?? Number.NaN);
      const path = await page.evaluate(
        () =>
          (window as unknown as { jupyterapp: { shell: { currentWidget: { context: { path: string } } } } }).jupyterapp
            .shell.currentWidget.context.path,
      );
      expect(path).toBe(`${FOLDERS.lectures}/${LECTURES[0]}`);
      expect(log.blocked).toEqual([]);
      expect(log.errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  describe("the lectures, one after another in one page", () => {
    let opened: Awaited<ReturnType<typeof openSite>> | null = null;
    beforeAll(async () => {
      opened = await openSite(server);
      // leaving a notebook run but not saved: the student means to
      opened.page.on("dialog", (dialog) => (dialog.type() === "beforeunload" ? dialog.accept() : dialog.dismiss()));
    });
    afterAll(async () => {
      await opened?.context.close();
    });

    test.each(LECTURES)(
      "%s runs with Run All: every cell, no error, every figure drawn, the figures tslab draws",
      async (name) => {
        if (opened === null) throw new Error("no browser page");
        const { page, log } = opened;
        const logged = log.errors.length;
        await navigate(log, () => openNotebook(page, server, `${FOLDERS.lectures}/${name}`));
        const run = await runAll(page, name);
        const code = run.notebook.cells.filter((c) => c.cell_type === "code");
        expect(failures(run.notebook), `errors in ${name} (screenshot ${run.shot})`).toEqual([]);
        expect(code.filter((c) => c.execution_count === null).length, "cells that did not run").toBe(0);
        expect(run.drawn, "figures drawn in the page").toBe(run.figures);
        const executed = join(EXECUTED, name);
        const inJupyter = existsSync(executed) ? readNotebook(executed) : null;
        if (inJupyter !== null) {
          const traces = (nb: INotebookContent) =>
            nb.cells
              .flatMap(outputsOf)
              .filter((o) => o.data?.[PLOTLY_MIME] !== undefined)
              .map((o) => (o.data?.[PLOTLY_MIME] as { data: unknown[] }).data.length);
          expect(traces(run.notebook), "traces per figure, as in Jupyter with tslab").toEqual(
            expectedPlots(inJupyter).map((p) => p.traces),
          );
        }
        if (code.some((c) => cellSource(c).includes("plot.live(")))
          expect(run.updates, "live figures redrawn in place").toBeGreaterThan(1);
        const tslab =
          inJupyter === null
            ? null
            : inJupyter.cells.filter((c) => c.cell_type === "code").reduce((s, c) => s + recordedSeconds(c), 0);
        report.notebooks[name] = {
          cells: run.cells.length,
          browserRunAllS: run.runAllMs / 1000,
          browserCellsS: run.cells.reduce((s, c) => s + c.ms, 0) / 1000,
          tslabCellsS: tslab,
        };
        const training = run.cells.find((c) => c.code.includes("Training the CNN on MNIST"));
        if (training !== undefined) {
          report.mnistTrainingS.browser = training.ms / 1000;
          const cell = inJupyter?.cells.find((c) => cellSource(c).includes("Training the CNN on MNIST"));
          report.mnistTrainingS.tslab = cell === undefined ? null : recordedSeconds(cell);
        }
        expect(log.blocked).toEqual([]);
        expect(log.errors.slice(logged)).toEqual([]);
      },
      RUN_TIMEOUT + 300_000,
    );
  });
});

/** Graded test cells (nbgrader grade: true) of a notebook. */
const gradedTests = (nb: INotebookContent): ICell[] => nb.cells.filter((c) => nbgrader(c)?.grade === true);

/** Runs every code cell through the UI even when some fail: Run All, then "Run Selected Cell and All Below"
 * from the first cell a failure left unrun, until none is left. */
async function runEveryCell(page: Page): Promise<INotebookContent> {
  await menu(page, "Run", "Run All Cells");
  for (;;) {
    await waitForCells(page);
    const notebook = await currentNotebook(page);
    const next = notebook.cells.findIndex((c) => c.cell_type === "code" && c.execution_count === null);
    if (next < 0) return notebook;
    await page.evaluate((index) => {
      (
        window as unknown as { jupyterapp: { shell: { currentWidget: { content: { activeCellIndex: number } } } } }
      ).jupyterapp.shell.currentWidget.content.activeCellIndex = index;
    }, next);
    await menu(page, "Run", "Run Selected Cell and All Below");
  }
}

describe("the homework in the site", () => {
  test(
    'the student version runs, and each of its tests fails with "not implemented"',
    async () => {
      const { context, page, log } = await openSite(server);
      try {
        await openNotebook(page, server, `${FOLDERS.homework}/${HOMEWORK_FILE}`);
        const notebook = await runEveryCell(page);
        await page.screenshot({ path: join(SCREENSHOTS, "homework-student.png") });
        const tests = gradedTests(notebook);
        expect(tests.length).toBeGreaterThan(0);
        for (const cell of notebook.cells) {
          const errors = outputsOf(cell).filter((o) => o.output_type === "error");
          if (tests.includes(cell)) {
            expect(
              errors.map((e) => e.evalue),
              `test ${nbgrader(cell)?.grade_id}`,
            ).toEqual([expect.stringContaining("not implemented")]);
          } else {
            expect(errors, `cell ${nbgrader(cell)?.grade_id ?? cell.id}`).toEqual([]);
          }
        }
        expect(log.blocked).toEqual([]);
        expect(log.errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    RUN_TIMEOUT,
  );

  test(
    "a copy solved in the site passes every test, and the downloaded notebook grades 100 with npm run grade",
    async () => {
      const { notebook: instructor } = loadAssignment(join(HOMEWORK, HOMEWORK_FILE));
      const answers = Object.fromEntries(
        instructor.cells
          .filter((c) => nbgrader(c)?.solution === true)
          .map((c) => [
            nbgrader(c)?.grade_id ?? "",
            cellSource(c)
              .split("\n")
              .filter((l) => !/^\s*\/\/ (BEGIN|END) SOLUTION/.test(l))
              .join("\n"),
          ]),
      );
      const { context, page, log } = await openSite(server);
      try {
        await openNotebook(page, server, `${FOLDERS.homework}/${HOMEWORK_FILE}`);
        // the student's typing: each answer cell's text replaced in the editor's model
        const typed = await page.evaluate((byId) => {
          type Cell = {
            model: {
              metadata: Record<string, unknown> | undefined;
              sharedModel: { setSource(text: string): void; getMetadata(): Record<string, unknown> };
            };
          };
          const panel = (
            window as unknown as { jupyterapp: { shell: { currentWidget: { content: { widgets: Cell[] } } } } }
          ).jupyterapp.shell.currentWidget;
          let count = 0;
          for (const cell of panel.content.widgets) {
            const id = (cell.model.sharedModel.getMetadata().nbgrader as { grade_id?: string } | undefined)?.grade_id;
            if (id !== undefined && id in byId) {
              cell.model.sharedModel.setSource(byId[id]);
              count++;
            }
          }
          return count;
        }, answers);
        expect(typed).toBe(Object.keys(answers).length);
        const run = await runAll(page, "homework-solved");
        expect(failures(run.notebook)).toEqual([]);
        expect(run.notebook.cells.filter((c) => c.cell_type === "code" && c.execution_count === null)).toEqual([]);

        const [download] = await Promise.all([page.waitForEvent("download"), menu(page, "File", "Download")]);
        const dir = mkdtempSync(join(ROOT, "build", "lite-download-"));
        const file = join(dir, download.suggestedFilename());
        await download.saveAs(file);
        // JupyterLite names the download after the notebook's path (homework/NAME -> homework_NAME); the
        // grader finds the assignment all the same
        expect(basename(file)).toBe(`${FOLDERS.homework}_${HOMEWORK_FILE}`);
        const grader = spawnSync(
          join(ROOT, "node_modules", ".bin", "ts-node"),
          ["--transpile-only", "scripts/grade.ts", "--json", "--out", join(dir, "grades"), file],
          {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 1 << 26,
          },
        );
        expect(grader.status, grader.stderr).toBe(0);
        const [graded] = JSON.parse(grader.stdout) as { score: number; max_score: number; tampering: string[] }[];
        expect(graded.tampering).toEqual([]);
        expect(graded.max_score).toBeGreaterThan(0);
        expect(graded.score).toBe(graded.max_score);
        expect(log.blocked).toEqual([]);
        expect(log.errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    RUN_TIMEOUT,
  );
});

/** Adds a code cell with `code` at the end of the open notebook, runs it through the UI, and returns its outputs. */
async function runNewCell(page: Page, code: string, options: { wait?: boolean } = {}): Promise<Output[]> {
  const index = await page.evaluate((text) => {
    type Notebook = {
      model: { sharedModel: { addCell(cell: { cell_type: string; source: string }): unknown; cells: unknown[] } };
      activeCellIndex: number;
    };
    const notebook = (window as unknown as { jupyterapp: { shell: { currentWidget: { content: Notebook } } } })
      .jupyterapp.shell.currentWidget.content;
    notebook.model.sharedModel.addCell({ cell_type: "code", source: text });
    notebook.activeCellIndex = notebook.model.sharedModel.cells.length - 1;
    return notebook.activeCellIndex;
  }, code);
  await menu(page, "Run", "Run Selected Cell and Do not Advance");
  if (options.wait === false) return [];
  await waitForCells(page);
  return outputsOf((await currentNotebook(page)).cells[index]);
}

describe("the kernel in the site", () => {
  /** A 600 x 600 matmul (432 MFLOP: shared with worker threads when there are any), timed in the kernel. */
  const MATMUL = [
    'import { randn, manualSeed } from "minitorch-ts";',
    "manualSeed(0);",
    "const a = randn(600, 600), b = randn(600, 600);",
    "a.matmul(b);",
    "const t0 = performance.now();",
    "for (let i = 0; i < 3; i++) a.matmul(b);",
    "console.log(JSON.stringify({ isolated: crossOriginIsolated, ms: (performance.now() - t0) / 3 }));",
  ].join("\n");

  /** The first lecture open on `site`, with the URLs of the Web Workers the page starts (the kernel's, and
   * the library's threads, which Chromium reports too). */
  async function firstLecture(site: SiteServer) {
    const opened = await openSite(site);
    const workers = new Set<string>();
    opened.page.on("worker", (worker) => workers.add(worker.url()));
    await openNotebook(opened.page, site, `${FOLDERS.lectures}/${LECTURES[0]}`);
    return { ...opened, workers };
  }

  /** Runs MATMUL in a new cell; returns what it printed and how many workers the page gained meanwhile. */
  async function matmul(page: Page, workers: Set<string>): Promise<{ isolated: boolean; ms: number; threads: number }> {
    const before = workers.size;
    const [out] = await runNewCell(page, MATMUL);
    return { ...(JSON.parse(textOf(out)) as { isolated: boolean; ms: number }), threads: workers.size - before };
  }

  test("one thread on a page that is not isolated; Interrupt stops a running cell and the next cell runs", async () => {
    const { context, page, log, workers } = await firstLecture(server);
    try {
      const single = await matmul(page, workers);
      expect(single).toMatchObject({ isolated: false, threads: 0 });
      report.singleThread = { matmulMs: single.ms };

      expect(await runNewCell(page, "const before = 1;\nbefore + 1")).toEqual([
        expect.objectContaining({ name: "stdout", text: "2\n" }),
      ]);
      await runNewCell(page, "let spins = 0;\nwhile (true) spins++;", { wait: false });
      await page.waitForFunction(() => {
        const panel = (
          window as unknown as {
            jupyterapp: { shell: { currentWidget: { sessionContext: { session: { kernel: { status: string } } } } } };
          }
        ).jupyterapp.shell.currentWidget;
        return panel.sessionContext.session.kernel.status === "busy";
      });
      await page.waitForTimeout(1000);
      await menu(page, "Kernel", "Interrupt Kernel");
      await waitForCells(page);
      const stopped = outputsOf((await currentNotebook(page)).cells.at(-1) as ICell);
      expect(stopped).toEqual([
        expect.objectContaining({
          output_type: "error",
          ename: "KeyboardInterrupt",
          evalue: expect.stringContaining("restarted"),
        }),
      ]);
      await waitForKernel(page);
      expect(await runNewCell(page, "typeof before")).toEqual([
        expect.objectContaining({
          output_type: "stream",
          name: "stderr",
          text: expect.stringContaining("Cannot find name 'before'"),
        }),
      ]);
      expect(await runNewCell(page, "6 * 7")).toEqual([expect.objectContaining({ name: "stdout", text: "42\n" })]);
      expect(log.blocked).toEqual([]);
      expect(log.errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);

  test("on a cross-origin isolated page the library's worker threads run", async () => {
    const { context, page, log, workers } = await firstLecture(isolatedServer);
    try {
      const result = await matmul(page, workers);
      expect(result.isolated).toBe(true);
      expect(result.threads, "worker threads started by the library").toBeGreaterThan(0);
      report.isolated = { crossOriginIsolated: true, threads: result.threads, matmulMs: result.ms };
      expect(log.blocked).toEqual([]);
      expect(log.errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);
});
