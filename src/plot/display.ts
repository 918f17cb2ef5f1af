/**
 * Sending a display bundle to the notebook through the kernel's display writer. tslab's public `display`
 * sends one MIME type per message, so the platform (../platform) gives the hook its `display` uses
 * (`lastWriteDisplayData` of tslab's jupyter module), or the browser kernel's; outside a kernel there is
 * none, and nothing is sent.
 */
import { platform } from "../platform";

export type { DisplayMessage } from "../platform";

/** Sends `data` as one display; with `displayId`, a later send with `update: true` replaces it in place. */
export type SendDisplay = (
  data: Readonly<Record<string, unknown>>,
  target?: { displayId?: string; update?: boolean },
) => void;

/** The notebook's display, or null outside a tslab kernel (a script, a test). */
export function notebookDisplay(): SendDisplay | null {
  const write = platform.displayWriter();
  if (write === null) return null;
  return (data, target = {}) => {
    const transient = target.displayId === undefined ? {} : { display_id: target.displayId };
    write({ data, metadata: {}, transient }, target.update ?? false);
  };
}
