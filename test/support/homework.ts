/**
 * Test support for the grader's suites: students' notebooks made from an instructor's copy (the released
 * version with the instructor's answers typed in, then edited), and the grader script run as the CLI is.
 */
import type { ICell, INotebookContent } from "@jupyterlab/nbformat";
import { spawn, spawnSync } from "child_process";
import { writeFileSync } from "fs";
import { join } from "path";
import { loadAssignment } from "../../scripts/lib/homework/grader";
import { nbgrader } from "../../scripts/lib/homework/notebook";
import { cellSource } from "../../scripts/lib/notebook";
import { ROOT } from "../../scripts/lib/paths";

/** The cell with this grade_id. */
export function cellOf(nb: INotebookContent, id: string): ICell {
  const cell = nb.cells.find((c) => nbgrader(c)?.grade_id === id);
  if (cell === undefined) throw new Error(`no cell ${id}`);
  return cell;
}

export const setAnswer = (nb: INotebookContent, id: string, text: string): void => {
  cellOf(nb, id).source = text;
};

/** Inserts a student's code cell after the cell with grade_id `id`. */
export function addCellAfter(
  nb: INotebookContent, id: string, text: string, metadata: Record<string, unknown> = {},
): void {
  const i = nb.cells.indexOf(cellOf(nb, id));
  const id_ = `student-${i}-${nb.cells.length}`;
  const cell = { cell_type: "code", id: id_, metadata, source: text, outputs: [], execution_count: null };
  nb.cells.splice(i + 1, 0, cell as ICell);
}

/** The student version of `instructor` with its answers typed in (or left blank), `edit` applied, written to
 * dir/name. */
export function submission(
  instructor: string, dir: string, name: string, edit: (nb: INotebookContent) => void, answered = true,
): string {
  const { notebook, released } = loadAssignment(instructor);
  const nb = JSON.parse(JSON.stringify(released)) as INotebookContent;
  for (const cell of nb.cells) {
    const meta = nbgrader(cell);
    if (answered && meta?.solution) cell.source = cellSource(cellOf(notebook, meta.grade_id));
  }
  edit(nb);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(nb, null, 1));
  return path;
}

export interface GradeRun {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

const TS_NODE = join(ROOT, "node_modules", ".bin", "ts-node");
const GRADE = ["--transpile-only", "scripts/grade.ts"];

/** Runs the grader script directly (no npm banner), waiting. */
export function grade(args: readonly string[]): GradeRun {
  const started = Date.now();
  const run = spawnSync(TS_NODE, [...GRADE, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, seconds: (Date.now() - started) / 1000 };
}

/** Runs the grader script in the background, so that several runs share the wait. */
export function gradeAsync(args: readonly string[]): Promise<GradeRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TS_NODE, [...GRADE, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}
