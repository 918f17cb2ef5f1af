// A browser check's navigation of a page it keeps open across notebooks (test/lab.test.ts, test/lite.test.ts).
import type { PageLog } from "../../scripts/lib/handouts/browser";

/** Runs `go` (a goto or reload of the page): the requests of the page it leaves that it aborts (polls of the
 * server, a worker's fetches) are not errors, so they leave the log; every other error stays. */
export async function navigate(log: PageLog, go: () => Promise<unknown>): Promise<void> {
  const before = log.errors.length;
  await go();
  const kept = log.errors.splice(before).filter((e) => !/^request failed: .* \(net::ERR_ABORTED\)$/.test(e));
  log.errors.push(...kept);
}
