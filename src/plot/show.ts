/**
 * `show`: the one call that puts a figure in the notebook. tslab prints a cell's last value as text and
 * never renders it, so figures are displayed explicitly, as one bundle (see bundle.ts).
 */
import { summary, toBundle } from "./bundle";
import { notebookDisplay } from "./display";
import { Figure } from "./figure";
import { claimPlotly } from "./inline";

/** Displays a figure in the notebook, e.g. `plot.show(plot.heatmap(x))`. Outside a notebook (a script,
 * a test) it prints the figure's one-line summary instead. */
export function show(fig: Figure): void {
  const display = notebookDisplay();
  if (display === null) console.log(summary(fig));
  else display(toBundle(fig, { plotly: claimPlotly() }));
}
