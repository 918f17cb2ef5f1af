/**
 * Bad input (issue 11): every Tensor method and tensor-level function checks its arguments at run time,
 * since notebooks are not type-checked strictly. One test per class of mistake: a non-tensor where a
 * Tensor or a number goes, a non-tensor where only a Tensor goes, dims that are not integers or out of
 * range, flags that are not booleans, unknown option names, bad shapes and values for constructors. Each
 * error is a MiniTorchError naming the op, the argument and what came, and nothing is half-changed.
 */
import { describe, expect, it } from "vitest";
import {
  Tensor, arange, cat, full, isGradEnabled, linspace, nn, stack, tensor, tensorOrNumber, where, zeros,
} from "../src";
import { expectError } from "./support/errors";

const t = arange(6).view(2, 3);
// Values a notebook might pass by mistake, with how the error names each.
const notTensors: [unknown, string][] = [
  [[1, 2], "an array [1, 2]"],
  [undefined, "undefined"],
  [null, "null"],
  ["3", 'a string "3"'],
  [true, "the boolean true"],
  [{ data: 1 }, "an object"],
];
const call = (f: (...args: never[]) => unknown, ...args: unknown[]) => () => f(...(args as never[]));

describe("a Tensor or a number", () => {
  const binary = [
    "add", "sub", "mul", "div", "lt", "le", "gt", "ge", "eq", "ne", "isClose", "allClose", "pow",
  ] as const;

  it.each(binary)("%s names the op, the argument and what came; an array gets the tensor([...]) hint", (op) => {
    for (const [value, shown] of notTensors) {
      const f = t[op].bind(t) as (...args: never[]) => unknown;
      expectError(call(f, value), `${op}:`, "a Tensor or a number", shown);
    }
    expectError(call(t[op].bind(t) as (...args: never[]) => unknown, [1, 2]), "wrap it with tensor([...])");
  });

  it("the issue's examples: t.add([1, 2]), t.add(undefined), t.add('3') no longer give NaN or 3", () => {
    expectError(call(t.add.bind(t), [1, 2]),
      "add: expected a Tensor or a number for other, got an array [1, 2]; wrap it with tensor([...])");
    expectError(call(t.add.bind(t), undefined), "add:", "got undefined");
    expectError(call(t.add.bind(t), "3"), "add:", 'got a string "3"');
  });

  it("where's branches, backward's gradient and tensorOrNumber itself", () => {
    expectError(call(where, tensor([1]), "a", 0), "where", "input", 'a string "a"');
    expectError(call(where, tensor([1]), 0, [0]), "where", "other", "an array");
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    expectError(call(y.backward.bind(y), "1"), "backward", "gradient", 'a string "1"');
    expect(tensorOrNumber(2, "op").item()).toBe(2);
    expectError(() => tensorOrNumber([2], "myOp", "weight"), "myOp", "weight", "an array [2]");
  });
});

describe("a Tensor only", () => {
  it("matmul, gather, indexSelect, maskedFill, where's condition, cat, stack and nn functions", () => {
    for (const [value, shown] of notTensors) {
      expectError(call(t.matmul.bind(t), value), "matmul", "expected a Tensor for other", shown);
      expectError(call(t.gather.bind(t), 1, value), "gather", "index", shown);
      expectError(call(t.indexSelect.bind(t), 0, value), "indexSelect", "index", shown);
      expectError(call(t.maskedFill.bind(t), value, 0), "maskedFill", "mask", shown);
      expectError(call(where, value, 1, 0), "where", "condition", shown);
      expectError(call(nn.softmax, value), "softmax", "input", shown);
      expectError(call(nn.logsoftmax, value), "logsoftmax", "input", shown);
      expectError(call(nn.max, value, 0), "max", "input", shown);
      expectError(call(nn.argmaxOneHot, value), "argmaxOneHot", "input", shown);
    }
    expectError(call(cat, [t, [1]]), "cat", "tensors[1]", "an array [1]");
    expectError(call(stack, t), "stack", "non-empty array of Tensors", "a Tensor");
  });
});

describe("dims: integers in range", () => {
  const dimCalls: [string, (d: unknown) => unknown][] = [
    ["sum", (d) => t.sum(d as number)],
    ["mean", (d) => t.mean(d as number)],
    ["max", (d) => t.max(d as number)],
    ["min", (d) => t.min(d as number)],
    ["argmax", (d) => t.argmax(d as number)],
    ["argmin", (d) => t.argmin(d as number)],
    ["maxWithIndices", (d) => t.maxWithIndices(d as number)],
    ["var", (d) => t.var(d as number)],
    ["std", (d) => t.std(d as number)],
    ["logsumexp", (d) => t.logsumexp(d as number)],
    ["unsqueeze", (d) => t.unsqueeze(d as number)],
    ["squeeze", (d) => t.squeeze(d as number)],
    ["transpose", (d) => t.transpose(d as number, 0)],
    ["permute", (d) => t.permute(d as number, 0)],
    ["flatten", (d) => t.flatten(d as number)],
    ["narrow", (d) => t.narrow(d as number, 0, 1)],
    ["select", (d) => t.select(d as number, 0)],
    ["slice", (d) => t.slice(d as number, 0, 1)],
    ["split", (d) => t.split(1, d as number)],
    ["chunk", (d) => t.chunk(1, d as number)],
    ["gather", (d) => t.gather(d as number, tensor([[0]]))],
    ["indexSelect", (d) => t.indexSelect(d as number, tensor([0]))],
    ["cat", (d) => cat([t, t], d as number)],
    ["stack", (d) => stack([t, t], d as number)],
    ["softmax", (d) => nn.softmax(t, d as number)],
    ["logsoftmax", (d) => nn.logsoftmax(t, d as number)],
    ["argmaxOneHot", (d) => nn.argmaxOneHot(t, d as number)],
  ];

  it.each(dimCalls)("%s: a non-integer dim says what came; an out-of-range one gives the range", (op, f) => {
    expectError(() => f("1"), `${op}:`, 'a string "1"');
    expectError(() => f(0.5), `${op}:`, "0.5");
    expectError(() => f(7), `${op}:`, "7", "out of range");
  });
});

describe("flags and options", () => {
  it("keepdim and requiresGrad must be booleans", () => {
    for (const op of ["sum", "mean", "max", "min", "argmax", "var", "logsumexp"] as const)
      expectError(() => (t[op] as (d: number, k: unknown) => unknown)(0, "yes"), `${op}:`, "keepdim", "true or false");
    expectError(() => nn.max(t, 0, 1 as never), "max", "keepdim");
    expectError(() => tensor([1]).requiresGrad_(1 as never), "requiresGrad_", "flag");
  });

  it("unknown option names are refused, naming the known ones", () => {
    expectError(() => tensor([1], { requires_grad: true } as never), "tensor", "requires_grad", "requiresGrad");
    expectError(() => t.var(0, false, { unbiased: false } as never), "var", "unbiased", "correction");
    expectError(() => t.mul(1).backward({ retain_graph: true } as never), "backward", "retain_graph", "retainGraph");
    expectError(() => tensor([1], { requiresGrad: "yes" } as never), "tensor", "requiresGrad", "true or false");
  });
});

describe("constructors", () => {
  it("shapes, values and ranges", () => {
    expectError(() => zeros("3" as never), "zeros", 'a string "3"');
    expectError(() => zeros(2, -1), "zeros", "[2,-1]", "the number -1");
    expectError(() => full([2], "1" as never), "full", "value", 'a string "1"');
    expectError(() => tensor([[1, 2], [3]]), "tensor", "ragged");
    expectError(() => tensor([1, "2"] as never), "tensor", "index [1]", 'a string "2"');
    expectError(() => tensor([1, undefined] as never), "tensor", "undefined");
    expectError(() => arange("5" as never), "arange", "end", 'a string "5"');
    expectError(() => linspace(0, 1, 2.5), "linspace", "steps", "2.5");
  });
});

describe("nothing half-changed, nothing poisoned", () => {
  it("a refused set() writes nothing and keeps the version", () => {
    const x = tensor([1, 2]);
    expectError(() => x.set(0, "5" as never), "set", "value");
    expectError(() => x.set([3], 5), "set", "[3]");
    expect(x.toFlat()).toEqual([1, 2]);
    expect(x.version).toBe(0);
  });

  it("a refused requiresGrad_ or backward leaves the tensor and .grad as they were", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectError(() => x.requiresGrad_("no" as never), "requiresGrad_");
    expect(x.requiresGrad).toBe(true);
    const y = x.mul(2);
    expectError(() => y.backward(tensor([1, 2, 3])), "backward", "[3]", "[2]");
    expect(x.grad).toBeNull();
    y.backward(tensor([1, 1]));
    expect((x.grad as Tensor).toFlat()).toEqual([2, 2]);
  });

  it("an error inside an op leaves grad mode on and the next op working", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectError(() => x.matmul(tensor([[1, 2, 3]])), "matmul");
    expectError(() => x.gather(0, tensor([5])), "gather");
    expect(isGradEnabled()).toBe(true);
    expect(x.mul(2).requiresGrad).toBe(true);
  });
});
