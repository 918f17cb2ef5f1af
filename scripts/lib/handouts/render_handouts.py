"""Renders executed notebooks to self-contained HTML handouts with nbconvert.

Called by scripts/lib/handouts/build.ts with one JSON job on stdin:
    {"template_dir": ".../templates", "template": "handout", "theme": "light",
     "remove_cell_tags": [...], "remove_input_tags": [...], "remove_output_tags": [...],
     "assets": {"plotly": PATH, "mathjax": PATH, "css": PATH},
     "notebooks": [{"source": EXECUTED.ipynb, "target": OUT.html, "title": TITLE, "path": SOURCE_DIR,
                    "index": "index.html" or ""}]}
For each notebook: drops the cells, inputs and outputs tagged for it (TagRemovePreprocessor), strips the
copies of plotly.js that the figures carry (a dropped cell may hold the only one) and inlines one copy in
the page's head instead, inlines MathJax, and writes the page. Prints one line per notebook:
    RESULT {"target": ..., "plots": N, "bytes": B}
and exits non-zero on the first failure, with the error on stderr.
"""
import json
import os
import re
import sys

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

# How src/plot/html.ts inlines plotly.js in a figure's HTML: a guarded script element. The bundle is
# escaped so that it never contains "</script", so the first "</script>" after the start ends it.
PLOTLY_START = '<script type="text/javascript">if (!window.Plotly) {\n'
SCRIPT_END = "</script>"
PLOT_DIV = re.compile(r'<div id="(minitorch-plot-[A-Za-z0-9_-]+)" class="minitorch-plot"')


def script_source(js):
    """JavaScript that is safe inside an inline <script> (as src/plot/escape.ts scriptSource)."""
    return re.sub(r"<(/script|!--)", r"\\x3C\1", js, flags=re.IGNORECASE)


def strip_plotly(html):
    """The HTML without its guarded plotly.js loaders, and how many were removed."""
    removed = 0
    while True:
        start = html.find(PLOTLY_START)
        if start < 0:
            return html, removed
        end = html.find(SCRIPT_END, start)
        if end < 0:
            raise ValueError("a plotly.js loader in a figure's HTML has no closing </script>")
        end += len(SCRIPT_END)
        if html.startswith("\n", end):
            end += 1
        html = html[:start] + html[end:]
        removed += 1


class StripPlotlyPreprocessor(Preprocessor):
    """Removes plotly.js from every figure's text/html and counts the figures the page will draw."""

    def preprocess(self, nb, resources):
        plots = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                html = output.get("data", {}).get("text/html")
                if html is None:
                    continue
                if isinstance(html, list):
                    html = "".join(html)
                html, _ = strip_plotly(html)
                output["data"]["text/html"] = html
                plots += len(PLOT_DIV.findall(html))
        resources["handout_plots"] = plots
        if plots == 0:  # a page without figures does not carry plotly.js
            resources["handout"] = dict(resources["handout"], plotly="")
        return nb, resources


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    job = json.load(sys.stdin)
    config = Config()
    config.HTMLExporter.extra_template_basedirs = [job["template_dir"]]
    config.HTMLExporter.template_name = job["template"]
    config.HTMLExporter.theme = job["theme"]
    config.HTMLExporter.embed_images = True  # images a markdown cell links to travel inside the page
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(job["remove_cell_tags"])
    config.TagRemovePreprocessor.remove_input_tags = set(job["remove_input_tags"])
    config.TagRemovePreprocessor.remove_all_outputs_tags = set(job["remove_output_tags"])
    exporter = HTMLExporter(config=config)
    exporter.register_preprocessor(StripPlotlyPreprocessor, enabled=True)

    assets = job["assets"]
    plotly = script_source(read(assets["plotly"]))
    mathjax = script_source(read(assets["mathjax"]))
    css = read(assets["css"])

    for item in job["notebooks"]:
        name = os.path.splitext(os.path.basename(item["source"]))[0]
        # relative image paths in markdown are the source notebook's, not the executed copy's
        handout = {"plotly": plotly, "mathjax": mathjax, "css": css, "index": item["index"]}
        resources = {"metadata": {"name": name, "path": item["path"]}, "handout": handout}
        nb = nbformat.read(item["source"], as_version=4)
        nb.metadata["title"] = item["title"]  # the page's <title>, and the PDF's
        body, out = exporter.from_notebook_node(nb, resources=resources)
        os.makedirs(os.path.dirname(os.path.abspath(item["target"])), exist_ok=True)
        with open(item["target"], "w", encoding="utf-8") as f:
            f.write(body)
        result = {"target": item["target"], "plots": out.get("handout_plots", 0), "bytes": len(body.encode("utf-8"))}
        sys.stdout.write("RESULT " + json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # reported to build.ts, which names the notebook
        sys.stderr.write("%s: %s\n" % (type(error).__name__, error))
        sys.exit(1)
