/**
 * `npm run homework`: writes the student version of every instructor notebook in homework/ to
 * build/homework/ (solutions replaced by "not implemented" stubs, hidden tests removed, outputs cleared,
 * checksums of locked cells recorded), after checking the instructor notebook's nbgrader metadata.
 *
 *   npm run homework [-- [--out DIR] [INSTRUCTOR.ipynb ...]]
 */
import { mkdirSync, writeFileSync } from "fs";
import { basename, join, relative, resolve } from "path";
import { parseArgs } from "util";
import { ROOT } from "./lib/jupyter";
import { listNotebooks } from "./lib/notebook";
import { HOMEWORK, loadAssignment } from "./lib/homework/grader";
import { gradedCells } from "./lib/homework/notebook";

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: "string", default: join(ROOT, "build", "homework") } },
  });
  const sources = positionals.length > 0 ? positionals.map((p) => resolve(p)) : listNotebooks(HOMEWORK);
  if (sources.length === 0) throw new Error(`no instructor notebooks in ${HOMEWORK}`);
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  for (const source of sources) {
    const { released, notebook } = loadAssignment(source);
    const target = join(out, basename(source));
    writeFileSync(target, JSON.stringify(released, null, 1) + "\n");
    const graded = gradedCells(notebook);
    const points = graded.reduce((s, g) => s + g.points, 0);
    const [from, to] = [relative(ROOT, source), relative(ROOT, target) || target];
    console.log(`${from} -> ${to}: ${graded.length} graded tests, ${points} points`);
  }
}

try {
  main();
} catch (error) {
  console.error(`npm run homework: ${(error as Error).message}`);
  process.exit(1);
}
