// `npm run autograder` and its package, run the way Gradescope runs it: the zip unpacked into a fresh
// /autograder layout under a temporary root, setup.sh's steps that need no network against this machine, then
// run_autograder (as root, in the sandbox) for the instructor's copy (full marks), a renamed blank copy (0), two
// notebooks, none, a PDF and a PDF named .ipynb (0, saying what to upload). Every results.json is checked against
// a JSON schema written from Gradescope's documented format (test/fixtures/gradescope-results.schema.json).
import Ajv from "ajv";
import { spawn, spawnSync } from "child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { join } from "path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { HOMEWORK } from "../scripts/lib/homework/grader";
import { BUILD, NODE_MODULES, ROOT } from "../scripts/lib/paths";
import { submission } from "./support/homework";

const INSTRUCTOR = join(HOMEWORK, "hw1-max-softmax-conv.ipynb");
const NAME = "hw1-max-softmax-conv";

interface Results {
  score: number;
  output: string;
  tests: { name: string; score: number; max_score: number; status: string; output: string; visibility: string }[];
  extra_data: { sandbox: string; max_score: number };
}

mkdirSync(BUILD, { recursive: true });
const dir = mkdtempSync(join(BUILD, "autograder-test-"));
const source = join(dir, "source"); // shared by every case's /autograder, as Gradescope's image holds it once
const SCHEMA = join(ROOT, "test", "fixtures", "gradescope-results.schema.json");
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA, "utf8")) as object);
const PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/** The uploads, each graded in its own /autograder root: file name -> content (a path to copy, or text). */
const cases: Record<string, Record<string, { copy: string } | { text: string }>> = {
  instructor: { [`${NAME}.ipynb`]: { copy: INSTRUCTOR } },
  renamed: { "my homework (final).ipynb": { copy: join(dir, "blank.ipynb") } },
  two: { [`${NAME}.ipynb`]: { copy: INSTRUCTOR }, "scratch.ipynb": { copy: INSTRUCTOR } },
  none: {},
  pdf: { "hw1.pdf": { text: PDF } },
  pdfNamedIpynb: { [`${NAME}.ipynb`]: { text: PDF } },
};
const results = new Map<string, Results>();
const runs = new Map<string, { status: number | null; stdout: string; stderr: string }>();
let setup: { status: number | null; stdout: string; stderr: string };

/** run_autograder as Gradescope runs it (as root, working directory /autograder), for one case's root. */
function runAutograder(root: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, AUTOGRADER_ROOT: root };
    const child = spawn(join(source, "run_autograder"), [], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  submission(INSTRUCTOR, dir, "blank.ipynb", () => undefined, false);
  const args = ["--transpile-only", "scripts/autograder.ts", INSTRUCTOR, "--out", dir];
  const built = spawnSync(join(NODE_MODULES, ".bin", "ts-node"), args, { cwd: ROOT, encoding: "utf8" });
  expect(built.status, built.stderr).toBe(0);
  mkdirSync(source);
  const unzip = spawnSync("unzip", ["-q", join(dir, `${NAME}.zip`), "-d", source], { encoding: "utf8" });
  expect(unzip.status, unzip.stderr).toBe(0);
  // npm ci needs the network: the project's installed packages stand in for it.
  symlinkSync(NODE_MODULES, join(source, "project", "node_modules"));
  const run = spawnSync("bash", [join(source, "setup.sh")], {
    cwd: dir, encoding: "utf8", env: { ...process.env, AUTOGRADER_ROOT: dir, AUTOGRADER_LOCAL_TEST: "1" },
  });
  setup = { status: run.status, stdout: run.stdout, stderr: run.stderr };
  expect(setup.status, setup.stdout + setup.stderr).toBe(0);

  await Promise.all(Object.entries(cases).map(async ([name, files]) => {
    const root = join(dir, `case-${name}`);
    mkdirSync(join(root, "submission"), { recursive: true });
    symlinkSync(source, join(root, "source"));
    for (const [file, content] of Object.entries(files)) {
      if ("copy" in content) copyFileSync(content.copy, join(root, "submission", file));
      else writeFileSync(join(root, "submission", file), content.text);
    }
    const result = await runAutograder(root);
    runs.set(name, result);
    expect(result.status, `${name}: ${result.stdout}${result.stderr}`).toBe(0);
    results.set(name, JSON.parse(readFileSync(join(root, "results", "results.json"), "utf8")) as Results);
  }));
}, 15 * 60_000);

let failures = 0;
afterAll(() => {
  if (failures === 0 && process.env.KEEP_HOMEWORK_TEST !== "1") rmSync(dir, { recursive: true, force: true });
  else console.log(`autograder test files kept in ${dir}`);
});
afterEach((context) => {
  if (context.task.result?.state === "fail") failures++;
});

const get = (name: string): Results => results.get(name) as Results;

describe("npm run autograder", () => {
  test("setup.sh and run_autograder at the zip's root, executable; the instructor's copy root's alone", () => {
    const mode = (path: string) => statSync(join(source, path)).mode & 0o777;
    expect(mode("setup.sh") & 0o111).toBe(0o111);
    expect(mode("run_autograder") & 0o111).toBe(0o111);
    expect(mode(`${NAME}.ipynb`)).toBe(0o600);
    expect(statSync(join(source, "project", "dist", "index.js")).isFile()).toBe(true); // setup.sh built the project
    expect(setup.stdout).toMatch(/setup\.sh: bubblewrap works here/);
  });

  test("every results.json follows Gradescope's documented format", () => {
    for (const [name, r] of results) expect(validate(r) ? [] : validate.errors, name).toEqual([]);
    expect(results.size).toBe(Object.keys(cases).length);
  });

  test("the instructor's copy scores full marks, graded in the sandbox", () => {
    expect(get("instructor").score).toBe(100);
    expect(get("instructor").extra_data).toEqual({ sandbox: "namespaces", max_score: 100 });
    expect(runs.get("instructor")?.stdout).toMatch(/total\s+100\s+100/);
  });

  test("hidden tests report in entries of their own, hidden from students; visible entries never show them", () => {
    const tests = get("instructor").tests;
    expect(tests.filter((t) => t.visibility === "visible").map((t) => t.name)).toContain("tile-tests");
    const hidden = tests.find((t) => t.name === "tile-tests (hidden tests)");
    expect(hidden).toMatchObject({ visibility: "hidden", max_score: 0, status: "passed" });
    expect(tests.reduce((s, t) => s + t.max_score, 0)).toBe(100);
  });

  test("a submission under another name is graded (the blank copy scores 0, saying what is not implemented)", () => {
    const r = get("renamed");
    expect(r.score).toBe(0);
    expect(r.tests.find((t) => t.name === "tile-tests")?.output).toContain("not implemented: tile");
  });

  test("two notebooks, none, a PDF or a PDF named .ipynb: score 0 and a result that says what to upload", () => {
    const upload = `upload your homework notebook (${NAME}.ipynb) as a single .ipynb file`;
    const two = `2 notebooks in your submission (${NAME}.ipynb, scratch.ipynb)`;
    expect(get("two").output).toBe(`${two}: ${upload}, and nothing else`);
    expect(get("none").output).toBe(`no notebook in your submission (it is empty): ${upload}`);
    expect(get("pdf").output).toBe(`no notebook in your submission (found hw1.pdf): ${upload}`);
    expect(get("pdfNamedIpynb").output).toContain(`${NAME}.ipynb: not a notebook: the file is not valid JSON`);
    for (const name of ["two", "none", "pdf", "pdfNamedIpynb"]) {
      expect(get(name).score).toBe(0);
      expect(get(name).tests.every((t) => t.score === 0 && t.output.startsWith("not graded: "))).toBe(true);
    }
  });
});
