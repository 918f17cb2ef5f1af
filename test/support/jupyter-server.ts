// A Jupyter server for a browser test, started as `npm run lab` starts it (scripts/lib/lab.ts: tslab as the
// default kernel, plotly.js served as a static file) on a free loopback port with a fresh token, its config
// and runtime files in a scratch folder. `stop()` shuts it and its kernels down, whatever state it is in.
import { ChildProcess, spawn } from "child_process";
import { randomBytes } from "crypto";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "fs";
import { AddressInfo, createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "../../scripts/lib/handouts/browser";
import { ROOT, jupyterPython } from "../../scripts/lib/jupyter";
import { FrontEnd, serverArgs } from "../../scripts/lib/lab";

/** Where browser checks keep their screenshots. */
export const SCREENSHOTS = join(ROOT, "build", "screenshots");

export interface JupyterServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  /** Everything the server printed so far. */
  log(): string;
  /** Shuts the server down: Jupyter's own shutdown (which ends its kernels), then SIGTERM and SIGKILL to
   * its process group if it lingers. Safe to call twice. */
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a process group still has members. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `frontEnd`'s server on `root` (the folder it serves) and waits until it answers. */
export async function startJupyter(
  frontEnd: FrontEnd,
  root: string,
  extra: readonly string[] = [],
): Promise<JupyterServer> {
  const scratch = mkdtempSync(join(tmpdir(), "minitorch-jupyter-"));
  const logFile = join(scratch, "server.log");
  const token = randomBytes(24).toString("hex");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const headers = { Authorization: `token ${token}` };
  const app = frontEnd === "notebook" ? "NotebookApp" : "ServerApp";
  const dir = frontEnd === "notebook" ? `--notebook-dir=${root}` : `--ServerApp.root_dir=${root}`;
  const args = serverArgs(frontEnd, [
    "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0", `--${app}.token=${token}`, dir, ...extra,
  ]);
  const log = openSync(logFile, "a");
  const child: ChildProcess = spawn(jupyterPython(), args, {
    cwd: root,
    detached: true, // its own process group, so that stop() reaches everything it started
    stdio: ["ignore", log, log],
    // Jupyter's config and runtime files go to the scratch folder; its data path (where `npm run kernel`
    // registered the tslab kernel) stays the user's
    env: { ...process.env, JUPYTER_CONFIG_DIR: join(scratch, "config"), JUPYTER_RUNTIME_DIR: join(scratch, "runtime") },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${args.join(" ")}`);
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  // last resort if the test worker exits without stop() (a crash): end the group synchronously
  const killOnExit = (): void => {
    if (groupAlive(pid)) process.kill(-pid, "SIGKILL");
  };
  process.once("exit", killOnExit);
  let stopped = false;

  const server: JupyterServer = {
    origin,
    token,
    log: () => readFileSync(logFile, "utf8"),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!exited()) {
        await fetch(`${origin}/api/shutdown`, { method: "POST", headers }).catch(() => undefined);
        for (let i = 0; i < 50 && !exited(); i++) await sleep(200);
      }
      for (const signal of ["SIGTERM", "SIGKILL"] as const) {
        if (!groupAlive(pid)) break;
        process.kill(-pid, signal);
        for (let i = 0; i < 25 && groupAlive(pid); i++) await sleep(200);
      }
      process.removeListener("exit", killOnExit);
      rmSync(scratch, { recursive: true, force: true });
    },
  };

  try {
    for (let i = 0; ; i++) {
      if (exited()) throw new Error(`the Jupyter server exited at start:\n${server.log()}`);
      const ok = await fetch(`${origin}/api/status`, { headers }).then((r) => r.ok, () => false);
      if (ok) return server;
      if (i > 300) throw new Error(`the Jupyter server did not answer on port ${port} within 60 s:\n${server.log()}`);
      await sleep(200);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** A browser check's session: before the file's tests, `prepare` fills `root` (a folder under build/, deep
 * enough in the repository that kernels resolve "minitorch-ts"), then the server and Chromium start; after
 * them both end, whatever happened. */
export function useJupyterSession(
  frontEnd: FrontEnd,
  root: string,
  prepare: () => void,
): { server(): JupyterServer; browser(): Browser } {
  let server: JupyterServer | null = null;
  let browser: Browser | null = null;
  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    prepare();
    server = await startJupyter(frontEnd, root);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.stop();
    }
  }, 60_000);
  const started = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`${what} did not start`);
    return value;
  };
  return { server: () => started(server, "the Jupyter server"), browser: () => started(browser, "Chromium") };
}
