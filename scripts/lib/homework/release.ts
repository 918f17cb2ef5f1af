/**
 * The student version of an instructor's notebook, as nbgrader's "generate assignment" makes it:
 * `// BEGIN SOLUTION` ... `// END SOLUTION` becomes a stub that throws "not implemented" (it type-checks
 * in any function, since `throw` has type never), `// BEGIN HIDDEN TESTS` ... `// END HIDDEN TESTS` is
 * dropped, outputs and execution counts are cleared, and every locked cell records the checksum of its
 * released text so tampering can be told apart from editor noise.
 */
import type { ICell, ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { cellSource } from "../notebook";
import {
  HIDDEN_VISIBILITIES, NbgraderCell, NotebookError, checksum, hiddenTestsOption, nbgrader, role,
} from "./notebook";

const BEGIN_SOLUTION = /^([ \t]*)(?:\/\/|#+)\s*BEGIN SOLUTION\s*$/;
const END_SOLUTION = /^[ \t]*(?:\/\/|#+)\s*END SOLUTION\s*$/;
const BEGIN_HIDDEN = /^[ \t]*(?:\/\/|#+)\s*BEGIN HIDDEN TESTS\s*$/;
const END_HIDDEN = /^[ \t]*(?:\/\/|#+)\s*END HIDDEN TESTS\s*$/;

/** The name a stub reports: the function the region sits in (`conv1dFn.backward` for a method of an
 * object literal), else the cell's grade_id. */
function enclosingName(before: string[], fallback: string): string {
  const fn = /(?:function\s+([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>)/;
  const method = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]+)?\{\s*$/;
  const holder = /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*[\w$.]*\(?\s*\{\s*$/;
  for (let i = before.length - 1; i >= 0; i--) {
    const f = fn.exec(before[i]);
    if (f) return f[1] ?? f[2];
    const m = method.exec(before[i]);
    if (m && !["if", "for", "while", "switch", "catch"].includes(m[1])) {
      for (let j = i - 1; j >= 0; j--) {
        const h = holder.exec(before[j]);
        if (h) return `${h[1]}.${m[1]}`;
      }
      return m[1];
    }
  }
  return fallback;
}

/** Replaces solution regions by stubs. `where` names the notebook and cell in errors. */
export function stubSolutions(text: string, id: string, markdown: boolean, where: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN_SOLUTION.exec(lines[i]);
    if (!begin) {
      if (END_SOLUTION.test(lines[i])) throw new Error(`${where}: END SOLUTION without BEGIN SOLUTION (line ${i + 1})`);
      out.push(lines[i]);
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && END_SOLUTION.test(l));
    if (end < 0) throw new Error(`${where}: BEGIN SOLUTION on line ${i + 1} has no END SOLUTION`);
    const indent = begin[1];
    const name = enclosingName(lines.slice(0, i), id);
    const stub = `${indent}throw new Error("not implemented: ${name} (replace this line with your code)");`;
    out.push(markdown ? "YOUR ANSWER HERE" : stub);
    i = end;
  }
  return out.join("\n");
}

/** Drops hidden-test regions. */
export function dropHiddenTests(text: string, where: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!BEGIN_HIDDEN.test(lines[i])) {
      if (END_HIDDEN.test(lines[i])) {
        throw new Error(`${where}: END HIDDEN TESTS without BEGIN HIDDEN TESTS (line ${i + 1})`);
      }
      out.push(lines[i]);
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && END_HIDDEN.test(l));
    if (end < 0) throw new Error(`${where}: BEGIN HIDDEN TESTS on line ${i + 1} has no END HIDDEN TESTS`);
    i = end;
  }
  // Collapse the blank lines a removed region leaves at the end.
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd();
}

/** The released text of one cell (what the student sees). */
export function releasedSource(cell: ICell, where: string): string {
  const meta = nbgrader(cell);
  let text = cellSource(cell);
  if (meta?.solution) text = stubSolutions(text, meta.grade_id, cell.cell_type === "markdown", where);
  if (role(cell) === "test") text = dropHiddenTests(text, where);
  return text;
}

/** Checks the instructor's notebook: unique grade_ids, schema 3, points on graded cells, regions only
 * where they belong. Returns the problems (empty when fine). */
export function lint(nb: INotebookContent, file: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  nb.cells.forEach((cell, i) => {
    const raw = (cell.metadata as Record<string, unknown>).nbgrader as Partial<NbgraderCell> | undefined;
    const text = cellSource(cell);
    const where = `${file}, cell ${i}`;
    const problem = (what: string) => problems.push(`${where}: ${what}`);
    if (raw === undefined) {
      if (/BEGIN (SOLUTION|HIDDEN TESTS)/.test(text)) problem("has a BEGIN region but no nbgrader metadata");
      return;
    }
    const id = raw.grade_id;
    if (raw.schema_version !== 3) problem(`nbgrader schema_version is ${raw.schema_version}, expected 3`);
    if (typeof id !== "string" || id === "") problem("nbgrader metadata without grade_id");
    else if (seen.has(id)) problem(`duplicate grade_id ${id}`);
    else seen.add(id);
    const positive = typeof raw.points === "number" && raw.points > 0;
    if (raw.grade && !positive) problem(`graded cell ${id} needs positive points`);
    if (raw.grade && !raw.solution && !raw.locked) problem(`graded test cell ${id} must be locked`);
    if (raw.solution && !/BEGIN SOLUTION/.test(text)) problem(`solution cell ${id} has no BEGIN SOLUTION region`);
    if (!raw.solution && /BEGIN SOLUTION/.test(text)) problem("BEGIN SOLUTION in a cell not marked solution");
    const hidden = /BEGIN HIDDEN TESTS/.test(text);
    if (hidden && !(raw.grade && !raw.solution)) problem("hidden tests outside a graded test cell");
    const hasOutputs = cell.cell_type === "code" && (cell as ICodeCell).outputs.length > 0;
    if (hasOutputs) problem("commit the instructor notebook without outputs");
    const visibility = hiddenTestsOption(cell);
    if (visibility !== undefined && !(HIDDEN_VISIBILITIES as readonly unknown[]).includes(visibility)) {
      const expected = HIDDEN_VISIBILITIES.join(", ");
      problem(`gradescope.hidden_tests_visibility is ${JSON.stringify(visibility)}, expected one of ${expected}`);
    }
    try {
      releasedSource(cell, where);
    } catch (error) {
      problems.push((error as Error).message);
    }
  });
  return problems;
}

/** The student version of `nb` (a new object; `nb` is not changed). */
export function release(nb: INotebookContent, file: string): INotebookContent {
  const problems = lint(nb, file);
  if (problems.length > 0) {
    throw new NotebookError(file, `not a valid instructor notebook:\n  ${problems.join("\n  ")}`);
  }
  const out = JSON.parse(JSON.stringify(nb)) as INotebookContent;
  out.cells.forEach((cell, i) => {
    const text = releasedSource(cell, `${file}, cell ${i}`);
    cell.source = text;
    if (cell.cell_type === "code") {
      (cell as ICodeCell).outputs = [];
      (cell as ICodeCell).execution_count = null;
    }
    const meta = nbgrader(cell);
    if (meta !== null && meta.locked) meta.checksum = checksum(text);
  });
  return out;
}
