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
