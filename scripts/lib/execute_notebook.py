"""Executes one notebook with nbclient and reports the first failing cell.

Called by scripts/run-notebooks.ts (one process per notebook):
    python3 execute_notebook.py IN.ipynb OUT.ipynb --kernel tslab --timeout 120 [--html OUT.html]
Validates IN as nbformat 4.5, runs every cell in IN's folder, writes the executed notebook to OUT (also
when a cell fails, to help debugging), and prints one line `RESULT {json}` on stdout:
    {"ok": true, "cells": N} or {"ok": false, "cell": I, "source": FIRST_LINE, "error": TEXT}.
"""
import argparse
import json
import os
import sys
import warnings

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def failure_text(cell, error):
    """What the failing cell printed to stderr (tslab reports compile and runtime errors there) and any
    error outputs; the exception's own message when the cell left neither."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append("%s: %s" % (output.get("ename", ""), output.get("evalue", "")))
    text = "".join(parts).strip()
    return text or str(error).strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--html")
    args = parser.parse_args()

    with open(args.source, encoding="utf-8") as f:
        raw = json.load(f)
    # Validated as committed: nbformat.read would first repair missing or duplicate cell ids.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the explicit no-repair flags are "deprecated"
        try:
            nbformat.validate(
                raw, version=4, version_minor=5, repair_duplicate_cell_ids=False, strip_invalid_metadata=False
            )
        except nbformat.ValidationError as error:
            report({"ok": False, "cell": None, "source": "", "error": "not valid nbformat 4.5: %s" % error.message})
            return
    nb = nbformat.read(args.source, as_version=4)

    current = {"index": None}
    client = NotebookClient(
        nb,
        timeout=args.timeout,
        kernel_name=args.kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.source))}},
        on_cell_start=lambda cell, cell_index: current.update(index=cell_index),
    )
    result = {"ok": True, "cells": len(nb.cells)}
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        index = current["index"]
        cell = nb.cells[index] if index is not None else {}
        text = failure_text(cell, error)
        if isinstance(error, CellTimeoutError):
            text = "timed out after %d s (set --timeout or NOTEBOOK_TIMEOUT)\n%s" % (args.timeout, text)
        lines = cell.get("source", "").strip().splitlines()
        result = {"ok": False, "cell": index, "source": lines[0] if lines else "", "error": text}
    finally:
        os.makedirs(os.path.dirname(os.path.abspath(args.target)), exist_ok=True)
        nbformat.write(nb, args.target)
    if args.html:
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(nb)
        with open(args.html, "w", encoding="utf-8") as f:
            f.write(body)
    report(result)


def report(result):
    sys.stdout.write("RESULT " + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
