/**
 * A JupyterLab MIME renderer for plotly figures (`application/vnd.plotly.v1+json`, the first entry of
 * every bundle `plot.show` sends). It draws with the project's own plotly.js, bundled by the app and
 * loaded on the first figure, so nothing comes from the network and nothing depends on an earlier output
 * having put plotly.js in the page: a reloaded page, a second tab and a notebook reopened from disk draw
 * every figure. The renderer is safe (figure JSON, no scripts), so untrusted notebooks draw too, and it
 * ranks above the HTML fallback. An `update_display_data` (a live training figure) redraws in place.
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import type { Message } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import type { Config, Data, Layout } from "plotly.js-dist-min";

/** The MIME type plotly's renderers register (JupyterLab, VS Code). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** What the kernel sends: a plotly figure. */
interface Figure {
  data: Data[];
  layout?: Partial<Layout>;
  config?: Partial<Config>;
}

type Plotly = typeof import("plotly.js-dist-min");
let plotly: Promise<Plotly> | null = null;

/** plotly.js, fetched (a chunk of the app of its own, 4.8 MB, named for the build) when the first figure is
 * drawn. */
function loadPlotly(): Promise<Plotly> {
  plotly ??= import(/* webpackChunkName: "plotly" */ "plotly.js-dist-min").then(
    (module) => ("default" in module ? module.default : module) as Plotly,
  );
  return plotly;
}

/** Height of a figure whose layout sets none: the HTML fallback's default, so both look alike. */
const DEFAULT_HEIGHT = 360;

/** One figure output. Drawing waits until the widget is in the page, so plotly measures its real width. */
export class PlotlyFigure extends Widget implements IRenderMime.IRenderer {
  private readonly graph = document.createElement("div");
  private attached: Promise<void>;
  private markAttached: () => void = () => undefined;
  private drawing: Promise<void> = Promise.resolve();
  private drawn = false;

  constructor() {
    super();
    this.addClass("minitorch-plotly");
    // the class the HTML fallback's div has, so one selector finds every figure in any front end
    this.graph.className = "minitorch-plot";
    this.node.appendChild(this.graph);
    this.attached = new Promise((resolve) => (this.markAttached = resolve));
  }

  /** Draws the figure, or redraws it in place (Plotly.react) when an update replaces the output. */
  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const figure = model.data[PLOTLY_MIME] as unknown as Figure;
    // updates of a live figure may arrive faster than plotly draws: draw them in order
    this.drawing = this.drawing.then(() => this.draw(figure));
    return this.drawing;
  }

  private async draw(figure: Figure): Promise<void> {
    const [Plotly] = await Promise.all([loadPlotly(), this.attached]);
    if (this.isDisposed) return;
    const layout = figure.layout ?? {};
    this.graph.style.width = layout.width === undefined ? "100%" : `${layout.width}px`;
    this.graph.style.height = `${layout.height ?? DEFAULT_HEIGHT}px`;
    try {
      await Plotly.react(this.graph, figure.data, layout, figure.config);
      this.drawn = true;
    } catch (error) {
      this.graph.textContent = `plotly could not draw this figure: ${(error as Error).message}`;
    }
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.markAttached();
    this.resize();
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.resize();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.resize();
  }

  dispose(): void {
    if (this.isDisposed) return;
    if (this.drawn) void loadPlotly().then((Plotly) => Plotly.purge(this.graph));
    super.dispose();
  }

  /** Fits a figure without a fixed width to the width it now has. */
  private resize(): void {
    if (this.drawn && this.isVisible) void loadPlotly().then((Plotly) => Plotly.Plots.resize(this.graph));
  }
}

/** The renderer's factory: safe (no scripts run), for the plotly MIME type only. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PLOTLY_MIME],
  createRenderer: () => new PlotlyFigure(),
};

/** The MIME extension, ranked 0 so it wins over `text/html` (rank 50) in every bundle that holds both. */
const extension: IRenderMime.IExtension = {
  id: "@minitorch/plotly-renderer:plugin",
  description: "Draws plotly figures with the project's own plotly.js, offline.",
  rendererFactory,
  rank: 0,
  dataType: "json",
};

export default extension;
