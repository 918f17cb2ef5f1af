/**
 * save / load: a state dict to and from a JSON file, as torch.save(model.state_dict(), path) and
 * model.load_state_dict(torch.load(path)). The library's one use of Node's file system for models: a
 * browser build swaps this file for one without it (the JSON conversion lives in serialize.ts).
 */
import { readFileSync, writeFileSync } from "fs";
import { MiniTorchError, check, describe } from "../errors";
import { StateDict } from "./module";
import { stateDictFromJSON, stateDictToJSON } from "./serialize";

function checkPath(path: unknown, op: string): asserts path is string {
  check(typeof path === "string" && path.length > 0, op, () => `path must be a file name, got ${describe(path)}`);
}

/** Writes a state dict (from model.stateDict()) to a JSON file at `path`. */
export function save(stateDict: StateDict, path: string): void {
  checkPath(path, "save");
  const text = stateDictToJSON(stateDict, "save");
  fileAccess("save", () => writeFileSync(path, text));
}

/** Reads a state dict that save() wrote; hand it to model.loadStateDict(). */
export function load(path: string): StateDict {
  checkPath(path, "load");
  return stateDictFromJSON(fileAccess("load", () => readFileSync(path, "utf8")), path, "load");
}

/** Runs a file operation, reporting a failure (no such file, no permission) as this op's error. */
function fileAccess<T>(op: string, io: () => T): T {
  try {
    return io();
  } catch (e) {
    throw new MiniTorchError(`${op}: ${(e as Error).message}`);
  }
}
