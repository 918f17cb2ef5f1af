/**
 * What the grader adds to a submission before running it, so that nothing the student's code does in the
 * shared kernel can make a test look passed:
 *
 * - A prelude cell that runs first, before any student code. It captures the modules the tests import
 *   (`assert`, `minitorch-ts`, ...), freezes them and the JavaScript intrinsics the tests compute with
 *   (Object, Array, Math, JSON, Promise, the typed arrays, Tensor.prototype ...), pins the kernel's own
 *   moving parts (tslab's globals, vm, zeromq, Buffer), and pins on globalThis, under a name drawn for
 *   this run, a frozen holder with those modules and `done(id, token)`, which appends to a file the
 *   grader alone reads through a file descriptor captured here.
 * - Each test cell, restored from the instructor's copy, becomes a strict-mode function that takes its
 *   imports from the holder (so redefining `assert`, `nn`, `console` or a prototype in a student cell
 *   changes nothing) and ends with `done(grade_id, token)`. The token is random per cell and per run
 *   and appears nowhere but in that cell's own source; a strict function hides its caller and source
 *   from the student functions it calls. A test cell scores only if the kernel reported it ran without
 *   error and its token reached the file: printing "passed" earns nothing.
 */
import { randomBytes } from "crypto";
import * as ts from "typescript";

/** Per-run secrets: the holder's global name and one token per graded cell. */
export interface Secrets {
  holder: string;
  tokenFile: string;
  tokens: Map<string, string>;
}

export function newSecrets(tokenFile: string, gradeIds: readonly string[]): Secrets {
  const hex = (n: number) => randomBytes(n).toString("hex");
  // Not "__"-prefixed: TypeScript escapes such names and tslab then exports them under the wrong name.
  return { holder: `$grader_${hex(12)}`, tokenFile, tokens: new Map(gradeIds.map((id) => [id, hex(24)])) };
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
        bindings.push({ module: ref.expression.text, kind: "namespace", local: stmt.name.text, typeOnly: stmt.isTypeOnly });
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
    if (named && ts.isNamespaceImport(named)) bindings.push({ module, kind: "namespace", local: named.name.text, typeOnly: false });
    if (named && ts.isNamedImports(named)) {
      for (const el of named.elements) {
        bindings.push({ module, kind: "named", local: el.name.text, imported: (el.propertyName ?? el.name).text, typeOnly: el.isTypeOnly });
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
    .map((b) => `import type { ${b.imported === b.local ? b.local : `${b.imported} as ${b.local}`} } from ${JSON.stringify(b.module)};`);
}

/** `const x: T = holder... as T`: explicitly typed, since TypeScript only calls assertion functions
 * (assert.ok narrows) through names declared with a type annotation. */
function rebind(b: Binding, holder: string): string {
  const mod = JSON.stringify(b.module);
  if (b.kind === "namespace") return `const ${b.local}: typeof import(${mod}) = ${holder}.ns(${mod}) as typeof import(${mod});`;
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
  return file.statements
    .filter((s) => ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isVariableStatement(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s))
    .map((s) => text.slice(s.getFullStart(), s.getEnd()).trim());
}

/** The modules a set of locked cells import (what the prelude captures). */
export function importedModules(texts: readonly string[]): string[] {
  const modules = new Set<string>(["assert"]);
  for (const t of texts) for (const b of splitImports(t).bindings) modules.add(b.module);
  return [...modules];
}

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
  const body = own.rest.trim();
  const isAsync = /\bawait\b/.test(body);
  const promise = `$test_${gradeId.replace(/\W/g, "_")}`;
  const lines = [
    `// Graded test ${gradeId}, restored from the instructor's copy by the grader.`,
    ...typeLines,
    `declare const ${h}: { ns(name: string): unknown; def(name: string): unknown; done(id: string, token: string): void };`,
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

/** The prelude cell: runs first, before any student code. `modules` are captured for the tests. */
export function prelude(secrets: Secrets, modules: readonly string[]): string {
  return `// Grader prelude (added by scripts/grade.ts; not part of the homework).
(() => {
"use strict";
const G: any = globalThis;
const O: any = Object;
const fs: any = require("fs");
const fd: number = fs.openSync(${JSON.stringify(secrets.tokenFile)}, "a");
const writeSync = fs.writeSync;
const modules = new Map<string, any>();
for (const name of ${JSON.stringify(modules)}) modules.set(name, require(name));
const { freeze, isFrozen, getOwnPropertyDescriptor, defineProperty, getPrototypeOf, getOwnPropertyNames } = O;
const ownKeys = Reflect.ownKeys;

// Data properties that ordinary code assigns on instances ("this.name = ...", "obj.toString = ...") become
// accessors before their prototype is frozen, so freezing does not break such code (SES's override taming).
// ("constructor" stays a data property: Node's inspect reads it through descriptors to name objects.)
const OVERRIDABLE = ["toString", "toLocaleString", "valueOf", "name", "message", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toJSON", "then", "catch", "finally", "stack", "code"];
function tame(obj: any): void {
  for (const key of OVERRIDABLE) {
    const d = getOwnPropertyDescriptor(obj, key);
    if (!d || !("value" in d) || !d.configurable) continue;
    const value = d.value;
    defineProperty(obj, key, {
      get() { return value; },
      set(this: any, v: unknown) {
        if (this === obj) throw new TypeError("the grader froze " + String(key));
        defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: d.enumerable,
      configurable: false,
    });
  }
}
const done = new WeakSet<object>();
// Never frozen: the error constructors (Node and TypeScript assign Error.stackTraceLimit), though their
// prototypes are; marking them done also stops walks up a class chain such as MiniTorchError -> Error.
const ERRORS = ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError"];
for (const name of ERRORS) if (G[name]) done.add(G[name]);
/** Freezes obj, its prototype chain, and (depth permitting) the functions and prototypes it holds. */
function harden(obj: any, depth: number): void {
  if ((typeof obj !== "object" && typeof obj !== "function") || obj === null || done.has(obj)) return;
  done.add(obj);
  tame(obj);
  freeze(obj);
  harden(getPrototypeOf(obj), depth);
  if (depth <= 0) return;
  for (const key of ownKeys(obj)) {
    const d = getOwnPropertyDescriptor(obj, key);
    let value: any;
    if (d && "value" in d) value = d.value;
    else if (d && d.get && typeof obj !== "function" && getPrototypeOf(obj) !== null) {
      // A module's re-exports are getters (TypeScript's CommonJS output): follow them.
      try { value = obj[key]; } catch { value = undefined; }
    }
    if (typeof value === "function" || (typeof value === "object" && value !== null)) {
      harden(value, depth - 1);
      if (typeof value === "function" && value.prototype) harden(value.prototype, depth - 1);
    }
  }
}
/** Makes the named properties of obj read-only without freezing obj (the kernel still writes others). */
function pin(obj: any, keys: readonly string[]): void {
  for (const key of keys) {
    const d = getOwnPropertyDescriptor(obj, key);
    if (!d || !d.configurable) continue;
    defineProperty(obj, key, "value" in d ? { value: d.value, writable: false, enumerable: d.enumerable, configurable: false } : { get: d.get, set: d.set, enumerable: d.enumerable, configurable: false });
  }
}

// 1. The JavaScript intrinsics tests compute with.
const intrinsics = ["Object", "Function", "Array", "String", "Number", "Boolean", "Symbol", "BigInt", "Math", "JSON", "Reflect",
  "Promise", "RegExp", "Date", "Map", "Set", "WeakMap", "WeakSet", "ArrayBuffer", "DataView", "Proxy", "Atomics",
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "TextDecoder", "TextEncoder", "Buffer"];
for (const name of intrinsics) {
  const value = G[name];
  if (value === undefined) continue;
  if (value.prototype) harden(value.prototype, 1);
  harden(value, 1);
}
// Errors: freeze the prototypes but not the constructors (Node writes Error.stackTraceLimit).
for (const name of ERRORS) if (G[name]) harden(G[name].prototype, 0);
const protoOf = (x: any) => getPrototypeOf(x);
for (const x of [protoOf(Int8Array), protoOf([][Symbol.iterator]()), protoOf(protoOf([][Symbol.iterator]())), protoOf(""[Symbol.iterator]()),
  protoOf(new Map()[Symbol.iterator]()), protoOf(new Set()[Symbol.iterator]()), protoOf(function* () {}), protoOf(async function () {}),
  protoOf(async function* () {})]) {
  harden(x, 1);
  if (x.prototype) harden(x.prototype, 1);
}

// 2. The modules the tests use: packages (the library and its classes) deeply; Node's builtins (assert)
// shallowly, since their classes reach the stream prototypes the kernel keeps assigning to.
const builtins: string[] = require("module").builtinModules;
function freezeShallow(obj: any, depth: number): void {
  if ((typeof obj !== "object" && typeof obj !== "function") || obj === null || isFrozen(obj)) return;
  freeze(obj);
  if (depth > 0) for (const key of ownKeys(obj)) {
    const d = getOwnPropertyDescriptor(obj, key);
    if (d && "value" in d) freezeShallow(d.value, depth - 1);
  }
}
for (const [name, mod] of modules) {
  if (builtins.includes(name.replace(/^node:/, "").split("/")[0])) freezeShallow(mod, 2);
  else harden(mod, 2);
}

// 3. The kernel's own moving parts: how a cell's code reaches V8 and how replies leave the process.
const tslab = G.__tslab__;
defineProperty(G, "__tslab__", { value: tslab, writable: false, enumerable: false, configurable: false });
freeze(tslab);
pin(require("vm"), ["runInThisContext", "runInContext", "runInNewContext", "Script", "compileFunction"]);
pin(require("crypto"), ["createHmac", "timingSafeEqual"]);
for (const name of ["tslab/dist/jupyter", "tslab/dist/executor", "tslab/dist/converter", "tslab/dist/util", "zeromq"]) {
  try {
    const mod = require(name);
    for (const key of getOwnPropertyNames(mod)) {
      const d = getOwnPropertyDescriptor(mod, key);
      const value = d && ("value" in d ? d.value : undefined);
      if (typeof value === "function" && value.prototype) harden(value.prototype, 0);
    }
    pin(mod, getOwnPropertyNames(mod).filter((k: string) => k !== "lastWriteDisplayData"));
  } catch {
    // not installed beside the kernel: nothing to pin
  }
}
try { pin(require("@tslab/typescript-for-tslab").sys, getOwnPropertyNames(require("@tslab/typescript-for-tslab").sys)); } catch { /* absent */ }
pin(process, ["exit", "reallyExit", "abort", "kill", "binding", "dlopen"]);

// 4. The holder, under a name drawn for this run.
const holder = freeze({
  ns: (name: string) => {
    if (!modules.has(name)) throw new Error("the grader did not load module " + name);
    return modules.get(name);
  },
  def: (name: string) => {
    const mod = modules.get(name);
    return mod && mod.__esModule ? mod.default : mod;
  },
  done: (id: string, token: string) => { writeSync(fd, id + " " + token + "\\n"); },
});
defineProperty(G, ${JSON.stringify(secrets.holder)}, { value: holder, writable: false, enumerable: false, configurable: false });
})();
`;
}
