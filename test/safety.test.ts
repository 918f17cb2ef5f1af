/**
 * Autodiff safety as PyTorch has it (src/autodiff/context.ts, tensor.ts): a second backward through a
 * freed graph raises unless the first used retainGraph; an in-place change (set(), through any view) to a
 * tensor saved for backward raises at backward time naming the op; reading .grad of a non-leaf warns why
 * it is null, and retainGrad() keeps it. Every refusal happens before any gradient is written.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Tensor, nn, tensor, useBackend } from "../src";
import { expectError } from "./support/errors";

describe("a freed graph", () => {
  it("a second backward raises, naming retainGraph, and leaves .grad as the first left it", () => {
    const x = tensor([2, 3], { requiresGrad: true });
    const loss = x.mul(x).sum();
    loss.backward();
    expectError(() => loss.backward(), "backward", "second time", "retainGraph: true");
    expect((x.grad as Tensor).toFlat()).toEqual([4, 6]);
  });

  it("retainGraph keeps it for another backward (options first or after the gradient)", () => {
    const x = tensor([2, 3], { requiresGrad: true });
    const y = x.mul(x);
    y.backward(tensor([1, 1]), { retainGraph: true });
    y.sum().backward({ retainGraph: true });
    y.sum().backward();
    expect((x.grad as Tensor).toFlat()).toEqual([12, 18]);
    expectError(() => y.sum().backward(), "backward", "second time");
  });

  it("a shared subgraph freed by one loss raises for another, as in PyTorch", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.exp();
    h.sum().backward();
    expectError(() => h.mul(2).sum().backward(), "backward", "exp");
  });

  it("bad options are refused before anything runs", () => {
    const x = tensor([1], { requiresGrad: true });
    const y = x.mul(2);
    expectError(() => y.backward({ retain: true } as never), "backward", "retain", "retainGraph");
    expectError(() => y.backward({ retainGraph: "yes" } as never), "backward", "retainGraph", "true or false");
    expectError(() => y.backward([1] as never), "backward", "gradient", "wrap it with tensor");
    y.backward();
    expect((x.grad as Tensor).toFlat()).toEqual([2]);
  });
});

describe("in-place changes to saved tensors", () => {
  it("set() on an input that mul saved makes backward raise, naming mul and the versions", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4]);
    const loss = x.mul(w).sum();
    w.set(0, 10);
    expectError(() => loss.backward(), "backward", "mul", "changed in place", "version 0", "1 now");
    expect(x.grad).toBeNull(); // nothing was written
  });

  it("a write through a view counts: views share the version counter", () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const base = tensor([[1, 1], [1, 1]]);
    const loss = x.mul(base).sum();
    expect(base.version).toBe(0);
    base.transpose().select(0, 1).set(0, 5);
    expect(base.version).toBe(1);
    expectError(() => loss.backward(), "backward", "mul", "[2,2]");
  });

  it("an output a function saved (softmax, both paths) is guarded too", () => {
    for (const name of ["reference", "fast"]) {
      const previous = useBackend(name);
      try {
        const x = tensor([1, 2, 3], { requiresGrad: true });
        const s = nn.softmax(x);
        const loss = s.mul(tensor([1, 0, 0])).sum();
        s.set(0, 0.5);
        expectError(() => loss.backward(), "backward", "changed in place");
      } finally {
        useBackend(previous);
      }
    }
  });

  it("a change before the forward pass, or to a tensor nothing saved, is fine", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4]);
    w.set(0, 10);
    const y = x.add(w);
    w.set(1, 0); // add saves nothing
    y.sum().backward();
    expect((x.grad as Tensor).toFlat()).toEqual([1, 1]);
  });
});

describe(".grad of a non-leaf", () => {
  afterEach(() => vi.restoreAllMocks());

  it("warns once why it is null, naming the op and retainGrad()", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.sum().backward();
    expect(y.grad).toBeNull();
    expect(y.grad).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/not a leaf.*mul.*retainGrad\(\)/);
    expect(x.grad).not.toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("retainGrad() keeps an intermediate gradient, without warning", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3).retainGrad();
    y.mul(y).sum().backward();
    expect((y.grad as Tensor).toFlat()).toEqual([6, 12]);
    expect((x.grad as Tensor).toFlat()).toEqual([18, 36]);
    expect(y.retainsGrad).toBe(true);
    expect(warn).not.toHaveBeenCalled();
    expectError(() => tensor([1]).retainGrad(), "retainGrad", "does not require grad");
  });

  it(".grad can only be set to a Tensor or null", () => {
    const x = tensor([1], { requiresGrad: true });
    expectError(() => (x.grad = [1] as never), "grad", "Tensor or null");
  });
});
