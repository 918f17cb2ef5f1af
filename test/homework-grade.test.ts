// `npm run homework` and `npm run grade` through real Jupyter (the tslab kernel): the instructor's copy
// scores full marks, the untouched student version zero, and each way of tampering with a submission
// costs exactly the tests it touches. All submissions are graded by one grader run (two at a time); each
// test below then checks one report.
import type { INotebookContent } from "@jupyterlab/nbformat";
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { ROOT } from "../scripts/lib/jupyter";
import { HOMEWORK } from "../scripts/lib/homework/grader";
import { cellSource } from "../scripts/lib/notebook";
import { addCellAfter, cellOf, grade, submission as makeSubmission, setAnswer } from "./support/homework";

const INSTRUCTOR = join(HOMEWORK, "hw1-max-softmax-conv.ipynb");
const STUDENT = join(ROOT, "build", "homework", "hw1-max-softmax-conv.ipynb");
const POINTS: Record<string, number> = {
  "tile-tests": 10,
  "max-tests": 15,
  "softmax-tests": 15,
  "logsoftmax-tests": 10,
  "cross-entropy-tests": 15,
  "conv1d-tests": 20,
  "softmax-gate-tests": 15,
};
const TESTS = Object.keys(POINTS);

interface GradedTest { name: string; score: number; max_score: number; status: string; output: string }
interface Graded {
  file: string; score: number; max_score: number; output: string; tests: GradedTest[]; tampering: string[];
  warnings: string[]; sandbox: string; error?: string;
}

mkdirSync(join(ROOT, "build"), { recursive: true }); // a clean clone has no build/ yet
const dir = mkdtempSync(join(ROOT, "build", "homework-test-"));
const submission = (name: string, edit: (nb: INotebookContent) => void) => makeSubmission(INSTRUCTOR, dir, name, edit);

const submissions = {
  instructor: INSTRUCTOR,
  blank: STUDENT,
  solved: join(dir, "solved.ipynb"),
  editedTest: join(dir, "edited-test.ipynb"),
  deletedTest: join(dir, "deleted-test.ipynb"),
  redefined: join(dir, "redefined-globals.ipynb"),
  printsPassed: join(dir, "prints-passed.ipynb"),
  throws: join(dir, "throws.ipynb"),
  loops: join(dir, "infinite-loop.ipynb"),
  exits: join(dir, "kills-kernel.ipynb"),
};
const reports = new Map<string, Graded>();
let gradeRun: { status: number | null; stdout: string; stderr: string; seconds: number };

beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  const made = spawnSync("npm", ["run", "homework"], { cwd: ROOT, encoding: "utf8" });
  expect(made.status, made.stdout + made.stderr).toBe(0);

  submission("solved.ipynb", () => undefined);
  // Edits a test cell to pass whatever the answer does, with a wrong answer behind it.
  submission("edited-test.ipynb", (nb) => {
    setAnswer(nb, "tile", "function tile(input: Tensor, kh: number, kw: number): Tensor {\n  return input;\n}");
    cellOf(nb, "tile-tests").source = 'console.log("all tile tests passed");';
  });
  // Deletes a test cell (the answer is right: deleting still costs the test).
  submission("deleted-test.ipynb", (nb) => {
    nb.cells.splice(nb.cells.indexOf(cellOf(nb, "max-tests")), 1);
  });
  // A wrong tile, and a cell that redefines assert, the test helpers, console, process.exit and prototypes.
  submission("redefined-globals.ipynb", (nb) => {
    setAnswer(nb, "tile", [
      "function tile(input: Tensor, kh: number, kw: number): Tensor {",
      "  return input.contiguous().view(...input.shape, 1);",
      "}",
    ].join("\n"));
    cellOf(nb, "setup").source = cellSource(cellOf(nb, "setup"))
      .replace(/function assertNear[\s\S]*?\n}\n/, "function assertNear(..._: unknown[]): void {}\n");
    addCellAfter(nb, "tile", [
      "const assert = { ok: (..._: unknown[]) => {}, deepStrictEqual: (..._: unknown[]) => {}, " +
        "strictEqual: (..._: unknown[]) => {}, throws: (..._: unknown[]) => {} };",
      "function assertNear(..._: unknown[]): void {}",
      "console.log = () => {};",
      "console.error = () => {};",
      "process.exit = (() => undefined) as never;",
      "Array.prototype.forEach = function () {};",
      "Array.prototype.every = () => true;",
      "(Tensor.prototype as any).toFlat = () => [];",
      "(nn as any).tile = (x: Tensor) => x.contiguous().view(...x.shape, 1);",
      "(Object as any).is = () => true;",
    ].join("\n"));
  });
  // A wrong conv1d that prints what a naive grader would look for.
  submission("prints-passed.ipynb", (nb) => {
    setAnswer(nb, "conv1d", [
      "const conv1dFn = (xs: Tensor[]): Tensor => { console.log('conv1d-tests passed'); " +
        "process.stdout.write('ok\\nPASSED 20/20\\n'); return xs[0]; };",
      "function conv1d(input: Tensor, weight: Tensor): Tensor { console.log('passed'); " +
        "return conv1dFn([input, weight]); }",
    ].join("\n"));
    addCellAfter(nb, "conv1d", "console.log('All tests passed! 100 / 100');");
  });
  // tile throws from inside the student's own code; a helper cell of the student's throws at top level.
  submission("throws.ipynb", (nb) => {
    setAnswer(nb, "tile", [
      "function helper(): never {",
      "  throw new Error('my helper broke');",
      "}",
      "function tile(input: Tensor, kh: number, kw: number): Tensor {",
      "  return helper();",
      "}",
    ].join("\n"));
    addCellAfter(nb, "softmax", "throw new Error('a scratch cell that throws');");
  });
  // max's forward never returns.
  submission("infinite-loop.ipynb", (nb) => {
    const text = cellSource(cellOf(nb, "max"))
      .replace("const shape = [...a.shape];", "while (true) {}\n    const shape = [...a.shape];");
    setAnswer(nb, "max", text);
  });
  // tile kills the kernel when the test calls it.
  submission("kills-kernel.ipynb", (nb) => {
    setAnswer(nb, "tile", "function tile(input: Tensor, kh: number, kw: number): Tensor {\n  process.exit(1);\n}");
  });

  const started = Date.now();
  const run = grade(["--json", "--jobs", "2", "--timeout", "20", "--grace", "5", "--out", join(dir, "grades"),
    "--csv", join(dir, "grades.csv"), ...Object.values(submissions)]);
  gradeRun = { ...run, seconds: (Date.now() - started) / 1000 };
  expect(run.status, run.stderr).toBe(0);
  const parsed = JSON.parse(run.stdout) as Graded[];
  for (const [key, path] of Object.entries(submissions)) {
    const report = parsed.find((r) => r.file === path);
    if (report === undefined) throw new Error(`no report for ${path}`);
    reports.set(key, report);
  }
}, 15 * 60_000);

// The submissions, reports and graded notebooks stay for a look when a test failed
// (KEEP_HOMEWORK_TEST=1 keeps them always).
let failures = 0;
afterAll(() => {
  if (failures === 0 && process.env.KEEP_HOMEWORK_TEST !== "1") rmSync(dir, { recursive: true, force: true });
  else console.log(`homework grading fixtures and reports kept in ${dir}`);
});
afterEach((context) => {
  if (context.task.result?.state === "fail") failures++;
});

const testsOf = (key: string): GradedTest[] => (reports.get(key) as Graded).tests;
const scores = (key: string): Record<string, number> => Object.fromEntries(testsOf(key).map((t) => [t.name, t.score]));
const test_ = (key: string, name: string): GradedTest => testsOf(key).find((t) => t.name === name) as GradedTest;
/** Full points except the tests named, which score 0. */
const allBut = (...zero: string[]) => Object.fromEntries(TESTS.map((t) => [t, zero.includes(t) ? 0 : POINTS[t]]));

describe("npm run grade", () => {
  test("the instructor's copy scores full marks", () => {
    expect(scores("instructor")).toEqual(allBut());
    expect(reports.get("instructor")?.score).toBe(100);
    expect(reports.get("instructor")?.tampering).toEqual([]);
    expect(reports.get("instructor")?.sandbox).toBe("namespaces"); // the default, where bubblewrap works
    console.log(`graded ${Object.keys(submissions).length} submissions in ${gradeRun.seconds.toFixed(0)} s`);
  });

  test("the untouched student version scores zero, each test saying which function is not implemented", () => {
    const report = reports.get("blank") as Graded;
    expect(report.score).toBe(0);
    expect(report.max_score).toBe(100);
    expect(report.tampering).toEqual([]);
    expect(report.sandbox).toBe("namespaces");
    expect(test_("blank", "tile-tests").output).toContain("not implemented: tile");
    expect(test_("blank", "conv1d-tests").output).toContain("not implemented: conv1dFn.forward");
    // The stubs compile: every answer cell ran without error (only calling a stub throws).
    expect(report.warnings).toEqual([]);
  });

  test("a student who types in the right answers scores full marks", () => {
    expect(scores("solved")).toEqual(allBut());
  });

  test("an edited test cell earns nothing, even though its answer is restored and run; the rest score", () => {
    expect(scores("editedTest")).toEqual(allBut("tile-tests"));
    expect(test_("editedTest", "tile-tests").status).toBe("tampered");
    expect(test_("editedTest", "tile-tests").output)
      .toContain("test cell tile-tests was edited: no points for this test");
    expect(reports.get("editedTest")?.tampering)
      .toEqual(["test cell tile-tests was edited; restored from the instructor's copy"]);
  });

  test("a deleted test cell earns nothing; it is re-inserted, so later tasks are unaffected", () => {
    expect(scores("deletedTest")).toEqual(allBut("max-tests"));
    expect(test_("deletedTest", "max-tests").output).toContain("test cell max-tests was deleted");
    expect(test_("deletedTest", "max-tests").output).toContain("it passed once restored");
  });

  test("redefining assert, the helpers, console, process.exit or prototypes does not rescue a wrong answer", () => {
    expect(scores("redefined")).toEqual(allBut("tile-tests"));
    expect(test_("redefined", "tile-tests").status).toBe("failed");
    expect(test_("redefined", "tile-tests").output).toMatch(/AssertionError/);
    expect(reports.get("redefined")?.tampering)
      .toEqual(["locked cell setup was edited; restored from the instructor's copy"]);
  });

  test('printing "passed" earns nothing', () => {
    expect(scores("printsPassed")).toEqual(allBut("conv1d-tests"));
    expect(test_("printsPassed", "conv1d-tests").status).toBe("failed");
  });

  test("an answer that throws fails its own task only; a scratch cell that throws costs nothing", () => {
    expect(scores("throws")).toEqual(allBut("tile-tests"));
    expect(test_("throws", "tile-tests").output).toContain("my helper broke");
    expect(reports.get("throws")?.warnings)
      .toEqual([expect.stringMatching(/^your cell \d+ failed: Error: a scratch cell that throws$/)]);
  });

  test("an infinite loop in one answer times out that task only", () => {
    expect(scores("loops")).toEqual(allBut("max-tests"));
    expect(test_("loops", "max-tests").status).toBe("timeout");
    expect(test_("loops", "max-tests").output).toContain("timed out: the test ran past the 20 s limit");
  });

  test("a submission that kills its kernel is reported, and the other tasks run in a fresh kernel", () => {
    expect(scores("exits")).toEqual(allBut("tile-tests"));
    expect(test_("exits", "tile-tests").status).toBe("died");
    expect(reports.get("exits")?.output).toContain("kernel: the kernel died while running test tile-tests");
    expect(reports.get("exits")?.output).toContain("kernel: a fresh kernel replayed the setup");
  });

  test("results.json has Gradescope's shape; the table names every grade_id", () => {
    const file = join(dir, "grades", "edited-test.results.json");
    const results = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(Object.keys(results).sort()).toEqual(["execution_time", "extra_data", "output", "score", "tests"]);
    expect(results.score).toBe(90);
    const first = (results.tests as Record<string, unknown>[])[0];
    expect(Object.keys(first).sort()).toEqual(["max_score", "name", "output", "score", "status", "visibility"]);
    const table = grade(["--out", join(dir, "grades-table"), "--timeout", "20",
      "--results", join(dir, "one", "results.json"), submissions.instructor]);
    expect(table.status, table.stderr).toBe(0);
    for (const id of TESTS) {
      expect(table.stdout).toMatch(new RegExp(`${id}\\s+${POINTS[id]}\\s+${POINTS[id]}\\s+passed`));
    }
    expect(table.stdout).toMatch(/total\s+100\s+100/);
    expect(existsSync(join(dir, "one", "results.json"))).toBe(true);
    expect(existsSync(join(dir, "grades-table", "hw1-max-softmax-conv.graded.ipynb"))).toBe(true);
  }, 180_000);
});

describe("the gradebook", () => {
  test("--csv writes one row per submission: the student, the total, the maximum and the points of every test", () => {
    const [header, ...rows] = readFileSync(join(dir, "grades.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    expect(header).toEqual(["student", "score", "max_score", ...TESTS, "note"]);
    expect(rows.length).toBe(Object.keys(submissions).length);
    const row = rows.find((r) => r[0] === "edited-test");
    expect(row).toEqual(["edited-test", "90", "100", ...TESTS.map((t) => String(allBut("tile-tests")[t])), ""]);
    expect(rows.find((r) => r[0] === "hw1-max-softmax-conv")?.slice(1, 3)).toEqual(["100", "100"]);
  });
});

describe("malformed submissions", () => {
  test("not JSON, the wrong nbformat, or no cells: a clear error naming the file and the problem", () => {
    const broken = join(dir, "not-json.ipynb");
    const old = join(dir, "nbformat3.ipynb");
    const nocells = join(dir, "no-cells.ipynb");
    writeFileSync(broken, '{"cells": [ {"cell_type": "code"');
    writeFileSync(old, JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: [] }] }));
    writeFileSync(nocells, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {} }));
    const run = grade(["--instructor", INSTRUCTOR, "--out", join(dir, "grades-bad"), broken, old, nocells]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${broken}: not a notebook: the file is not valid JSON`);
    expect(run.stderr).toContain(`${old}: wrong nbformat: version 3.0, expected 4.x`);
    expect(run.stderr).toContain(`${nocells}: missing cells: the notebook has no "cells" list`);
    const file = join(dir, "grades-bad", "not-json.results.json");
    const results = JSON.parse(readFileSync(file, "utf8")) as { score: number; output: string };
    expect(results.score).toBe(0);
    expect(results.output).toContain("not valid JSON");
  }, 60_000);
});
