/**
 * Training curves: loss (and accuracy, usually on the right-hand axis) per epoch, the plot every training
 * lecture ends with. `live` draws the same figure while training runs.
 */
import { check } from "../errors";
import { Figure, color } from "./figure";
import { LineOptions, seriesFigure } from "./line";
import { Values, toNumbers } from "./values";

/** Plots each named history against its step 1, 2, 3, ...,
 * e.g. `curves({ loss, accuracy }, { right: ["accuracy"] })`. */
export function curves(history: Readonly<Record<string, Values>>, options: LineOptions = {}): Figure {
  const entries = Object.entries(history);
  check(entries.length > 0, "plot.curves", () =>
    "history must name at least one series, e.g. { loss: [0.9, 0.5, 0.3] }");
  const series = entries.map(([name, values], k) => {
    const y = toNumbers(values, "plot.curves", `history[${JSON.stringify(name)}]`);
    return { name, x: y.map((_, i) => i + 1), y, color: color(k) };
  });
  return seriesFigure(series, { xLabel: "epoch", ...options }, "plot.curves");
}
