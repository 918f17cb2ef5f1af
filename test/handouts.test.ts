// `npm run handouts` on the lecture series, checked the way a student opens the result: every HTML
// handout in headless Chromium with the network blocked (figures drawn with their traces, interactive,
// math typeset, nothing fetched, nothing logged as an error; a screenshot of the first figure goes to
// build/screenshots/handouts/), every PDF with poppler (pages, each figure as one non-blank image on one
// page), and the index page. Runs after test/notebooks-run.test.ts (vitest.config.ts, group 1), so the
// build reuses the executed notebooks in build/notebooks instead of executing the series again.
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "fs";
import { basename, join } from "path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium, offlinePage } from "../scripts/lib/handouts/browser";
import { HANDOUTS, Manifest } from "../scripts/lib/handouts/build";
import { expectedPlots, hasMath, inspectHandout } from "../scripts/lib/handouts/check";
import { pdfImageInk, pdfImages, pdfPages } from "../scripts/lib/handouts/pdf";
import { NOTEBOOKS, ROOT } from "../scripts/lib/jupyter";
import { listNotebooks, readNotebook } from "../scripts/lib/notebook";

const EXECUTED = join(ROOT, "build", "notebooks");
const SCREENSHOTS = join(ROOT, "build", "screenshots", "handouts");
const SOURCES = listNotebooks(NOTEBOOKS);

let build: { status: number | null; output: string; seconds: number };
let manifest: Manifest;
let browser: Browser;

beforeAll(async () => {
  const started = Date.now();
  const run = spawnSync("npm", ["run", "handouts"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  build = { status: run.status, output: `${run.stdout}\n${run.stderr}`, seconds: (Date.now() - started) / 1000 };
  if (run.status === 0) manifest = JSON.parse(readFileSync(join(HANDOUTS, "handouts.json"), "utf8")) as Manifest;
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
}, 30 * 60_000);

afterAll(async () => {
  await browser?.close();
});

test("npm run handouts builds an HTML handout and a PDF per notebook, and the index", () => {
  expect(build.status, build.output).toBe(0);
  expect(manifest.handouts.map((h) => `${h.name}.ipynb`)).toEqual(SOURCES.map((s) => basename(s)));
  for (const h of manifest.handouts) {
    expect(statSync(join(HANDOUTS, h.html)).size).toBe(h.htmlBytes);
    expect(statSync(join(HANDOUTS, h.pdf ?? "missing.pdf")).size).toBe(h.pdfBytes);
  }
  expect(existsSync(join(HANDOUTS, "index.html"))).toBe(true);
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  const { executed, reused } = manifest.executed;
  const sizes = manifest.handouts.map((h) =>
    `  ${h.name}: HTML ${mb(h.htmlBytes)}, PDF ${mb(h.pdfBytes ?? 0)}, ${h.plots} figures`);
  console.log(
    `handouts built in ${build.seconds.toFixed(0)} s (${JSON.stringify(manifest.seconds)}; ` +
      `executed ${executed.length}, reused ${reused.length}):\n${sizes.join("\n")}`,
  );
});

describe.each(SOURCES.map((s) => [basename(s, ".ipynb"), s]))("%s", (name) => {
  const html = join(HANDOUTS, `${name}.html`);
  const pdf = join(HANDOUTS, `${name}.pdf`);

  test("the HTML handout draws every figure with its traces, interactively, typesets math, offline", async () => {
    expect(build.status, "the build failed (see the first test)").toBe(0);
    const executed = readNotebook(join(EXECUTED, `${name}.ipynb`));
    const expected = expectedPlots(executed);
    const source = readFileSync(html, "utf8");
    // plotly.js travels inside the page, once (not once per figure); nothing is loaded from elsewhere
    expect(source.split("/**\n* plotly.js v").length - 1).toBe(expected.length > 0 ? 1 : 0);
    expect(source).not.toMatch(/<(script|link|img)\b[^>]*\b(src|href)="(https?:)?\/\//i);

    const { facts, blocked, errors, zoomed } = await inspectHandout(browser, html, join(SCREENSHOTS, `${name}.png`));
    expect(blocked, "requests that left the page").toEqual([]);
    expect(errors, "errors the page logged").toEqual([]);
    expect(facts.plots.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    for (const [i, p] of facts.plots.entries()) {
      const { traces } = expected[i];
      expect({ id: p.id, svg: p.svg, data: p.data, drawn: p.drawnTraces })
        .toEqual({ id: p.id, svg: true, data: traces, drawn: traces });
    }
    expect(facts.plotlyLoaders, "figures' own plotly.js copies are stripped").toBe(0);
    if (expected.length > 0) {
      expect(zoomed, "dragging across the first figure zooms it").toBe(true);
      expect(statSync(join(SCREENSHOTS, `${name}.png`)).size).toBeGreaterThan(5_000);
    }
    if (hasMath(readNotebook(join(NOTEBOOKS, `${name}.ipynb`)))) expect(facts.math).toBeGreaterThan(0);
    expect(facts.mathErrors).toBe(0);
    expect(facts.rawTex, "TeX left untypeset").toEqual([]);
    expect(facts.lightTheme).toBe(true);
  }, 120_000);

  test("the PDF has pages and shows every figure as one non-blank image on one page", () => {
    expect(build.status, "the build failed (see the first test)").toBe(0);
    const handout = manifest.handouts.find((h) => h.name === name);
    const expected = expectedPlots(readNotebook(join(EXECUTED, `${name}.ipynb`)));
    expect(handout?.images.map((i) => i.id)).toEqual(expected.map((p) => p.id));
    expect(pdfPages(pdf)).toBeGreaterThan(0);

    const images = pdfImages(pdf).filter((i) => i.type === "image");
    const ink = pdfImageInk(pdf);
    const unused = [...images];
    for (const figure of handout?.images ?? []) {
      const at = unused.findIndex((i) => i.width === figure.width && i.height === figure.height);
      expect(at, `an image of ${figure.width}x${figure.height} for ${figure.id}`).toBeGreaterThanOrEqual(0);
      const image = unused.splice(at, 1)[0];
      // drawn on exactly one page (an image cut across a page break is drawn on two)
      expect(images.filter((i) => i.object === image.object).map((i) => i.page)).toEqual([image.page]);
      const stats = ink.get(image.num);
      expect(stats?.inked, `ink of ${figure.id}`).toBeGreaterThan(0.005);
      expect(stats?.colours, `colours of ${figure.id}`).toBeGreaterThan(8);
    }
  }, 60_000);
});

test("the index lists every handout with its title, one-line summary and links, and works offline", async () => {
  expect(build.status, "the build failed (see the first test)").toBe(0);
  const { context, page, log } = await offlinePage(browser);
  try {
    await page.goto(`file://${join(HANDOUTS, "index.html")}`);
    const entries = await page.$$eval("ol.toc > li", (items) => items.map((li) => ({
      title: li.querySelector("a.title")?.textContent?.trim() ?? "",
      href: li.querySelector("a.title")?.getAttribute("href") ?? "",
      summary: li.querySelector(".summary")?.textContent?.trim() ?? "",
      pdf: li.querySelector("a.pdf")?.getAttribute("href") ?? "",
      live: li.querySelector("a.live")?.getAttribute("href") ?? "",
    })));
    expect(entries.map((e) => e.href)).toEqual(manifest.handouts.map((h) => h.html));
    for (const [i, e] of entries.entries()) {
      const h = manifest.handouts[i];
      expect(e.title).toBe(h.title);
      expect(e.title).toMatch(/^\d\d\b/); // the lecture's own "# NN — Title" heading
      expect(e.summary.length).toBeGreaterThan(10);
      expect(e.summary).not.toContain("\n");
      expect(existsSync(join(HANDOUTS, decodeURI(e.href)))).toBe(true);
      expect(existsSync(join(HANDOUTS, decodeURI(e.pdf)))).toBe(true);
      // the lecture in the course's site (npm run lite, built before the tests), beside the handouts in build/
      const live = new URL(e.live, `file://${HANDOUTS}/index.html`);
      expect(live.pathname).toBe(join(HANDOUTS, "..", "lite", "lab", "index.html"));
      expect(existsSync(join(HANDOUTS, "..", "lite", "files", live.searchParams.get("path") ?? ""))).toBe(true);
      expect(live.searchParams.get("path")).toBe(`lectures/${basename(h.source)}`);
    }
    // the first entry's link opens its handout
    await page.click("ol.toc > li:first-child a.title");
    await page.waitForURL(`**/${manifest.handouts[0].html}`);
    expect(log.blocked).toEqual([]);
    expect(log.errors).toEqual([]);
  } finally {
    await context.close();
  }
}, 120_000);
