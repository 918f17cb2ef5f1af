// The handout options an instructor uses, on test/fixtures/handout-options.ipynb: by default a cell tagged
// `solution` is dropped (here it holds the notebook's first figure, and so the only copy of plotly.js the
// kernel sent: the others must still draw) and a cell tagged `hide-input` shows its outputs but not its
// code, in the light theme; `--show-solutions --show-hidden-inputs --theme dark` keep everything. The
// fixture is executed once through the notebook runner and reused by the second build.
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchChromium } from "../scripts/lib/handouts/browser";
import { Manifest, removedTags } from "../scripts/lib/handouts/build";
import { expectedPlots, inspectHandout } from "../scripts/lib/handouts/check";
import { staleReason } from "../scripts/lib/handouts/executed";
import { pdfImages } from "../scripts/lib/handouts/pdf";
import { ROOT } from "../scripts/lib/jupyter";
import { readNotebook } from "../scripts/lib/notebook";

const FIXTURE = join(ROOT, "test", "fixtures", "handout-options.ipynb");
const work = mkdtempSync(join(tmpdir(), "minitorch-handouts-"));
const executedDir = join(work, "executed");
let browser: Browser;

/** Runs scripts/handouts.ts on the fixture into `out` (no npm banner). */
function handouts(out: string, flags: string[]): { status: number | null; output: string; manifest: Manifest | null } {
  const ts = join(ROOT, "node_modules", ".bin", "ts-node");
  const args = ["--transpile-only", "scripts/handouts.ts", "--out", out, "--executed", executedDir, ...flags, FIXTURE];
  const run = spawnSync(ts, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  const output = `${run.stdout}\n${run.stderr}`;
  const manifest = run.status === 0 ? (JSON.parse(readFileSync(join(out, "handouts.json"), "utf8")) as Manifest) : null;
  return { status: run.status, output, manifest };
}

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

test("by default: solution cells dropped, hidden inputs hidden, light theme; other figures still draw", async () => {
  const out = join(work, "default");
  const { status, output, manifest } = handouts(out, []);
  expect(status, output).toBe(0);
  expect(manifest?.executed.executed).toEqual(["test/fixtures/handout-options.ipynb"]);

  const html = join(out, "handout-options.html");
  const page = readFileSync(html, "utf8");
  const gone = ["SOLUTION-CODE-MARKER", "SOLUTION-OUTPUT-MARKER", "Solution figure", "HIDDEN-INPUT-MARKER"];
  for (const marker of gone) expect(page).not.toContain(marker);
  const kept = ["HIDDEN-CELL-OUTPUT-MARKER", "VISIBLE-SETUP-MARKER", "Figure of a hidden-input cell", "Two series"];
  for (const marker of kept) expect(page).toContain(marker);

  const expected = expectedPlots(readNotebook(join(executedDir, "handout-options.ipynb")), removedTags({}));
  expect(expected.map((p) => p.traces)).toEqual([1, 2]);
  const { facts, blocked, errors } = await inspectHandout(browser, html);
  expect(blocked).toEqual([]);
  expect(errors).toEqual([]);
  expect(facts.plots.map((p) => [p.id, p.svg, p.drawnTraces])).toEqual(expected.map((p) => [p.id, true, p.traces]));
  expect(facts.math).toBeGreaterThanOrEqual(2);
  expect(facts.rawTex).toEqual([]);
  expect(facts.lightTheme).toBe(true);
  const summary = "A fixture for the handout build: tagged cells, figures and math.";
  expect(manifest?.handouts[0]).toMatchObject({ title: "Handout options", summary, plots: 2 });
  expect(pdfImages(join(out, "handout-options.pdf")).filter((i) => i.type === "image")).toHaveLength(2);
}, 300_000);

test("--show-solutions --show-hidden-inputs --theme dark keep every cell and input, reuse the execution", async () => {
  const out = join(work, "everything");
  const flags = ["--show-solutions", "--show-hidden-inputs", "--theme", "dark", "--no-pdf"];
  const { status, output, manifest } = handouts(out, flags);
  expect(status, output).toBe(0);
  expect(manifest?.executed).toEqual({ reused: ["test/fixtures/handout-options.ipynb"], executed: [] });
  expect(manifest?.handouts[0].pdf).toBeNull();

  const html = join(out, "handout-options.html");
  const page = readFileSync(html, "utf8");
  const kept = ["SOLUTION-CODE-MARKER", "SOLUTION-OUTPUT-MARKER", "HIDDEN-INPUT-MARKER", "HIDDEN-CELL-OUTPUT-MARKER"];
  for (const marker of kept) expect(page).toContain(marker);
  const { facts, blocked, errors } = await inspectHandout(browser, html);
  expect(blocked).toEqual([]);
  expect(errors).toEqual([]);
  expect(facts.plots.map((p) => [p.svg, p.drawnTraces])).toEqual([[true, 1], [true, 1], [true, 2]]);
  expect(facts.lightTheme).toBe(false);
}, 300_000);

test("an executed copy is stale when its cells differ from the source's or it predates the library", () => {
  const executed = join(executedDir, "handout-options.ipynb");
  expect(staleReason(FIXTURE, executed, 0)).toBeNull();
  expect(staleReason(FIXTURE, executed, Date.now() + 60_000)).toBe("executed before the library last changed");
  expect(staleReason(FIXTURE, join(work, "missing.ipynb"), 0)).toBe("not executed yet");

  const edited = join(work, "edited.ipynb");
  const nb = readNotebook(FIXTURE);
  nb.cells[1].source = 'import { plot } from "minitorch-ts";\nconsole.log("changed");';
  writeFileSync(edited, JSON.stringify(nb));
  expect(staleReason(edited, executed, 0)).toBe("its cells differ from the source's");

  const failed = join(work, "failed.ipynb");
  const copy = readNotebook(executed);
  const cell = copy.cells.find((c) => c.id === "shown") as { outputs: unknown[] };
  cell.outputs.push({ output_type: "stream", name: "stderr", text: "Error: boom\n" });
  writeFileSync(failed, JSON.stringify(copy));
  expect(staleReason(FIXTURE, failed, 0)).toMatch(/^cell \d+ reported an error$/);
});
