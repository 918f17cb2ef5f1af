/**
 * Step 1 of grading, restore: the notebook to run, laid out in the instructor's cell order. Locked cells
 * (setup, tests with their hidden part) come from the instructor's copy, answer cells from the submission
 * (matched by grade_id, then cell id), and cells the student added follow the matched cell they followed. A
 * locked cell that is missing or whose text differs from the released checksum is tampering: it is restored
 * and reported, and a tampered test earns nothing (it still runs, so the other tasks see a normal notebook).
 */
import type { ICell, INotebookContent } from "@jupyterlab/nbformat";
import { cellSource } from "../notebook";
import type { Assignment } from "./grader";
import { NbgraderCell, cellId as idOf, checksum, gradeId as gradeIdOf, nbgrader, role } from "./notebook";
import { releasedSource } from "./release";

/** The submission laid out for running, and what restoring it found. */
export interface Restored {
  slots: Slot[];
  /** Locked cells that were edited or deleted (each restored). */
  tampering: string[];
  warnings: string[];
  /** grade_id of a tampered test -> what was done to it. */
  tamperedTests: Map<string, string>;
}

export interface Slot {
  /** The cell to run (instructor's or student's), as it will appear in the run notebook. */
  cell: ICell;
  kind: "locked" | "test" | "solution" | "student";
  gradeId?: string;
}

/** Matches the submission's cells to the instructor's and lays out the notebook to run. */
export function restore(assignment: Assignment, submission: INotebookContent): Restored {
  const { notebook: instructor, released } = assignment;
  const tampering: string[] = [];
  const warnings: string[] = [];
  const tamperedTests = new Map<string, string>();

  // Index the submission: first cell per grade_id and per id.
  const byGrade = new Map<string, number>();
  const byId = new Map<string, number>();
  submission.cells.forEach((cell, i) => {
    const g = gradeIdOf(cell);
    if (g !== undefined && !byGrade.has(g)) byGrade.set(g, i);
    const id = idOf(cell);
    if (id !== undefined && !byId.has(id)) byId.set(id, i);
  });
  const matched = new Map<number, number>(); // submission index -> instructor index
  const find = (cell: ICell): number | undefined => {
    const g = gradeIdOf(cell);
    const id = idOf(cell);
    const hit = g !== undefined && byGrade.has(g) ? byGrade.get(g) : id !== undefined ? byId.get(id) : undefined;
    return hit !== undefined && !matched.has(hit) ? hit : undefined;
  };
  const instructorIndex = new Map<number, number>(); // instructor index -> submission index
  instructor.cells.forEach((cell, k) => {
    if (role(cell) === "free") return;
    const hit = find(cell);
    if (hit !== undefined) {
      matched.set(hit, k);
      instructorIndex.set(k, hit);
    }
  });

  // Student cells follow the matched cell they followed in the submission.
  const after = new Map<number, ICell[]>(); // instructor index (-1: before all) -> student cells
  let anchor = -1;
  submission.cells.forEach((cell, i) => {
    const k = matched.get(i);
    if (k !== undefined) {
      anchor = k;
      return;
    }
    if (cell.cell_type !== "code") return;
    const g = gradeIdOf(cell);
    if (g !== undefined && byGrade.get(g) !== i) {
      warnings.push(`a second cell with grade_id ${g} runs as an ordinary cell`);
    }
    after.set(anchor, [...(after.get(anchor) ?? []), cell]);
  });

  const slots: Slot[] = [];
  const pushStudent = (k: number) => {
    for (const cell of after.get(k) ?? []) slots.push({ cell: { ...cell, metadata: {} }, kind: "student" });
  };
  pushStudent(-1);
  instructor.cells.forEach((cell, k) => {
    const meta = nbgrader(cell);
    const r = role(cell);
    const hit = instructorIndex.get(k);
    const name = meta?.grade_id ?? `cell ${k}`;
    if (r === "solution") {
      if (hit === undefined) {
        warnings.push(`answer cell ${name} is missing from the submission (deleted, or its nbgrader metadata removed)`);
      }
      else {
        const mine = submission.cells[hit];
        if (mine.cell_type !== cell.cell_type) {
          warnings.push(`answer cell ${name} was turned into a ${mine.cell_type} cell`);
        }
        const answer = { ...cell, source: cellSource(mine), outputs: [], execution_count: null } as ICell;
        slots.push({ cell: answer, kind: mine.cell_type === "code" ? "solution" : "student", gradeId: name });
      }
    } else if (r === "test" || r === "locked") {
      // As released, or as the instructor wrote it (the instructor's own copy, hidden tests included).
      const recorded = (nbgrader(released.cells[k]) as NbgraderCell).checksum;
      const asReleased = recorded ?? checksum(releasedSource(cell, assignment.file));
      const expected = [asReleased, checksum(cellSource(cell))];
      const what = `${r === "test" ? "test" : "locked"} cell ${name}`;
      let problem: string | null = null;
      if (hit === undefined) problem = `${what} was deleted`;
      else if (!expected.includes(checksum(cellSource(submission.cells[hit])))) problem = `${what} was edited`;
      if (problem !== null) {
        tampering.push(`${problem}; restored from the instructor's copy`);
        if (r === "test") tamperedTests.set(name, problem);
      }
      const copy = JSON.parse(JSON.stringify(cell)) as ICell;
      slots.push({ cell: copy, kind: r === "test" ? "test" : "locked", gradeId: name });
    } else {
      slots.push({ cell: JSON.parse(JSON.stringify(cell)) as ICell, kind: "locked" }); // free instructor cells: prose
    }
    if (hit !== undefined) pushStudent(k);
  });
  return { slots, tampering, warnings, tamperedTests };
}
