/**
 * frontend/: the project's Jupyter front ends (the JupyterLab app, the JupyterLite site and its kernel, the plotly
 * renderer both bundle), one npm workspace with one lockfile and one install, apart from the library's package so
 * that nothing of them reaches dist/ or the root node_modules.
 */
import { existsSync, statSync } from "fs";
import { join } from "path";
import { ROOT, run } from "./jupyter";

export const FRONTEND = join(ROOT, "frontend");
/** The workspace's one node_modules: every app's packages and the build tools (rspack, tsc). */
export const FRONTEND_MODULES = join(FRONTEND, "node_modules");

/** Whether frontend/node_modules was installed from the current lockfile: npm writes its own record of an
 * install (node_modules/.package-lock.json) last, so it is newer than the lockfile it was made from. */
export function frontendInstalled(): boolean {
  const installed = join(FRONTEND_MODULES, ".package-lock.json");
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(FRONTEND, "package-lock.json")).mtimeMs;
}

/** `npm ci` in frontend/ unless it is installed from the current lockfile (CI and setup run it up front; the
 * builds call this so that a changed lockfile is never built against stale packages). */
export function installFrontend(): void {
  if (frontendInstalled()) return;
  console.log("Installing the front ends' packages (frontend/: npm ci)...");
  const started = Date.now();
  run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: FRONTEND });
  console.log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** A build tool of the workspace (frontend/node_modules/.bin/NAME). */
export const frontendTool = (name: string): string => join(FRONTEND_MODULES, ".bin", name);
