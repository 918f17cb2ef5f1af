/**
 * Autodiff (src/autodiff/*, and Tensor.backward on top): topological order on random DAGs, the generic
 * engine on a tiny scalar Variable written here (micrograd style), gradient accumulation when a value is
 * used twice, noGrad, detach, backward's seed gradient rules, and accumulation across backward calls.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Context,
  MiniTorchError,
  Variable,
  backpropagate,
  isGradEnabled,
  noGrad,
  tensor,
  topologicalSort,
} from "../src";
import { fcOptions } from "./support/gradcheck";

// ---- a scalar Variable, independent of Tensor -------------------------------------------------------

let nextScalarId = 1_000_000_000;

class Scalar implements Variable<number> {
  readonly id = nextScalarId++;
  derivative = 0;
  accumulations = 0;
  constructor(
    readonly value: number,
    readonly parents: Scalar[] = [],
    private readonly local: number[] = [],
  ) {}
  isLeaf(): boolean {
    return this.parents.length === 0;
  }
  *chainRule(d: number): Iterable<readonly [Scalar, number]> {
    for (let i = 0; i < this.parents.length; i++) yield [this.parents[i], d * this.local[i]] as const;
  }
  accumulateDerivative(d: number): void {
    this.derivative += d;
    this.accumulations++;
  }
}
const mul = (a: Scalar, b: Scalar): Scalar => new Scalar(a.value * b.value, [a, b], [b.value, a.value]);
const add = (a: Scalar, b: Scalar): Scalar => new Scalar(a.value + b.value, [a, b], [1, 1]);

/** A random DAG: node i's parents are a subset of nodes < i; the root is the last node. */
const dags = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        i === 0
          ? fc.constant<number[]>([])
          : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: Math.min(i, 3) }),
      ),
    ),
  );

function buildDag(parentLists: number[][]): Scalar[] {
  const nodes: Scalar[] = [];
  parentLists.forEach((ps) => nodes.push(new Scalar(1, ps.map((p) => nodes[p]), ps.map(() => 1))));
  return nodes;
}

describe("topologicalSort", () => {
  it("diamond: the root first, the shared input last", () => {
    const x = new Scalar(2);
    const a = mul(x, x);
    const b = add(x, new Scalar(1));
    const r = add(a, b);
    const order = topologicalSort(r);
    expect(order[0]).toBe(r);
    expect(order[order.length - 1]).toBe(x);
    expect(order.length).toBe(5); // r, a, b, x and the constant 1
  });

  it("property: on random DAGs, each reachable node appears once, after every node that uses it", () => {
    fc.assert(
      fc.property(dags, (parentLists) => {
        const nodes = buildDag(parentLists);
        const root = nodes[nodes.length - 1];
        const reachable = new Set<Scalar>();
        const visit = (v: Scalar): void => {
          if (reachable.has(v)) return;
          reachable.add(v);
          v.parents.forEach(visit);
        };
        visit(root);
        const order = topologicalSort(root) as Scalar[];
        expect(order[0]).toBe(root);
        expect(new Set(order).size).toBe(order.length);
        expect(new Set(order)).toEqual(reachable);
        const pos = new Map(order.map((v, i) => [v, i]));
        for (const v of order) for (const p of v.parents) expect(pos.get(p)!).toBeGreaterThan(pos.get(v)!);
      }),
      fcOptions(100),
    );
  });

  it("handles a deep chain without overflowing the stack", () => {
    let v = new Scalar(1);
    const leaf = v;
    for (let i = 0; i < 50_000; i++) v = add(v, new Scalar(0));
    const order = topologicalSort(v);
    expect(order.length).toBe(100_001);
    expect(order[order.length - 1] === leaf || order.includes(leaf)).toBe(true);
  });
});

describe("backpropagate (generic engine)", () => {
  it("x*x: one node used twice gets both contributions, 2x", () => {
    const x = new Scalar(3);
    backpropagate(mul(x, x), 1, (a, b) => a + b);
    expect(x.derivative).toBe(6);
  });

  it("diamond x*x + 3x: d/dx = 2x + 3, summed before reaching the leaf (one accumulation per leaf)", () => {
    const x = new Scalar(5);
    const three = new Scalar(3);
    const r = add(mul(x, x), mul(x, three));
    backpropagate(r, 1, (a, b) => a + b);
    expect(x.derivative).toBe(2 * 5 + 3);
    expect(x.accumulations).toBe(1);
    expect(three.derivative).toBe(5);
  });

  it("the seed derivative scales everything", () => {
    const x = new Scalar(5);
    backpropagate(mul(x, new Scalar(4)), 0.5, (a, b) => a + b);
    expect(x.derivative).toBe(2);
  });

  it("property: on random DAGs with every local derivative 1, a leaf's derivative counts its paths to the root", () => {
    fc.assert(
      fc.property(dags, (parentLists) => {
        const nodes = buildDag(parentLists);
        const root = nodes[nodes.length - 1];
        // number of paths from each node to the root, by dynamic programming from the root down
        const paths = new Map<Scalar, number>([[root, 1]]);
        for (let i = nodes.length - 1; i >= 0; i--) {
          const v = nodes[i];
          const pv = paths.get(v) ?? 0;
          for (const p of v.parents) paths.set(p, (paths.get(p) ?? 0) + pv);
        }
        backpropagate(root, 1, (a, b) => a + b);
        for (const v of nodes) if (v.isLeaf()) expect(v.derivative).toBe(paths.get(v) ?? 0);
      }),
      fcOptions(100),
    );
  });
});

describe("Tensor.backward", () => {
  it("x*x accumulates both uses: d/dx sum(x*x) = 2x", () => {
    const x = tensor([1, -2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    expect(x.grad!.toFlat()).toEqual([2, -4, 6]);
  });

  it("z = x*y + x: dz/dx = y + 1, dz/dy = x", () => {
    const x = tensor([[1, 2]], { requiresGrad: true });
    const y = tensor([[3, 4]], { requiresGrad: true });
    x.mul(y).add(x).sum().backward();
    expect(x.grad!.toFlat()).toEqual([4, 5]);
    expect(y.grad!.toFlat()).toEqual([1, 2]);
  });

  it("only leaves that require grad receive .grad; intermediate values do not", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([5, 6]);
    const y = x.mul(c);
    y.sum().backward();
    expect(x.grad!.toFlat()).toEqual([5, 6]);
    expect(c.grad).toBeNull();
    expect(y.grad).toBeNull();
  });

  it("gradients accumulate across two backward calls on leaves, until reset", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(2).sum().backward();
    expect(x.grad!.toFlat()).toEqual([2, 2, 2]);
    x.mul(x).sum().backward(); // + 2x
    expect(x.grad!.toFlat()).toEqual([4, 6, 8]);
    x.grad = null;
    x.mul(3).sum().backward();
    expect(x.grad!.toFlat()).toEqual([3, 3, 3]);
  });

  it("the same graph can be backpropagated twice when the first backward retains it", () => {
    const x = tensor([2], { requiresGrad: true });
    const loss = x.mul(x).sum();
    loss.backward({ retainGraph: true });
    loss.backward();
    expect(x.grad!.toFlat()).toEqual([8]);
  });

  it("two leaves receiving the same gradient get independent .grad tensors", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    x.add(w).backward(tensor([1, 1]));
    expect(x.grad!.toFlat()).toEqual([1, 1]);
    expect(w.grad!.toFlat()).toEqual([1, 1]);
    x.grad!.set(0, 100); // e.g. clipping one parameter's gradient in place
    expect(w.grad!.toFlat()).toEqual([1, 1]);
  });

  it("a leaf's .grad does not alias the gradient passed to backward", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const g = tensor([0.5, 0.25]);
    x.backward(g);
    expect(x.grad!.toFlat()).toEqual([0.5, 0.25]);
    g.set(0, 9);
    expect(x.grad!.toFlat()).toEqual([0.5, 0.25]);
  });

  it("backward on a non-scalar without a gradient throws a MiniTorchError naming the shape", () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(MiniTorchError);
    expect(() => x.mul(2).backward()).toThrow(/backward.*\[2,2\]/);
    expect(x.grad).toBeNull();
  });

  it("backward on a one-element non-0-dim tensor needs no gradient", () => {
    const x = tensor([[3]], { requiresGrad: true });
    x.mul(x).backward();
    expect(x.grad!.toFlat()).toEqual([6]);
  });

  it("backward(grad) with a given gradient: d(3x)/dx times g", () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    x.mul(3).backward(tensor([[1, 0], [-1, 2]]));
    expect(x.grad!.toArray()).toEqual([[3, 0], [-3, 6]]);
  });

  it("backward(grad) with a gradient of an incompatible shape throws", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expect(() => x.mul(2).backward(tensor([1, 2]))).toThrow(MiniTorchError);
    expect(() => x.mul(2).backward(tensor([[1, 2, 3], [4, 5, 6]]))).toThrow(/backward.*\[2,3\].*\[3\]/);
  });

  it("backward on a tensor that does not require grad throws", () => {
    expect(() => tensor([1]).mul(2).backward()).toThrow(/backward/);
  });

  it("a deep chain (5000 ops) backpropagates without overflowing the stack", () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 5000; i++) y = y.add(1);
    y.sum().backward();
    expect(x.grad!.toFlat()).toEqual([1]);
  });
});

describe("noGrad and detach", () => {
  it("noGrad records nothing and restores the mode, even when the body throws", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(isGradEnabled()).toBe(true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return x.mul(x).exp();
    });
    expect(y.history).toBeNull();
    expect(y.requiresGrad).toBe(false);
    expect(y.toFlat()).toEqual([Math.exp(1), Math.exp(4)]);
    expect(isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
    // nested noGrad leaves the outer mode off until the outer one ends
    noGrad(() => {
      noGrad(() => undefined);
      expect(isGradEnabled()).toBe(false);
    });
    expect(isGradEnabled()).toBe(true);
  });

  it("outside noGrad the same op records its history", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x);
    expect(y.history).not.toBeNull();
    expect(y.history!.name).toBe("mul");
    expect(y.history!.inputs).toEqual([x, x]);
  });

  it("detach shares values but stops gradients: d/dx sum(detach(2x) * x) = 2x, not 4x", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.history).toBeNull();
    expect(d.toFlat()).toEqual([2, 4, 6]);
    d.mul(x).sum().backward();
    expect(x.grad!.toFlat()).toEqual([2, 4, 6]);
  });

  it("a detached leaf shares storage with the original", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.detach();
    expect(d.storage).toBe(x.storage);
    expect(d.requiresGrad).toBe(false);
  });

  it("requiresGrad_ on a computed tensor throws, pointing to detach()", () => {
    const x = tensor([1], { requiresGrad: true });
    expect(() => x.mul(2).requiresGrad_(false)).toThrow(/requiresGrad_.*detach/);
  });
});

describe("Context", () => {
  it("returns what forward saved, and throws if nothing was saved", () => {
    const ctx = new Context<[number, string]>();
    expect(() => ctx.saved).toThrow(/never saved/);
    ctx.save(1, "a");
    expect(ctx.saved).toEqual([1, "a"]);
  });
});
