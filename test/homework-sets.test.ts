// Homework 2 and 3 as hw1 is checked: the instructor notebook's nbgrader metadata and tasks, the student
// version `npm run homework` releases, and one real grading run (Jupyter + tslab) in which each instructor
// copy scores full marks and each untouched student version zero. hw1's own checks, and the grader's
// behaviour under tampering, live in homework.test.ts and homework-grade.test.ts.
import type { ICodeCell } from "@jupyterlab/nbformat";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync } from "fs";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HOMEWORK, loadAssignment } from "../scripts/lib/homework/grader";
import { nbgrader, role } from "../scripts/lib/homework/notebook";
import { dropHiddenTests } from "../scripts/lib/homework/release";
import type { Report } from "../scripts/lib/homework/score";
import { cellSource as source } from "../scripts/lib/notebook";
import { ROOT } from "../scripts/lib/paths";
import { grade } from "./support/homework";

interface HomeworkSet {
  file: string;
  /** grade_id and points of every test cell, in order; each answer's grade_id is the test's without "-tests". */
  tests: [string, number][];
  /** What each blank test's failure names: the first stub it calls. */
  stubs: Record<string, string>;
}

const SETS: HomeworkSet[] = [
  {
    file: "hw2-losses-gates-mlps.ipynb",
    tests: [
      ["hw2-hinge-tests", 20], ["hw2-cross-entropy-tests", 20], ["hw2-entropy-tests", 15], ["hw2-gate-tests", 15],
      ["hw2-mlp-tests", 30],
    ],
    stubs: {
      "hw2-hinge-tests": "not implemented: hingeLossFn.forward",
      "hw2-cross-entropy-tests": "not implemented: crossEntropyFn.forward",
      "hw2-entropy-tests": "not implemented: entropy",
      "hw2-gate-tests": "not implemented: gate.forward",
      "hw2-mlp-tests": "not implemented: trainSpiral",
    },
  },
  {
    file: "hw3-convolutions-pooling.ipynb",
    tests: [
      ["hw3-untile-tests", 10], ["hw3-avgpool-tests", 15], ["hw3-maxpool-tests", 20], ["hw3-conv2d-tests", 25],
      ["hw3-cnn-tests", 30],
    ],
    stubs: {
      "hw3-untile-tests": "not implemented: untile",
      "hw3-avgpool-tests": "not implemented: avgpool2dFn.forward",
      "hw3-maxpool-tests": "not implemented: maxpool2dFn.forward",
      "hw3-conv2d-tests": "not implemented: conv2dFn.forward",
      "hw3-cnn-tests": "not implemented: trainCNN",
    },
  },
];

describe.each(SETS.map((s) => [s.file, s] as const))("%s", (file, set) => {
  const { notebook, released } = loadAssignment(join(HOMEWORK, file));

  test("has its tasks, each an answer followed by a locked, graded test cell with hidden tests, 100 points", () => {
    expect([notebook.nbformat, notebook.nbformat_minor]).toEqual([4, 5]);
    const graded = notebook.cells.filter((c) => role(c) === "test")
      .map((c) => [nbgrader(c)?.grade_id, nbgrader(c)?.points]);
    expect(graded).toEqual(set.tests);
    expect(set.tests.reduce((sum, [, points]) => sum + points, 0)).toBe(100);
    for (const [id] of set.tests) {
      const answer = id.replace(/-tests$/, "");
      const i = notebook.cells.findIndex((c) => nbgrader(c)?.grade_id === answer);
      expect(role(notebook.cells[i]), `${answer} is an answer cell`).toBe("solution");
      expect(nbgrader(notebook.cells[i + 1])?.grade_id, `${id} follows ${answer}`).toBe(id);
    }
    for (const cell of notebook.cells) {
      const meta = nbgrader(cell);
      if (meta) expect(meta.schema_version).toBe(3);
      if (role(cell) !== "test") continue;
      expect(meta?.locked).toBe(true);
      expect(source(cell)).toMatch(/BEGIN HIDDEN TESTS[\s\S]*assert[\s\S]*END HIDDEN TESTS/);
      const visible = dropHiddenTests(source(cell), "test");
      expect(visible).toMatch(/plot\.show\(/);
      expect(visible).toMatch(/assert/);
    }
    for (const cell of notebook.cells.filter((c) => c.cell_type === "code")) {
      expect((cell as ICodeCell).outputs).toEqual([]);
    }
  });

  test("the student version stubs every solution, drops the hidden tests and keeps the given code", () => {
    for (const cell of released.cells) {
      expect(source(cell)).not.toMatch(/BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN|END HIDDEN/);
    }
    for (const [id] of set.tests) {
      const cellOf = (nb: typeof notebook, gradeId: string): string =>
        source(nb.cells.find((c) => nbgrader(c)?.grade_id === gradeId)!);
      expect(cellOf(released, id.replace(/-tests$/, ""))).toContain("not implemented: ");
      const full = cellOf(notebook, id);
      const shown = cellOf(released, id);
      expect(shown.trimEnd()).toBe(dropHiddenTests(full, id).trimEnd());
      expect(shown.length).toBeLessThan(full.length);
    }
  });
});

mkdirSync(join(ROOT, "build"), { recursive: true });
const dir = mkdtempSync(join(ROOT, "build", "homework-sets-test-"));
const reports = new Map<string, Report>();
const student = (file: string): string => join(ROOT, "build", "homework", file);

// One grader run for every set: instructor copies and untouched student versions, two kernels at a time. The
// per-cell limit is generous: in CI this runs beside the other suites on two cores, and what is checked here is
// the scoring, not the students' time budget (the grader's default of 60 s, which the instructions state).
beforeAll(() => {
  const made = spawnSync("npm", ["run", "homework"], { cwd: ROOT, encoding: "utf8" });
  expect(made.status, made.stdout + made.stderr).toBe(0);
  const files = SETS.flatMap((s) => [join(HOMEWORK, s.file), student(s.file)]);
  const run = grade(["--json", "--jobs", "2", "--timeout", "240", "--out", join(dir, "grades"), ...files]);
  expect(run.status, run.stderr).toBe(0);
  for (const report of JSON.parse(run.stdout) as Report[]) reports.set(report.file, report);
}, 30 * 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(SETS.map((s) => [s.file, s] as const))("grading %s", (file, set) => {
  test("the instructor's copy scores full marks", () => {
    const report = reports.get(join(HOMEWORK, file)) as Report;
    const scores = Object.fromEntries(report.tests.map((t) => [t.name, t.score]));
    expect(scores).toEqual(Object.fromEntries(set.tests));
    expect(report.score).toBe(100);
  });

  test("the untouched student version scores zero, each test naming the function still to write", () => {
    const report = reports.get(student(file)) as Report;
    expect(report.score).toBe(0);
    expect(report.max_score).toBe(100);
    for (const t of report.tests) expect(t.output, t.name).toContain(set.stubs[t.name]);
    expect(report.warnings).toEqual([]); // the stubs compile: only calling one throws
  });
});
