/**
 * Homework notebooks as the grader sees them: strict reading (a malformed .ipynb is an error that names the
 * file and the problem), nbgrader's v3 cell metadata, and the cell roles the grader acts on.
 */
import type { ICell, INotebookContent } from "@jupyterlab/nbformat";
import { createHash } from "crypto";
import { readFileSync } from "fs";

/** nbgrader's per-cell metadata, schema version 3. */
export interface NbgraderCell {
  schema_version: 3;
  grade: boolean;
  solution: boolean;
  locked: boolean;
  grade_id: string;
  points?: number;
  /** sha256 of the released source of a locked cell (written by `npm run homework`). */
  checksum?: string;
  task?: boolean;
}

/** Who may see, on Gradescope, how a test cell's hidden tests went: the cell's metadata
 * `gradescope.hidden_tests_visibility` (default "hidden"). */
export const HIDDEN_VISIBILITIES = ["hidden", "after_due_date", "after_published"] as const;
export type HiddenVisibility = (typeof HIDDEN_VISIBILITIES)[number];

/** The cell's `gradescope.hidden_tests_visibility` as the instructor wrote it (lint checks it). */
export function hiddenTestsOption(cell: ICell): unknown {
  return (cell.metadata.gradescope as { hidden_tests_visibility?: unknown } | undefined)?.hidden_tests_visibility;
}

/** What a cell is to the grader. */
export type Role =
  | "solution" // the student's answer: kept from the submission
  | "test" // graded and locked: restored from the instructor's copy, hidden tests included
  | "locked" // locked but not graded (setup, instructions): restored
  | "free"; // any other cell (no nbgrader metadata, or unlocked non-solution)

/** A notebook file that is not a notebook we can grade. */
export class NotebookError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "NotebookError";
  }
}

/** Reads and checks an .ipynb: JSON, nbformat 4 (minor >= 5 not required of submissions), a cells array
 * of well-formed cells. Every failure names the file and what is wrong. */
export function readHomework(file: string): INotebookContent {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new NotebookError(file, `cannot read the file (${why})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NotebookError(file, `not a notebook: the file is not valid JSON (${(error as Error).message})`);
  }
  return checkNotebook(file, json);
}

/** Validates parsed JSON as an nbformat 4 notebook the grader can work on. */
export function checkNotebook(file: string, json: unknown): INotebookContent {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    const kind = Array.isArray(json) ? "an array" : typeof json;
    throw new NotebookError(file, `not a notebook: the JSON is ${kind}, expected an object with "cells"`);
  }
  const nb = json as Record<string, unknown>;
  if (nb.nbformat === undefined) throw new NotebookError(file, `not a notebook: no "nbformat" version field`);
  if (nb.nbformat !== 4) {
    const version = `${JSON.stringify(nb.nbformat)}.${JSON.stringify(nb.nbformat_minor ?? "?")}`;
    throw new NotebookError(
      file,
      `wrong nbformat: version ${version}, expected 4.x (open and save it in a current Jupyter)`,
    );
  }
  if (!("cells" in nb)) throw new NotebookError(file, `missing cells: the notebook has no "cells" list`);
  if (!Array.isArray(nb.cells)) {
    throw new NotebookError(file, `missing cells: "cells" is ${typeof nb.cells}, expected a list`);
  }
  nb.cells.forEach((cell: unknown, i: number) => {
    const where = `cell ${i}`;
    if (typeof cell !== "object" || cell === null) throw new NotebookError(file, `${where} is not an object`);
    const c = cell as Record<string, unknown>;
    if (!["code", "markdown", "raw"].includes(c.cell_type as string)) {
      const type = JSON.stringify(c.cell_type);
      throw new NotebookError(file, `${where} has cell_type ${type}, expected "code", "markdown" or "raw"`);
    }
    const source = c.source;
    const ok = typeof source === "string" || (Array.isArray(source) && source.every((s) => typeof s === "string"));
    if (!ok) throw new NotebookError(file, `${where} has no source text`);
    if (c.metadata !== undefined && (typeof c.metadata !== "object" || c.metadata === null)) {
      throw new NotebookError(file, `${where} has metadata that is not an object`);
    }
  });
  if (typeof nb.metadata !== "object" || nb.metadata === null) nb.metadata = {};
  for (const cell of nb.cells as Record<string, unknown>[]) if (cell.metadata === undefined) cell.metadata = {};
  return nb as unknown as INotebookContent;
}

/** The cell's nbgrader metadata when it is complete enough to act on (schema 3 with a grade_id). */
export function nbgrader(cell: ICell): NbgraderCell | null {
  const meta = (cell.metadata as Record<string, unknown>).nbgrader as Partial<NbgraderCell> | undefined;
  if (typeof meta !== "object" || meta === null) return null;
  if (typeof meta.grade_id !== "string" || meta.grade_id === "") return null;
  return meta as NbgraderCell;
}

export function role(cell: ICell): Role {
  const meta = nbgrader(cell);
  if (meta === null) return "free";
  if (meta.solution) return "solution";
  if (meta.grade && cell.cell_type === "code") return "test";
  if (meta.locked) return "locked";
  return "free";
}

/** A cell's id (nbformat 4.5), if it has one. */
export function cellId(cell: ICell): string | undefined {
  return typeof cell.id === "string" ? cell.id : undefined;
}

/** A cell's nbgrader grade_id, if it has complete nbgrader metadata. */
export function gradeId(cell: ICell): string | undefined {
  return nbgrader(cell)?.grade_id;
}

/** The checksum of a locked cell's text, insensitive to trailing whitespace (editors add newlines). */
export function checksum(text: string): string {
  const normal = text.split("\n").map((l) => l.trimEnd()).join("\n").trim();
  return createHash("sha256").update(normal).digest("hex");
}

/** The graded cells' ids and points, in notebook order. */
export function gradedCells(nb: INotebookContent): { id: string; points: number }[] {
  return nb.cells
    .filter((c) => role(c) === "test")
    .map((c) => nbgrader(c) as NbgraderCell)
    .map((meta) => ({ id: meta.grade_id, points: meta.points ?? 0 }));
}
