/**
 * The executed notebooks a handout is rendered from: the copies `npm run notebooks` leaves in
 * build/notebooks are reused when they are up to date with their sources, and the others are executed
 * again through that same runner. "Up to date" is checked on content, not only on clocks (a clean clone
 * gives every file the checkout's time): the executed copy holds exactly the source's cells, every code
 * cell ran without an error, and it was made after the last change to the library's sources (src/), or
 * after the build this run had to make.
 */
import type { ICell, ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { spawnSync } from "child_process";
import { existsSync, readdirSync, statSync } from "fs";
import { basename, join } from "path";
import { ROOT, buildLibrary } from "../jupyter";
import { cellSource, readNotebook } from "../notebook";

/** Where `npm run notebooks` writes the executed notebooks. */
export const EXECUTED = join(ROOT, "build", "notebooks");
/** The library build the notebooks import. */
const DIST_ENTRY = join(ROOT, "dist", "index.js");
const SRC = join(ROOT, "src");
/** Cells whose error is expected (nbclient's convention); their stderr does not make a copy stale. */
const RAISES = "raises-exception";

const isCode = (cell: ICell): cell is ICodeCell => cell.cell_type === "code";

/** Why the executed copy cannot stand for the source, or null when it can. */
export function staleReason(source: string, executed: string, libraryAt: number): string | null {
  if (!existsSync(executed)) return "not executed yet";
  if (statSync(executed).mtimeMs < libraryAt) return "executed before the library last changed";
  let copy: INotebookContent;
  try {
    copy = readNotebook(executed);
  } catch (error) {
    return `unreadable (${(error as Error).message})`;
  }
  const original = readNotebook(source);
  const shape = (nb: INotebookContent): string =>
    JSON.stringify(nb.cells.map((c) => [c.id, c.cell_type, cellSource(c)]));
  if (shape(copy) !== shape(original)) return "its cells differ from the source's";
  for (const [i, cell] of copy.cells.entries()) {
    if (!isCode(cell)) continue;
    if (typeof cell.execution_count !== "number") return `cell ${i} did not run`;
    const tags = (cell.metadata.tags as string[] | undefined) ?? [];
    if (tags.includes(RAISES)) continue;
    const failed = cell.outputs.some((o) =>
      o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"));
    if (failed) return `cell ${i} reported an error`;
  }
  return null;
}

/** Newest modification time of a file under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the library when dist/ is missing or older than src/. Returns the time after which an
 * executed notebook saw the current library: the newest source's, or this build's when one was needed
 * (a rebuild of unchanged sources, as `npm test` makes, keeps executed copies valid). */
export function ensureLibrary(): number {
  const sources = newest(SRC);
  if (existsSync(DIST_ENTRY) && statSync(DIST_ENTRY).mtimeMs >= sources) return sources;
  console.log("building the library (dist/ is missing or older than src/)");
  buildLibrary();
  return statSync(DIST_ENTRY).mtimeMs;
}

/** What ensureExecuted did with each notebook. */
export interface ExecutedNotebooks {
  /** Executed copies, in the order of the sources. */
  paths: string[];
  reused: string[];
  executed: string[];
}

/** Makes sure every source has an up-to-date executed copy in `dir`, running the stale ones through
 * scripts/run-notebooks.ts (stopping at the first failing cell, as `npm run notebooks` does). */
export function ensureExecuted(
  sources: readonly string[],
  dir: string,
  options: { force?: boolean; timeout?: number } = {},
): ExecutedNotebooks {
  const libraryAt = ensureLibrary();
  const paths = sources.map((s) => join(dir, basename(s)));
  const stale: string[] = [];
  const reused: string[] = [];
  sources.forEach((source, i) => {
    const reason = options.force ? "--rerun" : staleReason(source, paths[i], libraryAt);
    if (reason === null) reused.push(source);
    else {
      console.log(`${basename(source)}: executing (${reason})`);
      stale.push(source);
    }
  });
  if (stale.length > 0) {
    const args = ["--transpile-only", join(ROOT, "scripts", "run-notebooks.ts"), "--no-build", "--out", dir];
    if (options.timeout !== undefined) args.push("--timeout", String(options.timeout));
    const tsNode = join(ROOT, "node_modules", ".bin", "ts-node");
    const run = spawnSync(tsNode, [...args, ...stale], { cwd: ROOT, stdio: "inherit" });
    if (run.status !== 0) {
      const status = run.status ?? run.signal;
      throw new Error(`executing the notebooks failed (scripts/run-notebooks.ts exited with ${status})`);
    }
  }
  return { paths, reused, executed: stale };
}
