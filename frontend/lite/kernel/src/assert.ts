/**
 * The part of Node's `assert` module that notebooks use, for the browser kernel (`import * as assert
 * from "assert"`): the same names, signatures (assertion signatures included, so narrowing works as
 * with @types/node) and pass/fail rules, with shorter failure messages. The browser kernel's type files
 * declare the module from this file's declarations, so the two cannot drift apart.
 */
import { inspect } from "node-inspect-extracted";

/** Thrown by every failed assertion, as Node's is. */
export class AssertionError extends Error {
  readonly actual: unknown;
  readonly expected: unknown;
  readonly operator: string;
  readonly code: string = "ERR_ASSERTION";

  constructor(options: { message: string; actual?: unknown; expected?: unknown; operator: string }) {
    super(options.message);
    this.name = "AssertionError";
    this.actual = options.actual;
    this.expected = options.expected;
    this.operator = options.operator;
  }
}

/** A validator for `throws` / `rejects`: a class, a RegExp on the error's text, a predicate, or an object of
 * expected properties. */
export type AssertPredicate = RegExp | (new (...args: never[]) => object) | ((thrown: unknown) => boolean) | object;

function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: 100 });
}

function fail_(
  message: string | Error | undefined,
  fallback: () => string,
  details: { actual?: unknown; expected?: unknown; operator: string },
): never {
  if (message instanceof Error) throw message;
  throw new AssertionError({ message: message ?? fallback(), ...details });
}

/** Throws an AssertionError with `message`. */
export function fail(message: string | Error = "Failed"): never {
  return fail_(message, () => "Failed", { operator: "fail" });
}

/** Passes when `value` is truthy. */
export function ok(value: unknown, message?: string | Error): asserts value {
  if (!value)
    fail_(message, () => `The expression evaluated to a falsy value: ${show(value)}`, {
      actual: value,
      expected: true,
      operator: "==",
    });
}

/** Passes when `actual == expected` (loose, as Node's legacy mode; NaN equals NaN). */
export function equal(actual: unknown, expected: unknown, message?: string | Error): void {
  // eslint-disable-next-line eqeqeq
  if (!(actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))))
    fail_(message, () => `${show(actual)} == ${show(expected)}`, { actual, expected, operator: "==" });
}

/** Passes when `actual != expected`. */
export function notEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected)))
    fail_(message, () => `${show(actual)} != ${show(expected)}`, { actual, expected, operator: "!=" });
}

/** Passes when `Object.is(actual, expected)`. */
export function strictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T {
  if (!Object.is(actual, expected))
    fail_(message, () => `Expected values to be strictly equal:\n\n${show(actual)} !== ${show(expected)}\n`, {
      actual,
      expected,
      operator: "strictEqual",
    });
}

/** Passes when `!Object.is(actual, expected)`. */
export function notStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (Object.is(actual, expected))
    fail_(message, () => `Expected "actual" to be strictly unequal to: ${show(expected)}`, {
      actual,
      expected,
      operator: "notStrictEqual",
    });
}

/** Node's strict deep equality: same prototypes, same own enumerable keys, primitives by Object.is. */
function deepEqual(a: unknown, b: unknown, seen: Map<object, object>): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof RegExp) return String(a) === String(b) && a.lastIndex === (b as RegExp).lastIndex;
  if (a instanceof Error && (a.message !== (b as Error).message || a.name !== (b as Error).name)) return false;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    if (a.size !== m.size) return false;
    for (const [k, v] of a) if (!m.has(k) || !deepEqual(v, m.get(k), seen)) return false;
  }
  if (a instanceof Set) {
    const s = b as Set<unknown>;
    if (a.size !== s.size) return false;
    for (const v of a) if (!s.has(v) && ![...s].some((w) => deepEqual(v, w, new Map(seen)))) return false;
  }
  if (Array.isArray(a) && a.length !== (b as unknown[]).length) return false;
  const keys = (o: object) => [
    ...Object.keys(o),
    ...Object.getOwnPropertySymbols(o).filter((s) => Object.prototype.propertyIsEnumerable.call(o, s)),
  ];
  const ka = ArrayBuffer.isView(a) ? [] : keys(a);
  const kb = ArrayBuffer.isView(b) ? [] : keys(b);
  if (ka.length !== kb.length) return false;
  const record = (o: object) => o as Record<string | symbol, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(record(a)[k], record(b)[k], seen));
}

/** Passes when `actual` and `expected` are deeply and strictly equal (as Node's deepStrictEqual). */
export function deepStrictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T {
  if (!deepEqual(actual, expected, new Map()))
    fail_(
      message,
      () => `Expected values to be strictly deep-equal:\nactual:   ${show(actual)}\nexpected: ${show(expected)}`,
      {
        actual,
        expected,
        operator: "deepStrictEqual",
      },
    );
}

/** Passes when `actual` and `expected` are not deeply and strictly equal. */
export function notDeepStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (deepEqual(actual, expected, new Map()))
    fail_(message, () => `Expected "actual" not to be strictly deep-equal to: ${show(expected)}`, {
      actual,
      expected,
      operator: "notDeepStrictEqual",
    });
}

/** Passes when `pattern` matches `value`. */
export function match(value: string, pattern: RegExp, message?: string | Error): void {
  if (typeof value !== "string" || !pattern.test(value))
    fail_(message, () => `The input did not match the regular expression ${String(pattern)}. Input: ${show(value)}`, {
      actual: value,
      expected: pattern,
      operator: "match",
    });
}

/** Node's rules for what a thrown value must satisfy. */
function validate(
  thrown: unknown,
  expected: AssertPredicate,
  message: string | Error | undefined,
  operator: string,
): void {
  const mismatch = (why: string) => fail_(message, () => why, { actual: thrown, expected, operator });
  if (expected instanceof RegExp) {
    if (!expected.test(String(thrown)))
      mismatch(`The error did not match the regular expression ${String(expected)}. Error: ${String(thrown)}`);
  } else if (typeof expected === "function") {
    const fn = expected as ((t: unknown) => boolean) & { prototype?: unknown };
    if (fn.prototype !== undefined && thrown instanceof fn) return;
    if (Error.isPrototypeOf(fn) || (fn as unknown) === Error)
      mismatch(`The error is expected to be an instance of "${fn.name}". Received: ${show(thrown)}`);
    else if (fn.call({}, thrown) !== true)
      mismatch(`The validation function did not return true. Error: ${show(thrown)}`);
  } else {
    for (const [key, want] of Object.entries(expected)) {
      const got = (thrown as Record<string, unknown> | null)?.[key];
      const matches =
        want instanceof RegExp && typeof got === "string" ? want.test(got) : deepEqual(got, want, new Map());
      if (!matches) mismatch(`The error's "${key}" is ${show(got)}, expected ${show(want)}`);
    }
  }
}

type Thrown = { threw: true; value: unknown } | { threw: false };

function split(errorOrMessage: AssertPredicate | string | Error | undefined, message: string | Error | undefined) {
  return typeof errorOrMessage === "string"
    ? { expected: undefined, message: errorOrMessage }
    : { expected: errorOrMessage, message };
}

/** Passes when `fn` throws (and the error satisfies `expected`, when given). */
export function throws(fn: () => unknown, message?: string | Error): void;
export function throws(fn: () => unknown, expected: AssertPredicate, message?: string | Error): void;
export function throws(
  fn: () => unknown,
  errorOrMessage?: AssertPredicate | string | Error,
  maybeMessage?: string | Error,
): void {
  const { expected, message } = split(errorOrMessage, maybeMessage);
  let result: Thrown = { threw: false };
  try {
    fn();
  } catch (value) {
    result = { threw: true, value };
  }
  if (!result.threw) fail_(message, () => "Missing expected exception.", { expected, operator: "throws" });
  if (expected !== undefined) validate(result.value, expected, message, "throws");
}

/** Passes when `fn` does not throw. */
export function doesNotThrow(fn: () => unknown, message?: string | Error): void {
  try {
    fn();
  } catch (value) {
    fail_(
      message,
      () => `Got unwanted exception.\nActual message: "${value instanceof Error ? value.message : String(value)}"`,
      { actual: value, operator: "doesNotThrow" },
    );
  }
}

/** Resolves when `promise` (or the promise `fn` returns) rejects (and satisfies `expected`, when given). */
export async function rejects(
  promise: Promise<unknown> | (() => Promise<unknown>),
  message?: string | Error,
): Promise<void>;
export async function rejects(
  promise: Promise<unknown> | (() => Promise<unknown>),
  expected: AssertPredicate,
  message?: string | Error,
): Promise<void>;
export async function rejects(
  promise: Promise<unknown> | (() => Promise<unknown>),
  errorOrMessage?: AssertPredicate | string | Error,
  maybeMessage?: string | Error,
): Promise<void> {
  const { expected, message } = split(errorOrMessage, maybeMessage);
  let result: Thrown = { threw: false };
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (value) {
    result = { threw: true, value };
  }
  if (!result.threw) fail_(message, () => "Missing expected rejection.", { expected, operator: "rejects" });
  if (expected !== undefined) validate(result.value, expected, message, "rejects");
}

/** `import assert from "assert"`: `assert(value)` is `ok(value)`, and every function above is a member. */
export type Assert = typeof ok & {
  AssertionError: typeof AssertionError;
  ok: typeof ok;
  fail: typeof fail;
  equal: typeof equal;
  notEqual: typeof notEqual;
  strictEqual: typeof strictEqual;
  notStrictEqual: typeof notStrictEqual;
  deepStrictEqual: typeof deepStrictEqual;
  notDeepStrictEqual: typeof notDeepStrictEqual;
  match: typeof match;
  throws: typeof throws;
  doesNotThrow: typeof doesNotThrow;
  rejects: typeof rejects;
};

const assert: Assert = Object.assign(((value: unknown, message?: string | Error) => ok(value, message)) as typeof ok, {
  AssertionError,
  ok,
  fail,
  equal,
  notEqual,
  strictEqual,
  notStrictEqual,
  deepStrictEqual,
  notDeepStrictEqual,
  match,
  throws,
  doesNotThrow,
  rejects,
});
export default assert;
