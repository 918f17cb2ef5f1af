/** The one error class of the library: every bad argument is reported as a MiniTorchError whose message
 * names the op, what it expected and what it got, so a student can fix the call without reading our code. */
export class MiniTorchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MiniTorchError";
  }
}

/** Formats a shape the way our messages print it: [2,3,8,8]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** Throws a MiniTorchError prefixed with the op's name unless `ok` holds. */
export function check(ok: boolean, op: string, message: () => string): asserts ok {
  if (!ok) throw new MiniTorchError(`${op}: ${message()}`);
}

/** Names a value for an error message the way a student would recognise it: `an array [1, 2]`,
 * `a string "3"`, `undefined`, `NaN`. Notebooks are not type-checked strictly, so messages must say what came. */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) {
    const items = value.slice(0, 6).map((v) => (Array.isArray(v) ? "[...]" : String(v)));
    return `an array [${items.join(", ")}${value.length > 6 ? ", ..." : ""}]`;
  }
  switch (typeof value) {
    case "string":
      return `a string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
    case "number":
      return Number.isNaN(value) ? "NaN" : `the number ${value}`;
    case "boolean":
      return `the boolean ${value}`;
    case "function":
      return `a function${value.name ? ` ${value.name}` : ""}`;
    case "object": {
      const name = (value as object).constructor?.name;
      return name && name !== "Object" ? `a ${name}` : "an object";
    }
    default:
      return `a ${typeof value}`;
  }
}

/** Checks that `value` is an integer (a dim, a size, a count) at least `min`. */
export function checkInteger(value: unknown, op: string, arg: string, min = -Infinity): asserts value is number {
  check(typeof value === "number" && Number.isInteger(value) && value >= min, op, () =>
    `${arg} must be an integer${min > -Infinity ? ` >= ${min}` : ""}, got ${describe(value)}`);
}

/** Checks that `value` is a finite number (a learning rate, a probability, a fill value). */
export function checkNumber(value: unknown, op: string, arg: string): asserts value is number {
  check(typeof value === "number" && Number.isFinite(value), op, () =>
    `${arg} must be a finite number, got ${describe(value)}`);
}

/** Checks an options object: a plain object (or undefined) whose keys are all among `known`, so a misspelt
 * option (`{ stide: 2 }`) is an error instead of being silently ignored. */
export function checkOptions(options: unknown, op: string, known: readonly string[]): void {
  if (options === undefined) return;
  check(typeof options === "object" && options !== null && !Array.isArray(options), op, () =>
    `options must be an object like { ${known.join(", ")} }, got ${describe(options)}`);
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  check(unknown.length === 0, op, () =>
    `unknown option${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (known: ${known.join(", ") || "none"})`);
}
