/**
 * The folders the tooling shares, named once: the project, what notebooks import, and where each script's
 * output lands under build/ (git ignores it).
 */
import { join, resolve } from "path";

/** The repository root. */
export const ROOT = resolve(__dirname, "..", "..");
/** The lecture notebooks. */
export const NOTEBOOKS = join(ROOT, "notebooks");
/** The instructors' homework notebooks. */
export const HOMEWORK = join(ROOT, "homework");
/** The project's npm packages; tslab and the built library ("minitorch-ts" links back to ROOT) live here. */
export const NODE_MODULES = join(ROOT, "node_modules");
/** The built library that notebooks import. */
export const DIST = join(ROOT, "dist");
/** The project's own tslab launcher; its absolute path is what the kernel spec runs. */
export const TSLAB = join(NODE_MODULES, ".bin", "tslab");
/** Everything generated. */
export const BUILD = join(ROOT, "build");
/** Student versions of the homework (`npm run homework`). */
export const BUILD_HOMEWORK = join(BUILD, "homework");
/** Results and graded notebooks (`npm run grade`). */
export const BUILD_GRADES = join(BUILD, "grades");
/** Gradescope autograder packages (`npm run autograder`). */
export const BUILD_AUTOGRADER = join(BUILD, "autograder");
