/**
 * Homework on Gradescope: the autograder package (`npm run autograder`) and what its `run_autograder` does with
 * an upload. Gradescope unpacks the zip into /autograder/source, runs setup.sh once to build its image, then
 * `run_autograder` for each submission, which must leave /autograder/results/results.json
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/).
 *
 * The package: setup.sh and run_autograder at its top (executable; scripts/autograder/), the instructor's
 * notebook beside them (setup.sh makes it root's alone), and under project/ what builds and runs the grader:
 * the sources, the lockfile and the build configuration, no node_modules.
 */
import { readFileSync, readdirSync, statSync } from "fs";
import { basename, join, relative } from "path";
import { zipSync, type Zippable } from "fflate";
import { ROOT } from "../paths";

/** The project's entries the package carries (the library's sources, the wasm kernels, the tooling). */
const PROJECT = [
  "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "src", "assembly", "scripts",
];
const SKIP = new Set(["node_modules", "dist", "build", ".ipynb_checkpoints"]);
/** Gradescope's two scripts, kept as files so they read (and lint) as the shell scripts they are. */
const SCRIPTS = join(ROOT, "scripts", "autograder");

/** Unix file attributes for a zip entry (fflate: mode << 16, with os = 3, Unix). */
const unix = (mode: number) => ({ os: 3, attrs: (0o100000 | mode) << 16 });

/** The files of the package, path -> content and mode. */
export function packageFiles(instructor: string): Map<string, { data: Uint8Array; mode: number }> {
  const files = new Map<string, { data: Uint8Array; mode: number }>();
  const add = (path: string, file: string, mode = 0o644) => files.set(path, { data: readFileSync(file), mode });
  add("setup.sh", join(SCRIPTS, "setup.sh"), 0o755);
  add("run_autograder", join(SCRIPTS, "run_autograder"), 0o755);
  add(basename(instructor), instructor, 0o600);
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (!SKIP.has(entry) && !entry.startsWith(".")) walk(join(path, entry));
      }
    } else {
      add(join("project", relative(ROOT, path)), path, statSync(path).mode & 0o111 ? 0o755 : 0o644);
    }
  };
  for (const entry of PROJECT) walk(join(ROOT, entry));
  return files;
}

/** The package as a zip, files at its root as Gradescope wants them. */
export function autograderZip(instructor: string): Uint8Array {
  const entries: Zippable = {};
  for (const [path, { data, mode }] of packageFiles(instructor)) entries[path] = [data, unix(mode)];
  return zipSync(entries, { level: 9, mtime: new Date("2020-01-01T00:00:00Z") });
}

/** What a Gradescope upload holds: the one notebook to grade, or why there is none to grade. */
export type Upload = { notebook: string } | { problem: string };

/** The notebook in a submission folder: exactly one .ipynb (any name, any sub-folder; editors' checkpoint
 * copies and macOS's zip debris do not count). None, or several, is a problem that says what to upload. */
export function pickNotebook(folder: string, expected: string): Upload {
  const notebooks: string[] = [];
  const others: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith(".") || entry.name === "__MACOSX" || entry.name === ".ipynb_checkpoints") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else (/\.ipynb$/i.test(entry.name) ? notebooks : others).push(relative(folder, path));
    }
  };
  walk(folder);
  if (notebooks.length === 1) return { notebook: join(folder, notebooks[0]) };
  const upload = `upload your homework notebook (${expected}) as a single .ipynb file`;
  if (notebooks.length === 0) {
    const found = others.length > 0 ? ` (found ${others.join(", ")})` : " (it is empty)";
    return { problem: `no notebook in your submission${found}: ${upload}` };
  }
  const found = notebooks.join(", ");
  return { problem: `${notebooks.length} notebooks in your submission (${found}): ${upload}, and nothing else` };
}
