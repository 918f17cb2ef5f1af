"""Runs a prepared homework notebook cell by cell on a (sandboxed) tslab kernel, surviving timeouts and dead kernels.

Called by scripts/lib/homework/execute.ts, one process per submission, outside the sandbox:
    python3 run_cells.py PLAN.json
PLAN.json: {"notebook": IN.ipynb, "output": OUT.ipynb, "result": RESULT.json,
            "boundary": "namespaces" | "user" | "none",
            "argv": [the kernel command, with "{connection_file}"], "cwd": DIR, "runtime_dir": DIR, "uid": UID | null,
            "sweep": [command that kills what the submission left running] | null,
            "timeout": SECONDS, "grace": SECONDS, "wall": SECONDS, "output_limit": BYTES, "memory_mb": MB,
            "replay": ["always" | "if_ok" | "never", one per cell]}

The kernel talks to this driver over Unix sockets in runtime_dir (a kernel without a network namespace has no
TCP to offer), so the sandbox needs no network. Its connection file is handed to `uid`, the user it runs as.

Each code cell gets its own deadline. When it passes, the kernel is interrupted (tslab stops synchronous code
on SIGINT, so the cell's output shows where it was) and given `grace` seconds to reply. Then, as when the
kernel dies, a fresh kernel is started (an interrupted script may leave state half-updated, since V8 skips
`finally` blocks when it terminates one), and the cells marked "always" (the grader's prelude, the locked
setup) plus the "if_ok" cells that ran cleanly before (the student's answers) are replayed silently, so one
runaway answer costs only its own task. A kernel that goes is killed with its process group and then swept
(`sweep`); after every cell, the processes the cell started are killed (in the sandbox's pid namespace, or of
its uid), so a fork loop or a detached child does not outlive its cell. Past `wall` seconds for the whole
notebook, the running cell is stopped and the rest are not run.
A cell's text output beyond `output_limit` bytes is dropped, with a note. The kernel's own stdout and stderr
(never shown to students) are kept in a bounded tail, to tell why a kernel died (out of memory).

Writes {"cells": [{"status", "seconds"}], "events": [...]} to RESULT.json, where status is
ok | error | timeout | died | skipped (markdown) | not-run (past the wall time), and events list timeouts,
interrupts, deaths (with "reason": "memory" when the kernel ran out of it), cells that hit the memory limit or
left the kernel holding most of it (the kernel is then replaced), restarts and the wall time.
Needs only jupyter_client and nbformat (Debian's Jupyter).
"""
import json
import os
import queue
import re
import signal
import sys
import threading
import time

import nbformat
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import KernelManager

POLL = 0.05
# What Node and V8 print when an allocation fails under RLIMIT_DATA.
OUT_OF_MEMORY = re.compile(r"out of memory|bad_alloc|Cannot allocate memory|allocation failed", re.I)


def ipc_url(conn, channel):
    """tslab binds ipc sockets as `ipc://IP:PORT` (jupyter_client would say IP-PORT): connect to those."""
    return "%s://%s:%s" % (conn.transport, conn.ip, getattr(conn, "%s_port" % channel))


class SandboxKernelManager(KernelManager):
    """A KernelManager whose connection file belongs to the sandbox's uid and whose sockets are tslab's."""

    uid = None

    def write_connection_file(self):
        super().write_connection_file()
        if self.uid is not None:
            os.chown(self.connection_file, self.uid, self.uid)

    def _make_url(self, channel):
        return ipc_url(self, channel)


class SandboxKernelClient(BlockingKernelClient):
    def _make_url(self, channel):
        return ipc_url(self, channel)


class Tail:
    """Drains a pipe into a bounded buffer (the kernel's stdout and stderr), so it never blocks or fills a disk."""

    LIMIT = 64 * 1024

    def __init__(self, fd):
        self.data = b""
        self.thread = threading.Thread(target=self.read, args=(fd,), daemon=True)
        self.thread.start()

    def read(self, fd):
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            while True:
                chunk = pipe.read(65536)
                if not chunk:
                    return
                self.data = (self.data + chunk)[-self.LIMIT:]

    def text(self):
        self.thread.join(timeout=1)
        return self.data.decode("utf-8", "replace")


def output_from(msg):
    """The nbformat output for an iopub message, or None for messages that are not outputs."""
    kind = msg["header"]["msg_type"]
    content = msg["content"]
    if kind == "stream":
        return nbformat.v4.new_output("stream", name=content["name"], text=content["text"])
    if kind in ("display_data", "execute_result"):
        data, metadata = content.get("data", {}), content.get("metadata", {})
        return nbformat.v4.new_output("display_data", data=data, metadata=metadata)
    if kind == "error":
        return nbformat.v4.new_output("error", ename=content.get("ename", ""), evalue=content.get("evalue", ""),
                                      traceback=content.get("traceback", []))
    return None


class Outputs:
    """A cell's outputs, with its text cut at `limit` bytes (one note says so)."""

    def __init__(self, limit):
        self.limit = limit
        self.items = []
        self.text = 0
        self.cut = False

    def clear(self):
        self.items = []

    def add(self, out):
        if out.output_type == "stream":
            size = len(out.text.encode("utf-8"))
            if self.text + size > self.limit:
                if not self.cut:
                    self.cut = True
                    keep = max(self.limit - self.text, 0)
                    out.text = out.text.encode("utf-8")[:keep].decode("utf-8", "ignore") + \
                        "\n[output cut by the grader: the cell printed more than %d KB; the rest was dropped]\n" % (
                            self.limit // 1024)
                    self.items.append(out)
                self.text += size
                return
            self.text += size
        self.items.append(out)


class Kernel:
    """One sandboxed kernel process and its blocking client."""

    count = 0

    def __init__(self, plan):
        Kernel.count += 1
        self.plan = plan
        km = SandboxKernelManager()
        km.uid = plan.get("uid")
        km._kernel_spec = KernelSpec(argv=plan["argv"], display_name="tslab (graded)", language="typescript")
        km.transport = "ipc"
        km.ip = os.path.join(plan["runtime_dir"], "k%d" % Kernel.count)
        km.connection_file = os.path.join(plan["runtime_dir"], "kernel-%d.json" % Kernel.count)
        read, write = os.pipe()
        self.tail = Tail(read)
        try:
            km.start_kernel(cwd=plan["cwd"], stdout=write, stderr=write)
        finally:
            os.close(write)
        self.km = km
        self.pid_namespace = None
        info = km.get_connection_info(session=True)
        self.kc = SandboxKernelClient(**info, connection_file=km.connection_file, parent=km)
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=60)
        except RuntimeError as error:
            self.close()
            raise RuntimeError("%s; the kernel said:\n%s" % (error, self.tail.text()[-3000:])) from None

    def alive(self):
        return self.km.is_alive()

    def close(self):
        try:
            self.kc.stop_channels()
        finally:
            if self.km.is_alive():
                self.km.shutdown_kernel(now=True)
            sweep(self.plan)

    def namespace(self):
        """The sandbox's pid namespace: that of the one child of the launched bwrap (prlimit execs bwrap)."""
        if self.pid_namespace is None:
            launched = self.km.provisioner.pid
            for pid in pids():
                try:
                    with open("/proc/%s/stat" % pid, encoding="utf-8") as f:
                        parent = int(f.read().rsplit(")", 1)[1].split()[1])
                    if parent == launched:
                        self.pid_namespace = os.readlink("/proc/%s/ns/pid" % pid)
                except (OSError, ValueError, IndexError):
                    continue
        return self.pid_namespace

    def processes(self):
        """(the kernel's pid, the pids of the other processes the submission started that still run). In the
        namespaces boundary the namespace's init is pid 1 and the kernel pid 2; everything else is the submission's.
        In the user boundary, every process of the sandbox's uid but the kernel is."""
        boundary = self.plan.get("boundary")
        launched = self.km.provisioner.pid if self.km.provisioner is not None else None
        if boundary == "namespaces":
            kernel, others = None, []
            namespace = self.namespace()
            for pid in pids() if namespace is not None else []:
                try:
                    if os.readlink("/proc/%s/ns/pid" % pid) != namespace:
                        continue
                except OSError:
                    continue
                inner = (status(pid) or {}).get("NSpid", "").split()[-1:]
                if inner == ["2"]:
                    kernel = int(pid)
                elif inner and inner != ["1"]:
                    others.append(int(pid))
            return kernel, others
        if boundary == "user":
            uid = str(self.plan.get("uid"))
            mine = [int(p) for p in pids() if (status(p) or {}).get("Uid", "").split()[:1] == [uid]]
            return launched, [p for p in mine if p != launched]
        return launched, []

    def interrupt(self):
        """SIGINT to the kernel itself (tslab stops the running cell); bubblewrap would die of it, not pass it on."""
        kernel, _ = self.processes()
        if kernel is None:
            self.km.interrupt_kernel()
            return
        try:
            os.kill(kernel, signal.SIGINT)
        except OSError:
            pass

    def bloated(self):
        """True when the kernel holds more than 3/4 of its memory limit (garbage of a cell that hit it, say)."""
        kernel, _ = self.processes()
        data = (status(kernel) or {}).get("VmData", "0 kB").split()[0] if kernel is not None else "0"
        return int(data) * 1024 > 0.75 * self.plan.get("memory_mb", 1 << 20) * 1024 * 1024

    def reap(self):
        """Kills every process a cell left running, so that none outlives the cell that started it (a fork loop,
        a detached child); the kernel goes on. Repeated while processes keep appearing (a fork in flight)."""
        for _ in range(50):
            _, others = self.processes()
            if not others:
                return
            for pid in others:
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
            time.sleep(0.02)

    def died_of_memory(self):
        return OUT_OF_MEMORY.search(self.tail.text()) is not None

    def run(self, code, timeout, grace, events, index, deadline_all):
        """Executes `code`; returns (status, outputs, usable): status is ok | error | timeout | died, and
        usable says whether the kernel can run the next cell (an interrupted cell that replied leaves it so)."""
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
        outputs = Outputs(self.plan.get("output_limit", 1 << 20))
        reply = None
        idle = False
        deadline = min(time.monotonic() + timeout, deadline_all)
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
                        outputs.clear()
                    else:
                        out = output_from(msg)
                        if out is not None:
                            outputs.add(out)
            except queue.Empty:
                pass
            try:
                msg = self.kc.get_shell_msg(timeout=0)
                got = True
                if msg.get("parent_header", {}).get("msg_id") == msg_id:
                    reply = msg
            except queue.Empty:
                pass
            now = time.monotonic()
            if got and now <= deadline:
                continue
            if not self.alive():
                event = {"cell": index, "event": "died"}
                if self.died_of_memory():
                    event["reason"] = "memory"
                events.append(event)
                return "died", outputs.items, False
            if interrupted_at is None and now > deadline:
                if now >= deadline_all:
                    events.append({"cell": index, "event": "wall-time", "after": self.plan["wall"]})
                else:
                    events.append({"cell": index, "event": "timeout", "after": timeout})
                self.interrupt()
                interrupted_at = now
            elif interrupted_at is not None and now > interrupted_at + grace:
                events.append({"cell": index, "event": "unresponsive", "after": grace})
                return "timeout", outputs.items, False
        status = reply["content"].get("status", "error")
        if status != "ok":
            # tslab aborts requests that arrive within 200 ms of an error: let that window pass.
            time.sleep(0.3)
        if status != "ok" and any(o.output_type == "error" and OUT_OF_MEMORY.search(o.evalue) for o in outputs.items):
            # An allocation failed under the memory limit: the garbage the cell left may still hold it, so the
            # next cell would fail too; start afresh.
            events.append({"cell": index, "event": "memory"})
            return "error", outputs.items, False
        if interrupted_at is not None:
            # The interrupt stopped the cell, but V8 skips `finally` blocks when it terminates a script, so
            # the kernel's state may be half-updated (e.g. autodiff left in no-grad mode): start afresh.
            events.append({"cell": index, "event": "interrupted"})
            return "timeout", outputs.items, False
        return ("ok" if status == "ok" else "error"), outputs.items, True


def status(pid):
    """The fields of /proc/PID/status, or None when the process is gone."""
    try:
        with open("/proc/%s/status" % pid, encoding="utf-8") as f:
            return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    except (OSError, ValueError):
        return None


def pids():
    return [p for p in os.listdir("/proc") if p.isdigit()]


def sweep(plan):
    """Kills every process the submission left (the user boundary; namespaces end with their kernel)."""
    if plan.get("sweep"):
        import subprocess
        for _ in range(2):
            subprocess.run(plan["sweep"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    nb = nbformat.read(plan["notebook"], as_version=4)
    replay = plan["replay"]
    timeout = float(plan["timeout"])
    grace = float(plan.get("grace", 5))
    deadline_all = time.monotonic() + float(plan.get("wall", 3600))
    events = []
    results = [None] * len(nb.cells)
    kernel = None
    try:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                results[index] = {"status": "skipped", "seconds": 0}
                continue
            if time.monotonic() >= deadline_all:
                results[index] = {"status": "not-run", "seconds": 0}
                continue
            if kernel is None or not kernel.alive():
                if kernel is not None:
                    kernel.close()
                kernel = start(plan, nb, results, index, replay, timeout, grace, events, deadline_all)
            started = time.monotonic()
            status, outputs, usable = kernel.run(cell.source, timeout, grace, events, index, deadline_all)
            results[index] = {"status": status, "seconds": round(time.monotonic() - started, 3)}
            if usable:
                kernel.reap()
                if kernel.bloated():
                    # Not replayed either: a fresh kernel would be left as full again.
                    events.append({"cell": index, "event": "memory"})
                    results[index]["replay"] = False
                    usable = False
            cell.outputs = outputs
            cell.execution_count = index
            if not usable:
                kernel.close()
                kernel = None
    finally:
        if kernel is not None:
            kernel.close()
        sweep(plan)
        nbformat.write(nb, plan["output"])
    with open(plan["result"], "w", encoding="utf-8") as f:
        json.dump({"cells": results, "events": events}, f)


def start(plan, nb, results, upto, replay, timeout, grace, events, deadline_all):
    """A fresh kernel with the earlier cells that must be there replayed (their outputs are dropped)."""
    kernel = Kernel(plan)
    earlier = [i for i in range(upto) if nb.cells[i].cell_type == "code"]
    if any(results[i] is not None for i in earlier):
        events.append({"cell": upto, "event": "restarted"})
    for i in earlier:
        ran_ok = results[i] and results[i]["status"] == "ok" and results[i].get("replay", True)
        if replay[i] == "always" or (replay[i] == "if_ok" and ran_ok):
            status, _, usable = kernel.run(nb.cells[i].source, timeout, grace, [], i, deadline_all)
            if usable:
                kernel.reap()
            else:
                events.append({"cell": i, "event": "replay-" + status})
                kernel.close()
                kernel = Kernel(plan)
    return kernel


if __name__ == "__main__":
    main()
