/**
 * `npm run lab`: builds the library, makes sure the tslab kernel is registered, and opens JupyterLab
 * (or the classic Notebook when JupyterLab is not installed) on notebooks/. Extra arguments go to
 * Jupyter, e.g. `npm run lab -- --no-browser --port 8890`.
 */
import { spawn } from "child_process";
import { NOTEBOOKS, buildLibrary, hasJupyterLab, jupyterPython, kernelProblem, registerKernel } from "./lib/jupyter";

try {
  const python = jupyterPython();
  buildLibrary();
  if (kernelProblem(python) !== null) registerKernel(python);
  const app = hasJupyterLab(python) ? "lab" : "notebook";
  // Jupyter refuses to start as root unless told; containers and this project's machines run as root.
  const root = process.getuid?.() === 0 ? ["--allow-root"] : [];
  console.log(`Starting jupyter ${app} in ${NOTEBOOKS}`);
  const child = spawn(python, ["-m", "jupyter", app, ...root, ...process.argv.slice(2)], { stdio: "inherit", cwd: NOTEBOOKS });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} catch (error) {
  console.error(`npm run lab: ${(error as Error).message}`);
  process.exit(1);
}
