/**
 * Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/) for a report.
 * One entry per test cell, visible to students; its output never shows what a hidden test checked. A test cell
 * with hidden tests adds a second entry, worth nothing, that says how the hidden tests went and why: hidden
 * from students unless the instructor sets the cell's `gradescope.hidden_tests_visibility` metadata to
 * "after_due_date" or "after_published".
 */
import type { Report } from "./score";

export type Visibility = "hidden" | "after_due_date" | "after_published" | "visible";

/** One test case of results.json. */
export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: Visibility;
}

/** results.json (Gradescope reads the maximum from the assignment's settings, not from the file). */
export interface GradescopeResults {
  score: number;
  output: string;
  execution_time: number;
  tests: GradescopeTest[];
  /** Stored by Gradescope, shown to no one: the boundary the kernel ran in and the points possible. */
  extra_data: { sandbox: string; max_score: number };
}

/** The name of the entry that reports a test cell's hidden tests. */
export const hiddenEntry = (name: string): string => `${name} (hidden tests)`;

export function gradescope(report: Report): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const t of report.tests) {
    const status = t.score === t.max_score && t.max_score > 0 ? "passed" : "failed";
    const output = t.failedIn === "hidden" ? "passed the visible tests; failed a hidden test." : t.output;
    tests.push({ name: t.name, score: t.score, max_score: t.max_score, status, output, visibility: "visible" });
    if (t.hidden === undefined) continue;
    const hiddenPassed = t.status === "passed" || (t.status === "tampered" && /it passed once restored/.test(t.output));
    const ran = hiddenPassed || t.failedIn === "hidden";
    tests.push({
      name: hiddenEntry(t.name), score: 0, max_score: 0, status: hiddenPassed ? "passed" : "failed",
      visibility: t.hidden,
      output: hiddenPassed ? "passed" : ran ? t.output : "not run: the visible tests failed first.",
    });
  }
  return {
    score: report.score, output: report.output, execution_time: Math.round(report.execution_time),
    tests, extra_data: { sandbox: report.sandbox, max_score: report.max_score },
  };
}
