/**
 * `npm run lab`: builds the library, makes sure the tslab kernel is registered, and opens Jupyter on
 * notebooks/ with tslab as the default kernel: a JupyterLab installed with pip when there is one, else
 * the project's JupyterLab 4.6 (frontend/lab, built first if needed), else the classic Notebook. Extra
 * arguments go to Jupyter, e.g. `npm run lab -- --no-browser --port 8890`. Ctrl-C stops the server and
 * its kernels.
 */
import { spawn } from "child_process";
import { NOTEBOOKS, buildLibrary, jupyterPython, kernelProblem, registerKernel } from "./lib/jupyter";
import { buildLab, chooseFrontEnd, serverArgs } from "./lib/lab";

try {
  const python = jupyterPython();
  buildLibrary();
  if (kernelProblem(python) !== null) registerKernel(python);
  const { frontEnd, why } = chooseFrontEnd(python);
  if (frontEnd === "lab") buildLab();
  console.log(`${why}\nServing ${NOTEBOOKS}; Ctrl-C stops Jupyter and its kernels.`);
  // Jupyter runs in its own process group, so Ctrl-C reaches this script only, which asks Jupyter to stop
  // (SIGTERM: it shuts its kernels down, with no "Shutdown this server?" prompt); once more after 3 s forces it.
  const child = spawn(python, serverArgs(frontEnd, process.argv.slice(2)), {
    cwd: NOTEBOOKS,
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
  });
  let stopping = 0;
  const stop = (): void => {
    if (stopping === 0) {
      stopping = Date.now();
      child.kill("SIGTERM");
    } else if (Date.now() - stopping > 3000 && child.pid !== undefined) {
      process.kill(-child.pid, "SIGKILL");
    }
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} catch (error) {
  console.error(`npm run lab: ${(error as Error).message}`);
  process.exit(1);
}
