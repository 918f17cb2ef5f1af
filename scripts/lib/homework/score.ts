/**
 * Step 4 of grading, score: points from what the run left outside the sandbox. A test earns its points only if
 * the kernel reported its cell ran without error and its token reached the grader's file; nothing the notebook
 * printed counts. Failures are explained from the cell's error (and the answer cell's, when that failed first),
 * kernel events (timeouts, deaths, memory, the wall time) become lines of the report.
 */
import type { ICodeCell, IError, INotebookContent, IOutput, IStream } from "@jupyterlab/nbformat";
import { cellSource, joinLines } from "../notebook";
import type { KernelEvent, RunResult } from "./execute";
import { Prepared, hasHiddenTests, visibleId } from "./harness";
import { HIDDEN_VISIBILITIES, HiddenVisibility, NbgraderCell, hiddenTestsOption, nbgrader } from "./notebook";
import type { Restored } from "./restore";
import type { Boundary } from "./sandbox";

/** One graded test (a test cell), in Gradescope's results.json shape plus our details. */
export interface TestResult {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed" | "timeout" | "died" | "tampered";
  output: string;
  /** When the cell has hidden tests: whether it failed in its visible part or its hidden part. */
  failedIn?: "visible" | "hidden";
  /** Set on a test cell with hidden tests: who may see how those went. */
  hidden?: HiddenVisibility;
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
  /** The boundary the kernel ran in. */
  sandbox: Boundary;
  /** Set when the submission could not be graded at all (a malformed .ipynb): score 0. */
  error?: string;
  /** The executed notebook, for the instructor. */
  executed?: string;
}

/** What a run left: the driver's result, the executed notebook, the tokens that reached the grader's file. */
export interface Executed {
  result: RunResult;
  notebook: INotebookContent;
  tokens: Map<string, string>;
}

/** The limits the report explains failures with. */
export interface ScoreContext {
  timeout: number;
  wall: number;
  memoryMB: number;
  sandbox: Boundary;
}

const MEMORY = /Array buffer allocation failed|allocation failed|out of memory|Cannot allocate memory/i;

/** The text a failed test shows: the error's message, without the echoed source line, the kernel's stack
 * frames or the assertion object's fields. */
function failureText(outputs: readonly IOutput[], memoryMB: number): string {
  const parts: string[] = [];
  for (const o of outputs) {
    if (o.output_type === "stream" && (o as IStream).name === "stderr") parts.push(joinLines((o as IStream).text));
    if (o.output_type === "error") parts.push(`${(o as IError).ename}: ${(o as IError).evalue}\n`);
  }
  let lines = parts.join("").split("\n");
  const start = lines.findIndex((l) => /^([A-Z]\w*Error|Error)\b.*:/.test(l) || /^\d+:\d+ - /.test(l));
  if (start > 0) lines = lines.slice(start);
  const noise = [/^\s+at /, /^\s*\^+\s*$/, /^(node:\w+:|evalmachine\.<anonymous>:)\d+/,
    /^\s+(generatedMessage|code|actual|expected|operator):/, /^\s*[{}]\s*$/];
  lines = lines.filter((l) => !noise.some((n) => n.test(l)));
  let text = lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  if (text.length > 2000) text = `${text.slice(0, 2000)}\n...`;
  return MEMORY.test(text) ? `${text}\n(the submission may use at most ${memoryMB} MB of memory)` : text;
}

function summarize(events: readonly KernelEvent[], cellName: (i: number) => string, context: ScoreContext): string[] {
  return events.map((e) => {
    const where = cellName(e.cell);
    switch (e.event) {
      case "timeout": return `${where} ran past the ${context.timeout} s limit: interrupted`;
      case "wall-time":
        return `the submission ran past its ${context.wall} s limit while running ${where}: the rest was not run`;
      case "memory":
        return `${where} hit the ${context.memoryMB} MB memory limit or left the kernel holding most of it; ` +
          "the kernel was restarted";
      case "interrupted": return `${where} stopped after the interrupt; the kernel was restarted`;
      case "unresponsive": return `${where} did not stop after the interrupt: the kernel was restarted`;
      case "died": return e.reason === "memory"
        ? `the kernel exceeded the ${context.memoryMB} MB memory limit while running ${where} and was stopped`
        : `the kernel died while running ${where} (process.exit, a crash or out of memory)`;
      case "restarted":
        return `a fresh kernel replayed the setup and the answers that had run, then went on from ${where}`;
      default: return `${where}: ${e.event} while replaying`;
    }
  });
}

/** Scores a run. `prepared` says which run cell is which restored slot. */
export function score(
  file: string, restored: Restored, prepared: Prepared, executed: Executed, context: ScoreContext,
): Omit<Report, "execution_time"> {
  const { slots, tampering, tamperedTests } = restored;
  const warnings = [...restored.warnings];
  const { result, notebook: out, tokens } = executed;
  const { kinds, secrets } = prepared;
  const slotOf = (i: number) => slots[prepared.slots[i]];
  const outputsOf = (i: number): IOutput[] => (out.cells[i] as ICodeCell).outputs ?? [];
  const why = (i: number): string => failureText(outputsOf(i), context.memoryMB);
  const cellName = (i: number): string => {
    if (kinds[i] === "prelude") return "the grader's prelude";
    const slot = slotOf(i);
    if (slot.gradeId === undefined) return `your cell ${prepared.slots[i]}`;
    return `${slot.kind === "test" ? "test" : "cell"} ${slot.gradeId}`;
  };
  const reached = (id: string) => tokens.get(id) === secrets.tokens.get(id);
  const tests: TestResult[] = [];
  kinds.forEach((kind, i) => {
    if (kind !== "test") return;
    const slot = slotOf(i);
    const id = slot.gradeId as string;
    const max = (nbgrader(slot.cell) as NbgraderCell).points ?? 0;
    const status = result.cells[i]?.status;
    const passed = status === "ok" && reached(id);
    const option = hiddenTestsOption(slot.cell);
    const visibility = HIDDEN_VISIBILITIES.find((v) => v === option) ?? "hidden";
    const hidden = hasHiddenTests(cellSource(slot.cell)) ? visibility : undefined;
    const failedIn = hidden === undefined || passed ? undefined : reached(visibleId(id)) ? "hidden" : "visible";
    const result_ = (status_: TestResult["status"], points: number, output: string): TestResult =>
      ({ name: id, score: points, max_score: max, status: status_, output, ...(failedIn ? { failedIn } : {}),
        ...(hidden ? { hidden } : {}) });
    if (tamperedTests.has(id)) {
      const ran = passed ? "it passed once restored" : "it did not pass once restored either";
      tests.push(result_("tampered", 0, `${tamperedTests.get(id)}: no points for this test (${ran}).`));
    } else if (passed) {
      tests.push(result_("passed", max, "passed"));
    } else if (status === "timeout") {
      const why = result.events.some((e) => e.cell === i && e.event === "wall-time")
        ? `the submission ran past its ${context.wall} s limit during this test`
        : `the test ran past the ${context.timeout} s limit and was stopped`;
      tests.push(result_("timeout", 0, `timed out: ${why}.\n${failureText(outputsOf(i), context.memoryMB)}`.trim()));
    } else if (status === "not-run") {
      tests.push(result_("timeout", 0, `not run: the submission used up its ${context.wall} s before this test.`));
    } else if (status === "died") {
      const memory = result.events.some((e) => e.cell === i && e.event === "died" && e.reason === "memory");
      const cause = memory
        ? `exceeded the ${context.memoryMB} MB memory limit`
        : "died (process.exit, a crash or out of memory)";
      const rest = "the remaining tests ran in a fresh kernel.";
      tests.push(result_("died", 0, `the kernel ${cause} while running this test; ${rest}`));
    } else if (status === "ok") {
      tests.push(result_("failed", 0, "the test cell did not run to its end (its completion token never arrived)."));
    } else {
      // Point at the answer cell when it failed too: the test's error is then only a consequence.
      const answer = kinds.findIndex((k, j) => k === "solution" && slotOf(j).gradeId === id.replace(/-tests?$/, ""));
      const answerStatus = answer >= 0 ? result.cells[answer]?.status : undefined;
      const note = answerStatus !== undefined && answerStatus !== "ok"
        ? `your answer cell ${slotOf(answer).gradeId} ${verb(answerStatus)}:\n${why(answer)}\n\n`
        : "";
      tests.push(result_("failed", 0, `${note}${why(i) || "the test failed"}`.trim()));
    }
  });

  // Answer and scratch cells that failed: the student's feedback starts there.
  kinds.forEach((kind, i) => {
    const status = result.cells[i]?.status;
    const ran = status !== undefined && !["ok", "skipped", "not-run"].includes(status);
    if ((kind === "solution" || kind === "student") && ran) {
      const first = why(i).split("\n")[0];
      const cell = kind === "solution" ? `answer cell ${slotOf(i).gradeId}` : `your cell ${prepared.slots[i]}`;
      warnings.push(`${cell} ${verb(status)}${first ? `: ${first}` : ""}`);
    }
  });

  const total = tests.reduce((s, t) => s + t.score, 0);
  const maxScore = tests.reduce((s, t) => s + t.max_score, 0);
  const output = [
    `${total} / ${maxScore} points`,
    ...tampering.map((t) => `tampering: ${t}`),
    ...warnings.map((w) => `warning: ${w}`),
    ...summarize(result.events, cellName, context).map((e) => `kernel: ${e}`),
    context.sandbox === "none" ? "warning: graded without a sandbox (--no-sandbox)" : `sandbox: ${context.sandbox}`,
  ].join("\n");
  const { events } = result;
  const sandbox = context.sandbox;
  return { file, score: total, max_score: maxScore, output, tests, tampering, warnings, events, sandbox };
}

function verb(status: string): string {
  return status === "error" ? "failed" : status === "timeout" ? "timed out" : "killed the kernel";
}

/** The executed notebook for the instructor: without the prelude, tests shown as the instructor wrote them. */
export function gradedNotebook(restored: Restored, prepared: Prepared, executed: INotebookContent): INotebookContent {
  const asWritten = (i: number) => cellSource(restored.slots[prepared.slots[i]].cell);
  const cells = executed.cells.map((c, i) => (prepared.kinds[i] === "test" ? { ...c, source: asWritten(i) } : c));
  return { ...executed, cells: cells.slice(1) };
}

/** The report as a fixed-width table. */
export function table(report: Report): string {
  const rows = report.tests.map((t) => [t.name, `${t.score}`, `${t.max_score}`, t.status, firstLine(t.output)]);
  rows.push(["total", `${report.score}`, `${report.max_score}`, "", ""]);
  const head = ["grade_id", "points", "max", "status", "note"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => Math.min(r[c].length, c === 4 ? 70 : 40))));
  const cellText = (v: string, c: number) =>
    (c === 1 || c === 2 ? v.padStart(widths[c]) : v.slice(0, c === 4 ? 70 : 40).padEnd(widths[c]));
  const fmt = (r: string[]) => r.map(cellText).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [fmt(head), rule, ...rows.slice(0, -1).map(fmt), rule, fmt(rows[rows.length - 1])].join("\n");
}

function firstLine(text: string): string {
  return text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
}
