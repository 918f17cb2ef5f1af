/**
 * `npm run grade -- SUBMISSION.ipynb [...]`: grades submissions against the instructor's notebook in
 * homework/. Restores the locked and hidden test cells, runs each submission in a fresh tslab kernel
 * through Jupyter with a per-cell timeout, and reports points per grade_id as a table and as JSON
 * (Gradescope's results.json shape).
 *
 *   npm run grade -- [--instructor homework/NAME.ipynb] [--timeout SECONDS] [--grace SECONDS]
 *                    [--out DIR] [--results FILE] [--json] [--jobs N] SUBMISSION.ipynb [...]
 *
 * --instructor: the instructor's copy (default: the homework/*.ipynb of the same name, else the one whose
 *   grade_ids the submission shares); --timeout: per-cell limit (default 60 s); --grace: how long an
 *   interrupted cell may take to stop before the kernel is restarted (default 5 s); --out: where each
 *   submission's NAME.results.json and NAME.graded.ipynb go (default build/grades); --results: the
 *   results.json path when grading one submission (Gradescope: /autograder/results/results.json);
 *   --json: print the full reports (statuses passed | failed | timeout | died | tampered, tampering,
 *   warnings, kernel events) as JSON instead of tables; --jobs: submissions graded at once (default 1).
 * Exit status: 0 when every submission was graded (whatever its score), 1 when one could not be (a
 * malformed .ipynb: the message names the file and the problem), 2 for a usage or setup error.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "fs";
import { basename, join, relative, resolve } from "path";
import { parseArgs } from "util";
import { ROOT, jupyterPython, kernelProblem } from "./lib/jupyter";
import { Assignment, Report, findAssignment, gradeSubmission, gradescope, loadAssignment, table } from "./lib/homework/grader";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      instructor: { type: "string" },
      timeout: { type: "string", default: "60" },
      grace: { type: "string", default: "5" },
      out: { type: "string", default: join(ROOT, "build", "grades") },
      results: { type: "string" },
      json: { type: "boolean", default: false },
      jobs: { type: "string", default: "1" },
    },
  });
  const number = (name: string, text: string): number => {
    const n = Number(text);
    if (!(n > 0) || !Number.isFinite(n)) throw new Error(`--${name} must be a positive number, got ${text}`);
    return n;
  };
  const timeout = number("timeout", values.timeout as string);
  const grace = number("grace", values.grace as string);
  const jobs = Math.floor(number("jobs", values.jobs as string));
  if (positionals.length === 0) throw new Error("usage: npm run grade -- SUBMISSION.ipynb [...] (see scripts/grade.ts)");
  if (values.results !== undefined && positionals.length !== 1) throw new Error("--results names one file: grade one submission with it");

  const python = jupyterPython();
  const problem = kernelProblem(python);
  if (problem !== null) throw new Error(problem);
  const out = resolve(values.out as string);
  mkdirSync(out, { recursive: true });

  const assignments = new Map<string, Assignment>();
  const assignmentFor = (submission: string): Assignment => {
    const file = resolve(values.instructor ?? findAssignment(submission));
    if (!assignments.has(file)) assignments.set(file, loadAssignment(file));
    return assignments.get(file) as Assignment;
  };
  const submissions = positionals.map((p) => resolve(p));
  const reports: Report[] = new Array(submissions.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < submissions.length) {
      const i = next++;
      const file = submissions[i];
      const report = await gradeSubmission(assignmentFor(file), file, { python, timeout, grace, workDir: join(ROOT, "build", "grading") });
      const base = basename(file).replace(/\.ipynb$/i, "");
      const name = submissions.filter((s) => basename(s) === basename(file)).length > 1 ? `${base}-${i + 1}` : base;
      const resultsFile = values.results !== undefined ? resolve(values.results) : join(out, `${name}.results.json`);
      mkdirSync(join(resultsFile, ".."), { recursive: true });
      if (report.executed !== undefined) {
        const graded = join(out, `${name}.graded.ipynb`);
        copyFileSync(report.executed, graded);
        rmSync(join(report.executed, ".."), { recursive: true, force: true });
        report.executed = graded;
      }
      writeFileSync(resultsFile, JSON.stringify(gradescope(report), null, 2) + "\n");
      reports[i] = report;
      if (!values.json) {
        const where = report.executed ? `\nexecuted notebook: ${short(report.executed)}` : "";
        console.log(`\n${short(file)}: ${report.score} / ${report.max_score}\n${report.error ? `error: ${report.error}` : table(report)}${report.output.includes("\n") ? `\n${report.output.split("\n").slice(1).join("\n")}` : ""}\nresults: ${short(resultsFile)}${where}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, submissions.length) }, worker));
  if (values.json) console.log(JSON.stringify(reports, null, 2));
  else if (reports.length > 1) {
    console.log("\nsummary");
    for (const r of reports) console.log(`  ${String(r.score).padStart(4)} / ${r.max_score}  ${short(r.file)}${r.error ? "  (not graded)" : ""}`);
  }
  const failed = reports.filter((r) => r.error !== undefined);
  for (const r of failed) console.error(`npm run grade: ${r.error}`);
  return failed.length > 0 ? 1 : 0;
}

function short(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`npm run grade: ${(error as Error).message}`);
    process.exit(2);
  },
);
