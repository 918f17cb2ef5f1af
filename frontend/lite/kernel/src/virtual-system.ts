/**
 * A TypeScript `System` over files held in memory, so tslab's converter (which reads the standard
 * library's .d.ts files, the packages' types and its own virtual cell files through `ts.sys`) runs in a
 * Web Worker, where there is no file system. Nothing is ever written or watched: the converter drives
 * its watch program by hand.
 */
import type * as ts from "@tslab/typescript-for-tslab";

/** Where the compiler believes it lives: the default lib files are looked up beside it. */
export const COMPILER_DIR = "/typescript/lib";
/** The notebook's folder: rootDir of every cell, and where node_modules lookups start. */
export const NOTEBOOK_DIR = "/notebook";

function parents(file: string): string[] {
  const dirs: string[] = [];
  for (let i = file.lastIndexOf("/"); i > 0; i = file.lastIndexOf("/", i - 1)) dirs.push(file.slice(0, i));
  return [...dirs, "/"];
}

/** A read-only System whose files are `files` (absolute paths to contents). */
export function virtualSystem(files: ReadonlyMap<string, string>): ts.System {
  const dirs = new Set<string>([NOTEBOOK_DIR, "/"]);
  for (const file of files.keys()) for (const dir of parents(file)) dirs.add(dir);
  const children = (dir: string, set: Iterable<string>): string[] => {
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    const names = new Set<string>();
    for (const path of set)
      if (path.startsWith(prefix) && path.length > prefix.length) names.add(path.slice(prefix.length).split("/")[0]);
    return [...names];
  };
  const ignore = { close: () => undefined };
  return {
    args: [],
    newLine: "\n",
    useCaseSensitiveFileNames: true,
    write: () => undefined,
    readFile: (path) => files.get(path),
    writeFile: (path) => {
      throw new Error(`cannot write ${path}: the kernel's file system is read-only`);
    },
    watchFile: () => ignore,
    watchDirectory: () => ignore,
    resolvePath: (path) => path,
    fileExists: (path) => files.has(path),
    directoryExists: (path) => dirs.has(path.replace(/\/$/, "") || "/"),
    createDirectory: () => undefined,
    getExecutingFilePath: () => `${COMPILER_DIR}/typescript.js`,
    getCurrentDirectory: () => NOTEBOOK_DIR,
    getDirectories: (path) => children(path, dirs).filter((name) => dirs.has(`${path.replace(/\/$/, "")}/${name}`)),
    readDirectory: (path, extensions) =>
      [...files.keys()].filter(
        (file) => file.startsWith(`${path.replace(/\/$/, "")}/`) && (extensions ?? [""]).some((e) => file.endsWith(e)),
      ),
    getModifiedTime: () => new Date(0),
    realpath: (path) => path,
    exit: (code) => {
      throw new Error(`the compiler asked to exit (${code})`);
    },
  };
}
