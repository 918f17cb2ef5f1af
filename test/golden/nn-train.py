"""Golden values for the nn / optim / data tests, computed by PyTorch (Debian's python3-torch).

Run:  /usr/bin/python3 test/golden/nn-train.py   (writes test/golden/nn-train.json next to this file)

The tests read the JSON and never need Python. Every input is stored beside its outputs, so the tests
feed the library exactly what PyTorch saw. Everything is float64.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


def tolist(t):
    return t.detach().tolist()


def with_grad(fn, *inputs, grad_of=None):
    """fn's value and the gradients of sum(value * w) wrt every input (or the first `grad_of`), w a fixed
    weighting (not all ones, so a gradient sent to the wrong element shows)."""
    n = len(inputs) if grad_of is None else grad_of
    leaves = [x.clone().requires_grad_(i < n) for i, x in enumerate(inputs)]
    out = fn(*leaves)
    w = torch.linspace(0.5, 1.5, out.numel()).reshape(out.shape)
    (out * w).sum().backward()
    return {"value": tolist(out), "weights": tolist(w), "grads": [tolist(x.grad) for x in leaves[:n]]}


REDUCTIONS = ["mean", "sum", "none"]


def losses():
    logits = torch.randn(5, 4) * 3
    labels = torch.tensor([3, 0, 1, 1, 2])
    logprobs = F.log_softmax(logits, 1)
    probs = torch.rand(3, 4) * 0.98 + 0.01
    targets = torch.rand(3, 4)
    # p at 0 and 1: BCELoss clamps log at -100, its gradient wrt p divides by max(p (1 - p), 1e-12); the
    # gradient wrt the target is infinite there (ours is finite), so only p's is compared
    edges = torch.tensor([[0.0, 1.0, 0.0, 1.0, 0.5]])
    edge_targets = torch.tensor([[1.0, 0.0, 0.0, 1.0, 0.3]])
    x = torch.randn(3, 4)
    y = torch.randn(3, 4)
    extreme = torch.tensor([-1000.0, -100.0, -40.0, -5.0, -1e-3, 0.0, 1e-3, 5.0, 40.0, 100.0, 1000.0])
    ext = extreme.repeat(3).reshape(3, -1)
    ext_targets = torch.tensor([0.0, 1.0, 0.3]).reshape(3, 1).expand(3, extreme.numel()).contiguous()
    p = torch.softmax(torch.randn(3, 5), 1)
    q = torch.softmax(torch.randn(3, 5), 1)

    def hinge(s, r):
        # the lecture's multiclass hinge, written with torch ops: max over wrong classes of s_i - s_y + 1, at 0
        correct = s.gather(1, labels.view(-1, 1))
        wrong = (s - correct + 1).masked_fill(F.one_hot(labels, s.shape[1]).bool(), -math.inf)
        per_row = wrong.max(1).values.clamp(min=0)
        return {"mean": per_row.mean(), "sum": per_row.sum(), "none": per_row}[r]

    cases = {}
    for r in REDUCTIONS:
        cases[f"crossEntropy/{r}"] = {"inputs": [tolist(logits)], "labels": tolist(labels),
                                      **with_grad(lambda s: F.cross_entropy(s, labels, reduction=r), logits)}
        cases[f"nllLoss/{r}"] = {"inputs": [tolist(logprobs)], "labels": tolist(labels),
                                 **with_grad(lambda s: F.nll_loss(s, labels, reduction=r), logprobs)}
        cases[f"hingeLoss/{r}"] = {"inputs": [tolist(logits)], "labels": tolist(labels),
                                   **with_grad(lambda s: hinge(s, r), logits)}
        cases[f"mseLoss/{r}"] = {"inputs": [tolist(x), tolist(y)],
                                 **with_grad(lambda a, b: F.mse_loss(a, b, reduction=r), x, y)}
        cases[f"binaryCrossEntropy/{r}"] = {"inputs": [tolist(probs), tolist(targets)],
            **with_grad(lambda a, b: F.binary_cross_entropy(a, b, reduction=r), probs, targets)}
        cases[f"binaryCrossEntropy/edges/{r}"] = {
            "inputs": [tolist(edges), tolist(edge_targets)],
            **with_grad(lambda a, b: F.binary_cross_entropy(a, b, reduction=r), edges, edge_targets, grad_of=1)}
        cases[f"binaryCrossEntropyWithLogits/{r}"] = {
            "inputs": [tolist(x * 4), tolist(targets)],
            **with_grad(lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=r), x * 4, targets)}
        cases[f"binaryCrossEntropyWithLogits/extreme/{r}"] = {
            "inputs": [tolist(ext), tolist(ext_targets)],
            **with_grad(lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=r), ext, ext_targets)}
    # entropy / klDivergence: per distribution along the last dim ("none"), torch has no such loss: entr is
    # -p log p elementwise; kl_div(log q, p) is p (log p - log q) elementwise, "batchmean" our "mean".
    per_dist = {"none": lambda v: v, "sum": lambda v: v.sum(), "mean": lambda v: v.mean()}
    for r in REDUCTIONS:
        cases[f"entropy/{r}"] = {"inputs": [tolist(p)],
                                 **with_grad(lambda a: per_dist[r](torch.special.entr(a).sum(-1)), p)}
        kl = {"none": lambda a, b: F.kl_div(b.log(), a, reduction="none").sum(-1),
              "sum": lambda a, b: F.kl_div(b.log(), a, reduction="sum"),
              "mean": lambda a, b: F.kl_div(b.log(), a, reduction="batchmean")}[r]
        cases[f"klDivergence/{r}"] = {"inputs": [tolist(p), tolist(q)], **with_grad(kl, p, q)}
    return cases


def schedulers():
    """lr before epoch 0, 1, ..., as optimizer.param_groups[0]["lr"] reads after each scheduler.step();
    `manual`: at that epoch the lr is halved by hand, which the chainable rules carry on from."""
    makers = {
        "StepLR(3, gamma=0.5)": lambda opt: torch.optim.lr_scheduler.StepLR(opt, 3, gamma=0.5),
        "StepLR(1)": lambda opt: torch.optim.lr_scheduler.StepLR(opt, 1),
        "CosineAnnealingLR(5, eta_min=0.01)":
            lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, 5, eta_min=0.01),
        "CosineAnnealingLR(4)": lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, 4),
    }
    cases = []
    for name, make in makers.items():
        for manual in [None, 4]:
            opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
            sched = make(opt)
            lrs = [opt.param_groups[0]["lr"]]
            for epoch in range(1, 21):
                opt.step()
                if epoch == manual:
                    opt.param_groups[0]["lr"] *= 0.5
                sched.step()
                lrs.append(opt.param_groups[0]["lr"])
            cases.append({"scheduler": name, "lr": 0.1, "manual": manual, "lrs": lrs})
    return cases


class TwoLayerNet(nn.Module):
    """The lecture's TwoLayerNet."""

    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(2, 8)
        self.activation1 = nn.ReLU()
        self.linear2 = nn.Linear(8, 3)
        self.softmax = nn.Softmax(dim=-1)


class Net(nn.Module):
    """A model holding a Sequential and a head."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.dropout = nn.Dropout(0.25)
        self.head = nn.Linear(64, 10)


def modules():
    """repr() of modules, by the name the test builds the same module under, and their state_dict() keys
    with the shapes, in order."""
    made = {
        "mlp": nn.Sequential(nn.Linear(2, 3), nn.ReLU()),
        "linear no bias": nn.Linear(4, 2, bias=False),
        "activations": nn.Sequential(nn.Sigmoid(), nn.Tanh(), nn.GELU(), nn.Softplus(), nn.Softmax(dim=1),
                                     nn.LogSoftmax(dim=-1), nn.Flatten(), nn.Dropout(), nn.Dropout(0.0)),
        "two layer net": TwoLayerNet(),
        "nested": Net(),
        "cnn": nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(4, 8, (3, 5), stride=2, bias=False), nn.AvgPool2d(2), nn.Flatten(),
                             nn.Linear(32, 10)),
        "conv options": nn.Sequential(nn.Conv1d(2, 3, 5, stride=2, padding=2), nn.Conv1d(3, 3, 2),
                                      nn.Conv2d(3, 6, 3, padding="same"), nn.Conv2d(6, 6, (2, 3), padding=(1, 0)),
                                      nn.MaxPool2d((2, 3), stride=1, padding=1), nn.AvgPool2d(3, stride=(2, 1))),
        "empty sequential": nn.Sequential(),
    }
    out = {name: repr(m) for name, m in made.items()}
    out["parameter 1-D"] = repr(nn.Parameter(torch.tensor([1.0, 2.0])))
    out["parameter 2-D"] = repr(nn.Parameter(torch.tensor([[0.5, -1.25], [3.0, 4.0]])))
    state_dicts = {name: [[key, list(t.shape)] for key, t in m.state_dict().items()] for name, m in made.items()}
    return out, state_dicts


def padding():
    """F.pad with a constant frame; gradients flow to the input's elements only."""
    x = torch.randn(2, 3, 4)
    cases = {}
    for name, amounts, value in [("last dim", (1, 2), 0.0), ("two dims", (0, 1, 2, 1), 0.5),
                                 ("three dims", (1, 1, 0, 0, 2, 0), -3.0)]:
        cases[name] = {"inputs": [tolist(x)], "pad": list(amounts), "fill": value,
                       **with_grad(lambda a: F.pad(a, amounts, value=value), x)}
    return cases


def conv_and_pool():
    """Convolutions and poolings with padding and stride, as our options name them ("options"); the
    lecture's default convolution as PyTorch writes it (right / bottom padding k - 1, then a valid conv)."""
    x1, w1, b1 = torch.randn(2, 3, 9), torch.randn(4, 3, 3), torch.randn(4)
    w1even = torch.randn(2, 3, 4)
    x2, w2, b2 = torch.randn(2, 2, 7, 6), torch.randn(3, 2, 3, 2), torch.randn(3)
    img = torch.randn(2, 2, 7, 8)
    cases = []

    def conv(name, fn, inputs, options, **kwargs):
        cases.append({"op": name, "options": options, "inputs": [tolist(t) for t in inputs],
                      **with_grad(lambda *a: fn(*a, **kwargs), *inputs)})

    for options in [{"padding": 1}, {"stride": 2}, {"padding": 2, "stride": 3}, {"padding": "same"},
                    {"padding": "valid"}, {"padding": 0, "stride": 1}, {"padding": [4]}]:
        conv("conv1d", F.conv1d, [x1, w1, b1], options, **options)
    conv("conv1d", F.conv1d, [x1, w1even], {"padding": "same"}, padding="same")
    conv("conv1d", lambda a, w: F.conv1d(F.pad(a, (0, 2)), w), [x1, w1], None)
    conv("conv1d", lambda a, w: F.conv1d(F.pad(a, (0, 2)), w, stride=2), [x1, w1], {"padding": "lecture", "stride": 2})
    for options, kw in [({"padding": 1}, {"padding": 1}), ({"padding": [2, 0]}, {"padding": (2, 0)}),
                        ({"stride": 2}, {"stride": 2}), ({"stride": [2, 3], "padding": [1, 2]},
                                                         {"stride": (2, 3), "padding": (1, 2)}),
                        ({"padding": "same"}, {"padding": "same"})]:
        conv("conv2d", F.conv2d, [x2, w2, b2], options, **kw)
    conv("conv2d", lambda a, w, b: F.conv2d(F.pad(a, (0, 1, 0, 2)), w, b), [x2, w2, b2], None)
    for fn, name in [(F.max_pool2d, "maxpool2d"), (F.avg_pool2d, "avgpool2d")]:
        for kernel, options, kw in [
            (2, {"stride": 2}, {"stride": 2}),
            (2, {"stride": 1}, {"stride": 1}),
            (3, {"stride": 2, "padding": 1}, {"stride": 2, "padding": 1}),
            ([3, 2], {"stride": [2, 1], "padding": [1, 1]}, {"stride": (2, 1), "padding": (1, 1)}),
            ([2, 4], {"padding": [1, 2]}, {"padding": (1, 2)}),
        ]:
            k = kernel if isinstance(kernel, int) else tuple(kernel)
            cases.append({"op": name, "kernel": kernel, "options": options, "inputs": [tolist(img)],
                          **with_grad(lambda a: fn(a, k, **kw), img)})
    # drawn last, so the cases above keep their values: a stride longer than the kernel (inputs skipped),
    # "same" with an even kernel in both dims (the odd zero after), windows that skip or leave a remainder
    w2even = torch.randn(2, 2, 2, 4)
    conv("conv1d", F.conv1d, [x1, w1, b1], {"padding": 1, "stride": 4}, padding=1, stride=4)
    conv("conv2d", F.conv2d, [x2, w2even], {"padding": "same"}, padding="same")
    conv("conv2d", F.conv2d, [x2, w2even, b2[:2]], {"stride": [3, 5]}, stride=(3, 5))
    for fn, name in [(F.max_pool2d, "maxpool2d"), (F.avg_pool2d, "avgpool2d")]:
        for kernel, options, kw in [
            (2, {"stride": 3}, {"stride": 3}),
            ([3, 1], {"stride": [1, 3], "padding": [1, 0]}, {"stride": (1, 3), "padding": (1, 0)}),
        ]:
            k = kernel if isinstance(kernel, int) else tuple(kernel)
            cases.append({"op": name, "kernel": kernel, "options": options, "inputs": [tolist(img)],
                          **with_grad(lambda a: fn(a, k, **kw), img)})
    return cases


def main():
    # in this order: each section draws from the seeded generator after the one before
    golden = {"about": "written by test/golden/nn-train.py with torch " + torch.__version__ + "; do not edit by hand",
              "losses": losses(), "schedulers": schedulers()}
    golden["modules"], golden["stateDicts"] = modules()
    golden["pad"] = padding()
    golden["conv"] = conv_and_pool()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn-train.json")
    with open(path, "w") as f:
        json.dump(golden, f, indent=1, allow_nan=False)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
