/**
 * The Tensor API (src/tensor/tensor.ts, create.ts, format.ts): every op's forward on hand-computed
 * values, PyTorch-like printing, constructors with seeded randomness, and error messages that name the op
 * and the shapes.
 */
import { describe, expect, it } from "vitest";
import {
  Tensor,
  arange,
  fromStorage,
  full,
  linspace,
  manualSeed,
  ones,
  rand,
  randn,
  tensor,
  zeros,
} from "../src";
import { expectError } from "./support/errors";


function expectClose(actual: number[], expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) =>
    expect(Math.abs(v - expected[i]), `element ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(tol));
}

const a = (): Tensor => tensor([[1, 2, 3], [4, 5, 6]]);

describe("elementwise ops", () => {
  it("add, sub, mul, div with a same-shape tensor", () => {
    const b = tensor([[6, 5, 4], [3, 2, 1]]);
    expect(a().add(b).toArray()).toEqual([[7, 7, 7], [7, 7, 7]]);
    expect(a().sub(b).toArray()).toEqual([[-5, -3, -1], [1, 3, 5]]);
    expect(a().mul(b).toArray()).toEqual([[6, 10, 12], [12, 10, 6]]);
    expect(a().div(tensor([[1, 2, 4], [8, 5, 2]])).toArray()).toEqual([[1, 1, 0.75], [0.5, 1, 3]]);
  });

  it("add, sub, mul, div broadcast a row, a column and a number", () => {
    const row = tensor([10, 20, 30]);
    const col = tensor([[1], [2]]);
    expect(a().add(row).toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(row.sub(a()).toArray()).toEqual([[9, 18, 27], [6, 15, 24]]);
    expect(a().mul(col).toArray()).toEqual([[1, 2, 3], [8, 10, 12]]);
    expect(a().div(col).toArray()).toEqual([[1, 2, 3], [2, 2.5, 3]]);
    expect(a().add(1).toArray()).toEqual([[2, 3, 4], [5, 6, 7]]);
    expect(a().sub(1).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(a().mul(-2).toArray()).toEqual([[-2, -4, -6], [-8, -10, -12]]);
    expect(a().div(2).toArray()).toEqual([[0.5, 1, 1.5], [2, 2.5, 3]]);
    // a column against a row makes the outer table
    expect(col.mul(tensor([1, 10])).toArray()).toEqual([[1, 10], [2, 20]]);
  });

  it("neg, relu", () => {
    expect(tensor([1, -2, 0]).neg().toFlat()).toEqual([-1, 2, -0]);
    expect(tensor([-1, 0, 2.5]).relu().toFlat()).toEqual([0, 0, 2.5]);
  });

  it("exp and log", () => {
    expectClose(tensor([0, 1, -1, 2]).exp().toFlat(), [1, Math.E, 1 / Math.E, Math.E * Math.E], 1e-14);
    expectClose(tensor([1, Math.E, Math.E ** 2, 0.5]).log().toFlat(), [0, 1, 2, -Math.LN2], 1e-15);
    expect(tensor([0]).log().toFlat()).toEqual([-Infinity]);
  });

  it("sigmoid: 1/2 at 0, the formula at 2 and -2, and no NaN at +-800", () => {
    const s = tensor([0, 2, -2, 800, -800]).sigmoid().toFlat();
    expectClose(s.slice(0, 3), [0.5, 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(2))], 1e-15);
    expect(s[3]).toBe(1);
    expect(s[4]).toBeGreaterThanOrEqual(0);
    expect(s[4]).toBeLessThan(1e-300);
  });

  it("pow by constant exponents", () => {
    expect(tensor([1, 2, 3]).pow(2).toFlat()).toEqual([1, 4, 9]);
    expect(tensor([2, -3]).pow(3).toFlat()).toEqual([8, -27]);
    expect(tensor([4, 9]).pow(0.5).toFlat()).toEqual([2, 3]);
    expect(tensor([4, 0.5]).pow(-1).toFlat()).toEqual([0.25, 2]);
    expect(tensor([7, 0]).pow(0).toFlat()).toEqual([1, 1]);
  });

  it("lt, gt, eq give 0/1 and broadcast", () => {
    const x = tensor([1, 2, 3]);
    expect(x.lt(2).toFlat()).toEqual([1, 0, 0]);
    expect(x.gt(2).toFlat()).toEqual([0, 0, 1]);
    expect(x.eq(2).toFlat()).toEqual([0, 1, 0]);
    expect(x.lt(tensor([[2], [4]])).toArray()).toEqual([[1, 0, 0], [1, 1, 1]]);
    expect(x.eq(tensor([1, 0, 3])).toFlat()).toEqual([1, 0, 1]);
  });

  it("isClose uses |x - y| <= 1e-8 + 1e-5 |y|", () => {
    // tolerances at y = 1: 1e-8 + 1e-5 = 1.001e-5
    const x = tensor([1 + 1e-9, 1 + 5e-6, 1 + 2e-5, 0, 1e-9]);
    const y = tensor([1, 1, 1, 1e-9, 0]);
    expect(x.isClose(y).toFlat()).toEqual([1, 1, 0, 1, 1]);
    expect(tensor([100]).isClose(100.0009).toFlat()).toEqual([1]); // 1e-8 + 1e-3 tolerance
    expect(tensor([100]).isClose(100.002).toFlat()).toEqual([0]);
  });

  it("allClose: true when every element is close, false otherwise or with NaN; broadcasts", () => {
    expect(tensor([1, 2]).allClose(tensor([1 + 1e-9, 2]))).toBe(true);
    expect(tensor([1, 2]).allClose(tensor([1, 2.1]))).toBe(false);
    expect(tensor([1, 2]).allClose(tensor([1, 2.1]), 0.1)).toBe(true); // rtol 0.1 of 2.1
    expect(tensor([1, 2]).allClose(tensor([1.05, 2]), 0, 0.1)).toBe(true); // atol 0.1
    expect(tensor([NaN]).allClose(tensor([NaN]))).toBe(false);
    expect(tensor([[3, 3], [3, 3]]).allClose(3)).toBe(true);
    expect(tensor([[3, 3], [3, 4]]).allClose(3)).toBe(false);
  });
});

describe("reductions", () => {
  it("sum over all and along each dim (negative dims count from the end), keepdim", () => {
    expect(a().sum().shape).toEqual([]);
    expect(a().sum().item()).toBe(21);
    expect(a().sum(0).toArray()).toEqual([5, 7, 9]);
    expect(a().sum(1).toArray()).toEqual([6, 15]);
    expect(a().sum(-1).toArray()).toEqual([6, 15]);
    expect(a().sum(1, true).toArray()).toEqual([[6], [15]]);
    expect(a().sum(0, true).shape).toEqual([1, 3]);
    expect(a().sum(undefined, true).toArray()).toEqual([[21]]);
  });

  it("mean over all and along each dim, keepdim", () => {
    expect(a().mean().item()).toBe(3.5);
    expect(a().mean(0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(a().mean(1).toArray()).toEqual([2, 5]);
    expect(a().mean(1, true).toArray()).toEqual([[2], [5]]);
  });

  it("max over all and along each dim, keepdim; all-negative inputs", () => {
    const m = tensor([[1, 9, 3], [4, 5, 6]]);
    expect(m.max().item()).toBe(9);
    expect(m.max(0).toArray()).toEqual([4, 9, 6]);
    expect(m.max(1).toArray()).toEqual([9, 6]);
    expect(m.max(1, true).toArray()).toEqual([[9], [6]]);
    expect(m.max(-2, true).shape).toEqual([1, 3]);
    expect(tensor([-3, -1, -2]).max().item()).toBe(-1);
  });

  it("reductions of a permuted (non-contiguous) tensor", () => {
    const t = a().T(); // [[1,4],[2,5],[3,6]]
    expect(t.sum(0).toArray()).toEqual([6, 15]);
    expect(t.sum(1).toArray()).toEqual([5, 7, 9]);
    expect(t.max(0).toArray()).toEqual([3, 6]);
    expect(t.mean().item()).toBe(3.5);
  });

  it("reductions of a 3-D tensor along the middle dim", () => {
    const t = arange(12).view(2, 3, 2); // t[i,j,k] = 6i + 2j + k
    expect(t.sum(1).toArray()).toEqual([[6, 9], [24, 27]]);
    expect(t.max(1).toArray()).toEqual([[4, 5], [10, 11]]);
    expect(t.mean(1).toArray()).toEqual([[2, 3], [8, 9]]);
  });
});

describe("shape ops", () => {
  it("matmul of 2x3 and 3x2, and batched with a broadcast batch", () => {
    const b = tensor([[1, 0], [0, 1], [1, 1]]);
    expect(a().matmul(b).toArray()).toEqual([[4, 5], [10, 11]]);
    expect(tensor([[1, 2], [3, 4]]).matmul(tensor([[5, 6], [7, 8]])).toArray()).toEqual([[19, 22], [43, 50]]);
    const batch = tensor([[[1, 0], [0, 1]], [[2, 0], [0, 2]]]); // [2,2,2]: I and 2I
    const m = tensor([[1, 2], [3, 4]]);
    expect(batch.matmul(m).toArray()).toEqual([[[1, 2], [3, 4]], [[2, 4], [6, 8]]]);
    expect(m.matmul(batch).toArray()).toEqual([[[1, 2], [3, 4]], [[2, 4], [6, 8]]]);
  });

  it("view (with -1 and both call styles) reinterprets row-major order", () => {
    const t = arange(6);
    expect(t.view(2, 3).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(t.view([3, 2]).toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(t.view(-1, 2).shape).toEqual([3, 2]);
    expect(t.view(1, 6).view(6).toFlat()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("permute, T and transpose", () => {
    expect(a().permute(1, 0).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(a().permute([1, 0]).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(a().T().toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(a().transpose().toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    const t = arange(24).view(2, 3, 4); // t[i,j,k] = 12i + 4j + k
    const p = t.permute(2, 0, 1);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(p.get(3, 1, 2)).toBe(12 + 8 + 3);
    const tr = t.transpose(0, 2);
    expect(tr.shape).toEqual([4, 3, 2]);
    expect(tr.get(1, 2, 1)).toBe(12 + 8 + 1);
    expect(t.T().shape).toEqual([4, 3, 2]);
    expect(t.T().get(3, 0, 1)).toBe(12 + 3);
    expect(t.transpose().shape).toEqual([2, 4, 3]); // last two dims by default
    expect(t.permute(-1, 0, 1).shape).toEqual([4, 2, 3]);
  });

  it("permute shares storage; contiguous copies only when needed", () => {
    const t = a();
    const p = t.T();
    expect(p.storage).toBe(t.storage);
    expect(p.isContiguous()).toBe(false);
    const c = p.contiguous();
    expect(c.isContiguous()).toBe(true);
    expect(c.storage).not.toBe(t.storage);
    expect(Array.from(c.storage)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(c.toArray()).toEqual(p.toArray());
    expect(t.contiguous()).toBe(t);
  });

  it("view of a permuted tensor throws; after contiguous() it works", () => {
    expectError(() => a().T().view(6), "view", "contiguous");
    expect(a().T().contiguous().view(6).toFlat()).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it("unsqueeze inserts a dim of size 1 (negative dims count from the new end)", () => {
    const v = tensor([1, 2, 3]);
    expect(v.unsqueeze(0).toArray()).toEqual([[1, 2, 3]]);
    expect(v.unsqueeze(1).toArray()).toEqual([[1], [2], [3]]);
    expect(v.unsqueeze(-1).shape).toEqual([3, 1]);
    expect(a().unsqueeze(1).shape).toEqual([2, 1, 3]);
    expect(a().T().unsqueeze(0).toArray()).toEqual([[[1, 4], [2, 5], [3, 6]]]);
  });
});

describe("element access", () => {
  it("get and set, by a full index; set on a view writes through to the base", () => {
    const t = a();
    expect(t.get(1, 2)).toBe(6);
    t.set([0, 1], 9);
    expect(t.get(0, 1)).toBe(9);
    const v = tensor([1, 2, 3]);
    v.set(2, 5);
    expect(v.toFlat()).toEqual([1, 2, 5]);
    const p = t.T();
    p.set([2, 1], -6);
    expect(t.get(1, 2)).toBe(-6);
  });

  it("out-of-range get/set throw naming the index and the shape", () => {
    expectError(() => a().get(2, 0), "[2,0]", "[2,3]");
    expectError(() => a().set([0, 3], 1), "[0,3]", "[2,3]");
    expectError(() => tensor([1, 2]).set(2, 1), "[2]", "[2]");
  });

  it("item of one-element tensors; error naming the shape otherwise", () => {
    expect(tensor([[7]]).item()).toBe(7);
    expect(tensor(3).item()).toBe(3);
    expect(a().T().sum(0).sum().item()).toBe(21);
    expectError(() => tensor([1, 2]).item(), "item", "[2]");
  });

  it("toArray and toFlat follow the logical (row-major) order, also for permuted tensors", () => {
    expect(a().toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(a().toFlat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a().T().toFlat()).toEqual([1, 4, 2, 5, 3, 6]);
    expect(tensor(4).toArray()).toBe(4);
    expect(tensor([]).toArray()).toEqual([]);
    expect(zeros(2, 0).toArray()).toEqual([[], []]);
  });
});

describe("toString prints like PyTorch", () => {
  it("integers as '1.', padded to a common width", () => {
    expect(tensor([1, 2, 3]).toString()).toBe("tensor([1., 2., 3.])");
    expect(tensor([-1, 2]).toString()).toBe("tensor([-1.,  2.])");
    expect(tensor(3).toString()).toBe("tensor(3.)");
    expect(tensor([]).toString()).toBe("tensor([])");
  });

  it("fractions with 4 decimals", () => {
    expect(tensor([0.5, -1.25]).toString()).toBe("tensor([ 0.5000, -1.2500])");
    expect(tensor([1 / 3]).toString()).toBe("tensor([0.3333])");
  });

  it("matrices on aligned rows; 3-D blocks separated by a blank line", () => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe("tensor([[1., 2.],\n        [3., 4.]])");
    expect(arange(8).view(2, 2, 2).toString()).toBe(
      "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])",
    );
    expect(a().T().toString()).toBe("tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]])");
  });

  it("very large or small magnitudes in scientific notation; nan and inf", () => {
    // PyTorch: tensor([1.0000e-05, 1.0000e+00]) and tensor([1.2346e+10, 1.0000e+00])
    expect(tensor([1e-5, 1]).toString()).toBe("tensor([1.0000e-05, 1.0000e+00])");
    expect(tensor([12345678900, 1]).toString()).toBe("tensor([1.2346e+10, 1.0000e+00])");
    expect(tensor([1e-300]).toString()).toBe("tensor([1.0000e-300])");
    // nan, inf, -inf as PyTorch spells them (its padding of them differs slightly: not checked)
    const s = tensor([1, NaN, Infinity, -Infinity]).toString();
    expect(s.replace(/ +/g, " ")).toBe("tensor([ 1., nan, inf, -inf])");
  });

  it("requires_grad on leaves and grad_fn on computed tensors", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.toString()).toBe("tensor([1., 2.], requires_grad=True)");
    expect(x.mul(2).toString()).toBe("tensor([2., 4.], grad_fn=<MulBackward>)");
    expect(x.sum().toString()).toMatch(/^tensor\(3\., grad_fn=<\w+Backward>\)$/);
  });

  it("summarizes tensors above 1000 elements with '...', keeping 3 items at each end", () => {
    // PyTorch: tensor([1000., 1001., 1002.,  ..., 2197., 2198., 2199.])
    const s = arange(1000, 2200).toString();
    expect(s.startsWith("tensor([1000., 1001., 1002., ")).toBe(true);
    expect(s).toContain("...");
    expect(s.endsWith(", 2197., 2198., 2199.])")).toBe(true);
    expect(s).not.toContain("1003.");
    expect(s).not.toContain("2196.");
    expect(s.length).toBeLessThan(70);
    expect(arange(1000).toString()).toContain("999.])"); // 1000 elements: not summarized
    expect(arange(1000).toString()).not.toContain("...");
  });
});

describe("constructors", () => {
  it("tensor from nested arrays; requiresGrad option", () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.toFlat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.requiresGrad).toBe(false);
    expect(tensor([1], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(tensor(5).shape).toEqual([]);
  });

  it("ragged or mixed nested arrays throw naming the index", () => {
    expectError(() => tensor([[1, 2], [3]]), "tensor", "ragged", "[1]");
    expectError(() => tensor([[1, 2], 3] as never), "tensor", "[1]");
    expectError(() => tensor([[[1], [2]], [[3], [4, 5]]]), "tensor", "[1,1]");
    expectError(() => tensor([1, [2]] as never), "tensor", "[1]");
  });

  it("zeros, ones, full with both call styles", () => {
    expect(zeros(2, 3).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(zeros([2, 3]).shape).toEqual([2, 3]);
    expect(ones(2).toFlat()).toEqual([1, 1]);
    expect(ones([1, 2]).toArray()).toEqual([[1, 1]]);
    expect(full([2, 2], 7).toArray()).toEqual([[7, 7], [7, 7]]);
    expect(zeros().shape).toEqual([]);
    expectError(() => zeros(2, -1), "zeros", "[2,-1]");
  });

  it("arange: end, start/end, steps (fractional, negative); zero step throws", () => {
    expect(arange(5).toFlat()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(2, 8, 2).toFlat()).toEqual([2, 4, 6]);
    expect(arange(2, 9, 2).toFlat()).toEqual([2, 4, 6, 8]);
    expect(arange(5, 0, -2).toFlat()).toEqual([5, 3, 1]);
    expect(arange(0, 1, 0.25).toFlat()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(3, 3).toFlat()).toEqual([]);
    expectError(() => arange(0, 5, 0), "arange", "step");
  });

  it("fromStorage uses the storage without copying, and checks its length", () => {
    const s = Float64Array.of(1, 2, 3, 4);
    const t = fromStorage(s, [2, 2]);
    expect(t.storage).toBe(s);
    expectError(() => fromStorage(s, [3]), "fromStorage", "[3]");
  });

  it("rand: uniform in [0, 1); same seed same numbers, different seed different numbers", () => {
    manualSeed(7);
    const r1 = rand(3, 4).toFlat();
    const r1b = rand(3, 4).toFlat();
    manualSeed(7);
    const r2 = rand([3, 4]).toFlat();
    manualSeed(8);
    const r3 = rand(3, 4).toFlat();
    expect(r2).toEqual(r1);
    expect(r1b).not.toEqual(r1); // the stream advances
    expect(r3).not.toEqual(r1);
    expect(new Set(r1).size).toBe(12);
    for (const v of [...r1, ...r3]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  it("randn: same seed same numbers, different seed different numbers", () => {
    manualSeed(1);
    const n1 = randn(5).toFlat();
    manualSeed(1);
    const n2 = randn(5).toFlat();
    manualSeed(2);
    const n3 = randn(5).toFlat();
    expect(n2).toEqual(n1);
    expect(n3).not.toEqual(n1);
  });

  it("rand and randn have the right moments (seeded; bounds are > 5 standard errors wide)", () => {
    manualSeed(123);
    const n = 20_000;
    const u = rand(n).toFlat();
    const z = randn(n).toFlat();
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = (xs: number[]): number => {
      const m = mean(xs);
      return xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
    };
    // uniform: mean 1/2 (se 0.002), var 1/12; normal: mean 0 (se 0.007), var 1 (se 0.01)
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.012);
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.005);
    expect(Math.abs(mean(z))).toBeLessThan(0.04);
    expect(Math.abs(variance(z) - 1)).toBeLessThan(0.06);
    // about 68.3% of standard normals fall within one standard deviation
    const within = z.filter((x) => Math.abs(x) < 1).length / n;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.02);
  });
});

describe("errors name the op and the shapes", () => {
  it.each(["add", "sub", "mul", "div", "lt", "gt", "eq", "isClose"] as const)(
    "%s of [2,3] and [4] throws mentioning the op and both shapes",
    (name) => {
      const x = zeros(2, 3);
      const y = zeros(4);
      expectError(() => (x[name] as (b: Tensor) => Tensor).call(x, y), name, "[2,3]", "[4]");
    },
  );

  it("matmul with mismatched inner dims, or a 0-dim operand", () => {
    expectError(() => zeros(2, 3).matmul(zeros(4, 5)), "matmul", "[2,3]", "[4,5]");
    expectError(() => zeros(2, 2, 3).matmul(zeros(3, 3, 2)), "matmul", "[2]", "[3]");
    expectError(() => tensor(1).matmul(zeros(2)), "matmul", "[]", "[2]");
  });

  it("dims out of range name the op and the dim", () => {
    expectError(() => a().sum(2), "sum", "dim 2");
    expectError(() => a().mean(-3), "mean", "dim -3");
    expectError(() => a().max(5), "max", "dim 5");
    expectError(() => a().transpose(0, 2), "transpose", "dim 2");
    expectError(() => a().unsqueeze(3), "unsqueeze", "dim 3");
    expectError(() => a().permute(0, 2), "permute");
  });

  it("view, transpose of a vector, max of an empty tensor, pow by NaN", () => {
    expectError(() => a().view(4), "view", "[4]", "[2,3]");
    expectError(() => tensor([1, 2]).transpose(), "transpose", "[2]");
    expectError(() => zeros(0).max(), "max", "[0]");
    expectError(() => a().pow(NaN), "pow", "NaN");
  });
});

describe("linspace and abs", () => {
  it("linspace includes both ends with even steps", () => {
    const t = linspace(-1, 1, 5);
    expect(t.toFlat()).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(linspace(2, 3, 1).toFlat()).toEqual([2]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
    expect(() => linspace(0, 1, 2.5)).toThrow(/linspace: steps/);
  });

  it("abs is |x| with derivative sign(x)", () => {
    const x = tensor([-2, 0, 3], { requiresGrad: true });
    expect(x.abs().toFlat()).toEqual([2, 0, 3]);
    x.abs().sum().backward();
    expect(x.grad?.toFlat()).toEqual([-1, 0, 1]);
  });
});

describe("grad_fn names the last op", () => {
  it("a full sum prints SumBackward and a max MaxBackward, as PyTorch names them", () => {
    const x = tensor([[1, 5, 2], [7, 0, 3]], { requiresGrad: true });
    expect(x.sum().toString()).toBe("tensor(18., grad_fn=<SumBackward>)");
    expect(x.max(1).toString()).toBe("tensor([5., 7.], grad_fn=<MaxBackward>)");
  });
});
