/**
 * `npm run autograder -- homework/NAME.ipynb [--out DIR]`: writes DIR/NAME.zip (default build/autograder/), the
 * autograder package to upload to Gradescope: setup.sh, run_autograder, the instructor's notebook and the
 * project that grades it (scripts/lib/homework/autograder.ts; docs/homework.md walks through the upload).
 */
import { mkdirSync, writeFileSync } from "fs";
import { basename, join, relative, resolve } from "path";
import { parseArgs } from "util";
import { autograderZip } from "./lib/homework/autograder";
import { loadAssignment } from "./lib/homework/grader";
import { gradedCells } from "./lib/homework/notebook";
import { BUILD_AUTOGRADER } from "./lib/paths";

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true, options: { out: { type: "string", default: BUILD_AUTOGRADER } },
  });
  if (positionals.length !== 1) throw new Error("usage: npm run autograder -- homework/NAME.ipynb [--out DIR]");
  const instructor = resolve(positionals[0]);
  const { notebook } = loadAssignment(instructor); // refuses an inconsistent instructor notebook, naming the cell
  const zip = join(resolve(values.out), `${basename(instructor).replace(/\.ipynb$/i, "")}.zip`);
  mkdirSync(resolve(values.out), { recursive: true });
  writeFileSync(zip, autograderZip(instructor));
  const graded = gradedCells(notebook);
  const where = relative(process.cwd(), zip);
  const points = graded.reduce((s, g) => s + g.points, 0);
  console.log(`${where.startsWith("..") ? zip : where}: ${graded.length} graded tests, ${points} points`);
}

try {
  main();
} catch (error) {
  console.error(`npm run autograder: ${(error as Error).message}`);
  process.exit(1);
}
