// `npm run lab` as a user runs it (the script itself, without npm's banner): it says which front end it
// starts, serves the project's JupyterLab with tslab as the default kernel and plotly.js as a static file,
// starts with no network at all (a network namespace of its own, as on a fresh clone after setup), and
// Ctrl-C (SIGINT to the terminal's foreground process group) stops Jupyter and its kernels.
import { ChildProcess, spawn } from "child_process";
import { randomBytes } from "crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterEach, expect, test } from "vitest";
import { PLOTLY_STATIC_PATH } from "../src/plot/plotly-source";
import { ROOT, jupyterPython } from "../scripts/lib/jupyter";
import { chooseFrontEnd } from "../scripts/lib/lab";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The command lines of running processes that contain `text` (read from /proc), by process id. */
function processesWith(text: string): number[] {
  return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
    } catch {
      return false; // gone meanwhile
    }
  }).map(Number);
}

interface Lab {
  child: ChildProcess;
  port: number;
  token: string;
  output(): string;
  exit: Promise<number | null>;
}

const started: Lab[] = [];

/** Runs scripts/lab.ts in its own process group, as a terminal runs a foreground command; `offline` runs it
 * in a network namespace of its own (bubblewrap), where only the loopback interface exists. */
function startLab(options: { offline: boolean }): Lab {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const token = randomBytes(16).toString("hex");
  const scratch = mkdtempSync(join(tmpdir(), "minitorch-lab-cli-"));
  const script = [join(ROOT, "node_modules", ".bin", "ts-node"), "--transpile-only", "scripts/lab.ts",
    "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0", `--ServerApp.token=${token}`];
  const bwrap = ["bwrap", "--dev-bind", "/", "/", "--unshare-net", "--die-with-parent", "--"];
  const argv = options.offline ? [...bwrap, ...script] : script;
  const child = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, JUPYTER_CONFIG_DIR: join(scratch, "config"), JUPYTER_RUNTIME_DIR: join(scratch, "runtime") },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => {
    rmSync(scratch, { recursive: true, force: true });
    resolve(code);
  }));
  const lab = { child, port, token, output: () => output, exit };
  started.push(lab);
  return lab;
}

/** Waits until `ready()` or the lab exits or `seconds` pass; says which in the error. */
async function until(lab: Lab, ready: () => boolean | Promise<boolean>, seconds: number, what: string): Promise<void> {
  for (let i = 0; i < seconds * 5; i++) {
    if (await ready()) return;
    if (lab.child.exitCode !== null) {
      throw new Error(`npm run lab exited (${lab.child.exitCode}) before ${what}:\n${lab.output()}`);
    }
    await sleep(200);
  }
  throw new Error(`no ${what} within ${seconds} s:\n${lab.output()}`);
}

/** Ctrl-C as a terminal sends it: SIGINT to the lab script's process group (inside bubblewrap, to the script
 * alone: bubblewrap is the test's harness, not part of what a user runs). Resolves with the exit code. */
async function controlC(lab: Lab, options: { offline: boolean }): Promise<number | null> {
  if (options.offline) {
    const script = processesWith(lab.token)
      .filter((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("scripts/lab.ts"));
    const inner = script.filter((pid) => pid !== lab.child.pid);
    expect(inner, "the lab script inside bubblewrap").toHaveLength(1);
    process.kill(inner[0], "SIGINT");
  } else if (lab.child.pid !== undefined) {
    process.kill(-lab.child.pid, "SIGINT");
  }
  const late = sleep(60_000).then(() => Promise.reject(new Error(`still running 60 s after Ctrl-C:\n${lab.output()}`)));
  return Promise.race([lab.exit, late]);
}

afterEach(async () => {
  // whatever a failed test left: the processes it started, found by their unique token
  for (const lab of started.splice(0)) {
    for (const pid of processesWith(lab.token)) process.kill(pid, "SIGKILL");
    await lab.exit;
  }
});

test("npm run lab serves the project's JupyterLab, tslab as default kernel; Ctrl-C stops it and kernels", async () => {
  expect(chooseFrontEnd(jupyterPython()).frontEnd, "a pip-installed JupyterLab would win here").toBe("lab");
  const lab = startLab({ offline: false });
  const origin = `http://127.0.0.1:${lab.port}`;
  const headers = { Authorization: `token ${lab.token}` };
  const get = (path: string) => fetch(`${origin}${path}`, { headers });
  await until(lab, () => get("/api/status").then((r) => r.ok, () => false), 180, "server");
  expect(lab.output()).toContain("No pip-installed JupyterLab: starting the project's JupyterLab 4.6 (frontend/lab)");

  const page = await (await get("/lab")).text();
  expect(page).toContain('id="jupyter-config-data"');
  expect(page).toMatch(/<script src="[^"]*\/bundle\.js">/);
  expect((await get(`/${PLOTLY_STATIC_PATH}`)).status).toBe(200);
  expect(((await (await get("/api/kernelspecs")).json()) as { default: string }).default).toBe("tslab");

  const started = await fetch(`${origin}/api/kernels`, { method: "POST", headers, body: "{}" });
  const kernel = (await started.json()) as { id: string; name: string };
  expect(kernel.name).toBe("tslab");
  await until(lab, () => processesWith(`kernel-${kernel.id}.json`).length > 0, 60, "kernel process");

  expect(await controlC(lab, { offline: false })).toBe(0);
  expect(lab.output()).toContain("Shutting down 1 kernel");
  expect(processesWith(`kernel-${kernel.id}.json`), "kernel processes left").toEqual([]);
  expect(processesWith(lab.token), "Jupyter processes left").toEqual([]);
  expect(await get("/api/status").then(() => "answers", () => "gone")).toBe("gone");
}, 300_000);

test("npm run lab starts with no network (after setup everything it needs is on disk)", async () => {
  const lab = startLab({ offline: true });
  await until(lab, () => lab.output().includes(`:${lab.port}/lab?token=`), 180, "server");
  expect(await controlC(lab, { offline: true })).toBe(0);
  expect(processesWith(lab.token), "Jupyter processes left").toEqual([]);
}, 300_000);
