/**
 * Reading .ipynb files (typed with @jupyterlab/nbformat): the notebook runner and the notebook tests
 * list and read notebooks the same way.
 */
import type { ICell, INotebookContent, MultilineString } from "@jupyterlab/nbformat";
import { readFileSync, readdirSync } from "fs";
import { join } from "path";

/** The .ipynb files of a folder, in name order (the lecture order). */
export function listNotebooks(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(dir, f));
}

/** A notebook's JSON. */
export function readNotebook(path: string): INotebookContent {
  return JSON.parse(readFileSync(path, "utf8")) as INotebookContent;
}

/** Text that nbformat may store as a list of lines (sources, text outputs), as one string. */
export function joinLines(text: MultilineString): string {
  return Array.isArray(text) ? text.join("") : text;
}

/** A cell's source as one string. */
export function cellSource(cell: ICell): string {
  return joinLines(cell.source);
}
