/**
 * Gradescope's `run_autograder` (scripts/autograder/run_autograder runs this, as root, for each submission):
 * grades the one notebook uploaded to ROOT/submission against the instructor's copy in ROOT/source, in the
 * sandbox, into ROOT/results/results.json, and prints the report (Gradescope shows the printout to instructors).
 * An upload with no notebook or several, or a file that is not a notebook, gets score 0 and says what to upload.
 *
 *   ts-node scripts/run-autograder.ts [--root /autograder] [--timeout S] [--wall S] [--memory MB]
 *
 * Exit status 0 when results.json was written (whatever the score), 1 when grading could not run at all.
 */
import { mkdirSync, writeFileSync } from "fs";
import { basename, dirname, join } from "path";
import { parseArgs } from "util";
import { jupyterPython } from "./lib/jupyter";
import { listNotebooks } from "./lib/notebook";
import { pickNotebook } from "./lib/homework/autograder";
import { DEFAULTS, gradeSubmission, loadAssignment, notGraded, openSandbox } from "./lib/homework/grader";
import { gradescope } from "./lib/homework/gradescope";
import { DEFAULT_LIMITS, describeBoundary } from "./lib/homework/sandbox";
import { table } from "./lib/homework/score";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: "string", default: "/autograder" },
      timeout: { type: "string", default: String(DEFAULTS.timeout) },
      // Gradescope stops run_autograder after its own limit (10 minutes unless the instructor changes it).
      wall: { type: "string", default: "480" },
      memory: { type: "string", default: String(DEFAULT_LIMITS.memoryMB) },
    },
  });
  const root = values.root;
  const instructors = listNotebooks(join(root, "source"));
  if (instructors.length !== 1) {
    throw new Error(`expected the instructor's notebook in ${join(root, "source")}, found ${instructors.length}`);
  }
  const assignment = loadAssignment(instructors[0]);
  const folder = join(root, "submission");
  const results = join(root, "results", "results.json");
  mkdirSync(dirname(results), { recursive: true });
  const upload = pickNotebook(folder, basename(assignment.file));
  const boundary = openSandbox("auto", [assignment.file, folder, dirname(results)]);
  console.log(`sandbox: ${describeBoundary(boundary)}`);
  const report = "problem" in upload
    ? notGraded(assignment, folder, upload.problem, boundary)
    : await gradeSubmission(assignment, upload.notebook, {
      python: jupyterPython(), timeout: Number(values.timeout), grace: DEFAULTS.grace, wall: Number(values.wall),
      outputLimit: DEFAULTS.outputKB * 1024, boundary, limits: { ...DEFAULT_LIMITS, memoryMB: Number(values.memory) },
    });
  writeFileSync(results, JSON.stringify(gradescope(report), null, 2) + "\n");
  const graded = "notebook" in upload ? basename(upload.notebook) : "(no notebook graded)";
  console.log(`${graded}: ${report.score} / ${report.max_score}`);
  console.log(report.error ? `not graded: ${report.error}` : `${table(report)}\n${report.output}`);
}

main().catch((error: unknown) => {
  console.error(`run_autograder: ${(error as Error).message}`);
  process.exit(1);
});
