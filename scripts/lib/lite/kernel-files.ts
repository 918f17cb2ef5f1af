/**
 * The files the browser kernel's TypeScript checker reads, gathered at build time (the worker has no
 * file system): the standard library's .d.ts files tslab's compiler needs (es2022, as tslab on Node 18+,
 * plus the Web Worker globals the cells really run with), the built library's declarations as the
 * package `minitorch-ts`, and the kernel's `assert` module's declarations as the module `assert`.
 */
import { readFileSync, readdirSync, statSync } from "fs";
import { dirname, join, relative } from "path";
import * as ts from "typescript";
import { COMPILER_DIR } from "../../../frontend/lite/kernel/src/virtual-system";
import { ROOT } from "../jupyter";

const KERNEL_SRC = join(ROOT, "frontend", "lite", "kernel", "src");

/** The libs cells are checked against: tslab's target on Node 18+ and the globals of a Web Worker. */
const LIBS = ["es2022", "webworker", "webworker.iterable", "webworker.importscripts"];

/** lib.NAME.d.ts files of tslab's compiler, following their `/// <reference lib>` lines. */
function libFiles(): Map<string, string> {
  const dir = dirname(require.resolve("@tslab/typescript-for-tslab", { paths: [ROOT] }));
  const files = new Map<string, string>();
  const add = (lib: string) => {
    const name = `lib.${lib}.d.ts`;
    if (files.has(`${COMPILER_DIR}/${name}`)) return;
    const text = readFileSync(join(dir, name), "utf8");
    files.set(`${COMPILER_DIR}/${name}`, text);
    for (const match of text.matchAll(/\/\/\/\s*<reference\s+lib="([^"]+)"/g)) add(match[1]);
  };
  LIBS.forEach(add);
  return files;
}

function declarations(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? declarations(path) : name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The .d.ts text of a module of the kernel that must type-check on its own (assert.ts). */
export function kernelDeclaration(file: string): string {
  const source = readFileSync(join(KERNEL_SRC, file), "utf8");
  const out = ts.transpileDeclaration(source, {
    fileName: file,
    compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022 },
  });
  const errors = out.diagnostics ?? [];
  if (errors.length > 0) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, "\n")}`);
  return out.outputText;
}

/** Every file of the kernel's virtual file system, by absolute path. Needs `npm run build` (dist/). */
export function kernelFiles(): Map<string, string> {
  const files = libFiles();
  const globals = LIBS.filter((lib) => !lib.startsWith("es")).map((lib) => `/// <reference lib="${lib}" />`);
  files.set("/node_modules/@types/web-worker/index.d.ts", `${globals.join("\n")}\n`);
  files.set("/node_modules/assert/index.d.ts", kernelDeclaration("assert.ts"));
  const pkg = "/node_modules/minitorch-ts";
  files.set(`${pkg}/package.json`, JSON.stringify({ name: "minitorch-ts", types: "dist/index.d.ts" }));
  const dist = join(ROOT, "dist");
  for (const file of declarations(dist)) files.set(`${pkg}/dist/${relative(dist, file)}`, readFileSync(file, "utf8"));
  return files;
}
