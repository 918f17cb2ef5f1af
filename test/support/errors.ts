import { expect } from "vitest";
import { MiniTorchError } from "../../src";

/** Asserts fn throws a MiniTorchError whose message contains every part (op name, shapes, argument). */
export function expectError(fn: () => unknown, ...parts: string[]): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a MiniTorchError mentioning ${parts.join(", ")}`).toBeInstanceOf(MiniTorchError);
  for (const p of parts) expect((caught as Error).message).toContain(p);
}
