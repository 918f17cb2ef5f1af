/** The messages between the kernel (page side, kernel.ts) and its Web Worker (worker.ts). */
import type { DisplayMessage } from "minitorch-ts/dist/platform/browser";

/** Page -> worker. `id` ties replies to requests. */
export type ToWorker =
  | { type: "start"; filesUrl: string; packagesUrl: string }
  | { type: "execute"; id: number; code: string }
  | { type: "complete"; id: number; code: string; cursor: number }
  | { type: "inspect"; id: number; code: string; cursor: number }
  | { type: "is-complete"; id: number; code: string };

/** Worker -> page. */
export type FromWorker =
  | { type: "ready"; startMs: number; error?: string }
  | { type: "stream"; id: number; name: "stdout" | "stderr"; text: string }
  | { type: "display"; id: number; message: DisplayMessage; update: boolean }
  | { type: "error"; id: number; ename: string; evalue: string; traceback: string[] }
  | { type: "done"; id: number; ok: boolean; ms: number }
  | { type: "completed"; id: number; start: number; end: number; matches: string[] }
  | { type: "inspected"; id: number; text: string | null }
  | { type: "is-completed"; id: number; complete: boolean; indent: string };
