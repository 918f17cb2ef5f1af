"""Runs a prepared homework notebook cell by cell on a Jupyter kernel, surviving timeouts and dead kernels.

Called by scripts/grade.ts (scripts/lib/homework/execute.ts), one process per submission:
    python3 run_cells.py PLAN.json
PLAN.json: {"notebook": IN.ipynb, "output": OUT.ipynb, "kernel": "tslab", "cwd": DIR,
            "timeout": SECONDS, "grace": SECONDS, "replay": ["always" | "if_ok" | "never", one per cell]}

Each code cell gets its own deadline. When it passes, the kernel is interrupted (tslab stops synchronous
code on SIGINT, so the cell's output shows where it was) and given `grace` seconds to reply. Then, as when
the kernel dies, a fresh kernel is started (an interrupted script may leave state half-updated, since V8
skips `finally` blocks when it terminates one), and the cells marked "always" (the grader's prelude, the
locked setup) plus the "if_ok" cells that ran cleanly before (the student's answers) are replayed
silently, so one runaway answer costs only its own task. Prints one line `RESULT {json}`: {"cells": [{"status", "seconds"}], "events": [...]}, where status is
ok | error | timeout | died | skipped (markdown) and events list timeouts, interrupts and restarts.
Needs only jupyter_client and nbformat (Debian's Jupyter).
"""
import json
import os
import queue
import sys
import time

import nbformat
from jupyter_client.manager import KernelManager

POLL = 0.05


def output_from(msg):
    """The nbformat output for an iopub message, or None for messages that are not outputs."""
    kind = msg["header"]["msg_type"]
    content = msg["content"]
    if kind == "stream":
        return nbformat.v4.new_output("stream", name=content["name"], text=content["text"])
    if kind in ("display_data", "execute_result"):
        out = nbformat.v4.new_output("display_data", data=content.get("data", {}), metadata=content.get("metadata", {}))
        return out
    if kind == "error":
        return nbformat.v4.new_output("error", ename=content.get("ename", ""), evalue=content.get("evalue", ""),
                                      traceback=content.get("traceback", []))
    return None


class Kernel:
    """One kernel process and its blocking client."""

    def __init__(self, name, cwd):
        self.km = KernelManager(kernel_name=name)
        self.km.start_kernel(cwd=cwd)
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def alive(self):
        return self.km.is_alive()

    def close(self):
        try:
            self.kc.stop_channels()
        finally:
            if self.km.is_alive():
                self.km.shutdown_kernel(now=True)

    def run(self, code, timeout, grace, events, index):
        """Executes `code`; returns (status, outputs, usable): status is ok | error | timeout | died, and
        usable says whether the kernel can run the next cell (an interrupted cell that replied leaves it so)."""
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
        outputs = []
        reply = None
        idle = False
        deadline = time.monotonic() + timeout
        interrupted_at = None
        while reply is None or not idle:
            got = False
            try:
                msg = self.kc.get_iopub_msg(timeout=POLL)
                got = True
                if msg.get("parent_header", {}).get("msg_id") == msg_id:
                    kind = msg["header"]["msg_type"]
                    if kind == "status" and msg["content"]["execution_state"] == "idle":
                        idle = True
                    elif kind == "clear_output":
                        outputs = []
                    else:
                        out = output_from(msg)
                        if out is not None:
                            outputs.append(out)
            except queue.Empty:
                pass
            try:
                msg = self.kc.get_shell_msg(timeout=0)
                got = True
                if msg.get("parent_header", {}).get("msg_id") == msg_id:
                    reply = msg
            except queue.Empty:
                pass
            if got:
                continue
            now = time.monotonic()
            if not self.alive():
                events.append({"cell": index, "event": "died"})
                return "died", outputs, False
            if interrupted_at is None and now > deadline:
                events.append({"cell": index, "event": "timeout", "after": timeout})
                self.km.interrupt_kernel()
                interrupted_at = now
            elif interrupted_at is not None and now > interrupted_at + grace:
                events.append({"cell": index, "event": "unresponsive", "after": grace})
                return "timeout", outputs, False
        status = reply["content"].get("status", "error")
        if status != "ok":
            # tslab aborts requests that arrive within 200 ms of an error: let that window pass.
            time.sleep(0.3)
        if interrupted_at is not None:
            # The interrupt stopped the cell, but V8 skips `finally` blocks when it terminates a script, so
            # the kernel's state may be half-updated (e.g. autodiff left in no-grad mode): start afresh.
            events.append({"cell": index, "event": "interrupted"})
            return "timeout", outputs, False
        return ("ok" if status == "ok" else "error"), outputs, True


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    nb = nbformat.read(plan["notebook"], as_version=4)
    replay = plan["replay"]
    timeout = float(plan["timeout"])
    grace = float(plan.get("grace", 5))
    events = []
    results = [None] * len(nb.cells)
    kernel = None
    try:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                results[index] = {"status": "skipped", "seconds": 0}
                continue
            if kernel is None or not kernel.alive():
                if kernel is not None:
                    kernel.close()
                kernel = start(plan, nb, results, index, replay, timeout, grace, events)
            started = time.monotonic()
            status, outputs, usable = kernel.run(cell.source, timeout, grace, events, index)
            cell.outputs = outputs
            cell.execution_count = index
            results[index] = {"status": status, "seconds": round(time.monotonic() - started, 3)}
            if not usable:
                kernel.close()
                kernel = None
    finally:
        if kernel is not None:
            kernel.close()
        nbformat.write(nb, plan["output"])
    sys.stdout.write("RESULT " + json.dumps({"cells": results, "events": events}) + "\n")


def start(plan, nb, results, upto, replay, timeout, grace, events):
    """A fresh kernel with the earlier cells that must be there replayed (their outputs are dropped)."""
    kernel = Kernel(plan["kernel"], plan["cwd"])
    earlier = [i for i in range(upto) if nb.cells[i].cell_type == "code"]
    if any(results[i] is not None for i in earlier):
        events.append({"cell": upto, "event": "restarted"})
    for i in earlier:
        if replay[i] == "always" or (replay[i] == "if_ok" and results[i] and results[i]["status"] == "ok"):
            status, _, usable = kernel.run(nb.cells[i].source, timeout, grace, [], i)
            if not usable:
                events.append({"cell": i, "event": "replay-" + status})
                kernel.close()
                kernel = Kernel(plan["kernel"], plan["cwd"])
    return kernel


if __name__ == "__main__":
    main()
