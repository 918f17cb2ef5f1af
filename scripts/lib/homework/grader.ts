/**
 * Grading one submission against the instructor's notebook, in named steps with a type between each:
 *
 *   read (notebook.ts)  ->  restore (restore.ts): Restored  ->  prepare (harness.ts): Prepared
 *     ->  run in the sandbox (execute.ts, sandbox.ts): Executed  ->  score (score.ts): Report
 *
 * Everything but `run` happens in the grader's process; `run` is the only step in which student code executes,
 * inside the jail, and it hands back only the executed notebook, the driver's statuses and the token file.
 */
import { readFileSync, writeFileSync } from "fs";
import { basename, join } from "path";
import { listNotebooks } from "../notebook";
import { HOMEWORK } from "../paths";
import { runCells } from "./execute";
import { prepare } from "./harness";
import { NbgraderCell, gradeId, nbgrader, readHomework, role } from "./notebook";
import type { INotebookContent } from "@jupyterlab/nbformat";
import { release } from "./release";
import { restore } from "./restore";
import { Boundary, Limits, chooseBoundary, closeJail, guardFiles, openJail } from "./sandbox";
import { Report, gradedNotebook, score } from "./score";

export { HOMEWORK };

/** The grader's defaults: per-cell deadline, interrupt grace and whole-submission wall time (s), text per cell (KB). */
export const DEFAULTS = { timeout: 60, grace: 5, wall: 900, outputKB: 256 };

export interface GradeOptions {
  /** The Python that has Jupyter. */
  python: string;
  /** Per-cell deadline in seconds. */
  timeout: number;
  /** Seconds an interrupted cell gets to stop before the kernel is restarted. */
  grace: number;
  /** Deadline for the whole submission in seconds. */
  wall: number;
  /** Text one cell may print, in bytes; the rest is dropped with a note. */
  outputLimit: number;
  /** The sandbox and its limits. */
  boundary: Boundary;
  limits: Limits;
  /** Where the executed notebook goes (for the instructor), if anywhere. */
  gradedNotebook?: string;
}

/** The instructor's notebook, read and checked once for a batch of submissions. */
export interface Assignment {
  file: string;
  notebook: INotebookContent;
  released: INotebookContent;
}

export function loadAssignment(file: string): Assignment {
  const notebook = readHomework(file);
  return { file, notebook, released: release(notebook, file) };
}

/** The instructor notebook a submission belongs to, when not given: the one in homework/ with the same
 * file name, else the one sharing the most grade_ids with it. */
export function findAssignment(submission: string): string {
  const candidates = listNotebooks(HOMEWORK);
  const same = candidates.find((c) => basename(c) === basename(submission));
  if (same !== undefined) return same;
  if (candidates.length === 1) return candidates[0];
  let ids = new Set<string>();
  try {
    ids = new Set(readHomework(submission).cells.map(gradeId).filter((g): g is string => g !== undefined));
  } catch {
    // malformed: any candidate will do, the submission's own error is reported when it is graded
  }
  const overlap = (c: string) => readHomework(c).cells.filter((cell) => ids.has(gradeId(cell) ?? "")).length;
  const ranked = candidates.map((c) => [c, overlap(c)] as const).sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0 || ranked[0][1] === 0 || (ranked.length > 1 && ranked[1][1] === ranked[0][1])) {
    throw new Error(`cannot tell which homework ${submission} answers: pass --instructor homework/NAME.ipynb`);
  }
  return ranked[0][0];
}

/** The report of a submission that could not be graded (`error` says why): every test 0. */
export function notGraded(assignment: Assignment, file: string, error: string, boundary: Boundary, seconds = 0,
  found: { tampering?: string[]; warnings?: string[] } = {}): Report {
  const graded = assignment.notebook.cells.filter((c) => role(c) === "test").map((c) => nbgrader(c) as NbgraderCell);
  return {
    file, score: 0, max_score: graded.reduce((s, g) => s + (g.points ?? 0), 0), output: error, execution_time: seconds,
    error, warnings: found.warnings ?? [], tampering: found.tampering ?? [], events: [], sandbox: boundary,
    tests: graded.map((g) => ({
      name: g.grade_id, score: 0, max_score: g.points ?? 0, status: "failed", output: "not graded: " + error,
    })),
  };
}

/** Picks the boundary (`choice`), warns when there is none, and for the user boundary takes others' access to
 * the project and to `secret` (the instructor's copies, submissions, results) and checks it. */
export function openSandbox(choice: "auto" | Boundary, secret: readonly string[]): Boundary {
  const boundary = chooseBoundary(choice);
  if (boundary === "none") {
    console.error("WARNING: --no-sandbox: submissions run with your rights and can read and change your files");
  }
  if (boundary === "user") {
    const changed = guardFiles({ secret });
    if (changed.length > 0) console.error(`user boundary: took others' access to ${changed.join(", ")}`);
  }
  return boundary;
}

/** Grades one submission file. Never throws for a bad submission: the report carries the error. */
export async function gradeSubmission(assignment: Assignment, file: string, options: GradeOptions): Promise<Report> {
  const started = Date.now();
  const failed = (error: string, found: { tampering?: string[]; warnings?: string[] } = {}): Report =>
    notGraded(assignment, file, error, options.boundary, (Date.now() - started) / 1000, found);
  let submission: INotebookContent;
  try {
    submission = readHomework(file);
  } catch (error) {
    return failed((error as Error).message);
  }
  const restored = restore(assignment, submission);
  const jail = openJail(options.boundary, options.limits);
  try {
    const prepared = prepare(restored, assignment.notebook.metadata, jail.tokenFile);
    const runFile = join(jail.privateDir, "run.ipynb");
    const executedFile = join(jail.privateDir, "executed.ipynb");
    writeFileSync(runFile, JSON.stringify(prepared.notebook, null, 1));
    let result;
    try {
      result = await runCells(options.python, runFile, executedFile, jail, {
        timeout: options.timeout, grace: options.grace, wall: options.wall, outputLimit: options.outputLimit,
        memoryMB: options.limits.memoryMB,
        replay: prepared.replay,
      });
    } catch (error) {
      return failed(`${file}: grading failed: ${(error as Error).message}`, restored);
    }
    const lines = readFileSync(jail.tokenFile, "utf8").split("\n").filter(Boolean);
    const tokens = new Map(lines.map((l) => l.split(" ") as [string, string]));
    const executed = JSON.parse(readFileSync(executedFile, "utf8")) as INotebookContent;
    const report = score(file, restored, prepared, { result, notebook: executed, tokens }, {
      timeout: options.timeout, wall: options.wall, memoryMB: options.limits.memoryMB, sandbox: options.boundary,
    });
    if (options.gradedNotebook !== undefined) {
      writeFileSync(options.gradedNotebook, JSON.stringify(gradedNotebook(restored, prepared, executed), null, 1));
    }
    return { ...report, execution_time: (Date.now() - started) / 1000, executed: options.gradedNotebook };
  } finally {
    closeJail(jail);
  }
}
