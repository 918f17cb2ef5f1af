/**
 * Sending a display bundle to the notebook through tslab. tslab's public `display` sends one MIME type
 * per message, so we call the hook its `display` uses (`lastWriteDisplayData` of tslab's jupyter
 * module), found among the modules already loaded: outside a tslab kernel there is none, and nothing
 * is sent (tslab is never loaded just to look).
 */
import { createRequire } from "module";
import { sep } from "path";

/** The payload of a Jupyter display_data / update_display_data message. */
export interface DisplayMessage {
  data: Readonly<Record<string, unknown>>;
  metadata: Record<string, never>;
  transient: { display_id?: string };
}

type WriteDisplayData = (message: DisplayMessage, update: boolean) => void;

const JUPYTER_MODULE = ["tslab", "dist", "jupyter.js"].join(sep);

/** tslab's current display writer, or null when not running inside a tslab kernel. */
function tslabWriter(): WriteDisplayData | null {
  const cache = createRequire(__filename).cache;
  for (const [file, mod] of Object.entries(cache)) {
    if (!file.endsWith(JUPYTER_MODULE)) continue;
    const write: unknown = mod?.exports?.lastWriteDisplayData;
    if (typeof write === "function") return write as WriteDisplayData;
  }
  return null;
}

/** Sends `data` as one display; with `displayId`, a later send with `update: true` replaces it in place. */
export type SendDisplay = (data: Readonly<Record<string, unknown>>, target?: { displayId?: string; update?: boolean }) => void;

/** The notebook's display, or null outside a tslab kernel (a script, a test). */
export function notebookDisplay(): SendDisplay | null {
  const write = tslabWriter();
  if (write === null) return null;
  return (data, target = {}) => {
    const transient = target.displayId === undefined ? {} : { display_id: target.displayId };
    write({ data, metadata: {}, transient }, target.update ?? false);
  };
}
