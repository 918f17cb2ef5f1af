"""PyTorch as a peer of `npm run bench` (bench/torch-peer.ts starts this file with Debian's python3).

Reads one JSON request per line on stdin and answers one JSON line on stdout:
  {"op": "hello"}  -> {"torch": version, "cores": n, "check": sum of numbers(1000, 1)}
                      or {"error": "not installed"} when torch cannot be imported
  {"op": "time", "case": id, "dtype": "float64" | "float32", "threads": n, "warmup": w, "minRuns": r,
   "budgetMs": b, "maxRuns": m} -> {"samples": [ms, ...], "cpu": [ms, ...]} (wall clock, process CPU time)
                      or {"skipped": reason}
The inputs are the benchmark's: the same seeded numbers (the same generator as bench/run.ts), the same
shapes, the same network as bench/mnist-net.ts (convolutions padded to keep the size, centred where
ours is anchored top-left: the same FLOPs, other values). Timing follows bench/timing.ts: warm-up
calls, then timed calls until minRuns and the budget (or maxRuns) are reached.
"""
import ctypes
import json
import os
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None


def numbers(n, seed):
    """Uniform numbers in [-1, 1), the generator of bench/run.ts."""
    out = []
    s = seed
    for _ in range(n):
        s = (s * 16807) % 2147483647
        out.append(s / 2147483647 * 2 - 1)
    return out


def tensor(shape, seed, dtype):
    n = 1
    for d in shape:
        n *= d
    return torch.tensor(numbers(n, seed), dtype=dtype).reshape(shape)


def random_batch(seed=3, batch=16):
    """bench/mnist-net.ts randomBatch: images in [0, 1), then labels, from one generator."""
    s = seed
    values = []
    for _ in range(batch * 28 * 28 + batch):
        s = (s * 16807) % 2147483647
        values.append(s / 2147483647)
    images = values[: batch * 28 * 28]
    labels = [int(v * 10) for v in values[batch * 28 * 28:]]
    return images, labels


def train_step(dtype):
    torch.manual_seed(0)
    conv1 = torch.nn.Conv2d(1, 4, 3, padding=1).to(dtype)
    conv2 = torch.nn.Conv2d(4, 8, 3, padding=1).to(dtype)
    fc1 = torch.nn.Linear(392, 64).to(dtype)
    fc2 = torch.nn.Linear(64, 10).to(dtype)
    params = [p for m in (conv1, conv2, fc1, fc2) for p in m.parameters()]
    opt = torch.optim.SGD(params, lr=0.05, momentum=0.9)
    images, labels = random_batch()
    x = torch.tensor(images, dtype=dtype).reshape(16, 1, 28, 28)
    y = torch.tensor(labels)

    def step():
        h = F.relu(conv1(x))
        h = F.relu(conv2(h))
        h = F.avg_pool2d(h, 4).reshape(16, 392)
        h = F.dropout(F.relu(fc1(h)), 0.25, True)
        loss = F.nll_loss(F.log_softmax(fc2(h), 1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    return step


def conv_backward(dtype):
    g = tensor([16, 16, 14, 14], 5, dtype)
    x0, w0 = tensor([16, 6, 14, 14], 3, dtype), tensor([16, 6, 5, 5], 4, dtype)

    def run():
        x = x0.clone().requires_grad_()
        w = w0.clone().requires_grad_()
        F.conv2d(x, w, padding=2).backward(g)
        return x.grad, w.grad

    return run


def unary(fn, seed):
    def make(dtype):
        a = tensor([1_000_000], seed, dtype)
        return lambda: fn(a)
    return make


def binary(fn):
    def make(dtype):
        a, b = tensor([1_000_000], 7, dtype), tensor([1_000_000], 8, dtype)
        return lambda: fn(a, b)
    return make


def matmul(n):
    def make(dtype):
        a, b = tensor([n, n], 1, dtype), tensor([n, n], 2, dtype)
        return lambda: a @ b
    return make


def conv_forward(dtype):
    x, w = tensor([16, 6, 14, 14], 3, dtype), tensor([16, 6, 5, 5], 4, dtype)
    return lambda: F.conv2d(x, w, padding=2)


def softmax(log):
    def make(dtype):
        x = tensor([1024, 1000], 6, dtype)
        return (lambda: F.log_softmax(x, 1)) if log else (lambda: F.softmax(x, 1))
    return make


CASES = {
    "matmul-128": matmul(128),
    "matmul-256": matmul(256),
    "matmul-512": matmul(512),
    "conv2d-forward": conv_forward,
    "conv2d-backward": conv_backward,
    "softmax": softmax(False),
    "logsoftmax": softmax(True),
    "add-1e6": binary(lambda a, b: a + b),
    "mul-1e6": binary(lambda a, b: a * b),
    "exp-1e6": unary(lambda a: a.exp(), 7),
    "train-step": train_step,
}

runs = {}


def openblas():
    """Debian's torch calls OpenBLAS for float64 matrix products, and OpenBLAS keeps its own thread pool
    (as many threads as cores) that torch.set_num_threads leaves alone: a one-thread column sets both."""
    try:
        return ctypes.CDLL("libopenblas.so.0")
    except OSError:
        return None


blas = openblas() if torch is not None else None


def set_threads(n):
    torch.set_num_threads(n)
    if blas is not None:
        blas.openblas_set_num_threads(n)


def time_case(request):
    case = request["case"]
    if case not in CASES:
        return {"skipped": f"no such case in bench/torch-peer.py: {case}"}
    key = (case, request["dtype"])
    if key not in runs:
        runs[key] = CASES[case](getattr(torch, request["dtype"]))
    run = runs[key]
    set_threads(request["threads"])
    with torch.no_grad() if case not in ("train-step", "conv2d-backward") else torch.enable_grad():
        for _ in range(request["warmup"]):
            run()
        samples, cpu = [], []
        start = time.perf_counter()
        while len(samples) < request["minRuns"] or (
            (time.perf_counter() - start) * 1000 < request["budgetMs"] and len(samples) < request["maxRuns"]
        ):
            c = time.process_time()
            t = time.perf_counter()
            run()
            samples.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    return {"samples": samples, "cpu": cpu}


def answer(request):
    if torch is None:
        return {"error": "not installed"}
    if request["op"] == "hello":
        version = torch.__version__ + (" + OpenBLAS" if blas is not None else "")
        return {"torch": version, "cores": os.cpu_count(), "check": sum(numbers(1000, 1))}
    if request["op"] == "time":
        return time_case(request)
    return {"error": f"unknown request {request['op']}"}


for line in sys.stdin:
    try:
        reply = answer(json.loads(line))
    except Exception as error:  # reported to the benchmark, which marks the cell failed
        reply = {"error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
