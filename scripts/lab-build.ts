/**
 * `npm run lab:build`: installs and builds the project's JupyterLab (frontend/lab) when its lockfile or
 * sources changed since the last time; otherwise does nothing. Run by setup, before the tests, and by
 * `npm run lab` when needed.
 */
import { buildLab } from "./lib/lab";

try {
  buildLab();
} catch (error) {
  console.error(`npm run lab:build: ${(error as Error).message}`);
  process.exit(1);
}
