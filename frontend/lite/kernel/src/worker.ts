/**
 * The kernel's Web Worker: the library (its browser build), tslab's converter and the cells' state live
 * here, so a long cell never freezes the page and stopping one is terminating this worker.
 */
import * as minitorch from "minitorch-ts";
import { configureBrowser } from "minitorch-ts/dist/platform/browser";
import { format, formatWithOptions } from "node-inspect-extracted";
import * as assert from "./assert";
import { compiler } from "./compiler";
import type { FromWorker, ToWorker } from "./protocol";
import type { CellSession } from "./session";
import { startSession } from "./start";

declare const self: {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const post = (message: FromWorker): void => self.postMessage(message);

/** The execution that output belongs to: the cell running, or the last one (output of work it left behind). */
let current = 0;

function stream(name: "stdout" | "stderr") {
  return (...args: unknown[]) =>
    post({ type: "stream", id: current, name, text: `${formatWithOptions({}, ...args)}\n` });
}
// as Node's console in tslab: log, info and debug to stdout; warn and error to stderr
console.log = console.info = console.debug = stream("stdout");
console.warn = console.error = stream("stderr");

let session: Promise<CellSession> | null = null;

async function start(filesUrl: string, packagesUrl: string): Promise<CellSession> {
  const started = performance.now();
  const response = await fetch(filesUrl);
  if (!response.ok) throw new Error(`the kernel's type files (${filesUrl}) answered ${response.status}`);
  const files = new Map(Object.entries((await response.json()) as Record<string, string>));
  configureBrowser({
    packagesUrl,
    display: (message, update) => post({ type: "display", id: current, message, update }),
  });
  const result = await startSession({
    compiler,
    files,
    loadConverter: () => import("tslab/dist/converter"),
    modules: { "minitorch-ts": minitorch, assert },
    format,
  });
  post({ type: "ready", startMs: performance.now() - started });
  return result;
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === "start") {
    session = start(message.filesUrl, message.packagesUrl);
    session.catch((error: unknown) => post({ type: "ready", startMs: 0, error: String(error) }));
    return;
  }
  if (session === null) throw new Error(`the kernel worker got "${message.type}" before "start"`);
  const cells = await session;
  const { id } = message;
  switch (message.type) {
    case "execute": {
      current = id;
      const started = performance.now();
      const ok = await cells.run(message.code, {
        stdout: (text) => post({ type: "stream", id, name: "stdout", text }),
        stderr: (text) => post({ type: "stream", id, name: "stderr", text }),
        error: (ename, evalue, traceback) => post({ type: "error", id, ename, evalue, traceback }),
      });
      post({ type: "done", id, ok, ms: performance.now() - started });
      break;
    }
    case "complete":
      post({ type: "completed", id, ...cells.complete(message.code, message.cursor) });
      break;
    case "inspect":
      post({ type: "inspected", id, text: cells.inspect(message.code, message.cursor) });
      break;
    case "is-complete":
      post({ type: "is-completed", id, ...cells.isComplete(message.code) });
      break;
  }
}

// Messages are handled one at a time, in order (the page sends an execute only after the last is done).
let queue = Promise.resolve();
self.onmessage = (event) => {
  queue = queue.then(() => handle(event.data)).catch((error: unknown) => console.error(error));
};
