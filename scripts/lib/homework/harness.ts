/**
 * Step 2 of grading, prepare: what the grader adds to the restored notebook before running it, so that nothing
 * the student's code does in the shared kernel can make a test look passed:
 *
 * - The prelude (prelude.ts) as the first cell, before any student code.
 * - Each test cell, restored from the instructor's copy, becomes a strict-mode function that takes its
 *   imports from the holder (so redefining `assert`, `nn`, `console` or a prototype in a student cell
 *   changes nothing) and ends with `done(grade_id, token)`. The token is random per cell and per run
 *   and appears nowhere but in that cell's own source; a strict function hides its caller and source
 *   from the student functions it calls. A test cell scores only if the kernel reported it ran without
 *   error and its token reached the file: printing "passed" earns nothing.
 */
import type { ICell, ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { randomBytes } from "crypto";
import * as ts from "typescript";
import { cellSource } from "../notebook";
import type { Replay } from "./execute";
import { cellId } from "./notebook";
import { preludeCell } from "./prelude";
import type { Restored, Slot } from "./restore";

/** Per-run secrets: the holder's global name and, per graded cell, a token for its end and one for the end
 * of its visible tests (reported under `visibleId(grade_id)`). */
export interface Secrets {
  holder: string;
  tokenFile: string;
  tokens: Map<string, string>;
}

/** The name under which a test reports that its visible part passed. */
export const visibleId = (gradeId: string): string => `${gradeId}#visible`;

export function newSecrets(tokenFile: string, gradeIds: readonly string[]): Secrets {
  const hex = (n: number) => randomBytes(n).toString("hex");
  const ids = gradeIds.flatMap((id) => [id, visibleId(id)]);
  // Not "__"-prefixed: TypeScript escapes such names and tslab then exports them under the wrong name.
  return { holder: `$grader_${hex(12)}`, tokenFile, tokens: new Map(ids.map((id) => [id, hex(24)])) };
}

/** One import declaration, as the grader rebinds it inside a test. */
interface Binding {
  module: string;
  kind: "namespace" | "default" | "named";
  local: string;
  imported?: string;
  typeOnly: boolean;
}

/** The import declarations of a cell and its text with them removed (offsets from the TypeScript parser). */
export function splitImports(text: string): { bindings: Binding[]; rest: string; typeImports: string[] } {
  const file = ts.createSourceFile("cell.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const bindings: Binding[] = [];
  const typeImports: string[] = [];
  let rest = "";
  let cursor = 0;
  for (const stmt of file.statements) {
    if (!ts.isImportDeclaration(stmt) && !ts.isImportEqualsDeclaration(stmt)) continue;
    rest += text.slice(cursor, stmt.getStart(file));
    cursor = stmt.getEnd();
    if (ts.isImportEqualsDeclaration(stmt)) {
      const ref = stmt.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        const module = ref.expression.text;
        bindings.push({ module, kind: "namespace", local: stmt.name.text, typeOnly: stmt.isTypeOnly });
      }
      continue;
    }
    const module = (stmt.moduleSpecifier as ts.StringLiteral).text;
    const clause = stmt.importClause;
    if (clause === undefined) continue; // a side-effect import: the prelude has loaded the module already
    if (clause.isTypeOnly) {
      typeImports.push(stmt.getText(file));
      continue;
    }
    if (clause.name) bindings.push({ module, kind: "default", local: clause.name.text, typeOnly: false });
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) {
      bindings.push({ module, kind: "namespace", local: named.name.text, typeOnly: false });
    }
    if (named && ts.isNamedImports(named)) {
      for (const el of named.elements) {
        const imported = (el.propertyName ?? el.name).text;
        bindings.push({ module, kind: "named", local: el.name.text, imported, typeOnly: el.isTypeOnly });
      }
    }
  }
  rest += text.slice(cursor);
  return { bindings, rest, typeImports };
}

/** `import { a, type B }`: the type-only names still need declaring, as types, at the cell's top. */
function typeDeclarations(bindings: readonly Binding[]): string[] {
  return bindings
    .filter((b) => b.typeOnly && b.kind === "named")
    .map((b) => {
      const name = b.imported === b.local ? b.local : `${b.imported} as ${b.local}`;
      return `import type { ${name} } from ${JSON.stringify(b.module)};`;
    });
}

/** `const x: T = holder... as T`: explicitly typed, since TypeScript only calls assertion functions
 * (assert.ok narrows) through names declared with a type annotation. */
function rebind(b: Binding, holder: string): string {
  const mod = JSON.stringify(b.module);
  if (b.kind === "namespace") {
    const type = `typeof import(${mod})`;
    return `const ${b.local}: ${type} = ${holder}.ns(${mod}) as ${type};`;
  }
  if (b.kind === "default") {
    const type = `typeof import(${mod})["default"]`;
    return `const ${b.local}: ${type} = ${holder}.def(${mod}) as ${type};`;
  }
  const type = `typeof import(${mod})[${JSON.stringify(b.imported)}]`;
  return `const ${b.local}: ${type} = (${holder}.ns(${mod}) as typeof import(${mod}))[${JSON.stringify(b.imported)}];`;
}

/** The declarations (functions, classes, types, variables) of a locked setup cell: the helpers tests call.
 * Expression statements (seeding, printing) are left out, so copying them into a test has no side effect. */
export function declarations(text: string): string[] {
  const file = ts.createSourceFile("cell.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const isDeclaration = (s: ts.Statement) =>
    ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isVariableStatement(s) ||
    ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s);
  return file.statements
    .filter(isDeclaration)
    .map((s) => text.slice(s.getFullStart(), s.getEnd()).trim());
}

/** The modules a set of locked cells import (what the prelude captures). */
export function importedModules(texts: readonly string[]): string[] {
  const modules = new Set<string>(["assert"]);
  for (const t of texts) for (const b of splitImports(t).bindings) modules.add(b.module);
  return [...modules];
}

const HIDDEN_AT_TOP = /^\/\/\s*BEGIN HIDDEN TESTS\s*$/m;

/** True when a test cell has hidden tests the grader can tell apart (a BEGIN HIDDEN TESTS line at its top level). */
export const hasHiddenTests = (text: string): boolean => HIDDEN_AT_TOP.test(text);

/**
 * A restored test cell as the grader runs it. `setup` are the locked setup cells' texts: their imports
 * are rebound to the captured modules and their declarations (the helpers) copied in, so a student cell
 * that redefines `assert` or a helper changes nothing. `text` is the instructor's full test cell.
 */
export function wrapTest(text: string, gradeId: string, setup: readonly string[], secrets: Secrets): string {
  const setupImports = setup;
  const token = secrets.tokens.get(gradeId);
  if (token === undefined) throw new Error(`no token for ${gradeId}`);
  const own = splitImports(text);
  // Later imports win, as they would at top level: setup first, then the cell's own.
  const byLocal = new Map<string, Binding>();
  const typeLines: string[] = [];
  for (const t of [...setupImports, text]) {
    const { bindings, typeImports } = t === text ? own : splitImports(t);
    for (const b of bindings) if (!b.typeOnly) byLocal.set(b.local, b);
    typeLines.push(...typeImports, ...typeDeclarations(bindings));
  }
  const h = secrets.holder;
  // Where the hidden tests begin (at the cell's top level), the visible ones have passed.
  const visibleToken = JSON.stringify(secrets.tokens.get(visibleId(gradeId)));
  const visible = `${h}.done(${JSON.stringify(visibleId(gradeId))}, ${visibleToken});`;
  const body = own.rest.trim().replace(HIDDEN_AT_TOP, (marker) => `${visible}\n${marker}`);
  const isAsync = /\bawait\b/.test(body);
  const promise = `$test_${gradeId.replace(/\W/g, "_")}`;
  const lines = [
    `// Graded test ${gradeId}, restored from the instructor's copy by the grader.`,
    ...typeLines,
    `declare const ${h}: ` +
      "{ ns(name: string): unknown; def(name: string): unknown; done(id: string, token: string): void };",
    `const ${promise} = (${isAsync ? "async " : ""}() => {`,
    `"use strict";`,
    ...[...byLocal.values()].map((b) => rebind(b, h)),
    ...setup.flatMap(declarations),
    body,
    `})();`,
    ...(isAsync ? [`await ${promise};`] : []),
    `${h}.done(${JSON.stringify(gradeId)}, ${JSON.stringify(token)});`,
  ];
  return lines.join("\n");
}

/** What a run notebook's cell is to the grader. */
export type CellKind = "prelude" | Slot["kind"];

/** The notebook to run: the prelude, then the restored cells with the tests wrapped; per cell its kind, its
 * slot (-1 for the prelude) and whether a fresh kernel replays it. */
export interface Prepared {
  notebook: INotebookContent;
  kinds: CellKind[];
  slots: number[];
  replay: Replay[];
  secrets: Secrets;
}

/** Adds the prelude and wraps the tests of a restored notebook; tokens go to `tokenFile`. */
export function prepare(restored: Restored, metadata: INotebookContent["metadata"], tokenFile: string): Prepared {
  const { slots } = restored;
  const tests = slots.filter((s) => s.kind === "test");
  const secrets = newSecrets(tokenFile, tests.map((s) => s.gradeId as string));
  const setup = slots.filter((s) => s.kind === "locked" && s.cell.cell_type === "code").map((s) => cellSource(s.cell));
  const modules = importedModules([...setup, ...tests.map((s) => cellSource(s.cell))]);
  const prelude = preludeCell({ holder: secrets.holder, tokenFile, modules });
  const cells: ICell[] = [
    {
      cell_type: "code",
      id: "grader-prelude",
      metadata: {},
      source: prelude,
      outputs: [],
      execution_count: null,
    } as ICodeCell,
  ];
  const notebook = { metadata, nbformat: 4, nbformat_minor: 5, cells };
  const prepared: Prepared = { notebook, kinds: ["prelude"], slots: [-1], replay: ["always"], secrets };
  slots.forEach((slot, i) => {
    const cell = JSON.parse(JSON.stringify(slot.cell)) as ICell;
    if (cell.cell_type === "code") {
      (cell as ICodeCell).outputs = [];
      (cell as ICodeCell).execution_count = null;
    }
    if (slot.kind === "test") cell.source = wrapTest(cellSource(slot.cell), slot.gradeId as string, setup, secrets);
    cells.push(cell);
    prepared.kinds.push(slot.kind);
    prepared.slots.push(i);
    prepared.replay.push(slot.kind === "locked" ? "always" : slot.kind === "test" ? "never" : "if_ok");
  });
  // Cell ids must be unique; student cells may repeat the instructor's.
  const ids = new Set<string>();
  cells.forEach((c, i) => {
    let id = cellId(c) ?? `cell-${i}`;
    while (ids.has(id)) id = `${id}-${i}`;
    ids.add(id);
    c.id = id;
  });
  return prepared;
}
