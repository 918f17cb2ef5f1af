/**
 * The Jupyter front ends `npm run lab` can start, their servers' command lines, and the project's own
 * JupyterLab build (frontend/lab): installed and rebuilt only when its inputs change.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "fs";
import { dirname, join, relative } from "path";
import { KERNEL, ROOT, hasJupyterLab, run } from "./jupyter";

/** The front-end apps and what they share (frontend/app-build.js, frontend/plotly-renderer). */
export const FRONTEND = join(ROOT, "frontend");
/** The project's JupyterLab app: package.json, lockfile, rspack config, server. */
export const LAB_APP = join(FRONTEND, "lab");
/** What `npm run lab:build` writes: the bundle, schemas, themes. */
export const LAB_BUILD = join(LAB_APP, "build");
/** The LabServerApp that serves LAB_BUILD on Debian's jupyter-server. */
export const LAB_SERVER = join(LAB_APP, "minitorch_lab.py");

/** The installed plotly.js-dist-min package's folder: the servers `npm run lab` starts add it to their static
 * paths, so that a page without plotly.js loads it from them (PLOTLY_STATIC_PATH in src/plot/plotly-source.ts). */
export function plotlyStaticDir(): string {
  return dirname(require.resolve("plotly.js-dist-min/package.json", { paths: [ROOT] }));
}

/** Which front end serves the notebooks: a JupyterLab installed with pip, the project's JupyterLab build,
 * or the classic Notebook 6 (when jupyter-server or jupyterlab-server is missing). */
export type FrontEnd = "pip-jupyterlab" | "lab" | "notebook";

/** The front end `npm run lab` starts, and a sentence saying why, for the user. */
export function chooseFrontEnd(python: string): { frontEnd: FrontEnd; why: string } {
  if (hasJupyterLab(python)) {
    const why = `Starting the JupyterLab installed in ${python} (it wins over the project's build in frontend/lab).`;
    return { frontEnd: "pip-jupyterlab", why };
  }
  if (spawnSync(python, ["-c", "import jupyter_server, jupyterlab_server"], { stdio: "ignore" }).status === 0) {
    const why =
      "No pip-installed JupyterLab: starting the project's JupyterLab 4.6 (frontend/lab) on Debian's jupyter-server.";
    return { frontEnd: "lab", why };
  }
  return {
    frontEnd: "notebook",
    why:
      "Neither JupyterLab nor jupyter-server + jupyterlab-server is installed (scripts/install-system.sh installs " +
      "them): starting the classic Notebook.",
  };
}

/** The arguments, after the Python executable, that start a front end's server on the current folder with
 * the project's settings: tslab as the default kernel, plotly.js served as a static file (for figures in
 * pages that lack it, see src/plot/page-draw.ts), --allow-root when running as root. `extra` comes last,
 * so the user's own options win. */
export function serverArgs(frontEnd: FrontEnd, extra: readonly string[] = []): string[] {
  const app = frontEnd === "notebook" ? "NotebookApp" : "ServerApp";
  const commands = { "pip-jupyterlab": ["-m", "jupyter", "lab"], lab: [LAB_SERVER], notebook: ["-m", "notebook"] };
  const command = commands[frontEnd];
  // Jupyter refuses to start as root unless told; containers and this project's machines run as root.
  const root = process.getuid?.() === 0 ? ["--allow-root"] : [];
  return [
    ...command,
    ...root,
    `--MappingKernelManager.default_kernel_name=${KERNEL}`,
    `--${app}.extra_static_paths=${plotlyStaticDir()}`,
    ...extra,
  ];
}

/** A digest of files' paths and contents. */
function digest(files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/** Every file under `dir`, skipping node_modules and build output. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    if (name === "node_modules" || name === "build" || name === "__pycache__") return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** What the lab's bundle is made from: the shared build scripts, the app, the plotly renderer and the
 * project's plotly.js (its package.json names the version). */
function buildInputs(): string[] {
  return [
    join(FRONTEND, "app-build.js"),
    join(FRONTEND, "app-plugins.js"),
    ...filesUnder(LAB_APP),
    ...filesUnder(join(FRONTEND, "plotly-renderer")),
    join(plotlyStaticDir(), "package.json"),
  ];
}

const readStamp = (file: string): string | null => (existsSync(file) ? readFileSync(file, "utf8") : null);

/** Whether the lab's bundle is there and made from the current inputs. */
export function labIsBuilt(): boolean {
  return existsSync(join(LAB_BUILD, "bundle.js")) && readStamp(join(LAB_BUILD, ".inputs")) === digest(buildInputs());
}

/** Installs frontend/lab's packages (`npm ci`, when its lockfile changed since the last install) and
 * builds the lab (when any input changed since the last build); says what it did and how long it took. */
export function buildLab(): void {
  const installed = join(LAB_APP, "node_modules", ".minitorch-lockfile");
  const lock = digest([join(LAB_APP, "package-lock.json")]);
  if (readStamp(installed) !== lock) {
    console.log("Installing the lab's packages (frontend/lab: npm ci)...");
    timed(() => run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: LAB_APP }), "installed");
    writeFileSync(installed, lock);
  }
  if (labIsBuilt()) return;
  console.log("Building the lab (frontend/lab: type-check the plotly renderer, rspack)...");
  timed(() => run("npm", ["run", "build"], { cwd: LAB_APP }), "built");
  writeFileSync(join(LAB_BUILD, ".inputs"), digest(buildInputs()));
}

function timed(work: () => void, done: string): void {
  const started = Date.now();
  work();
  console.log(`${done} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
