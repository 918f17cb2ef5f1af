/**
 * What the notebook scripts share: where the project is, which Python has Jupyter, the tslab kernel's
 * registration, and running a command with its output shown.
 */
import { spawnSync } from "child_process";
import { existsSync } from "fs";
import { join } from "path";
import { ROOT, TSLAB } from "./paths";

// The paths live in paths.ts; these two are forwarded for the scripts that import them from here.
export { NOTEBOOKS, ROOT } from "./paths";

/** The kernel the notebooks run on. */
export const KERNEL = "tslab";

/** Runs a command with inherited output; throws naming the command when it fails. */
export function run(command: string, args: readonly string[], options: { cwd?: string } = {}): void {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: options.cwd ?? ROOT });
  const line = `${command} ${args.join(" ")}`;
  if (result.error) throw new Error(`${line}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${line} exited with ${result.status ?? result.signal}`);
}

/** True when `python` can import every module named. */
function canImport(python: string, modules: readonly string[]): boolean {
  return spawnSync(python, ["-c", `import ${modules.join(", ")}`], { stdio: "ignore" }).status === 0;
}

/** The Python that has Jupyter: $JUPYTER_PYTHON, else /usr/bin/python3 (Debian's Jupyter), else python3. */
export function jupyterPython(): string {
  const candidates = process.env.JUPYTER_PYTHON ? [process.env.JUPYTER_PYTHON] : ["/usr/bin/python3", "python3"];
  const found = candidates.find((python) => canImport(python, ["jupyter_client", "nbclient", "nbformat"]));
  if (found === undefined) {
    throw new Error(
      `no Python with Jupyter (jupyter_client, nbclient, nbformat) among ${candidates.join(", ")}: install it ` +
        "(Debian: apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient) or set JUPYTER_PYTHON",
    );
  }
  return found;
}

/** True when `python` has JupyterLab. */
export function hasJupyterLab(python: string): boolean {
  return canImport(python, ["jupyterlab"]);
}

interface KernelSpec {
  resource_dir: string;
  spec: { argv: string[] };
}

/** The registered tslab kernel spec, or null when Jupyter knows no tslab kernel. */
export function registeredKernel(python: string): KernelSpec | null {
  const code =
    "import json; from jupyter_client.kernelspec import KernelSpecManager as M; print(json.dumps(M().get_all_specs()))";
  const result = spawnSync(python, ["-c", code], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`listing Jupyter's kernel specs failed: ${result.stderr}`);
  const specs = JSON.parse(result.stdout) as Record<string, KernelSpec>;
  return specs[KERNEL] ?? null;
}

/** Why the registered kernel cannot start, or null when it can (its launcher exists). */
export function kernelProblem(python: string): string | null {
  const spec = registeredKernel(python);
  if (spec === null) return `Jupyter has no "${KERNEL}" kernel: run \`npm run kernel\``;
  const launcher = spec.spec.argv[0];
  if (!existsSync(launcher)) {
    return `the "${KERNEL}" kernel in ${spec.resource_dir} runs ${launcher}, which does not exist: ` +
      "run `npm run kernel`";
  }
  return null;
}

/** Registers the project's tslab as Jupyter's "tslab" kernel for this user (also "jslab", tslab's JS kernel). */
export function registerKernel(python: string): KernelSpec {
  if (!existsSync(TSLAB)) throw new Error(`${TSLAB} is missing: run \`npm install\` first`);
  run(TSLAB, ["install", `--python=${python}`, `--binary=${TSLAB}`, "--user"]);
  const spec = registeredKernel(python);
  if (spec === null || spec.spec.argv[0] !== TSLAB) {
    const runs = spec?.spec.argv[0] ?? "nothing";
    throw new Error(
      `registered the kernel, but Jupyter's "${KERNEL}" kernel still runs ${runs} (another spec shadows the user one?)`,
    );
  }
  return spec;
}

/** Compiles src/ to dist/, the package the notebooks import as "minitorch-ts". */
export function buildLibrary(): void {
  run(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"]);
}
