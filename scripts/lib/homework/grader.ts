/**
 * Grading one submission against the instructor's notebook:
 *
 * 1. Assemble the notebook to run from the instructor's cell order: locked cells (setup, tests with their
 *    hidden part) come from the instructor's copy, answer cells from the submission (matched by grade_id,
 *    then cell id), and cells the student added follow the matched cell they followed. A locked cell that
 *    is missing or whose text differs from the released checksum is reported as tampering; a tampered test
 *    earns nothing (it is still restored and run, so the other tasks see a normal notebook).
 * 2. Put the grader's prelude first and wrap every test (harness.ts), then run it in a fresh tslab kernel
 *    through Jupyter with a deadline per cell (execute.ts).
 * 3. A test scores its points only if the kernel reported no error for its cell and its per-run token
 *    reached the grader's file. Nothing the notebook prints is trusted.
 */
import type { ICell, ICodeCell, INotebookContent, IOutput, IStream, IError } from "@jupyterlab/nbformat";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "fs";
import { tmpdir } from "os";
import { basename, join } from "path";
import { ROOT } from "../jupyter";
import { joinLines, listNotebooks } from "../notebook";
import { KernelEvent, Replay, RunResult, runCells } from "./execute";
import { importedModules, newSecrets, prelude, wrapTest } from "./harness";
import { NbgraderCell, checksum, nbgrader, readHomework, role, source } from "./notebook";
import { release, releasedSource } from "./release";

/** One graded test, in Gradescope's results.json shape (plus our status). */
export interface TestResult {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed" | "timeout" | "died" | "tampered";
  output: string;
}

/** A graded submission: Gradescope's results.json (score, max_score, output, tests) and our details. */
export interface Report {
  file: string;
  score: number;
  max_score: number;
  output: string;
  execution_time: number;
  tests: TestResult[];
  tampering: string[];
  warnings: string[];
  events: KernelEvent[];
  /** Set when the submission could not be graded at all (a malformed .ipynb): score 0. */
  error?: string;
  /** The executed notebook, for the instructor. */
  executed?: string;
}

export interface GradeOptions {
  /** The Python that has Jupyter. */
  python: string;
  /** Per-cell deadline in seconds. */
  timeout: number;
  /** Seconds an interrupted cell gets to stop before the kernel is restarted. */
  grace: number;
  /** Where the executed notebook goes (a folder inside the project, so "minitorch-ts" resolves). */
  workDir: string;
}

/** The instructors' notebooks. */
export const HOMEWORK = join(ROOT, "homework");

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
    ids = new Set(readHomework(submission).cells.map(gradeIdOf).filter((g): g is string => g !== undefined));
  } catch {
    // malformed: any candidate will do, the submission's own error is reported when it is graded
  }
  const overlap = (c: string) => readHomework(c).cells.filter((cell) => ids.has(gradeIdOf(cell) ?? "")).length;
  const ranked = candidates.map((c) => [c, overlap(c)] as const).sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0 || ranked[0][1] === 0 || (ranked.length > 1 && ranked[1][1] === ranked[0][1])) {
    throw new Error(`cannot tell which homework ${submission} answers: pass --instructor homework/NAME.ipynb`);
  }
  return ranked[0][0];
}

const idOf = (cell: ICell): string | undefined => (typeof cell.id === "string" ? cell.id : undefined);
const gradeIdOf = (cell: ICell): string | undefined => nbgrader(cell)?.grade_id;

interface Slot {
  /** The cell to run (instructor's or student's), as it will appear in the run notebook. */
  cell: ICell;
  kind: "locked" | "test" | "solution" | "student";
  gradeId?: string;
}

/** Matches the submission's cells to the instructor's and lays out the notebook to run. */
function assemble(assignment: Assignment, submission: INotebookContent): { slots: Slot[]; tampering: string[]; warnings: string[]; tamperedTests: Map<string, string> } {
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
    const hit = g !== undefined && byGrade.has(g) ? byGrade.get(g) : idOf(cell) !== undefined ? byId.get(idOf(cell) as string) : undefined;
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
    if (g !== undefined && byGrade.get(g) !== i) warnings.push(`a second cell with grade_id ${g} runs as an ordinary cell`);
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
      if (hit === undefined) warnings.push(`answer cell ${name} is missing from the submission (deleted, or its nbgrader metadata removed)`);
      else {
        const mine = submission.cells[hit];
        if (mine.cell_type !== cell.cell_type) warnings.push(`answer cell ${name} was turned into a ${mine.cell_type} cell`);
        slots.push({ cell: { ...cell, source: source(mine), outputs: [], execution_count: null } as ICell, kind: mine.cell_type === "code" ? "solution" : "student", gradeId: name });
      }
    } else if (r === "test" || r === "locked") {
      // As released, or as the instructor wrote it (the instructor's own copy, hidden tests included).
      const expected = [(nbgrader(released.cells[k]) as NbgraderCell).checksum ?? checksum(releasedSource(cell, assignment.file)), checksum(source(cell))];
      let problem: string | null = null;
      if (hit === undefined) problem = `${r === "test" ? "test" : "locked"} cell ${name} was deleted`;
      else if (!expected.includes(checksum(source(submission.cells[hit])))) problem = `${r === "test" ? "test" : "locked"} cell ${name} was edited`;
      if (problem !== null) {
        tampering.push(`${problem}; restored from the instructor's copy`);
        if (r === "test") tamperedTests.set(name, problem);
      }
      slots.push({ cell: JSON.parse(JSON.stringify(cell)) as ICell, kind: r === "test" ? "test" : "locked", gradeId: name });
    } else {
      slots.push({ cell: JSON.parse(JSON.stringify(cell)) as ICell, kind: "locked" }); // free instructor cells: prose
    }
    if (hit !== undefined) pushStudent(k);
  });
  return { slots, tampering, warnings, tamperedTests };
}

/** The text a failed test shows: the error's message, without the echoed source line, the kernel's stack
 * frames or the assertion object's fields. */
function failureText(outputs: readonly IOutput[]): string {
  const parts: string[] = [];
  for (const o of outputs) {
    if (o.output_type === "stream" && (o as IStream).name === "stderr") parts.push(joinLines((o as IStream).text));
    if (o.output_type === "error") parts.push(`${(o as IError).ename}: ${(o as IError).evalue}\n`);
  }
  let lines = parts.join("").split("\n");
  const start = lines.findIndex((l) => /^([A-Z]\w*Error|Error)\b.*:/.test(l) || /^\d+:\d+ - /.test(l));
  if (start > 0) lines = lines.slice(start);
  lines = lines.filter((l) => !/^\s+at /.test(l) && !/^\s*\^+\s*$/.test(l) && !/^(node:\w+:|evalmachine\.<anonymous>:)\d+/.test(l)
    && !/^\s+(generatedMessage|code|actual|expected|operator):/.test(l) && !/^\s*[{}]\s*$/.test(l));
  const text = lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return text.length > 2000 ? `${text.slice(0, 2000)}\n...` : text;
}

function summarize(events: readonly KernelEvent[], cellName: (i: number) => string, timeout: number): string[] {
  return events.map((e) => {
    const where = cellName(e.cell);
    switch (e.event) {
      case "timeout": return `${where} ran past the ${timeout} s limit: interrupted`;
      case "interrupted": return `${where} stopped after the interrupt; the kernel was restarted`;
      case "unresponsive": return `${where} did not stop after the interrupt: the kernel was restarted`;
      case "died": return `the kernel died while running ${where} (process.exit, a crash or out of memory)`;
      case "restarted": return `a fresh kernel replayed the setup and the answers that had run, then went on from ${where}`;
      default: return `${where}: ${e.event} while replaying`;
    }
  });
}

/** Grades one submission file. Never throws for a bad submission: the report carries the error. */
export async function gradeSubmission(assignment: Assignment, file: string, options: GradeOptions): Promise<Report> {
  const started = Date.now();
  const graded = assignment.notebook.cells.filter((c) => role(c) === "test").map((c) => nbgrader(c) as NbgraderCell);
  const maxScore = graded.reduce((s, g) => s + (g.points ?? 0), 0);
  const empty = (error: string): Report => ({
    file, score: 0, max_score: maxScore, output: error, execution_time: 0, error, warnings: [], tampering: [], events: [],
    tests: graded.map((g) => ({ name: g.grade_id, score: 0, max_score: g.points ?? 0, status: "failed", output: "not graded: " + error })),
  });
  let submission: INotebookContent;
  try {
    submission = readHomework(file);
  } catch (error) {
    return empty((error as Error).message);
  }

  const { slots, tampering, warnings, tamperedTests } = assemble(assignment, submission);
  const secretDir = mkdtempSync(join(tmpdir(), "minitorch-grade-"));
  const secrets = newSecrets(join(secretDir, "tokens"), graded.map((g) => g.grade_id));
  writeFileSync(secrets.tokenFile, "");
  const setupTexts = slots.filter((s) => s.kind === "locked" && s.cell.cell_type === "code").map((s) => source(s.cell));
  const modules = importedModules([...setupTexts, ...slots.filter((s) => s.kind === "test").map((s) => source(s.cell))]);

  const cells: ICell[] = [{ cell_type: "code", id: "grader-prelude", metadata: {}, source: prelude(secrets, modules), outputs: [], execution_count: null } as ICodeCell];
  const replay: Replay[] = ["always"];
  const kinds: (Slot["kind"] | "prelude")[] = ["prelude"];
  for (const slot of slots) {
    const cell = JSON.parse(JSON.stringify(slot.cell)) as ICell;
    if (cell.cell_type === "code") {
      (cell as ICodeCell).outputs = [];
      (cell as ICodeCell).execution_count = null;
    }
    if (slot.kind === "test") cell.source = wrapTest(source(slot.cell), slot.gradeId as string, setupTexts, secrets);
    cells.push(cell);
    replay.push(slot.kind === "locked" ? "always" : slot.kind === "test" ? "never" : "if_ok");
    kinds.push(slot.kind);
  }
  // Cell ids must be unique; student cells may repeat the instructor's.
  const ids = new Set<string>();
  cells.forEach((c, i) => {
    let id = idOf(c) ?? `cell-${i}`;
    while (ids.has(id)) id = `${id}-${i}`;
    ids.add(id);
    c.id = id;
  });
  const runNb: INotebookContent = { ...submission, metadata: assignment.notebook.metadata, nbformat: 4, nbformat_minor: 5, cells };

  mkdirSync(options.workDir, { recursive: true });
  const name = basename(file).replace(/\.ipynb$/i, "");
  const workDir = mkdtempSync(join(options.workDir, `${name.replace(/[^\w.-]/g, "_")}-`));
  const runFile = join(workDir, `${name}.ipynb`);
  const executed = join(workDir, `${name}.graded.ipynb`);
  writeFileSync(runFile, JSON.stringify(runNb, null, 1));

  let result: RunResult;
  try {
    result = await runCells(options.python, runFile, executed, { cwd: workDir, timeout: options.timeout, grace: options.grace, replay, planFile: join(secretDir, "plan.json") });
  } catch (error) {
    rmSync(secretDir, { recursive: true, force: true });
    return { ...empty(`${file}: grading failed: ${(error as Error).message}`), tampering, warnings };
  }
  const tokens = new Map(readFileSync(secrets.tokenFile, "utf8").split("\n").filter(Boolean).map((l) => l.split(" ") as [string, string]));
  rmSync(secretDir, { recursive: true, force: true });
  const out = JSON.parse(readFileSync(executed, "utf8")) as INotebookContent;

  const cellName = (i: number): string => {
    if (kinds[i] === "prelude") return "the grader's prelude";
    const slot = slots[i - 1];
    return slot.gradeId !== undefined ? `${slot.kind === "test" ? "test" : "cell"} ${slot.gradeId}` : `your cell ${i - 1}`;
  };
  const events = result.events;
  const tests: TestResult[] = [];
  cells.forEach((_, i) => {
    if (kinds[i] !== "test") return;
    const slot = slots[i - 1];
    const id = slot.gradeId as string;
    const meta = nbgrader(slot.cell) as NbgraderCell;
    const max = meta.points ?? 0;
    const status = result.cells[i]?.status;
    const passed = status === "ok" && tokens.get(id) === secrets.tokens.get(id);
    const outputs = (out.cells[i] as ICodeCell).outputs ?? [];
    if (tamperedTests.has(id)) {
      const ran = passed ? "it passed once restored" : "it did not pass once restored either";
      tests.push({ name: id, score: 0, max_score: max, status: "tampered", output: `${tamperedTests.get(id)}: no points for this test (${ran}).` });
    } else if (passed) {
      tests.push({ name: id, score: max, max_score: max, status: "passed", output: "passed" });
    } else if (status === "timeout") {
      tests.push({ name: id, score: 0, max_score: max, status: "timeout", output: `timed out: the test ran past the ${options.timeout} s limit and was stopped.\n${failureText(outputs)}`.trim() });
    } else if (status === "died") {
      tests.push({ name: id, score: 0, max_score: max, status: "died", output: "the kernel died while running this test (process.exit, a crash or out of memory); the remaining tests ran in a fresh kernel." });
    } else if (status === "ok") {
      tests.push({ name: id, score: 0, max_score: max, status: "failed", output: "the test cell did not run to its end (its completion token never arrived)." });
    } else {
      // Point at the answer cell when it failed too: the test's error is then only a consequence.
      const answer = slots.findIndex((s) => s.kind === "solution" && s.gradeId === id.replace(/-tests?$/, ""));
      const answerStatus = answer >= 0 ? result.cells[answer + 1]?.status : undefined;
      const note = answerStatus !== undefined && answerStatus !== "ok"
        ? `your answer cell ${slots[answer].gradeId} ${answerStatus === "error" ? "failed" : answerStatus === "timeout" ? "timed out" : "killed the kernel"}:\n${failureText((out.cells[answer + 1] as ICodeCell).outputs ?? [])}\n\n`
        : "";
      tests.push({ name: id, score: 0, max_score: max, status: "failed", output: `${note}${failureText(outputs) || "the test failed"}`.trim() });
    }
  });

  // Answer and scratch cells that failed: the student's feedback starts there.
  cells.forEach((_, i) => {
    const status = result.cells[i]?.status;
    if ((kinds[i] === "solution" || kinds[i] === "student") && status !== undefined && status !== "ok" && status !== "skipped") {
      const what = status === "error" ? "failed" : status === "timeout" ? "timed out" : "killed the kernel";
      const why = failureText((out.cells[i] as ICodeCell).outputs ?? []).split("\n")[0];
      warnings.push(`${kinds[i] === "solution" ? `answer cell ${slots[i - 1].gradeId}` : `your cell ${i - 1}`} ${what}${why ? `: ${why}` : ""}`);
    }
  });

  // The executed notebook for the instructor: without the prelude, tests shown as the instructor wrote them.
  out.cells.forEach((c, i) => {
    if (kinds[i] === "test") c.source = source(slots[i - 1].cell);
  });
  out.cells.shift();
  writeFileSync(executed, JSON.stringify(out, null, 1));
  if (existsSync(runFile)) rmSync(runFile);

  const score = tests.reduce((s, t) => s + t.score, 0);
  const eventLines = summarize(events, cellName, options.timeout);
  const output = [
    `${score} / ${maxScore} points`,
    ...tampering.map((t) => `tampering: ${t}`),
    ...warnings.map((w) => `warning: ${w}`),
    ...eventLines.map((e) => `kernel: ${e}`),
  ].join("\n");
  return { file, score, max_score: maxScore, output, execution_time: (Date.now() - started) / 1000, tests, tampering, warnings, events, executed };
}

/** Gradescope's results.json for a report (its documented fields only). */
export function gradescope(report: Report): object {
  return {
    score: report.score,
    max_score: report.max_score,
    output: report.output,
    execution_time: Math.round(report.execution_time),
    tests: report.tests.map((t) => ({ name: t.name, score: t.score, max_score: t.max_score, status: t.score === t.max_score ? "passed" : "failed", output: t.output, visibility: "visible" })),
  };
}

/** The report as a fixed-width table. */
export function table(report: Report): string {
  const rows = report.tests.map((t) => [t.name, `${t.score}`, `${t.max_score}`, t.status, firstLine(t.output)]);
  rows.push(["total", `${report.score}`, `${report.max_score}`, "", ""]);
  const head = ["grade_id", "points", "max", "status", "note"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => Math.min(r[c].length, c === 4 ? 70 : 40))));
  const fmt = (r: string[]) => r.map((v, c) => (c === 1 || c === 2 ? v.padStart(widths[c]) : v.slice(0, c === 4 ? 70 : 40).padEnd(widths[c]))).join("  ").trimEnd();
  const lines = [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(0, -1).map(fmt), widths.map((w) => "-".repeat(w)).join("  "), fmt(rows[rows.length - 1])];
  return lines.join("\n");
}

function firstLine(text: string): string {
  return text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
}
