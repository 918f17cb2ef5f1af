/**
 * `npm run grade -- SUBMISSION.ipynb|FOLDER [...]`: grades submissions against the instructor's notebook in
 * homework/. Restores the locked and hidden test cells, runs each submission in a fresh tslab kernel inside a
 * sandbox (scripts/lib/homework/sandbox.ts) through Jupyter with a per-cell timeout, and reports points per
 * grade_id as a table and as Gradescope's results.json; `--csv` adds one gradebook row per submission.
 *
 *   npm run grade -- [--instructor homework/NAME.ipynb] [--timeout S] [--grace S] [--wall S] [--out DIR]
 *                    [--results FILE] [--csv FILE] [--json] [--jobs N] [--sandbox auto|namespaces|user]
 *                    [--no-sandbox] [--memory MB] [--processes N] [--max-output KB] SUBMISSION.ipynb|FOLDER [...]
 *
 * A FOLDER stands for the notebooks in it and in its sub-folders (one per student, as downloaded); the student
 * is the sub-folder's name, else the file's. The options are listed in docs/homework.md. Exit status: 0 when
 * every submission was graded (whatever its score), 1 when one could not be (a malformed .ipynb: the message
 * names the file and the problem), 2 for a usage or setup error.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from "fs";
import { basename, dirname, join, relative, resolve } from "path";
import { parseArgs } from "util";
import { jupyterPython } from "./lib/jupyter";
import { BUILD_GRADES } from "./lib/paths";
import {
  Assignment, DEFAULTS, findAssignment, gradeSubmission, loadAssignment, openSandbox,
} from "./lib/homework/grader";
import { gradebook } from "./lib/homework/gradebook";
import { gradescope } from "./lib/homework/gradescope";
import { Boundary, DEFAULT_LIMITS, describeBoundary } from "./lib/homework/sandbox";
import { Report, table } from "./lib/homework/score";

/** A submission to grade and the name its results go under. */
interface Submission {
  file: string;
  student: string;
}

/** The notebooks named on the command line; a folder stands for the .ipynb files in it and its sub-folders. */
function submissionsOf(paths: readonly string[]): Submission[] {
  const found: Submission[] = [];
  for (const path of paths.map((p) => resolve(p))) {
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      found.push({ file: path, student: basename(path).replace(/\.ipynb$/i, "") });
      continue;
    }
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = join(dir, entry.name);
        if (entry.isDirectory() && !entry.name.startsWith(".")) walk(full);
        else if (entry.isFile() && /\.ipynb$/i.test(entry.name)) {
          const top = relative(path, full).split("/");
          found.push({ file: full, student: top.length > 1 ? top[0] : entry.name.replace(/\.ipynb$/i, "") });
        }
      }
    };
    walk(path);
  }
  // Results files are named after the student: number the repeats.
  const seen = new Map<string, number>();
  return found.map((s) => {
    const n = (seen.get(s.student) ?? 0) + 1;
    seen.set(s.student, n);
    return n === 1 ? s : { ...s, student: `${s.student}-${n}` };
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      instructor: { type: "string" },
      timeout: { type: "string", default: String(DEFAULTS.timeout) },
      grace: { type: "string", default: String(DEFAULTS.grace) },
      wall: { type: "string", default: String(DEFAULTS.wall) },
      out: { type: "string", default: BUILD_GRADES },
      results: { type: "string" },
      csv: { type: "string" },
      json: { type: "boolean", default: false },
      jobs: { type: "string", default: "1" },
      sandbox: { type: "string", default: "auto" },
      "no-sandbox": { type: "boolean", default: false },
      memory: { type: "string", default: String(DEFAULT_LIMITS.memoryMB) },
      processes: { type: "string", default: String(DEFAULT_LIMITS.processes) },
      "max-output": { type: "string", default: String(DEFAULTS.outputKB) },
    },
  });
  const number = (name: string, text: string): number => {
    const n = Number(text);
    if (!(n > 0) || !Number.isFinite(n)) throw new Error(`--${name} must be a positive number, got ${text}`);
    return n;
  };
  const timeout = number("timeout", values.timeout);
  const grace = number("grace", values.grace);
  const wall = number("wall", values.wall);
  const jobs = Math.floor(number("jobs", values.jobs));
  const memoryMB = number("memory", values.memory);
  const limits = { ...DEFAULT_LIMITS, memoryMB, processes: Math.floor(number("processes", values.processes)) };
  const outputLimit = Math.round(number("max-output", values["max-output"]) * 1024);
  if (!["auto", "namespaces", "user"].includes(values.sandbox)) {
    throw new Error(`--sandbox must be auto, namespaces or user, got ${values.sandbox}`);
  }
  if (positionals.length === 0) {
    throw new Error("usage: npm run grade -- SUBMISSION.ipynb|FOLDER [...] (see scripts/grade.ts)");
  }
  const submissions = submissionsOf(positionals);
  if (submissions.length === 0) throw new Error(`no .ipynb files in ${positionals.join(", ")}`);
  if (values.results !== undefined && submissions.length !== 1) {
    throw new Error("--results names one file: grade one submission with it");
  }

  const python = jupyterPython();
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });

  const assignments = new Map<string, Assignment>();
  const assignmentFor = (submission: string): Assignment => {
    const file = resolve(values.instructor ?? findAssignment(submission));
    if (!assignments.has(file)) assignments.set(file, loadAssignment(file));
    return assignments.get(file) as Assignment;
  };
  const instructors = submissions.map((s) => assignmentFor(s.file).file);
  const resultsFileOf = (s: Submission) =>
    (values.results !== undefined ? resolve(values.results) : join(out, `${s.student}.results.json`));
  const secret = [...instructors, out, ...submissions.flatMap((s) => [s.file, dirname(resultsFileOf(s))])];
  if (values.csv !== undefined) secret.push(resolve(values.csv));
  const boundary = openSandbox(values["no-sandbox"] ? "none" : (values.sandbox as "auto" | Boundary), secret);
  const where = `sandbox: ${describeBoundary(boundary)}`;
  if (values.json) console.error(where);
  else console.log(where);

  const reports: Report[] = new Array(submissions.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < submissions.length) {
      const i = next++;
      const submission = submissions[i];
      const resultsFile = resultsFileOf(submission);
      mkdirSync(dirname(resultsFile), { recursive: true });
      const report = await gradeSubmission(assignmentFor(submission.file), submission.file, {
        python, timeout, grace, wall, outputLimit, boundary, limits,
        gradedNotebook: join(out, `${submission.student}.graded.ipynb`),
      });
      writeFileSync(resultsFile, JSON.stringify(gradescope(report), null, 2) + "\n");
      reports[i] = report;
      if (!values.json) {
        const extra = report.output.includes("\n") ? `\n${report.output.split("\n").slice(1).join("\n")}` : "";
        const graded = report.executed ? `\nexecuted notebook: ${short(report.executed)}` : "";
        const body = report.error ? `error: ${report.error}` : table(report);
        console.log(`\n${short(submission.file)}: ${report.score} / ${report.max_score}\n${body}` +
          `${extra}\nresults: ${short(resultsFile)}${graded}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, submissions.length) }, worker));
  if (values.csv !== undefined) {
    const csv = resolve(values.csv);
    mkdirSync(dirname(csv), { recursive: true });
    writeFileSync(csv, gradebook(submissions.map((s, i) => ({ student: s.student, report: reports[i] }))));
    if (!values.json) console.log(`\ngradebook: ${short(csv)}`);
  }
  if (values.json) console.log(JSON.stringify(reports, null, 2));
  else if (reports.length > 1) {
    console.log("\nsummary");
    for (const r of reports) {
      const note = r.error ? "  (not graded)" : "";
      console.log(`  ${String(r.score).padStart(4)} / ${r.max_score}  ${short(r.file)}${note}`);
    }
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
  (error: unknown) => {
    console.error(`npm run grade: ${(error as Error).message}`);
    process.exit(2);
  },
);
