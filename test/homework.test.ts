// The homework tooling without a kernel: the instructor notebook's metadata, the student version
// (stubs, hidden tests, outputs, checksums), malformed notebooks, and how the grader rewrites test cells.
import type { ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import Ajv from "ajv";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, test } from "vitest";
import { HOMEWORK, loadAssignment } from "../scripts/lib/homework/grader";
import { gradescope } from "../scripts/lib/homework/gradescope";
import type { Report } from "../scripts/lib/homework/score";
import { ROOT } from "../scripts/lib/paths";
import { declarations, newSecrets, splitImports, wrapTest } from "../scripts/lib/homework/harness";
import { preludeCell } from "../scripts/lib/homework/prelude";
import { NotebookError, checksum, nbgrader, readHomework, role } from "../scripts/lib/homework/notebook";
import { dropHiddenTests, lint, release, stubSolutions } from "../scripts/lib/homework/release";
import { cellSource, listNotebooks } from "../scripts/lib/notebook";

const INSTRUCTOR = join(HOMEWORK, "hw1-max-softmax-conv.ipynb");

function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "minitorch-hw-")), name);
  writeFileSync(path, text);
  return path;
}

describe("the instructor notebook", () => {
  const nb = readHomework(INSTRUCTOR);

  test("is nbformat 4.5 with cell ids, committed without outputs, and lints clean", () => {
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    expect(nb.cells.every((c) => typeof c.id === "string")).toBe(true);
    const code = nb.cells.filter((c) => c.cell_type === "code") as ICodeCell[];
    expect(code.every((c) => c.outputs.length === 0 && c.execution_count === null)).toBe(true);
    expect(lint(nb, INSTRUCTOR)).toEqual([]);
    for (const file of listNotebooks(HOMEWORK)) expect(lint(readHomework(file), file)).toEqual([]);
  });

  test("has the seven tasks, each an answer cell followed by a locked, graded test cell worth 100 in all", () => {
    const graded = nb.cells.filter((c) => role(c) === "test").map((c) => [nbgrader(c)?.grade_id, nbgrader(c)?.points]);
    expect(graded).toEqual([
      ["tile-tests", 10], ["max-tests", 15], ["softmax-tests", 15], ["logsoftmax-tests", 10],
      ["cross-entropy-tests", 15], ["conv1d-tests", 20], ["softmax-gate-tests", 15],
    ]);
    const answers = nb.cells.filter((c) => role(c) === "solution").map((c) => nbgrader(c)?.grade_id);
    expect(answers).toEqual(["tile", "max", "softmax", "logsoftmax", "cross-entropy", "conv1d", "softmax-gate"]);
    for (const id of answers) {
      const i = nb.cells.findIndex((c) => nbgrader(c)?.grade_id === id);
      expect(nbgrader(nb.cells[i + 1])?.grade_id, `${id}'s test follows it`).toBe(`${id}-tests`);
    }
    for (const c of nb.cells) {
      const meta = nbgrader(c);
      if (meta) expect(meta.schema_version).toBe(3);
      if (role(c) === "test") {
        expect(meta?.locked).toBe(true);
        expect(cellSource(c)).toMatch(/BEGIN HIDDEN TESTS[\s\S]*assert[\s\S]*END HIDDEN TESTS/);
      }
    }
  });

  test("visible tests plot and assert; hidden tests probe ties, large inputs, broadcasting and wrong shapes", () => {
    const tests = nb.cells.filter((c) => role(c) === "test").map(cellSource);
    for (const t of tests) {
      const visible = dropHiddenTests(t, "test");
      expect(visible).toMatch(/plot\.show\(/);
      expect(visible).toMatch(/assert/);
    }
    const hidden = tests.map((t) => t.slice(t.indexOf("BEGIN HIDDEN TESTS"))).join("\n");
    for (const probe of [/[Tt]ies/, /1e30\d|1e4|1000/, /[Bb]roadcast|batch/, /assert\.throws/]) {
      expect(hidden).toMatch(probe);
    }
  });
});

describe("the student version", () => {
  const { notebook, released } = loadAssignment(INSTRUCTOR);

  test("replaces each solution region by a stub naming the function, keeps the code around it", () => {
    const tile = released.cells.find((c) => nbgrader(c)?.grade_id === "tile");
    expect(cellSource(tile!)).toContain('throw new Error("not implemented: tile (replace this line with your code)");');
    expect(cellSource(tile!)).toContain("function tile(input: Tensor, kh: number, kw: number): Tensor {");
    const max = cellSource(released.cells.find((c) => nbgrader(c)?.grade_id === "max")!);
    expect(max).toContain("not implemented: maxArgmax.forward");
    expect(max).toContain("not implemented: maxArgmax.backward");
    expect(max).toContain("function max(a: Tensor, dim: number): Tensor {"); // the given wrapper stays
    const regions = /BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN|END HIDDEN/;
    for (const c of released.cells) expect(cellSource(c)).not.toMatch(regions);
  });

  test("drops hidden tests, clears outputs and records the checksum of every locked cell", () => {
    notebook.cells.forEach((cell, i) => {
      const out = released.cells[i];
      expect(out.id).toBe(cell.id);
      if (out.cell_type === "code") expect((out as ICodeCell).outputs).toEqual([]);
      const meta = nbgrader(out);
      if (meta?.locked) expect(meta.checksum).toBe(checksum(cellSource(out)));
      if (role(cell) === "test") {
        expect(cellSource(out)).not.toContain("nn.tile(permuted"); // a hidden assertion of tile-tests
        expect(cellSource(cell).length).toBeGreaterThan(cellSource(out).length);
      }
    });
    const tileTests = notebook.cells.find((c) => nbgrader(c)?.grade_id === "tile-tests")!;
    expect(cellSource(tileTests)).toContain("nn.tile(permuted");
  });

  test("stubs and region errors", () => {
    const f = "function f(): number {\n  // BEGIN SOLUTION\n  return 1;\n  // END SOLUTION\n}";
    expect(stubSolutions(f, "f", false, "x")).toBe(
      'function f(): number {\n  throw new Error("not implemented: f (replace this line with your code)");\n}');
    const g = "const g = (x: number): number => {\n// BEGIN SOLUTION\nreturn x;\n// END SOLUTION\n};";
    expect(stubSolutions(g, "g", false, "x")).toContain("not implemented: g");
    const q = "Explain:\n### BEGIN SOLUTION\nbecause\n### END SOLUTION";
    expect(stubSolutions(q, "q", true, "x")).toBe("Explain:\nYOUR ANSWER HERE");
    expect(() => stubSolutions("// BEGIN SOLUTION\nx", "f", false, "nb.ipynb, cell 3"))
      .toThrow("nb.ipynb, cell 3: BEGIN SOLUTION on line 1 has no END SOLUTION");
    expect(() => dropHiddenTests("a\n// END HIDDEN TESTS", "nb.ipynb, cell 4"))
      .toThrow("END HIDDEN TESTS without BEGIN HIDDEN TESTS");
    expect(checksum("a  \nb\n\n")).toBe(checksum("a\nb")); // editors' trailing whitespace is not tampering
  });

  test("lint names the cell and the problem in a broken instructor notebook", () => {
    const nb = JSON.parse(JSON.stringify(notebook)) as INotebookContent;
    (nb.cells[3].metadata.nbgrader as { grade_id: string }).grade_id = "setup"; // tile's answer
    delete (nb.cells[4].metadata.nbgrader as { points?: number }).points; // tile-tests
    expect(lint(nb, "hw.ipynb")).toEqual([
      "hw.ipynb, cell 3: duplicate grade_id setup",
      "hw.ipynb, cell 4: graded cell tile-tests needs positive points",
    ]);
    expect(() => release(nb, "hw.ipynb")).toThrow(/hw.ipynb: not a valid instructor notebook/);
  });
});

describe("malformed submissions", () => {
  test("an error names the file and the problem", () => {
    const v45 = { nbformat: 4, nbformat_minor: 5, metadata: {} };
    const cases: [string, string, RegExp][] = [
      ["broken.ipynb", '{"cells": [', /broken\.ipynb: not a notebook: the file is not valid JSON/],
      ["old.ipynb", JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [] }),
        /old\.ipynb: wrong nbformat: version 3\.0, expected 4\.x/],
      ["nocells.ipynb", JSON.stringify(v45), /nocells\.ipynb: missing cells: the notebook has no "cells" list/],
      ["cellsobj.ipynb", JSON.stringify({ ...v45, cells: {} }),
        /cellsobj\.ipynb: missing cells: "cells" is object, expected a list/],
      ["array.ipynb", "[1, 2]", /array\.ipynb: not a notebook: the JSON is an array/],
      ["badcell.ipynb", JSON.stringify({ ...v45, cells: [{ cell_type: "code" }] }),
        /badcell\.ipynb: cell 0 has no source text/],
    ];
    for (const [name, text, message] of cases) {
      const path = writeTemp(name, text);
      expect(() => readHomework(path)).toThrow(NotebookError);
      expect(() => readHomework(path)).toThrow(message);
    }
    expect(() => readHomework("/nonexistent/sub.ipynb"))
      .toThrow("/nonexistent/sub.ipynb: cannot read the file (ENOENT)");
  });
});

describe("the grader's rewrite of a test cell", () => {
  const secrets = newSecrets("/tmp/tokens", ["t-tests"]);
  const setup = [
    'import * as assert from "assert";',
    'import { tensor, nn as torch } from "minitorch-ts";',
    'import type { Grads } from "minitorch-ts";',
    "manualSeed(1);",
    "const helper = (x: number) => x + 1;",
    "function check(): void {}",
  ].join("\n");

  test("reads every import form", () => {
    const { bindings, rest, typeImports } = splitImports([
      'import a from "m1";',
      'import * as b from "m2";',
      'import { c, d as e, type F } from "m3";',
      'import type { G } from "m4";',
      'import g = require("m5");',
      "const x = 1;",
    ].join("\n"));
    expect(bindings.map((b) => [b.module, b.kind, b.local, b.imported ?? null, b.typeOnly])).toEqual([
      ["m1", "default", "a", null, false], ["m2", "namespace", "b", null, false], ["m3", "named", "c", "c", false],
      ["m3", "named", "e", "d", false], ["m3", "named", "F", "F", true], ["m5", "namespace", "g", null, false],
    ]);
    expect(typeImports).toEqual(['import type { G } from "m4";']);
    expect(rest.trim()).toBe("const x = 1;");
    expect(declarations(setup)).toEqual(["const helper = (x: number) => x + 1;", "function check(): void {}"]);
  });

  test("rebinds the setup's imports to the holder, copies its helpers, and ends with the cell's token", () => {
    const wrapped = wrapTest("assert.ok(helper(1) === 2);", "t-tests", [setup], secrets);
    const h = secrets.holder;
    expect(h).toMatch(/^\$grader_[0-9a-f]{24}$/);
    expect(wrapped).toContain(`const assert: typeof import("assert") = ${h}.ns("assert") as typeof import("assert");`);
    const library = 'typeof import("minitorch-ts")';
    expect(wrapped).toContain(`const torch: ${library}["nn"] = (${h}.ns("minitorch-ts") as ${library})["nn"];`);
    expect(wrapped).toContain('import type { Grads } from "minitorch-ts";');
    expect(wrapped).toContain("const helper = (x: number) => x + 1;");
    expect(wrapped).not.toContain("manualSeed(1)");
    expect(wrapped).toMatch(/\(\(\) => \{\n"use strict";/);
    expect(wrapped.trimEnd().split("\n").pop()).toBe(`${h}.done("t-tests", "${secrets.tokens.get("t-tests")}");`);
    expect(secrets.tokens.get("t-tests")).toMatch(/^[0-9a-f]{48}$/);
    expect(wrapTest("await Promise.resolve(); assert.ok(true);", "t-tests", [setup], secrets))
      .toMatch(/= \(async \(\) => \{[\s\S]*\nawait \$test_t_tests;\n/);
  });

  test("the prelude is the compiled module, configured for this run, and holds no token", () => {
    const text = preludeCell({ holder: secrets.holder, tokenFile: "/tmp/tokens", modules: ["assert", "minitorch-ts"] });
    expect(text.split("\n")[0]).toBe("// @ts-nocheck");
    const config = { holder: secrets.holder, tokenFile: "/tmp/tokens", modules: ["assert", "minitorch-ts"] };
    expect(text).toContain(JSON.stringify(config));
    expect(text).not.toContain(secrets.tokens.get("t-tests")); // tokens live only in their test cells
  });

  test("run in plain Node, the prelude freezes intrinsics and the library, and its holder appends tokens", () => {
    const dir = mkdtempSync(join(tmpdir(), "minitorch-prelude-"));
    const tokens = join(dir, "tokens");
    const cell = preludeCell({ holder: "$grader_test", tokenFile: tokens, modules: ["assert", "minitorch-ts"] });
    const check = [
      "const h = (globalThis as any).$grader_test;",
      'h.done("t-tests", "abc");',
      "console.log(JSON.stringify([Object.isFrozen(Array.prototype),",
      '  Object.isFrozen(h.ns("minitorch-ts").Tensor.prototype),',
      '  Object.getOwnPropertyDescriptor(globalThis, "$grader_test")?.writable, typeof h.ns("assert").ok]));',
    ].join("\n");
    // The cell is TypeScript that tslab would compile; here esbuild-free: strip the one type assertion.
    const js = `${cell.split("\n").slice(1).join("\n")}\n${check.replace(" as any", "")}`;
    const run = spawnSync(process.execPath, ["-e", js], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual([true, true, false, "function"]);
    expect(readFileSync(tokens, "utf8")).toBe("t-tests abc\n");
  });
});

describe("Gradescope's results.json", () => {
  const schemaFile = join(ROOT, "test", "fixtures", "gradescope-results.schema.json");
  const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as object;
  const validate = new Ajv({ allErrors: true }).compile(schema);
  const base = {
    file: "s.ipynb", output: "40 / 60 points", execution_time: 12.4, tampering: [], warnings: [], events: [],
    sandbox: "namespaces" as const,
  };
  const report: Report = {
    ...base, score: 40, max_score: 60, tests: [
      { name: "a-tests", score: 20, max_score: 20, status: "passed", output: "passed", hidden: "after_due_date" },
      { name: "b-tests", score: 0, max_score: 20, status: "failed", output: "AssertionError: ties go to the first",
        failedIn: "hidden", hidden: "hidden" },
      { name: "c-tests", score: 0, max_score: 10, status: "failed", output: "AssertionError: wrong shape",
        failedIn: "visible", hidden: "hidden" },
      { name: "d-tests", score: 10, max_score: 10, status: "passed", output: "passed" },
    ],
  };
  const results = gradescope(report);

  test("follows Gradescope's documented format, with the maximum and the sandbox in extra_data", () => {
    expect(validate(results) ? [] : validate.errors).toEqual([]);
    expect(results.extra_data).toEqual({ sandbox: "namespaces", max_score: 60 });
    expect(results.execution_time).toBe(12);
  });

  test("hidden tests report in a 0-point entry of their own, as visible as the cell's metadata says", () => {
    const entry = (name: string) => results.tests.find((t) => t.name === name);
    expect(entry("a-tests (hidden tests)")).toEqual({
      name: "a-tests (hidden tests)",
      score: 0,
      max_score: 0,
      status: "passed",
      output: "passed",
      visibility: "after_due_date",
    });
    expect(entry("b-tests")?.output).toBe("passed the visible tests; failed a hidden test.");
    const hiddenB = { status: "failed", output: "AssertionError: ties go to the first", visibility: "hidden" };
    expect(entry("b-tests (hidden tests)")).toMatchObject(hiddenB);
    expect(entry("c-tests")?.output).toBe("AssertionError: wrong shape");
    expect(entry("c-tests (hidden tests)")?.output).toBe("not run: the visible tests failed first.");
    expect(entry("d-tests (hidden tests)")).toBeUndefined();
    const own = results.tests.filter((t) => !t.name.endsWith("(hidden tests)"));
    expect(own.every((t) => t.visibility === "visible")).toBe(true);
  });

  test("lint checks the hidden-tests option", () => {
    const nb = JSON.parse(JSON.stringify(readHomework(INSTRUCTOR))) as INotebookContent;
    nb.cells[4].metadata.gradescope = { hidden_tests_visibility: "after" };
    const expected = "expected one of hidden, after_due_date, after_published";
    expect(lint(nb, "hw.ipynb"))
      .toEqual([`hw.ipynb, cell 4: gradescope.hidden_tests_visibility is "after", ${expected}`]);
  });
});
