// `npm run notebooks` through real Jupyter (nbclient + the registered tslab kernel): every notebook runs,
// plots land in the executed notebooks as display bundles, and a failure names notebook, cell and error.
import type { ICell, ICodeCell, IDisplayData, INotebookContent, MultilineString } from "@jupyterlab/nbformat";
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, join } from "path";
import { describe, expect, test } from "vitest";
import { NOTEBOOKS, ROOT } from "../scripts/lib/jupyter";
import { joinLines, listNotebooks, readNotebook } from "../scripts/lib/notebook";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const EXECUTED = join(ROOT, "build", "notebooks");
const isCode = (cell: ICell): cell is ICodeCell => cell.cell_type === "code";
const displays = (nb: INotebookContent): IDisplayData[] =>
  nb.cells.filter(isCode).flatMap((c) => c.outputs).filter((o): o is IDisplayData => o.output_type === "display_data");

/** Runs the runner script directly (no npm banner), on fixture notebooks that do not need the library. */
function runner(args: string[]): { status: number | null; output: string } {
  const ts = join(ROOT, "node_modules", ".bin", "ts-node");
  const script = ["--transpile-only", "scripts/run-notebooks.ts", "--no-build"];
  const run = spawnSync(ts, [...script, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

/** Writes a valid nbformat 4.5 notebook with the given code cells to a fresh temporary folder. */
function fixture(name: string, sources: string[], edit: (nb: INotebookContent) => void = () => undefined): string {
  const nb: INotebookContent = {
    cells: sources.map((source, i) =>
      ({ cell_type: "code", id: `cell-${i}`, metadata: {}, source, outputs: [], execution_count: null })),
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  edit(nb);
  const path = join(mkdtempSync(join(tmpdir(), "minitorch-notebooks-")), name);
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

describe("npm run notebooks", () => {
  test("executes every notebook into build/notebooks, with the starter notebook's plots as display bundles", () => {
    const notebooks = listNotebooks(NOTEBOOKS);
    const run = spawnSync("npm", ["run", "notebooks"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

    for (const source of notebooks) {
      const executed = readNotebook(join(EXECUTED, basename(source)));
      const counts = executed.cells.filter(isCode).map((c) => c.execution_count);
      expect(counts.every((n) => typeof n === "number"), `${basename(source)} ran every code cell`).toBe(true);
    }

    const starter = readNotebook(join(EXECUTED, "01-tensors-strides-views.ipynb"));
    const plots = displays(starter).filter((o) => PLOTLY_MIME in o.data);
    expect(plots.length).toBeGreaterThanOrEqual(5);
    for (const o of plots) expect(Object.keys(o.data).sort()).toEqual([PLOTLY_MIME, "text/html", "text/plain"]);
    // plotly.js rides once per notebook (page), in its first figure
    const carriesPlotly = plots.map((o) => joinLines(o.data["text/html"] as MultilineString).length > 1_000_000);
    expect(carriesPlotly).toEqual(plots.map((_, i) => i === 0));
  }, 15 * 60_000);

  test("a failing cell is reported with its notebook, index, first line and error", () => {
    const throws = 'if (answer !== 42) {\n  throw new Error(`answer should be 42, got ${answer}`);\n}';
    const path = fixture("failing.ipynb", ["let answer: number = 41;", throws]);
    const { status, output } = runner(["--out", join(path, "..", "out"), path]);
    expect(status).toBe(1);
    expect(output).toContain(`failing.ipynb, cell 1 ("if (answer !== 42) {") failed:`);
    expect(output).toContain("answer should be 42, got 41");
  }, 120_000);

  test("a cell that compiles with a type error fails too", () => {
    const path = fixture("type-error.ipynb", ['const n: number = "forty-two";']);
    const { status, output } = runner(["--out", join(path, "..", "out"), path]);
    expect(status).toBe(1);
    expect(output).toContain('type-error.ipynb, cell 0 ("const n: number = \\"forty-two\\";") failed:');
    expect(output).toMatch(/Type 'string' is not assignable to type 'number'/);
  }, 120_000);

  test("the per-cell timeout stops a cell that runs too long", () => {
    const path = fixture("slow.ipynb", ["await new Promise((resolve) => setTimeout(resolve, 60_000));"]);
    const { status, output } = runner(["--timeout", "3", "--out", join(path, "..", "out"), path]);
    expect(status).toBe(1);
    expect(output).toContain("slow.ipynb, cell 0");
    expect(output).toContain("timed out after 3 s");
  }, 120_000);

  test("an invalid notebook (a cell without an id) is refused before running", () => {
    const path = fixture("no-ids.ipynb", ["1 + 1;"], (nb) => delete (nb.cells[0] as { id?: string }).id);
    const { status, output } = runner(["--out", join(path, "..", "out"), path]);
    expect(status).toBe(1);
    expect(output).toContain("no-ids.ipynb failed:");
    expect(output).toContain("not valid nbformat 4.5");
  }, 60_000);
});
