/**
 * `npm run handouts`: the lecture series as handouts in build/handouts/: one self-contained HTML page per
 * notebook (interactive figures and math, no network needed), a PDF of each printed by headless Chromium
 * with every figure as a static image, and index.html with the table of contents. Executed notebooks in
 * build/notebooks are reused when up to date with their sources; the others are executed first.
 *
 *   npm run handouts [-- [--out DIR] [--executed DIR] [--theme light|dark] [--show-solutions]
 *                        [--show-hidden-inputs] [--no-pdf] [--rerun] [--timeout SECONDS]
 *                        [--site URL | --no-site] [NOTEBOOK.ipynb ...]]
 *
 * Cells tagged `solution` are left out, and so is the code of cells tagged `hide-input` (see
 * docs/handouts.md for every tag); NOTEBOOK: only these (default: every notebooks/*.ipynb). Each index entry
 * links the lecture in the course's static site at --site (default ../lite/, where `npm run lite` puts it).
 */
import { relative, resolve } from "path";
import { parseArgs } from "util";
import { buildHandouts, HANDOUTS } from "./lib/handouts/build";
import { EXECUTED } from "./lib/handouts/executed";
import { NOTEBOOKS, ROOT } from "./lib/jupyter";
import { SITE_FROM_HANDOUTS } from "./lib/lite/links";
import { listNotebooks } from "./lib/notebook";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string", default: HANDOUTS },
      executed: { type: "string", default: EXECUTED },
      theme: { type: "string", default: "light" },
      "show-solutions": { type: "boolean", default: false },
      "show-hidden-inputs": { type: "boolean", default: false },
      "no-pdf": { type: "boolean", default: false },
      rerun: { type: "boolean", default: false },
      timeout: { type: "string" },
      site: { type: "string", default: SITE_FROM_HANDOUTS },
      "no-site": { type: "boolean", default: false },
    },
  });
  const theme = values.theme;
  if (theme !== "light" && theme !== "dark") throw new Error(`--theme must be light or dark, got ${theme}`);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout <= 0)) {
    throw new Error(`--timeout must be a whole number of seconds, got ${values.timeout}`);
  }
  const sources = positionals.length > 0 ? positionals.map((p) => resolve(p)) : listNotebooks(NOTEBOOKS);
  if (sources.length === 0) throw new Error(`no notebooks in ${NOTEBOOKS}`);

  const manifest = await buildHandouts({
    sources,
    out: resolve(values.out),
    executed: resolve(values.executed),
    theme,
    showSolutions: values["show-solutions"],
    showHiddenInputs: values["show-hidden-inputs"],
    pdf: !values["no-pdf"],
    rerun: values.rerun,
    timeout,
    site: values["no-site"] ? null : values.site,
  });

  const short = (path: string): string => (relative(ROOT, path).startsWith("..") ? path : relative(ROOT, path));
  const mb = (bytes: number | null): string => (bytes === null ? "-" : `${(bytes / 1_000_000).toFixed(1)} MB`);
  for (const h of manifest.handouts) {
    const pages = h.pdfPages === null ? "" : ` (${h.pdfPages} pages)`;
    console.log(`ok ${h.name}: ${h.plots} figures, HTML ${mb(h.htmlBytes)}, PDF ${mb(h.pdfBytes)}${pages}`);
  }
  const total = manifest.handouts.reduce((sum, h) => sum + h.htmlBytes + (h.pdfBytes ?? 0), 0);
  const { execute, html, pdf, total: seconds } = manifest.seconds;
  const { executed, reused } = manifest.executed;
  console.log(
    `${manifest.handouts.length} handouts (${mb(total)}) in ${short(resolve(values.out))}/ ` +
      `in ${seconds.toFixed(1)} s (execute ${execute.toFixed(1)} s: ${executed.length} run, ${reused.length} reused; ` +
      `HTML ${html.toFixed(1)} s; PDF ${pdf.toFixed(1)} s); open ${short(resolve(values.out, "index.html"))}`,
  );
}

main().catch((error: Error) => {
  console.error(`npm run handouts: ${error.message}`);
  process.exit(1);
});
