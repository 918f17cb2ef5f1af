/**
 * A gradebook CSV of graded submissions, for an LMS to import: one row per submission with the student, the
 * total, the maximum, the points of every test (one column per grade_id, in the notebook's order) and a note
 * when the submission could not be graded.
 */
import { stringify } from "csv-stringify/sync";
import type { Report } from "./score";

export function gradebook(rows: readonly { student: string; report: Report }[]): string {
  const tests: string[] = [];
  for (const { report } of rows) for (const t of report.tests) if (!tests.includes(t.name)) tests.push(t.name);
  const header = ["student", "score", "max_score", ...tests, "note"];
  const body = rows.map(({ student, report }) => {
    const points = new Map(report.tests.map((t) => [t.name, t.score]));
    return [student, report.score, report.max_score, ...tests.map((t) => points.get(t) ?? ""), report.error ?? ""];
  });
  return stringify([header, ...body]);
}
