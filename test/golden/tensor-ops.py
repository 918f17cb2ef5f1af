"""Golden values for test/golden-tensor-ops.test.ts, computed by PyTorch (Debian's python3-torch, float64).

    /usr/bin/python3 test/golden/tensor-ops.py    # rewrites test/golden/tensor-ops.json

Each case names an op, its inputs (shape and row-major values), its arguments, PyTorch's output, and the
gradient of L = sum(output * weight) with respect to every input (weight fixed per case). The tests read
the JSON only; they never need Python. Inputs are seeded and rounded to 3 decimals; max/min cases use
small integers so that ties occur, and PyTorch's tie rule (the first maximum) is what is recorded.
"""
import json
import os

import torch

torch.manual_seed(11)
DTYPE = torch.float64


def rand(*shape, ints=False):
    if ints:
        return torch.randint(0, 4, tuple(shape)).to(DTYPE)
    return torch.round(torch.randn(tuple(shape), dtype=DTYPE) * 1000) / 1000


def positive(*shape):
    return torch.round((torch.rand(tuple(shape), dtype=DTYPE) * 3 + 0.2) * 1000) / 1000


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


CASES = []


def case(name, fn, inputs, args=None, differentiable=(True,)):
    """Runs fn(*inputs) in PyTorch; records values, indices if fn returns (values, indices), and gradients."""
    leaves = [x.clone().requires_grad_(d) for x, d in zip(inputs, list(differentiable) + [False] * len(inputs))]
    out = fn(*leaves)
    indices = None
    if isinstance(out, tuple):
        out, indices = out
    record = {
        "name": name,
        "args": args or {},
        "inputs": [{"shape": list(x.shape), "values": flat(x)} for x in inputs],
        "output": {"shape": list(out.shape), "values": flat(out.to(DTYPE))},
    }
    if indices is not None:
        record["indices"] = flat(indices.to(DTYPE))
    if out.requires_grad:
        weight = rand(*out.shape)
        (out * weight).sum().backward()
        record["weight"] = flat(weight)
        record["grads"] = [flat(x.grad) if x.grad is not None else None for x in leaves]
    CASES.append(record)


x34 = rand(3, 4)
x234 = rand(2, 3, 4)
ties = rand(3, 5, ints=True)

# views
case("slice", lambda x: x[:, 1:4:2], [x34], {"dim": 1, "start": 1, "end": 4, "step": 2})
case("slice negative", lambda x: x[:, -3:], [x234], {"dim": 1, "start": -3, "end": None, "step": 1})
case("narrow", lambda x: x.narrow(2, 1, 2), [x234], {"dim": 2, "start": 1, "length": 2})
case("select", lambda x: x.select(0, -1), [x234], {"dim": 0, "index": -1})
case("expand", lambda x: x.expand(2, 3, 4), [rand(3, 1)], {"shape": [2, 3, 4]})
case("unsqueeze squeeze", lambda x: x.unsqueeze(1).squeeze(), [x34], {"dim": 1})
case("flatten", lambda x: x.flatten(1), [x234], {"start": 1})
case("transpose reshape", lambda x: x.transpose(0, 2).reshape(4, 6), [x234], {"shape": [4, 6]})
case("split", lambda x: torch.cat([p * (i + 1) for i, p in enumerate(x.split(2, 1))], 1), [x34], {"size": 2, "dim": 1})
case("chunk", lambda x: torch.cat([p * (i + 1) for i, p in enumerate(x.chunk(2, 0))], 0), [x34],
     {"chunks": 2, "dim": 0})

# indexing and joining
index = torch.tensor([[2, 0, 2, 1], [1, 1, 0, 0]])
case("gather", lambda x: x.gather(0, index), [x34], {"dim": 0, "index": flat(index.to(DTYPE)), "indexShape": [2, 4]})
case("indexSelect", lambda x: x.index_select(1, torch.tensor([3, 0, 3])), [x34], {"dim": 1, "index": [3, 0, 3]})
mask = x34 > 0
case("maskedFill", lambda x: x.masked_fill(mask, -2.5), [x34], {"mask": flat(mask.to(DTYPE)), "value": -2.5})
case("where", lambda a, b: torch.where(mask, a, b), [x34, rand(4)], {"mask": flat(mask.to(DTYPE))}, (True, True))
case("cat", lambda a, b: torch.cat([a, b, a], 1), [x34, rand(3, 2)], {"dim": 1}, (True, True))
case("stack", lambda a, b: torch.stack([a, b], 2), [x34, rand(3, 4)], {"dim": 2}, (True, True))

# reductions that select
case("argmax", lambda x: x.argmax(1), [ties], {"dim": 1})
case("argmin", lambda x: x.argmin(0), [ties], {"dim": 0})
case("argmax all", lambda x: x.argmax(), [ties], {})
case("max dim", lambda x: tuple(x.max(1)), [ties], {"dim": 1, "keepdim": False})
case("min dim keepdim", lambda x: tuple(x.min(0, keepdim=True)), [ties], {"dim": 0, "keepdim": True})
case("max all", lambda x: x.max(), [x234], {})
case("min all", lambda x: x.min(), [x234], {})

# math
case("var", lambda x: x.var(1), [x234], {"dim": 1})
case("var correction 0", lambda x: x.var(1, unbiased=False, keepdim=True), [x234],
     {"dim": 1, "keepdim": True, "correction": 0})
case("var all", lambda x: x.var(), [x234], {})
case("std", lambda x: x.std(2), [x234], {"dim": 2})
case("logsumexp", lambda x: x.logsumexp(1), [x234 * 30], {"dim": 1})
case("sqrt", torch.sqrt, [positive(3, 4)])
case("sin", torch.sin, [x34])
case("cos", torch.cos, [x34])
case("pow tensor", torch.pow, [positive(3, 4), rand(4)], {}, (True, True))
case("clamp", lambda x: x.clamp(-0.5, 0.5), [x34], {"min": -0.5, "max": 0.5})
case("softmax", lambda x: torch.softmax(x, 1), [x234 * 5], {"dim": 1})
case("logsoftmax", lambda x: torch.log_softmax(x, -1), [x234 * 5], {"dim": -1})
for name in ["lt", "le", "gt", "ge", "eq", "ne"]:
    case(name, lambda a, b, n=name: getattr(a, n)(b), [ties, ties[0:1, 1]], {}, (False, False))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tensor-ops.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": CASES}, f, indent=1)
    f.write("\n")
print(f"wrote {len(CASES)} cases to {path}")
