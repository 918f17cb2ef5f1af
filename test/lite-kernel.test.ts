// The browser kernel's cell session, run in Node on the same files the site ships (kernel/files.json):
// tslab's cell semantics (declarations seen by later cells, re-declaration, top-level await, the last
// value printed as console.log prints it), type errors printed as tslab prints them, run-time errors
// naming the cell line they came from, and the modules a cell can import. The same session runs in the
// site's Web Worker; test/lite.test.ts runs the notebooks there.
import { createRequire } from "module";
import { format } from "util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as assert from "../frontend/lite/kernel/src/assert";
import type { CellOutput, CellSession } from "../frontend/lite/kernel/src/session";
import { withSourceMaps } from "../frontend/lite/kernel/src/source-maps";
import { startSession } from "../frontend/lite/kernel/src/start";
import { kernelFiles } from "../scripts/lib/lite/kernel-files";

const require = createRequire(__filename);
const TYPESCRIPT = require.resolve("@tslab/typescript-for-tslab");

let session: CellSession;
let original: unknown;

/** What one cell printed. */
interface Printed {
  ok: boolean;
  stdout: string;
  stderr: string;
  errors: { name: string; message: string; traceback: string[] }[];
}

async function run(code: string): Promise<Printed> {
  const printed: Printed = { ok: false, stdout: "", stderr: "", errors: [] };
  const out: CellOutput = {
    stdout: (text) => (printed.stdout += text),
    stderr: (text) => (printed.stderr += text),
    error: (name, message, traceback) => printed.errors.push({ name, message, traceback }),
  };
  printed.ok = await session.run(code, out);
  return printed;
}

beforeAll(async () => {
  // tslab's converter must get the compiler with source maps, as the site's bundle gives it (an alias there)
  const cached = require.cache[TYPESCRIPT] ?? (require(TYPESCRIPT) as unknown, require.cache[TYPESCRIPT]);
  if (cached === undefined) throw new Error("TypeScript did not load");
  original = cached.exports;
  const compiler = withSourceMaps(cached.exports as Parameters<typeof withSourceMaps>[0]);
  cached.exports = compiler.ts;
  session = await startSession({
    compiler,
    files: kernelFiles(),
    loadConverter: async () => require("tslab/dist/converter") as typeof import("tslab/dist/converter"),
    modules: { "minitorch-ts": require("minitorch-ts") as unknown, assert },
    format,
  });
}, 120_000);

afterAll(() => {
  const cached = require.cache[TYPESCRIPT];
  if (cached !== undefined) cached.exports = original;
});

describe("cells as tslab runs them", () => {
  test("const, let, functions and classes are seen by later cells; a cell may declare a name again", async () => {
    expect(
      (
        await run(
          "const a = 2;\nlet b = 3;\nfunction twice(x: number): number { return 2 * x; }\n" +
            "class Box { constructor(readonly v: number) {} }",
        )
      ).ok,
    ).toBe(true);
    expect((await run("b = b + twice(a);\nnew Box(b).v")).stdout).toBe("7\n");
    expect((await run("const a = 'again';\na")).stdout).toBe("again\n");
    expect((await run("a.toUpperCase()")).stdout).toBe("AGAIN\n");
  }, 60_000);

  test("top-level await, and the last value printed as console.log prints it", async () => {
    const printed = await run(
      "const late = await new Promise<number>((resolve) => setTimeout(() => resolve(41), 5));\n" +
        "({ late: late + 1, list: [1, 'x'] })",
    );
    expect(printed).toMatchObject({ ok: true, stdout: `${format({ late: 42, list: [1, "x"] })}\n` });
    expect((await run("const nothing = undefined;\nnothing")).stdout).toBe("");
  }, 60_000);

  test("type errors are reported as tslab reports them, and the cell does not run", async () => {
    const printed = await run("const ran = 1;\nconst n: number = 'text';");
    expect(printed).toMatchObject({ ok: false, stdout: "", errors: [] });
    expect(printed.stderr).toBe("2:7 - Type 'string' is not assignable to type 'number'.\n");
    expect((await run("typeof ran")).stderr).toMatch(/Cannot find name 'ran'/);
  }, 60_000);

  test("a run-time error names its message and the line of the cell, and the next cell still runs", async () => {
    expect(
      (await run("function check(x: number): void {\n  if (x > 1) throw new RangeError(`too big: ${x}`);\n}")).ok,
    ).toBe(true);
    const printed = await run("const xs = [1, 2];\n\nxs.forEach(check);");
    expect(printed.ok).toBe(false);
    expect(printed.errors).toHaveLength(1);
    const [error] = printed.errors;
    expect(error).toMatchObject({ name: "RangeError", message: "too big: 2" });
    expect(error.traceback).toEqual([
      "RangeError: too big: 2",
      '    at line 2 of the cell "function check(x: number): void {"',
      "    at line 3 of this cell",
    ]);
    // a failed cell's declarations are dropped, as in tslab
    expect((await run("xs")).stderr).toMatch(/Cannot find name 'xs'/);
    expect((await run("1 + 1")).stdout).toBe("2\n");
  }, 60_000);

  test("the library and assert import as in tslab; other modules are named as missing", async () => {
    const printed = await run(
      'import * as assert from "assert";\nimport { tensor } from "minitorch-ts";\nconst t = tensor([1, 2, 3]);\n' +
        "assert.strictEqual(t.sum().item(), 6);\nt.shape",
    );
    expect(printed).toMatchObject({ ok: true, stdout: "[ 3 ]\n" });
    const failing = await run('assert.deepStrictEqual(t.shape, [4], "shape of t");');
    expect(failing.errors[0]).toMatchObject({ name: "AssertionError", message: "shape of t" });
    expect((await run('import * as fs from "fs";')).stderr).toMatch(/Cannot find module 'fs'/);
  }, 60_000);

  test("completion and quick info come from the same program", async () => {
    const code = "t.su";
    expect(session.complete(code, code.length).matches).toContain("sum");
    expect(session.inspect("t", 1)).toMatch(/const t: Tensor/);
    expect(session.isComplete("for (const x of [1]) {")).toEqual({ complete: false, indent: "  " });
  }, 60_000);
});
