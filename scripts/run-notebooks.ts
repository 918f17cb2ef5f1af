/**
 * `npm run notebooks`: builds the library, then executes every notebook in notebooks/ through real
 * Jupyter (nbclient, tslab kernel) into build/notebooks/, stopping at the first failure with the
 * notebook, the cell and the error.
 *
 *   npm run notebooks [-- [--timeout SECONDS] [--html] [--out DIR] [--no-build] [NOTEBOOK.ipynb ...]]
 *
 * --timeout: per-cell limit (default $NOTEBOOK_TIMEOUT or 120 s); --html: also export each executed
 * notebook to HTML beside it; --no-build: skip compiling src/ first; NOTEBOOK: run only these (default:
 * every notebooks/*.ipynb).
 */
import { spawnSync } from "child_process";
import { basename, join, relative, resolve } from "path";
import { parseArgs } from "util";
import { KERNEL, NOTEBOOKS, ROOT, buildLibrary, jupyterPython, kernelProblem } from "./lib/jupyter";
import { listNotebooks } from "./lib/notebook";

type Result = { ok: true; cells: number } | { ok: false; cell: number | null; source: string; error: string };

const DRIVER = join(__dirname, "lib", "execute_notebook.py");

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      timeout: { type: "string", default: process.env.NOTEBOOK_TIMEOUT ?? "120" },
      html: { type: "boolean", default: false },
      "no-build": { type: "boolean", default: false },
      out: { type: "string", default: join(ROOT, "build", "notebooks") },
    },
  });
  const timeout = Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new Error(`--timeout must be a whole number of seconds, got ${values.timeout}`);
  }
  const notebooks = positionals.length > 0
    ? positionals.map((p) => resolve(p))
    : listNotebooks(NOTEBOOKS);
  if (notebooks.length === 0) throw new Error(`no notebooks in ${NOTEBOOKS}`);

  const python = jupyterPython();
  const problem = kernelProblem(python);
  if (problem !== null) throw new Error(problem);
  if (!values["no-build"]) buildLibrary();
  for (const notebook of notebooks) {
    const target = join(resolve(values.out), basename(notebook));
    const started = Date.now();
    const result = execute(python, notebook, target, timeout, values.html);
    const name = shortPath(notebook);
    if (!result.ok) {
      const where = result.cell === null ? "" : `, cell ${result.cell} (${JSON.stringify(result.source)})`;
      throw new Error(
        `${name}${where} failed:\n${indent(result.error)}\nThe notebook as executed so far: ${shortPath(target)}`,
      );
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`ok ${name}: ${result.cells} cells in ${seconds} s -> ${shortPath(target)}`);
  }
}

/** Runs the Python driver on one notebook and reads its RESULT line. */
function execute(python: string, notebook: string, target: string, timeout: number, html: boolean): Result {
  const args = [DRIVER, notebook, target, "--kernel", KERNEL, "--timeout", String(timeout)];
  if (html) args.push("--html", target.replace(/\.ipynb$/, ".html"));
  const child = spawnSync(python, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 28 });
  const line = child.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (line === undefined) {
    const error = `the notebook driver exited with ${child.status ?? child.signal} and no result:\n${child.stdout}`;
    return { ok: false, cell: null, source: "", error };
  }
  return JSON.parse(line.slice("RESULT ".length)) as Result;
}

/** A path relative to the repository when inside it, else absolute. */
function shortPath(path: string): string {
  const rel = relative(ROOT, path);
  return rel.startsWith("..") ? path : rel;
}

function indent(text: string): string {
  return text.split("\n").map((l) => `    ${l}`).join("\n");
}

try {
  main();
} catch (error) {
  console.error(`npm run notebooks: ${(error as Error).message}`);
  process.exit(1);
}
