/**
 * A live training figure: the cell shows its loss curve and a progress line while it trains. Both are
 * displays with an id; each redraw sends `update_display_data`, which replaces them in place. Redraws
 * are throttled; the last one (at `total` steps, or `done()`) always happens, and is what the saved
 * notebook keeps.
 */
import { check } from "../errors";
import { summary, toBundle } from "./bundle";
import { notebookDisplay } from "./display";
import { Figure, color } from "./figure";
import { randomHex } from "./html";
import { InlineMode, claimPlotly, inlineMode } from "./inline";
import { LineOptions, Series, seriesFigure } from "./line";

/** Options of `live`. */
export interface LiveOptions extends LineOptions {
  /** Number of steps the training will take: drawn as a progress bar, and the last step redraws. */
  total?: number;
  /** Milliseconds between redraws (default 500; at least 2000 when every figure carries plotly.js). */
  every?: number;
  /** Name of one step in the progress line and on the x axis (default "epoch"). */
  unit?: string;
  /** What each redraw shows instead of the pushed curves, e.g. `() => plot.scatter(points, { boundary })`
   * for a decision boundary that moves while the model trains; called only when a redraw happens. */
  draw?: () => Figure;
}

/** A figure that grows while training runs. */
export interface LiveFigure {
  /** Records one value per named series at the next step, e.g. `fig.push({ loss, accuracy })`. */
  push(values: Readonly<Record<string, number>>): void;
  /** Redraws the final state; called by itself when the step count reaches `total`. */
  done(): void;
  /** Everything pushed so far, per series, e.g. to assert that the loss went down. */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** The figure as it stands. */
  figure(): Figure;
  /** The progress line as it stands, e.g. `epoch 3/10 [######--------------] 30% | loss 0.4123 | 1.2 s`. */
  progress(): string;
}

/** Starts a live figure, e.g. `const fig = plot.live({ total: epochs, right: ["accuracy"] })`,
 * then `fig.push({ loss })` per epoch. */
export function live(options: LiveOptions = {}): LiveFigure {
  return new Live(options);
}

/** Redraw interval floor when each redraw ships plotly.js (4.8 MB) in its HTML. */
const HEAVY_INTERVAL_MS = 2000;

class Live implements LiveFigure {
  readonly history: Record<string, number[]> = {};
  private readonly x: Record<string, number[]> = {};
  private steps = 0;
  private readonly started = Date.now();
  private lastDraw = -Infinity;
  private drawn = false;
  private finished = false;
  private carriesPlotly = false;
  private readonly id = randomHex(8);
  private readonly mode: InlineMode = inlineMode();

  constructor(private readonly options: LiveOptions) {
    const { total, every } = options;
    check(total === undefined || (Number.isInteger(total) && total > 0), "plot.live", () =>
      `total must be a positive integer, got ${total}`);
    check(every === undefined || every >= 0, "plot.live", () =>
      `every must be a number of milliseconds >= 0, got ${every}`);
  }

  push(values: Readonly<Record<string, number>>): void {
    check(!this.finished, "LiveFigure.push", () => "called after done(): start a new figure with plot.live()");
    const entries = Object.entries(values);
    check(entries.length > 0, "LiveFigure.push", () => "pass at least one named value, e.g. fig.push({ loss: 0.42 })");
    this.steps++;
    for (const [name, v] of entries) {
      check(typeof v === "number", "LiveFigure.push", () =>
        `${JSON.stringify(name)} must be a number, got ${typeof v}; use .item() on a tensor`);
      (this.history[name] ??= []).push(v);
      (this.x[name] ??= []).push(this.steps);
    }
    if (this.steps === this.options.total) this.done();
    else if (Date.now() - this.lastDraw >= this.interval()) this.draw(false);
  }

  done(): void {
    if (this.finished) return;
    this.finished = true;
    this.draw(true);
  }

  figure(): Figure {
    if (this.options.draw !== undefined) return this.options.draw();
    const series = Object.keys(this.history).map((name, k): Series =>
      ({ name, x: this.x[name], y: this.history[name], color: color(k) }));
    // A series named in `right` or `markersOnly` may arrive later (validation every few epochs): only a
    // finished figure insists that every named series was plotted, which still catches typos.
    const arrived = (names?: readonly string[]) => (this.finished ? names : names?.filter((n) => n in this.history));
    const { right, markersOnly } = this.options;
    const options = { ...this.options, right: arrived(right), markersOnly: arrived(markersOnly) };
    return seriesFigure(series, { xLabel: this.options.unit ?? "epoch", ...options }, "plot.live");
  }

  progress(): string {
    const { total } = this.options;
    const unit = this.options.unit ?? "epoch";
    const head = total === undefined
      ? `${unit} ${this.steps}`
      : `${unit} ${this.steps}/${total} ${bar(this.steps / total)}`;
    const latest = Object.entries(this.history).map(([name, v]) => `${name} ${v[v.length - 1].toPrecision(4)}`);
    return [head, ...latest, `${((Date.now() - this.started) / 1000).toFixed(1)} s`].join(" | ");
  }

  private interval(): number {
    const every = this.options.every ?? 500;
    return this.mode === "every" ? Math.max(every, HEAVY_INTERVAL_MS) : every;
  }

  /** Intermediate redraws skip plotly.js when the page already has it; the final one carries it again
   * if the first did, since it replaces the first in the saved notebook. */
  private draw(final: boolean): void {
    this.lastDraw = Date.now();
    const display = notebookDisplay();
    if (display === null) {
      if (final) console.log(`${this.progress()}\n${summary(this.figure())}`);
      return;
    }
    if (!this.drawn) this.carriesPlotly = claimPlotly();
    const plotly = this.mode === "every" || (this.carriesPlotly && (final || !this.drawn));
    const update = this.drawn;
    this.drawn = true;
    display({ "text/plain": this.progress() }, { displayId: `${this.id}-progress`, update });
    display(toBundle(this.figure(), { plotly }), { displayId: `${this.id}-figure`, update });
  }
}

/** A 20-character text progress bar with the percentage, e.g. `[#####---------------] 25%`. */
function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, fraction) * 20);
  return `[${"#".repeat(filled)}${"-".repeat(20 - filled)}] ${Math.round(fraction * 100)}%`;
}
