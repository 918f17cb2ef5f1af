/**
 * The platform in a browser's Web Worker (the JupyterLite kernel): package files fetched from the site
 * (synchronous requests are allowed in workers), Web Workers as threads where the page is cross-origin
 * isolated (shared memory needs it), and the display writer the kernel installs with `configureBrowser`.
 */
import type { Platform, WriteDisplayData } from "./types";

export type { DisplayMessage, Platform, Thread, WriteDisplayData } from "./types";

let packagesUrl: string | null = null;
let writer: WriteDisplayData | null = null;

/** Called by the kernel: where the site serves package files (`<packages>/mnist/src/digits/3.json`) and how
 * cells display. */
export function configureBrowser(options: { packagesUrl: string; display: WriteDisplayData | null }): void {
  packagesUrl = options.packagesUrl.endsWith("/") ? options.packagesUrl : `${options.packagesUrl}/`;
  writer = options.display;
}

function fetchText(path: string): string {
  if (packagesUrl === null) throw new Error(`cannot read ${path}: the browser platform was not configured`);
  const url = new URL(path, packagesUrl).href;
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.send();
  if (request.status !== 200) throw new Error(`cannot read ${path}: GET ${url} answered ${request.status}`);
  return request.responseText;
}

function noFileSystem(): never {
  throw new Error("a browser kernel has no file system; keep the text of nn.stateDictToJSON(...) instead");
}

export const platform: Platform = {
  readPackageFile: fetchText,
  env: () => undefined,
  maxThreads: () => (globalThis.crossOriginIsolated === true ? navigator.hardwareConcurrency : 1),
  loadAverage: () => null,
  startThread(main, data) {
    const source = new Blob([`onmessage = (event) => (${main})(event.data);`], { type: "text/javascript" });
    const worker = new Worker(URL.createObjectURL(source));
    worker.postMessage(data);
    return { onError: (listener) => worker.addEventListener("error", listener) };
  },
  displayWriter: () => writer,
  readTextFile: noFileSystem,
  writeTextFile: noFileSystem,
};
