/**
 * Headless Chromium (Debian's, driven by playwright-core; no browser is ever downloaded) for printing the
 * handouts and for the browser checks. Every page is offline: requests that leave the allowed origins
 * (file: for handouts, the loopback Jupyter server for the live check) are aborted and recorded, and so are
 * console errors and uncaught exceptions, so a check can assert that a page needed nothing from outside.
 */
import { existsSync } from "fs";
import { Browser, BrowserContext, Page, chromium } from "playwright-core";

/** Debian's Chromium, or $CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Starts headless Chromium; throws with the install hint when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    const install = "run `bash scripts/install-system.sh` (Debian package chromium) or set CHROMIUM_PATH";
    throw new Error(`no Chromium at ${CHROMIUM}: ${install}`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/** What a page did that an offline, error-free page must not. */
export interface PageLog {
  /** Requests aborted because they left the allowed origins. */
  blocked: string[];
  /** Console errors, uncaught exceptions and failed requests. */
  errors: string[];
}

/** Options of `offlinePage`. */
export interface OfflinePageOptions {
  allow?: (url: URL) => boolean;
  viewport?: { width: number; height: number };
  media?: "screen" | "print";
}

/** A page in its own context whose requests outside `allow` are aborted (default: file: URLs only). */
export async function offlinePage(
  browser: Browser,
  options: OfflinePageOptions = {},
): Promise<{ context: BrowserContext; page: Page; log: PageLog }> {
  const allow = options.allow ?? ((url: URL) => url.protocol === "file:");
  const log: PageLog = { blocked: [], errors: [] };
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1100, height: 900 } });
  await context.route((url) => !allow(url), (route) => {
    log.blocked.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  if (options.media !== undefined) await page.emulateMedia({ media: options.media });
  page.on("console", (message) => {
    if (message.type() === "error") log.errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => log.errors.push(`exception: ${error.message}`));
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "?";
    log.errors.push(`request failed: ${request.url().slice(0, 200)} (${reason})`);
  });
  return { context, page, log };
}

/** Waits until every figure of the page is drawn by plotly (its div holds a .main-svg) and MathJax has
 * typeset the page; `plots` is how many figures to wait for (default: every .minitorch-plot present). */
export async function waitForHandout(page: Page, options: { timeout?: number } = {}): Promise<void> {
  await page.waitForFunction(
    () => {
      const plots = Array.from(document.querySelectorAll(".minitorch-plot"));
      const drawn = plots.every((div) => div.querySelector(".main-svg") !== null);
      const mathjax = (window as { MathJax?: { startup?: { promise?: Promise<unknown> } } }).MathJax;
      return drawn && (mathjax === undefined || mathjax.startup?.promise !== undefined);
    },
    undefined,
    { timeout: options.timeout ?? 60_000, polling: 100 },
  );
  await page.evaluate(async () => {
    const mathjax = (window as { MathJax?: { startup?: { promise?: Promise<unknown> } } }).MathJax;
    await mathjax?.startup?.promise;
  });
}

/** A figure replaced by its static image for printing. */
export interface PlotImage {
  id: string;
  /** The image's size in pixels (the figure's CSS size times the scale). */
  width: number;
  height: number;
}

/** Replaces every drawn figure by a PNG of itself (plotly's toImage, at `scale` times its CSS size), so
 * that print shows exactly what the screen showed and the PDF carries one image per figure. */
export async function plotsToImages(page: Page, scale = 2): Promise<PlotImage[]> {
  return page.evaluate(async (scale) => {
    type Plotly = { toImage(gd: HTMLElement, o: object): Promise<string>; purge(gd: HTMLElement): void };
    const Plotly = (window as unknown as { Plotly: Plotly }).Plotly;
    const images: { id: string; width: number; height: number }[] = [];
    for (const div of Array.from(document.querySelectorAll<HTMLElement>(".minitorch-plot"))) {
      const width = Math.round(div.getBoundingClientRect().width);
      const height = Math.round(div.getBoundingClientRect().height);
      const url = await Plotly.toImage(div, { format: "png", width, height, scale });
      const img = document.createElement("img");
      await new Promise<void>((resolve, reject) => {
        img.onload = () => resolve();
        img.onerror = () => reject(new Error(`the image of ${div.id} did not load`));
        img.src = url;
      });
      img.className = "minitorch-plot-image";
      img.alt = div.id;
      img.dataset.plot = div.id;
      img.style.width = `${width}px`;
      Plotly.purge(div);
      div.replaceWith(img);
      images.push({ id: div.id, width: img.naturalWidth, height: img.naturalHeight });
    }
    return images;
  }, scale);
}

/** Page size and margins of the PDFs; the viewport is set to the printable width so that figures are
 * drawn (and their images made) at the size they are printed. */
export const PRINT = { format: "A4", widthMm: 210, marginMm: 12 } as const;
/** CSS pixels across the printable width of a page. */
export const PRINT_WIDTH = Math.floor(((PRINT.widthMm - 2 * PRINT.marginMm) / 25.4) * 96);

/** Prints the page to a PDF with page numbers in the footer. */
export async function printPdf(page: Page, path: string, title: string): Promise<void> {
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const mm = `${PRINT.marginMm}mm`;
  await page.pdf({
    path,
    format: PRINT.format,
    printBackground: true,
    margin: { top: mm, right: mm, bottom: `${PRINT.marginMm + 6}mm`, left: mm },
    displayHeaderFooter: true,
    headerTemplate: "<span></span>",
    footerTemplate:
      `<div style="font-size:8px;color:#666;width:100%;padding:0 ${mm};display:flex;justify-content:space-between">` +
      `<span>${escaped}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
  });
}
