/**
 * State dicts as JSON text: { format, version, tensors: { name: { shape, values } } }, values in row-major
 * order. JSON numbers round-trip float64 exactly; NaN and the infinities, which JSON lacks, are written as
 * the strings "NaN", "Infinity", "-Infinity". save / load put that text in a file, as
 * torch.save(model.state_dict(), path) and model.load_state_dict(torch.load(path)), through the platform
 * (Node's file system; a browser kernel has none, the text functions work there).
 */
import { MiniTorchError, check, describe, fmtShape } from "../errors";
import { platform } from "../platform";
import { shapeSize } from "../data/shape";
import { fromStorage } from "../tensor/create";
import { StateDict, checkStateDict } from "./module";

const FORMAT = "minitorch-ts state dict";
const VERSION = 1;

type JsonNumber = number | "NaN" | "Infinity" | "-Infinity";

const encode = (v: number): JsonNumber =>
  Number.isFinite(v) ? v : Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
const decode = (v: unknown): number =>
  typeof v === "number" ? v : v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : NaN;
const isEncoded = (v: unknown): boolean =>
  typeof v === "number" || v === "NaN" || v === "Infinity" || v === "-Infinity";

/** The JSON text of a state dict (a copy of its values: later training does not change it). */
export function stateDictToJSON(stateDict: StateDict, op = "stateDictToJSON"): string {
  checkStateDict(stateDict, op);
  const tensors = Object.fromEntries(
    Object.entries(stateDict).map(([name, t]) => [name, { shape: [...t.shape], values: t.toFlat().map(encode) }]),
  );
  return `${JSON.stringify({ format: FORMAT, version: VERSION, tensors })}\n`;
}

/** Parses what stateDictToJSON wrote back into fresh tensors; `source` names the text in errors (a path). */
export function stateDictFromJSON(text: string, source = "the text", op = "stateDictFromJSON"): StateDict {
  check(typeof text === "string", op, () => `expected JSON text, got ${describe(text)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    check(false, op, () => `${source} is not JSON (${(e as Error).message})`);
  }
  const doc = parsed as { format?: unknown; version?: unknown; tensors?: unknown };
  check(typeof doc === "object" && doc !== null && doc.format === FORMAT, op, () =>
    `${source} is not a saved state dict (no "format": "${FORMAT}")`);
  check(doc.version === VERSION, op, () =>
    `${source} has version ${describe(doc.version)}; this library reads version ${VERSION}`);
  check(typeof doc.tensors === "object" && doc.tensors !== null, op, () => `${source} has no "tensors" object`);
  const out: StateDict = {};
  for (const [name, entry] of Object.entries(doc.tensors as Record<string, { shape?: unknown; values?: unknown }>)) {
    const { shape, values } = entry ?? {};
    check(Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0), op, () =>
      `entry "${name}" of ${source} has no valid shape, got ${describe(shape)}`);
    check(Array.isArray(values) && values.every(isEncoded) && values.length === shapeSize(shape), op, () =>
      `entry "${name}" of ${source} must hold ${shapeSize(shape)} numbers for shape ${fmtShape(shape)}`);
    out[name] = fromStorage(Float64Array.from(values, decode), shape);
  }
  return out;
}

function checkPath(path: unknown, op: string): asserts path is string {
  check(typeof path === "string" && path.length > 0, op, () => `path must be a file name, got ${describe(path)}`);
}

/** Runs a file operation, reporting a failure (no such file, no permission) as this op's error. */
function fileAccess<T>(op: string, io: () => T): T {
  try {
    return io();
  } catch (e) {
    throw new MiniTorchError(`${op}: ${(e as Error).message}`);
  }
}

/** Writes a state dict (from model.stateDict()) to a JSON file at `path`. */
export function save(stateDict: StateDict, path: string): void {
  checkPath(path, "save");
  const text = stateDictToJSON(stateDict, "save");
  fileAccess("save", () => platform.writeTextFile(path, text));
}

/** Reads a state dict that save() wrote; hand it to model.loadStateDict(). */
export function load(path: string): StateDict {
  checkPath(path, "load");
  return stateDictFromJSON(fileAccess("load", () => platform.readTextFile(path)), path, "load");
}
