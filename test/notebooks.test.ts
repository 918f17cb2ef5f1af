// The committed notebooks: valid nbformat 4.5 with cell ids, no outputs, the tslab kernel, and code that
// imports the library by its package name, exactly as a student's notebook would.
import type { ICell, ICodeCell } from "@jupyterlab/nbformat";
import { spawnSync } from "child_process";
import { basename } from "path";
import { describe, expect, test } from "vitest";
import { NOTEBOOKS, jupyterPython } from "../scripts/lib/jupyter";
import { cellSource, listNotebooks, readNotebook } from "../scripts/lib/notebook";

const notebooks = listNotebooks(NOTEBOOKS);
const isCode = (cell: ICell): cell is ICodeCell => cell.cell_type === "code";

test("the lecture notebooks include the starter notebook", () => {
  expect(notebooks.map((p) => basename(p))).toContain("01-tensors-strides-views.ipynb");
});

describe.each(notebooks.map((p) => [basename(p), p]))("%s", (_, path) => {
  const nb = readNotebook(path);

  test("is nbformat 4.5 on the tslab kernel", () => {
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    expect(nb.metadata.kernelspec?.name).toBe("tslab");
  });

  test("every cell has a unique id of the allowed form", () => {
    const ids = nb.cells.map((c) => c.id);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("is committed without outputs", () => {
    for (const cell of nb.cells.filter(isCode)) {
      expect({ id: cell.id, outputs: cell.outputs, count: cell.execution_count })
        .toEqual({ id: cell.id, outputs: [], count: null });
    }
  });

  test('imports the library as "minitorch-ts", never by a relative path', () => {
    const code = nb.cells.filter(isCode).map(cellSource).join("\n");
    expect(code).toMatch(/import\s*\{[^}]*\}\s*from\s*"minitorch-ts"/);
    expect(code).not.toMatch(/(from\s*|require\()\s*["'](\.{1,2}\/|\/)/);
  });
});

test("nbformat's own validator accepts every notebook as 4.5 without repairs", () => {
  const check = [
    "import json, sys, warnings, nbformat",
    "warnings.simplefilter('ignore', DeprecationWarning)",
    "for path in sys.argv[1:]:",
    "    nbformat.validate(json.load(open(path)), version=4, version_minor=5,",
    "                      repair_duplicate_cell_ids=False, strip_invalid_metadata=False)",
  ].join("\n");
  const result = spawnSync(jupyterPython(), ["-c", check, ...notebooks], { encoding: "utf8" });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
});
