/**
 * The handout build: executed notebooks -> self-contained HTML pages (nbconvert with templates/handout,
 * plotly.js and MathJax inlined once per page) -> PDFs printed by headless Chromium with every figure as a
 * static image -> an index page with the table of contents, and handouts.json describing what was made.
 */
import { spawnSync } from "child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { createRequire } from "module";
import { basename, dirname, join, relative } from "path";
import { ROOT, jupyterPython } from "../jupyter";
import { SITE_FROM_HANDOUTS, liveLecture } from "../lite/links";
import { readNotebook } from "../notebook";
import {
  launchChromium, offlinePage, PlotImage, plotsToImages, printPdf, PRINT_WIDTH, waitForHandout,
} from "./browser";
import { NotebookInfo, notebookInfo } from "./contents";
import { EXECUTED, ensureExecuted } from "./executed";
import { indexPage } from "./index-page";
import { pdfPages } from "./pdf";

/** Where the handouts go by default. */
export const HANDOUTS = join(ROOT, "build", "handouts");
const TEMPLATES = join(ROOT, "templates");
const CSS = join(TEMPLATES, "handout", "handout.css");
const DRIVER = join(__dirname, "render_handouts.py");

/** Cell tags a handout honours (the names nbconvert, Jupyter Book and nbgrader users already write). */
export const TAGS = {
  /** The whole cell is left out, unless solutions are shown. */
  solution: ["solution", "solutions"],
  /** The whole cell is left out, always. */
  removeCell: ["remove-cell", "remove_cell"],
  /** The code is left out, its outputs stay, unless hidden inputs are shown. */
  hideInput: ["hide-input", "hide_input", "remove-input", "remove_input"],
  /** The outputs are left out, the code stays. */
  removeOutput: ["remove-output", "remove_output", "hide-output", "hide_output"],
} as const;

/** Options of a handout build (the flags of `npm run handouts`). */
export interface HandoutOptions {
  /** Source notebooks, in order. */
  sources: string[];
  /** Output folder (default build/handouts). */
  out?: string;
  /** Folder of the executed notebooks (default build/notebooks). */
  executed?: string;
  /** nbconvert lab theme: "light" (default) or "dark". */
  theme?: "light" | "dark";
  /** Keep cells tagged as solutions. */
  showSolutions?: boolean;
  /** Keep the code of cells tagged hide-input. */
  showHiddenInputs?: boolean;
  /** Print the PDFs (default true). */
  pdf?: boolean;
  /** Execute every notebook even when its executed copy is up to date. */
  rerun?: boolean;
  /** Per-cell timeout in seconds, passed to the runner. */
  timeout?: number;
  /** The course's static site (`npm run lite`) as seen from the index, whose lectures it links to run in the
   * browser (default "../lite/", beside the handouts in build/); null: no such links. */
  site?: string | null;
}

/** One handout as recorded in handouts.json. */
export interface Handout extends NotebookInfo {
  name: string;
  source: string;
  html: string;
  htmlBytes: number;
  plots: number;
  pdf: string | null;
  pdfBytes: number | null;
  pdfPages: number | null;
  /** The static images the PDF shows instead of the figures. */
  images: PlotImage[];
  /** The lecture in the course's static site, to run it in the browser, or null. */
  live: string | null;
}

/** handouts.json: what a build made, with how long each stage took. */
export interface Manifest {
  options: {
    theme: string;
    showSolutions: boolean;
    showHiddenInputs: boolean;
    removedCellTags: string[];
    removedInputTags: string[];
    removedOutputTags: string[];
  };
  handouts: Handout[];
  executed: { reused: string[]; executed: string[] };
  seconds: { execute: number; html: number; pdf: number; total: number };
}

/** Tags of the cells, inputs and outputs that a build removes. */
export interface RemovedTags {
  cells: string[];
  inputs: string[];
  outputs: string[];
}

/** The tags whose cells, inputs and outputs this build removes. */
export function removedTags(options: Pick<HandoutOptions, "showSolutions" | "showHiddenInputs">): RemovedTags {
  return {
    cells: [...TAGS.removeCell, ...(options.showSolutions ? [] : TAGS.solution)],
    inputs: options.showHiddenInputs ? [] : [...TAGS.hideInput],
    outputs: [...TAGS.removeOutput],
  };
}

/** Builds every handout; throws naming the notebook on the first failure. */
export async function buildHandouts(options: HandoutOptions): Promise<Manifest> {
  const started = Date.now();
  const out = options.out ?? HANDOUTS;
  const theme = options.theme ?? "light";
  const tags = removedTags(options);
  const site = options.site === undefined ? SITE_FROM_HANDOUTS : options.site;
  mkdirSync(out, { recursive: true });

  const executed = ensureExecuted(options.sources, options.executed ?? EXECUTED, {
    force: options.rerun,
    timeout: options.timeout,
  });
  const afterExecute = Date.now();

  const items = options.sources.map((source, i) => {
    const name = basename(source, ".ipynb");
    return {
      source,
      name,
      executed: executed.paths[i],
      html: join(out, `${name}.html`),
      pdf: join(out, `${name}.pdf`),
      info: notebookInfo(readNotebook(source), source),
    };
  });
  const pages = items.map((it) =>
    ({ source: it.executed, target: it.html, title: it.info.title, path: dirname(it.source), index: "index.html" }));
  const rendered = renderHtml(pages, { theme, tags });
  const afterHtml = Date.now();

  const images = options.pdf === false ? new Map<string, PlotImage[]>() : await printPdfs(items);
  const afterPdf = Date.now();

  const handouts: Handout[] = items.map((it, i) => ({
    name: it.name,
    ...it.info,
    source: relative(ROOT, it.source),
    html: basename(it.html),
    htmlBytes: statSync(it.html).size,
    plots: rendered[i].plots,
    pdf: options.pdf === false ? null : basename(it.pdf),
    pdfBytes: options.pdf === false ? null : statSync(it.pdf).size,
    pdfPages: options.pdf === false ? null : pdfPages(it.pdf),
    images: images.get(it.name) ?? [],
    live: site === null ? null : liveLecture(site, basename(it.source)),
  }));
  writeFileSync(join(out, "index.html"), indexPage(handouts));
  const manifest: Manifest = {
    options: {
      theme,
      showSolutions: options.showSolutions ?? false,
      showHiddenInputs: options.showHiddenInputs ?? false,
      removedCellTags: tags.cells,
      removedInputTags: tags.inputs,
      removedOutputTags: tags.outputs,
    },
    handouts,
    executed: { reused: executed.reused.map(fromRoot), executed: executed.executed.map(fromRoot) },
    seconds: {
      execute: (afterExecute - started) / 1000,
      html: (afterHtml - afterExecute) / 1000,
      pdf: (afterPdf - afterHtml) / 1000,
      total: (Date.now() - started) / 1000,
    },
  };
  writeFileSync(join(out, "handouts.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** One page the nbconvert driver wrote: how many figures it holds and its size. */
interface Rendered {
  target: string;
  plots: number;
  bytes: number;
}

const fromRoot = (path: string): string => relative(ROOT, path);

/** Runs the nbconvert driver on every notebook at once (one Python start). */
function renderHtml(
  notebooks: { source: string; target: string; title: string; path: string; index: string }[],
  options: { theme: string; tags: RemovedTags },
): Rendered[] {
  const resolve = createRequire(__filename).resolve;
  const job = {
    template_dir: TEMPLATES,
    template: "handout",
    theme: options.theme,
    remove_cell_tags: options.tags.cells,
    remove_input_tags: options.tags.inputs,
    remove_output_tags: options.tags.outputs,
    assets: { plotly: resolve("plotly.js-dist-min"), mathjax: resolve("mathjax/es5/tex-svg-full.js"), css: CSS },
    notebooks,
  };
  const input = JSON.stringify(job);
  const run = spawnSync(jupyterPython(), [DRIVER], { input, encoding: "utf8", maxBuffer: 1 << 26 });
  const results = run.stdout
    .split("\n")
    .filter((l) => l.startsWith("RESULT "))
    .map((l) => JSON.parse(l.slice(7)) as Rendered);
  if (run.status !== 0 || results.length !== notebooks.length) {
    const failed = notebooks[results.length]?.source ?? "?";
    const why = run.stderr || run.error?.message || `exit ${run.status}`;
    throw new Error(`nbconvert failed on ${relative(ROOT, failed)}:\n${why}`);
  }
  for (const [i, r] of results.entries()) {
    const html = readFileSync(r.target, "utf8");
    const copies = html.split("/**\n* plotly.js v").length - 1;
    if (copies !== (r.plots > 0 ? 1 : 0)) {
      throw new Error(`${basename(notebooks[i].target)} carries plotly.js ${copies} times for ${r.plots} figures`);
    }
  }
  return results;
}

/** Prints each handout's HTML to PDF, figures replaced by their images; returns the images per handout. */
async function printPdfs(
  items: { name: string; html: string; pdf: string; info: NotebookInfo }[],
): Promise<Map<string, PlotImage[]>> {
  const images = new Map<string, PlotImage[]>();
  const browser = await launchChromium();
  try {
    for (const it of items) {
      const viewport = { width: PRINT_WIDTH, height: 1100 };
      const { context, page, log } = await offlinePage(browser, { viewport, media: "print" });
      try {
        await page.goto(`file://${it.html}`);
        await waitForHandout(page);
        images.set(it.name, await plotsToImages(page));
        await printPdf(page, it.pdf, it.info.title);
        const problems = [...log.blocked.map((u) => `blocked request ${u}`), ...log.errors];
        if (problems.length > 0) {
          throw new Error(`${basename(it.html)} did not print cleanly:\n  ${problems.join("\n  ")}`);
        }
        console.log(`  ${basename(it.pdf)}: ${images.get(it.name)?.length ?? 0} figures as images`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return images;
}
