/** The platform in Node: files from node_modules, worker_threads, and tslab's display writer. */
import { readFileSync, writeFileSync } from "fs";
import { createRequire } from "module";
import { availableParallelism, loadavg } from "os";
import { sep } from "path";
import { Worker } from "worker_threads";
import type { Platform, WriteDisplayData } from "./types";

export type { DisplayMessage, Platform, Thread, WriteDisplayData } from "./types";

const JUPYTER_MODULE = ["tslab", "dist", "jupyter.js"].join(sep);

/** tslab's display writer (`lastWriteDisplayData` of its jupyter module), found among the modules already
 * loaded: outside a tslab kernel there is none (tslab is never loaded just to look). */
function tslabWriter(): WriteDisplayData | null {
  for (const [file, mod] of Object.entries(createRequire(__filename).cache)) {
    if (!file.endsWith(JUPYTER_MODULE)) continue;
    const write: unknown = mod?.exports?.lastWriteDisplayData;
    if (typeof write === "function") return write as WriteDisplayData;
  }
  return null;
}

export const platform: Platform = {
  readPackageFile: (path) => readFileSync(createRequire(__filename).resolve(path), "utf8"),
  env: (name) => process.env[name],
  maxThreads: availableParallelism,
  loadAverage: () => loadavg()[0],
  startThread(main, data) {
    const worker = new Worker(`(${main})(require("worker_threads").workerData)`, { eval: true, workerData: data });
    worker.unref();
    return { onError: (listener) => void worker.on("error", listener) };
  },
  displayWriter: tslabWriter,
  readTextFile: (path) => readFileSync(path, "utf8"),
  writeTextFile: (path, text) => writeFileSync(path, text),
};
