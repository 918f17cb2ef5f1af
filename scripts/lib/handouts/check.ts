/**
 * What the browser checks (test/handouts*.test.ts) measure, kept apart from the build so that the tests
 * derive their expectations from the executed notebooks, not from what the build says it made: the
 * figures a handout must draw, whether a notebook has math, and what a handout page shows in Chromium.
 */
import type { ICell, ICodeCell, IDisplayData, INotebookContent } from "@jupyterlab/nbformat";
import type { Browser } from "playwright-core";
import { cellSource } from "../notebook";
import { offlinePage, waitForHandout } from "./browser";
import { removedTags } from "./build";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const isCode = (cell: ICell): cell is ICodeCell => cell.cell_type === "code";

/** A figure a handout must draw: its div's id and its number of traces. */
export interface ExpectedPlot {
  id: string;
  traces: number;
}

/** The figures of an executed notebook that a handout keeps (cells and outputs removed by tag left out). */
export function expectedPlots(nb: INotebookContent, removed = removedTags({})): ExpectedPlot[] {
  const dropped = (cell: ICell): boolean => {
    const tags = (cell.metadata.tags as string[] | undefined) ?? [];
    return tags.some((t) => removed.cells.includes(t) || removed.outputs.includes(t));
  };
  return nb.cells.filter(isCode).filter((c) => !dropped(c))
    .flatMap((c) => c.outputs)
    .filter((o): o is IDisplayData => o.output_type === "display_data")
    .filter((o) => PLOTLY_MIME in o.data)
    .map((o) => {
      const html = o.data["text/html"];
      const id = /id="(minitorch-plot-[^"]+)"/.exec(Array.isArray(html) ? html.join("") : String(html))?.[1] ?? "?";
      return { id, traces: (o.data[PLOTLY_MIME] as { data: unknown[] }).data.length };
    });
}

/** Whether a notebook's markdown has TeX ($...$, $$...$$, \(...\), \[...\]) outside code. */
export function hasMath(nb: INotebookContent): boolean {
  const text = nb.cells.filter((c) => c.cell_type === "markdown").map(cellSource).join("\n")
    .replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "");
  return /\$[^$]+\$|\\\(|\\\[/.test(text);
}

/** What a handout page shows, measured in the browser. */
export interface PageFacts {
  /** Each figure div: drawn by plotly (.main-svg), its traces in plotly's data and as drawn SVG groups. */
  plots: { id: string; svg: boolean; data: number; drawnTraces: number }[];
  /** Typeset formulas, and MathJax's error nodes among them. */
  math: number;
  mathErrors: number;
  /** TeX left as text in rendered markdown (MathJax did not typeset it). */
  rawTex: string[];
  /** Figures' own plotly.js loaders left in the page (the build strips them). */
  plotlyLoaders: number;
  lightTheme: boolean;
  /** The text of the whole page, to look for cells and inputs that must be gone. */
  text: string;
}

/** The result of opening a handout offline. */
export interface Inspection {
  facts: PageFacts;
  blocked: string[];
  errors: string[];
  /** Whether a mouse drag across the first figure zoomed it (null when there is no figure). */
  zoomed: boolean | null;
}

/** Opens a handout with the network blocked, waits for figures and math, measures the page, saves a
 * screenshot of the first figure at `shot`, and drags across that figure to see that it zooms. */
export async function inspectHandout(browser: Browser, html: string, shot?: string): Promise<Inspection> {
  const { context, page, log } = await offlinePage(browser);
  try {
    await page.goto(`file://${html}`);
    await waitForHandout(page);
    const facts = await page.evaluate((): PageFacts => {
      type PlotDiv = HTMLElement & { data?: unknown[] };
      const plots = Array.from(document.querySelectorAll<PlotDiv>(".minitorch-plot")).map((div) => ({
        id: div.id,
        svg: div.querySelector(".main-svg") !== null,
        data: div.data?.length ?? 0,
        // one drawn group per trace: scatter and bar traces are g.trace, heatmaps g.hm, contours g.contour
        drawnTraces: div.querySelectorAll(
          "g.cartesianlayer g.trace, g.cartesianlayer g.hm, g.cartesianlayer g.contour",
        ).length,
      }));
      const rawTex: string[] = [];
      for (const md of Array.from(document.querySelectorAll(".jp-RenderedMarkdown"))) {
        const copy = md.cloneNode(true) as HTMLElement;
        copy.querySelectorAll("mjx-container, code, pre").forEach((e) => e.remove());
        const left = /\$[^$\s][^$]*\$|\\\(|\\\[/.exec(copy.textContent ?? "");
        if (left !== null) rawTex.push(left[0].slice(0, 80));
      }
      return {
        plots,
        math: document.querySelectorAll("mjx-container").length,
        mathErrors: document.querySelectorAll("mjx-merror, [data-mjx-error]").length,
        rawTex,
        plotlyLoaders: Array.from(document.scripts).filter((s) => s.text.startsWith("if (!window.Plotly)")).length,
        lightTheme: document.body.dataset.jpThemeLight === "true",
        text: document.body.innerText,
      };
    });
    let zoomed: boolean | null = null;
    if (facts.plots.length > 0) {
      const first = page.locator(".minitorch-plot").first();
      await first.scrollIntoViewIfNeeded();
      if (shot !== undefined) await first.screenshot({ path: shot });
      const xSpan = (): Promise<number> => first.evaluate((d) => {
        const range = (d as unknown as { _fullLayout: { xaxis: { range: number[] } } })._fullLayout.xaxis.range;
        return Math.abs(range[1] - range[0]);
      });
      const before = await xSpan();
      const box = await first.locator(".nsewdrag").first().boundingBox();
      zoomed = false;
      if (box !== null) {
        await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.6, { steps: 8 });
        await page.mouse.up();
        for (let i = 0; i < 20 && !zoomed; i++) {
          zoomed = (await xSpan()) < before * 0.9;
          if (!zoomed) await page.waitForTimeout(100);
        }
      }
    }
    return { facts, blocked: log.blocked, errors: log.errors, zoomed };
  } finally {
    await context.close();
  }
}
