// The sandbox around graded kernels, through real Jupyter and real bubblewrap. Submissions whose answer cells
// attack the machine (read what they must not, write where they must not, leave processes behind, fork, eat
// memory, flood the output, open a connection, claim points) get exactly the points of their honest answers and
// leave the instructor's copy, dist/, node_modules/ and other results as they were. Three grader runs share the
// wait: the namespaces boundary (the default) over two attacking submissions, the user boundary (forced) over the
// file attacks, and a whole-submission wall time. (homework-grade.test.ts grades the instructor's copy to 100 and
// the blank copy to 0 in the default sandbox.)
import type { ICodeCell, INotebookContent, IStream } from "@jupyterlab/nbformat";
import { createHash } from "crypto";
import {
  existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync,
} from "fs";
import { Server, createServer } from "net";
import { join, relative } from "path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { HOMEWORK } from "../scripts/lib/homework/grader";
import { joinLines } from "../scripts/lib/notebook";
import { BUILD, DIST, NODE_MODULES, ROOT } from "../scripts/lib/paths";
import { GradeRun, addCellAfter, cellOf, grade, gradeAsync, submission, setAnswer } from "./support/homework";

const INSTRUCTOR = join(HOMEWORK, "hw1-max-softmax-conv.ipynb");
const MEMORY_MB = 1024;

interface Graded {
  file: string; score: number; max_score: number; output: string; sandbox: string;
  tests: { name: string; score: number }[];
}

mkdirSync(BUILD, { recursive: true });
const dir = mkdtempSync(join(BUILD, "sandbox-test-"));
const others = join(dir, "others");
const outNs = join(dir, "grades-namespaces");
const outUser = join(dir, "grades-user");
const MARKER = `minitorch-attack-${process.pid}`;

/** A digest of a folder: every file's path and content (or, for node_modules, path, size and mtime). */
function digest(root: string, contents: boolean): string {
  const hash = createHash("sha256");
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = lstatSync(full);
      hash.update(`${relative(root, full)} ${st.size} ${contents ? "" : st.mtimeMs}\n`);
      if (st.isDirectory()) walk(full);
      else if (contents && st.isFile()) hash.update(readFileSync(full));
    }
  };
  walk(root);
  return hash.digest("hex");
}
const snapshot = () => ({
  homework: digest(HOMEWORK, true), dist: digest(DIST, true), nodeModules: digest(NODE_MODULES, false),
  others: digest(others, true),
});

/** Attacks on files: reads by relative and absolute path and a search of /, then writes; printed as ATTACK lines. */
function fileAttacks(): string {
  const reads = [INSTRUCTOR, join(ROOT, "src", "index.ts"), join(ROOT, "scripts", "lib", "homework", "grader.ts"),
    join(BUILD, "grades"), others, join(others, "blank.ipynb"), outNs];
  const writes = [join(DIST, "index.js"), join(DIST, "evil.js"), join(NODE_MODULES, "tslab", "package.json"),
    join(NODE_MODULES, "evil.js"), join(HOMEWORK, "evil.ipynb"), INSTRUCTOR, join(BUILD, "grades", "evil.results.json"),
    join(others, "other.results.json"), join(ROOT, "package.json")];
  const relativeTargets = [JSON.stringify(INSTRUCTOR), '"../homework/hw1-max-softmax-conv.ipynb"'];
  return `(() => {
  const fs = require("fs") as typeof import("fs");
  const path = require("path") as typeof import("path");
  const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);
  const read = (p: string) => {
    try {
      if (fs.statSync(p).isDirectory()) return "ok, lists " + fs.readdirSync(p).length;
      return "ok, read " + fs.readFileSync(p).length;
    } catch (e) { return code(e); }
  };
  // The grader's own files for this run: the connection file's folder is on the kernel's command line.
  const connection = process.argv.find((a) => a.endsWith(".json")) ?? "/nowhere";
  const targets = [...${JSON.stringify(reads)}, path.relative(process.cwd(), ${relativeTargets[0]}),
    ${relativeTargets[1]},
    path.join(path.dirname(path.dirname(connection)), "private", "run.ipynb")];
  for (const p of targets) console.log("ATTACK read " + p + ": " + read(p));
  const found: string[] = [];
  let seen = 0;
  const walk = (d: string, depth: number): void => {
    let entries: import("fs").Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (++seen > 300000 || depth > 12) return;
      const full = path.join(d, e.name);
      const skip = ["/proc", "/sys", "/dev"].includes(full) || e.name === "node_modules";
      if (e.isDirectory()) { if (!skip) walk(full, depth + 1); }
      else if (/\\.ipynb$|results\\.json$/.test(e.name)) found.push(full);
    }
  };
  walk("/", 0);
  console.log("ATTACK search " + JSON.stringify(found));
  for (const p of ${JSON.stringify(writes)}) {
    let outcome = "ok";
    try { fs.appendFileSync(p, "hacked"); } catch (e) { outcome = code(e); }
    console.log("ATTACK write " + p + ": " + outcome);
  }
})();
`;
}

/** A detached child in its own session that outlives its cell unless killed, then rewrites results files. */
const setsidAttack = (): string => `(() => {
  const { spawn } = require("child_process") as typeof import("child_process");
  const files = "$(find / -name '*.results.json' 2>/dev/null) ${join(others, "other.results.json")}";
  const rewrite = "for f in " + files + "; do echo hacked > $f; done";
  for (const wait of ["2", "600"]) {
    const script = "sleep " + wait + "; " + rewrite + " # ${MARKER}";
    spawn("setsid", ["sh", "-c", script], { detached: true, stdio: "ignore" }).unref();
  }
  console.log("ATTACK setsid: started");
})();
`;

/** A TCP connection to a port the test listens on (from a child process, so the answer cell stays synchronous). */
const tcpAttack = (port: number): string => `(() => {
  const { execFileSync } = require("child_process") as typeof import("child_process");
  const probe = "const say = (w) => { console.log(w); process.exit(0); };" +
    "const s = require('net').connect(${port}, '127.0.0.1'); s.on('connect', () => say('connected'));" +
    "s.on('error', (e) => say(e.code)); setTimeout(() => say('timeout'), 5000);";
  console.log("ATTACK tcp: " + execFileSync(process.execPath, ["-e", probe]).toString().trim());
})();
`;

const floodAttack = `(() => {
  const chunk = "x".repeat(1 << 20);
  for (let i = 0; i < 50; i++) console.log(chunk);
})();
`;

const forkAttack = `(() => {
  const { execFileSync } = require("child_process") as typeof import("child_process");
  const loop = "i=0; while [ $i -lt 5000 ]; do sleep 600 >/dev/null 2>&1 & i=$((i+1)); done; echo spawned $i";
  try { console.log("ATTACK fork: " + execFileSync("sh", ["-c", loop], { stdio: "pipe" }).toString().trim()); }
  catch (e) { console.log("ATTACK fork: " + String((e as { stderr?: Buffer }).stderr ?? e).trim().split("\\n")[0]); }
})();
`;

const bufferAttack = `(() => {
  const keep: Float64Array[] = [];
  try {
    for (let i = 0; i < 1000; i++) keep.push(new Float64Array(1 << 24));
    console.log("ATTACK buffers: allocated everything");
  }
  catch (e) { console.log("ATTACK buffers: " + (e as Error).message + " after " + keep.length * 128 + " MB"); }
})();
`;

const heapAttack = `const hog: number[][] = [];
for (let i = 0; ; i++) hog.push(new Array(1 << 20).fill(i));
`;

let server: Server;
let port = 0;
let connections = 0;
const runs: Record<"namespaces" | "user" | "wall", GradeRun> = {} as Record<"namespaces" | "user" | "wall", GradeRun>;
const reports = new Map<string, Graded>();
let before: ReturnType<typeof snapshot>;
let after: ReturnType<typeof snapshot>;
let lingering: string[] = [];

/** A results.json the grader wrote. */
const resultsOf = (out: string, name: string): { extra_data: object; output: string } =>
  JSON.parse(readFileSync(join(out, `${name}.results.json`), "utf8")) as { extra_data: object; output: string };

/** The text outputs of a graded notebook's cells. */
function printed(out: string, name: string): string {
  const nb = JSON.parse(readFileSync(join(out, `${name}.graded.ipynb`), "utf8")) as INotebookContent;
  return nb.cells.filter((c) => c.cell_type === "code")
    .flatMap((c) => (c as ICodeCell).outputs.filter((o) => o.output_type === "stream"))
    .map((o) => joinLines((o as IStream).text)).join("");
}
const attackLines = (text: string, kind: string): string[] =>
  text.split("\n").filter((l) => l.startsWith(`ATTACK ${kind}`));

/** What the search of / found of the project outside node_modules (the instructor's copy, submissions, results). */
function outsiders(text: string): string[] {
  const found = JSON.parse(attackLines(text, "search")[0].slice("ATTACK search ".length)) as string[];
  return found.filter((f) => f.startsWith(ROOT + "/") && !f.startsWith(NODE_MODULES));
}

/** Processes whose command line carries the marker (detached children that outlived grading). */
function withMarker(): string[] {
  return readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(MARKER);
    } catch {
      return false;
    }
  });
}

beforeAll(async () => {
  mkdirSync(others, { recursive: true });
  writeFileSync(join(others, "other.results.json"), JSON.stringify({ score: 42, tests: [] }));
  submission(INSTRUCTOR, others, "blank.ipynb", () => undefined, false);
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;

  submission(INSTRUCTOR, dir, "files.ipynb", (nb) => {
    setAnswer(nb, "tile", fileAttacks() + joinLines(cellOf(nb, "tile").source));
    setAnswer(nb, "softmax", setsidAttack() + joinLines(cellOf(nb, "softmax").source));
    setAnswer(nb, "logsoftmax", tcpAttack(port) + joinLines(cellOf(nb, "logsoftmax").source));
    setAnswer(nb, "cross-entropy", floodAttack + joinLines(cellOf(nb, "cross-entropy").source));
    const claim = { schema_version: 3, grade: true, solution: false, locked: true, grade_id: "bonus-tests",
      points: 1000 };
    addCellAfter(nb, "softmax-gate", 'console.log("bonus");', { nbgrader: claim });
    nb.metadata.kernelspec = { name: "python3", display_name: "Python 3", language: "python" };
    nb.metadata.language_info = { name: "python" };
  });
  submission(INSTRUCTOR, dir, "resources.ipynb", (nb) => {
    addCellAfter(nb, "tile", forkAttack);
    addCellAfter(nb, "max", bufferAttack);
    addCellAfter(nb, "softmax", heapAttack);
  });

  before = snapshot();
  const common = ["--json", "--timeout", "60", "--memory", String(MEMORY_MB), "--instructor", INSTRUCTOR];
  const [namespaces, user, wall] = await Promise.all([
    gradeAsync([...common, "--jobs", "2", "--out", outNs, join(dir, "files.ipynb"), join(dir, "resources.ipynb")]),
    gradeAsync([...common, "--sandbox", "user", "--out", outUser, join(dir, "files.ipynb")]),
    gradeAsync([...common, "--wall", "6", "--out", join(dir, "grades-wall"), INSTRUCTOR]),
  ]);
  lingering = withMarker();
  after = snapshot();
  Object.assign(runs, { namespaces, user, wall });
  for (const [mode, run] of Object.entries(runs)) {
    expect(run.status, `${mode}: ${run.stderr}`).toBe(0);
    for (const r of JSON.parse(run.stdout) as Graded[]) {
      reports.set(`${mode}:${r.file.startsWith(dir) ? relative(dir, r.file) : r.file}`, r);
    }
  }
  console.log(`graded in ${Object.entries(runs).map(([m, r]) => `${m} ${r.seconds.toFixed(0)} s`).join(", ")}`);
}, 15 * 60_000);

let failures = 0;
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (failures === 0 && process.env.KEEP_HOMEWORK_TEST !== "1") rmSync(dir, { recursive: true, force: true });
  else console.log(`sandbox test fixtures and reports kept in ${dir}`);
});
afterEach((context) => {
  if (context.task.result?.state === "fail") failures++;
});

const report = (key: string): Graded => {
  const r = reports.get(key);
  if (r === undefined) throw new Error(`no report ${key} among ${[...reports.keys()].join(", ")}`);
  return r;
};

describe("the sandbox (namespaces)", () => {
  test("answer cells that attack files, processes, the network and the output earn exactly their honest points", () => {
    expect(report("namespaces:files.ipynb").score).toBe(100);
    expect(report("namespaces:resources.ipynb").score).toBe(100);
    expect(report("namespaces:files.ipynb").sandbox).toBe("namespaces");
    const results = resultsOf(outNs, "files");
    expect(results.extra_data).toMatchObject({ sandbox: "namespaces" });
    expect(results.output).toContain("sandbox: namespaces");
  });

  test("nothing outside the view can be read: relative and absolute paths, the grader's files, a search of /", () => {
    const text = printed(outNs, "files");
    const reads = attackLines(text, "read");
    expect(reads.length).toBe(10);
    for (const line of reads) expect(line, line).toMatch(/: (ENOENT|EACCES)$/);
    expect(outsiders(text)).toEqual([]);
    expect(text).not.toContain("BEGIN HIDDEN TESTS");
  });

  test("writes into dist/, node_modules/, homework/, build/grades/, other results fail; nothing changes", () => {
    const writes = attackLines(printed(outNs, "files"), "write");
    expect(writes.length).toBe(9);
    for (const line of writes) expect(line, line).toMatch(/: (EROFS|ENOENT|EACCES)$/);
    expect(after).toEqual(before);
    expect(existsSync(join(DIST, "evil.js"))).toBe(false);
  });

  test("a detached setsid child that would rewrite results later is dead when grading ends", () => {
    expect(attackLines(printed(outNs, "files"), "setsid")).toEqual(["ATTACK setsid: started"]);
    expect(lingering).toEqual([]);
    expect(readFileSync(join(others, "other.results.json"), "utf8")).toBe(JSON.stringify({ score: 42, tests: [] }));
  });

  test("a fork loop stops at the process limit and costs nothing", () => {
    const [line] = attackLines(printed(outNs, "resources"), "fork");
    expect(line).toMatch(/Cannot fork|Resource temporarily unavailable/);
  });

  test("memory: an allocation past the limit fails, a kernel that outgrows it dies with a clear report", () => {
    const [line] = attackLines(printed(outNs, "resources"), "buffers");
    expect(line).toMatch(/Array buffer allocation failed after \d+ MB/);
    expect(Number(/after (\d+) MB/.exec(line)?.[1])).toBeLessThan(MEMORY_MB);
    const output = report("namespaces:resources.ipynb").output;
    const restarted = `hit the ${MEMORY_MB} MB memory limit or left the kernel holding most of it; ` +
      "the kernel was restarted";
    expect(output).toMatch(new RegExp(`kernel: your cell \\d+ ${restarted}`));
    expect(output).toContain(`kernel: the kernel exceeded the ${MEMORY_MB} MB memory limit while running your cell`);
  });

  test("printing 50 MB is cut with a note; the graded notebook stays small", () => {
    const text = printed(outNs, "files");
    expect(text).toContain("[output cut by the grader: the cell printed more than 256 KB; the rest was dropped]");
    const size = (name: string) => statSync(join(outNs, `${name}.graded.ipynb`)).size;
    expect(size("files")).toBeLessThan(size("resources") + 1024 * 1024);
  });

  test("a TCP connection to 127.0.0.1 fails: the kernel has its own network", () => {
    expect(attackLines(printed(outNs, "files"), "tcp")).toEqual(["ATTACK tcp: ECONNREFUSED"]);
    expect(connections).toBe(1); // the user boundary's run does not cut the network (documented)
  });

  test("a student cell claiming grade: true and 1000 points, and a changed kernelspec, change nothing", () => {
    const files = report("namespaces:files.ipynb");
    expect(files.max_score).toBe(100);
    expect(files.tests.map((t) => t.name)).not.toContain("bonus-tests");
  });
});

describe("the sandbox (user boundary, where namespaces are missing)", () => {
  test("the same attacks fail by file permissions; results say which boundary graded", () => {
    const files = report("user:files.ipynb");
    expect(files.score).toBe(100);
    expect(files.sandbox).toBe("user");
    const text = printed(outUser, "files");
    for (const line of [...attackLines(text, "read"), ...attackLines(text, "write")]) {
      expect(line, line).toMatch(/: (EROFS|ENOENT|EACCES)$/);
    }
    expect(outsiders(text)).toEqual([]);
    expect(attackLines(text, "setsid")).toEqual(["ATTACK setsid: started"]);
    expect(resultsOf(outUser, "files").extra_data).toMatchObject({ sandbox: "user" });
  });
});

describe("limits", () => {
  test("the whole submission has a wall time: tests past it are not run", () => {
    const r = report(`wall:${INSTRUCTOR}`);
    expect(r.score).toBeLessThan(100);
    expect(r.output).toMatch(/the submission ran past its 6 s limit while running/);
  });

  test("--no-sandbox is an explicit opt-out that warns", () => {
    const bad = join(dir, "not-json.ipynb");
    writeFileSync(bad, "{");
    const run = grade(["--no-sandbox", "--instructor", INSTRUCTOR, "--out", join(dir, "grades-none"), bad]);
    expect(run.stderr).toContain("WARNING: --no-sandbox");
    expect(resultsOf(join(dir, "grades-none"), "not-json").extra_data).toMatchObject({ sandbox: "none" });
  }, 120_000);
});
