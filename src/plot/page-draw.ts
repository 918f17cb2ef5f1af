/**
 * The script each figure's HTML fallback runs in the page, written here as a function (so it is
 * type-checked) and sent as its source. It draws the figure with the page's `window.Plotly`. A page
 * can lack plotly.js although the kernel already sent it (the page was reloaded, a second tab, a saved
 * notebook whose outputs came back out of order): the script then gives later outputs one turn to load
 * it, and else loads plotly.js from the Jupyter server that serves the page (`npm run lab` and the
 * browser tests start servers that serve it as a static file). With no server to ask (an exported HTML
 * file), the div says what to do instead of staying blank.
 */
import type { Figure } from "./figure";

/** What the page script needs besides the figure. */
export interface PageDrawOptions {
  /** Where the Jupyter server serves plotly.js, relative to its base URL. */
  plotlyPath: string;
  /** What the div shows when plotly.js cannot be had. */
  missing: string;
}

type PlotlyInPage = { newPlot(el: HTMLElement, data: unknown, layout: unknown, config: unknown): unknown };
type PageWindow = Window & { Plotly?: PlotlyInPage; minitorchPlotly?: Promise<void> };

/** Runs in the browser only, from its source text: it must not use anything outside its own body. */
export function drawInPage(id: string, fig: Figure, options: PageDrawOptions): void {
  const page = window as PageWindow;
  let tries = 0;
  let waited = false;

  /** The Jupyter server's base URL: JupyterLab and Notebook 7 put it in their page config, Notebook 6
   * on the body; null in a page no Jupyter server made. */
  function baseUrl(): string | null {
    const config = document.getElementById("jupyter-config-data");
    if (config !== null) {
      try {
        return (JSON.parse(config.textContent ?? "{}") as { baseUrl?: string }).baseUrl ?? null;
      } catch {
        return null;
      }
    }
    return document.body.getAttribute("data-base-url");
  }

  /** Loads plotly.js from the server once per page, however many figures ask. */
  function loadFromServer(): Promise<void> {
    const base = baseUrl();
    if (base === null) return Promise.reject(new Error("no Jupyter server"));
    page.minitorchPlotly ??= new Promise<void>((resolve, reject) => {
      const script = document.createElement("script");
      script.src = `${base.replace(/\/?$/, "/")}${options.plotlyPath}`;
      script.onload = () => (page.Plotly ? resolve() : reject(new Error("no Plotly")));
      script.onerror = () => reject(new Error(`${script.src} did not load`));
      document.head.appendChild(script);
    });
    return page.minitorchPlotly;
  }

  function draw(): void {
    // JupyterLab may run the script just before it attaches the output
    const el = document.getElementById(id);
    if (el === null) {
      if (tries++ < 100) setTimeout(draw, 50);
      return;
    }
    if (page.Plotly) {
      el.textContent = "";
      page.Plotly.newPlot(el, fig.data, fig.layout, fig.config);
    } else if (!waited) {
      // a later output of the same page may carry plotly.js: let the outputs rendering now run first
      waited = true;
      setTimeout(draw, 0);
    } else {
      loadFromServer().then(draw, () => (el.textContent = options.missing));
    }
  }
  draw();
}
