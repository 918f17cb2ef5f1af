/**
 * The grader's prelude: the first cell of every graded notebook, run in the kernel before any student code.
 * It captures the modules the tests import (`assert`, `minitorch-ts`, ...), freezes them and the JavaScript
 * intrinsics the tests compute with (Object, Array, Math, JSON, Promise, the typed arrays, Tensor.prototype
 * ...), pins the kernel's own moving parts (tslab's globals, vm, zeromq, Buffer), and defines on globalThis,
 * under a name drawn for this run, a frozen holder with those modules and `done(id, token)`, which appends to
 * a file the grader alone reads, through a file descriptor opened here.
 *
 * `graderPrelude` is type-checked with the rest of the grader and sent to the kernel as its compiled text
 * (`preludeCell`), so it must not use anything from outside its own body: no imports, no module-level names.
 */

/** What the prelude needs to know: the holder's name, the token file, the modules the tests use. */
export interface PreludeConfig {
  holder: string;
  tokenFile: string;
  modules: readonly string[];
}

/** The holder the prelude defines and the wrapped tests call (`harness.ts` declares it in each test). */
export interface Holder {
  ns(name: string): unknown;
  def(name: string): unknown;
  done(id: string, token: string): void;
}

/** Anything the prelude freezes or inspects: an object or function seen through its properties. */
type Bag = Record<PropertyKey, unknown>;

/** Runs in the kernel. Self-contained: see the note above. */
export function graderPrelude(config: PreludeConfig): void {
  "use strict";
  const G = globalThis as unknown as Bag;
  const fs = require("fs") as typeof import("fs");
  const fd = fs.openSync(config.tokenFile, "a");
  const writeSync = fs.writeSync;
  const modules = new Map<string, unknown>();
  for (const name of config.modules) modules.set(name, require(name));
  const { freeze, isFrozen, getOwnPropertyDescriptor, defineProperty, getPrototypeOf, getOwnPropertyNames } = Object;
  const ownKeys = Reflect.ownKeys;
  const isObject = (x: unknown): x is Bag => (typeof x === "object" && x !== null) || typeof x === "function";

  // Data properties that ordinary code assigns on instances ("this.name = ...", "obj.toString = ...") become
  // accessors before their prototype is frozen, so freezing does not break such code (SES's override taming).
  // ("constructor" stays a data property: Node's inspect reads it through descriptors to name objects.)
  const OVERRIDABLE = ["toString", "toLocaleString", "valueOf", "name", "message", "hasOwnProperty", "isPrototypeOf",
    "propertyIsEnumerable", "toJSON", "then", "catch", "finally", "stack", "code"];
  function tame(obj: Bag): void {
    for (const key of OVERRIDABLE) {
      const d = getOwnPropertyDescriptor(obj, key);
      if (!d || !("value" in d) || !d.configurable) continue;
      const value: unknown = d.value;
      defineProperty(obj, key, {
        get() { return value; },
        set(this: object, v: unknown) {
          if (this === obj) throw new TypeError("the grader froze " + String(key));
          defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
        },
        enumerable: d.enumerable,
        configurable: false,
      });
    }
  }
  const hardened = new WeakSet<object>();
  // Never frozen: the error constructors (Node and TypeScript assign Error.stackTraceLimit), though their
  // prototypes are; marking them hardened also stops walks up a class chain such as MiniTorchError -> Error.
  const ERRORS = ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError",
    "AggregateError"];
  for (const name of ERRORS) if (isObject(G[name])) hardened.add(G[name] as Bag);
  /** Freezes obj, its prototype chain, and (depth permitting) the functions and prototypes it holds. */
  function harden(obj: unknown, depth: number): void {
    if (!isObject(obj) || hardened.has(obj)) return;
    hardened.add(obj);
    tame(obj);
    freeze(obj);
    harden(getPrototypeOf(obj), depth);
    if (depth <= 0) return;
    for (const key of ownKeys(obj)) {
      const d = getOwnPropertyDescriptor(obj, key);
      let value: unknown;
      if (d && "value" in d) value = d.value;
      else if (d && d.get && typeof obj !== "function" && getPrototypeOf(obj) !== null) {
        // A module's re-exports are getters (TypeScript's CommonJS output): follow them.
        try { value = obj[key]; } catch { value = undefined; }
      }
      if (isObject(value)) {
        harden(value, depth - 1);
        if (typeof value === "function") harden((value as Bag).prototype, depth - 1);
      }
    }
  }
  /** Makes the named properties of obj read-only without freezing obj (the kernel still writes others). */
  function pin(obj: object, keys: readonly string[]): void {
    for (const key of keys) {
      const d = getOwnPropertyDescriptor(obj, key);
      if (!d || !d.configurable) continue;
      defineProperty(obj, key, "value" in d
        ? { value: d.value, writable: false, enumerable: d.enumerable, configurable: false }
        : { get: d.get, set: d.set, enumerable: d.enumerable, configurable: false });
    }
  }

  // 1. The JavaScript intrinsics tests compute with.
  const intrinsics = ["Object", "Function", "Array", "String", "Number", "Boolean", "Symbol", "BigInt", "Math", "JSON",
    "Reflect", "Promise", "RegExp", "Date", "Map", "Set", "WeakMap", "WeakSet", "ArrayBuffer", "DataView", "Proxy",
    "Atomics",
    "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
    "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "TextDecoder", "TextEncoder", "Buffer"];
  for (const name of intrinsics) {
    const value = G[name];
    if (!isObject(value)) continue;
    if (isObject(value.prototype)) harden(value.prototype, 1);
    harden(value, 1);
  }
  // Errors: freeze the prototypes but not the constructors (Node writes Error.stackTraceLimit).
  for (const name of ERRORS) if (isObject(G[name])) harden((G[name] as Bag).prototype, 0);
  const protoOf = (x: object): Bag => getPrototypeOf(x) as Bag;
  for (const x of [protoOf(Int8Array), protoOf([][Symbol.iterator]()), protoOf(protoOf([][Symbol.iterator]())),
    protoOf(""[Symbol.iterator]()), protoOf(new Map()[Symbol.iterator]()), protoOf(new Set()[Symbol.iterator]()),
    protoOf(function* () { /* a generator's prototype */ }), protoOf(async function () { /* an async function's */ }),
    protoOf(async function* () { /* an async generator's */ })]) {
    harden(x, 1);
    if (isObject(x.prototype)) harden(x.prototype, 1);
  }

  // 2. The modules the tests use: packages (the library and its classes) deeply; Node's builtins (assert)
  // shallowly, since their classes reach the stream prototypes the kernel keeps assigning to.
  const builtins = (require("module") as typeof import("module")).builtinModules;
  function freezeShallow(obj: unknown, depth: number): void {
    if (!isObject(obj) || isFrozen(obj)) return;
    freeze(obj);
    if (depth > 0) {
      for (const key of ownKeys(obj)) {
        const d = getOwnPropertyDescriptor(obj, key);
        if (d && "value" in d) freezeShallow(d.value, depth - 1);
      }
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
  pin(require("vm") as object, ["runInThisContext", "runInContext", "runInNewContext", "Script", "compileFunction"]);
  pin(require("crypto") as object, ["createHmac", "timingSafeEqual"]);
  const kernelModules = ["tslab/dist/jupyter", "tslab/dist/executor", "tslab/dist/converter", "tslab/dist/util",
    "zeromq"];
  for (const name of kernelModules) {
    try {
      const mod = require(name) as Bag;
      for (const key of getOwnPropertyNames(mod)) {
        const d = getOwnPropertyDescriptor(mod, key);
        const value: unknown = d && ("value" in d ? d.value : undefined);
        if (typeof value === "function" && isObject(value.prototype)) harden(value.prototype, 0);
      }
      pin(mod, getOwnPropertyNames(mod).filter((k) => k !== "lastWriteDisplayData"));
    } catch {
      // not installed beside the kernel: nothing to pin
    }
  }
  try {
    const sys = (require("@tslab/typescript-for-tslab") as { sys: object }).sys;
    pin(sys, getOwnPropertyNames(sys));
  } catch {
    // absent
  }
  pin(process, ["exit", "reallyExit", "abort", "kill", "binding", "dlopen"]);

  // 4. The holder, under a name drawn for this run.
  const holder: Holder = freeze({
    ns: (name: string): unknown => {
      if (!modules.has(name)) throw new Error("the grader did not load module " + name);
      return modules.get(name);
    },
    def: (name: string): unknown => {
      const mod = modules.get(name);
      return isObject(mod) && mod.__esModule ? mod.default : mod;
    },
    done: (id: string, token: string): void => {
      writeSync(fd, id + " " + token + "\n");
    },
  });
  defineProperty(G, config.holder, { value: holder, writable: false, enumerable: false, configurable: false });
}

/** The prelude as the text of a notebook cell: the compiled function, called with this run's configuration.
 * tslab type-checks cells; the compiled JavaScript carries no types, so the cell opts out (`@ts-nocheck`). */
export function preludeCell(config: PreludeConfig): string {
  return [
    "// @ts-nocheck",
    "// Grader prelude (added by the grader, scripts/lib/homework/prelude.ts; not part of the homework).",
    `(${graderPrelude.toString()})(${JSON.stringify(config)});`,
  ].join("\n");
}
