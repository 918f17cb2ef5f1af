/**
 * SGD and Adam against their update rules (torch.optim's documented algorithms) computed by hand here,
 * for one and several steps; in-place updates that keep the parameter objects; convergence on a
 * quadratic; argument errors.
 */
import { describe, expect, it } from "vitest";
import { MiniTorchError, Tensor, TensorData, nn, optim, tensor } from "../src";
import { expectError } from "./support/errors";

/** A parameter and a loss whose gradient we know: L = sum(c * p^2) / 2 has dL/dp = c * p. */
function quadratic(values: number[], c: number[]) {
  const p = new nn.Parameter(tensor(values));
  const loss = (): Tensor => p.mul(p).mul(tensor(c)).sum().div(2);
  const grad = (at: number[]): number[] => at.map((v, i) => c[i] * v);
  return { p, loss, grad };
}

/** Runs `steps` optimizer steps on the quadratic, returning the parameter values after each. */
function run(opt: optim.Optimizer, loss: () => Tensor, p: Tensor, steps: number): number[][] {
  const trace: number[][] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
    trace.push(p.toFlat());
  }
  return trace;
}

const close = (actual: number[][], expected: number[][]): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, s) => row.forEach((v, i) => expect(v).toBeCloseTo(expected[s][i], 12)));
};

describe("SGD", () => {
  it("plain: p <- p - lr * grad, one step by hand", () => {
    const { p, loss } = quadratic([1, -2], [3, 0.5]);
    const storage = p.storage;
    run(new optim.SGD([p], { lr: 0.1 }), loss, p, 1);
    // grad = [3 * 1, 0.5 * -2] = [3, -1]; p = [1 - 0.3, -2 + 0.1]
    expect(p.toFlat()[0]).toBeCloseTo(0.7, 15);
    expect(p.toFlat()[1]).toBeCloseTo(-1.9, 15);
    expect(p.storage).toBe(storage); // updated in place, same leaf
    expect(p.isLeaf()).toBe(true);
  });

  it("with momentum and weight decay: b1 = g1, b_t = mu b_{t-1} + g_t, p -= lr b_t, over several steps", () => {
    const [lr, mu, wd] = [0.05, 0.9, 0.01];
    const { p, loss, grad } = quadratic([1, -2, 0.5], [3, 0.5, 1]);
    const expected: number[][] = [];
    let x = p.toFlat();
    let b: number[] = [];
    for (let t = 1; t <= 5; t++) {
      const g = grad(x).map((gi, i) => gi + wd * x[i]);
      b = t === 1 ? g : b.map((bi, i) => mu * bi + g[i]);
      x = x.map((xi, i) => xi - lr * b[i]);
      expected.push(x);
    }
    close(run(new optim.SGD([p], { lr, momentum: mu, weightDecay: wd }), loss, p, 5), expected);
  });

  it("skips parameters without a gradient and updates each parameter with its own state", () => {
    const a = new nn.Parameter(tensor([1, 1]));
    const unused = new nn.Parameter(tensor([5]));
    const opt = new optim.SGD([a, unused], { lr: 1, momentum: 0.5 });
    a.sum().backward(); // grad [1, 1]
    opt.step(); // b = 1 -> a = 0
    opt.step(); // same grad (not zeroed): b = 0.5 + 1 = 1.5 -> a = -1.5
    expect(a.toFlat()).toEqual([-1.5, -1.5]);
    expect(unused.toFlat()).toEqual([5]);
  });
});

describe("Adam", () => {
  it("matches the bias-corrected update rule by hand over several steps", () => {
    const [lr, b1, b2, eps, wd] = [0.1, 0.8, 0.95, 1e-6, 0.02];
    const { p, loss, grad } = quadratic([1, -2, 0.001], [3, 0.5, 10]);
    const expected: number[][] = [];
    let x = p.toFlat();
    let m = x.map(() => 0);
    let v = x.map(() => 0);
    for (let t = 1; t <= 6; t++) {
      const g = grad(x).map((gi, i) => gi + wd * x[i]);
      m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]);
      v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i] * g[i]);
      x = x.map((xi, i) => xi - (lr * m[i]) / (1 - b1 ** t) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps));
      expected.push(x);
    }
    const opt = new optim.Adam([p], { lr, betas: [b1, b2], eps, weightDecay: wd });
    close(run(opt, loss, p, 6), expected);
  });

  it("first step moves each coordinate by about lr whatever the gradient's scale", () => {
    const { p, loss } = quadratic([1, 1], [1000, 0.001]);
    run(new optim.Adam([p], { lr: 0.01 }), loss, p, 1);
    expect(p.toFlat()[0]).toBeCloseTo(0.99, 6);
    expect(p.toFlat()[1]).toBeCloseTo(0.99, 4);
  });

  it("uses PyTorch's defaults lr 1e-3, betas [0.9, 0.999], eps 1e-8", () => {
    const opt = new optim.Adam([new nn.Parameter(tensor([1]))]);
    expect([opt.lr, opt.betas, opt.eps, opt.weightDecay]).toEqual([1e-3, [0.9, 0.999], 1e-8, 0]);
  });
});

describe("convergence", () => {
  const make = (kind: string, p: Tensor): optim.Optimizer =>
    kind === "sgd" ? new optim.SGD([p], { lr: 0.1 })
      : kind === "momentum" ? new optim.SGD([p], { lr: 0.05, momentum: 0.9 })
        : new optim.Adam([p], { lr: 0.05 });

  for (const kind of ["sgd", "momentum", "adam"]) {
    it(`${kind} minimizes a shifted quadratic sum((p - t)^2)`, () => {
      const target = tensor([3, -1, 0.5]);
      const p = new nn.Parameter(tensor([0, 0, 0]));
      const opt = make(kind, p);
      const loss = () => p.sub(target).pow(2).sum();
      for (let s = 0; s < 300; s++) {
        opt.zeroGrad();
        loss().backward();
        opt.step();
      }
      expect(loss().item()).toBeLessThan(1e-4);
    });
  }

  it("trains a model through module.parameters()", () => {
    const lin = new nn.Linear(1, 1);
    const opt = new optim.SGD(lin.parameters(), { lr: 0.1, momentum: 0.5 });
    const x = tensor([[0], [1], [2], [3]]);
    const y = tensor([[1], [3], [5], [7]]); // y = 2x + 1
    for (let s = 0; s < 400; s++) {
      opt.zeroGrad();
      lin.forward(x).sub(y).pow(2).mean().backward();
      opt.step();
    }
    expect(lin.weight.item()).toBeCloseTo(2, 4);
    expect(lin.bias?.item()).toBeCloseTo(1, 4);
  });
});

describe("errors", () => {
  const p = () => new nn.Parameter(tensor([1]));

  it("reject bad hyperparameters, naming the optimizer and the argument", () => {
    expect(() => new optim.SGD([p()], { lr: -1 }))
      .toThrow(new MiniTorchError("SGD: lr must be a finite number >= 0, got the number -1"));
    expect(() => new optim.SGD([p()], { lr: 0.1, momentum: -0.5 }))
      .toThrow("SGD: momentum must be a finite number >= 0, got the number -0.5");
    expect(() => new optim.SGD([p()], {} as optim.SGDOptions))
      .toThrow("SGD: lr must be a finite number >= 0, got undefined");
    expect(() => new optim.Adam([p()], { betas: [0.9, 1] }))
      .toThrow("Adam: betas[1] must be in [0, 1), got the number 1");
    expect(() => new optim.Adam([p()], { eps: NaN })).toThrow("Adam: eps must be a finite number >= 0, got NaN");
  });

  it("reject empty, non-leaf, no-grad and repeated parameters", () => {
    expect(() => new optim.SGD([], { lr: 1 })).toThrow("SGD: got an empty parameter list");
    expect(() => new optim.Adam([tensor([1])])).toThrow(
      "Adam: parameter 0 must be a leaf tensor that requires grad " +
        "(an nn.Parameter, or tensor(..., { requiresGrad: true }))");
    expect(() => new optim.SGD([p().mul(2)], { lr: 1 })).toThrow("SGD: parameter 0 must be a leaf tensor");
    const q = p();
    expect(() => new optim.SGD([q, q], { lr: 1 })).toThrow("SGD: parameter 1 appears more than once in the list");
  });

  it("reject a gradient whose shape does not match its parameter", () => {
    const q = p();
    const opt = new optim.SGD([q], { lr: 1 });
    q.grad = tensor([1, 2]);
    expect(() => opt.step())
      .toThrow("SGD: gradient of shape [2] does not match parameter 0 of shape [1]; no parameter was changed");
  });

  it("reject unknown options, a string lr, bad betas, and a model passed instead of its parameters", () => {
    expectError(() => new optim.SGD([p()], { lr: 0.1, momentun: 0.9 } as optim.SGDOptions),
      "SGD: unknown option momentun (known: lr, momentum, weightDecay)");
    expectError(() => new optim.Adam([p()], { learningRate: 0.1 } as optim.AdamOptions),
      "Adam: unknown option learningRate");
    expectError(() => new optim.SGD([p()], { lr: "0.1" as unknown as number }),
      `SGD: lr must be a finite number >= 0, got a string "0.1"`);
    expectError(() => new optim.SGD([p()], undefined as unknown as optim.SGDOptions),
      "SGD: options { lr } are required");
    expectError(() => new optim.Adam([p()], { betas: 0.9 as unknown as [number, number] }),
      "Adam: betas must be two numbers [b1, b2], got the number 0.9");
    const model = new nn.Linear(2, 1);
    expectError(() => new optim.SGD(model as unknown as Tensor[], { lr: 1 }),
      "SGD: expected the model's parameters, got a Linear; pass model.parameters()");
    expectError(() => new optim.Adam(3 as unknown as Tensor[]),
      "Adam: expected an iterable of parameters such as model.parameters(), got the number 3");
    expectError(() => new optim.SGD([[1, 2]] as unknown as Tensor[], { lr: 1 }),
      "SGD: parameter 0 must be a leaf tensor", "got an array [1, 2]");
  });
});

describe("step checks every gradient before it changes any parameter", () => {
  const setup = () => {
    const [a, b] = [new nn.Parameter(tensor([1, 2])), new nn.Parameter(tensor([[3], [4]]))];
    return { a, b, before: [a.toFlat(), b.toFlat()] };
  };

  it("a bad second gradient (shape or a non-finite value) leaves the first parameter unchanged", () => {
    const makers = [
      (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }),
      (ps: Tensor[]) => new optim.Adam(ps),
    ];
    for (const make of makers) {
      for (const bad of [tensor([1, 2]), tensor([[1], [Number.NaN]]), tensor([[Infinity], [0]])]) {
        const { a, b, before } = setup();
        const opt = make([a, b]);
        a.grad = tensor([0.5, 0.5]);
        b.grad = bad;
        expect(() => opt.step()).toThrow(MiniTorchError);
        expect([a.toFlat(), b.toFlat()]).toEqual(before);
        // and the optimizer's state was not advanced: a good step afterwards is an ordinary first step
        b.grad = tensor([[0.5], [0.5]]);
        opt.step();
        const fresh = setup();
        const ref = make([fresh.a, fresh.b]);
        fresh.a.grad = tensor([0.5, 0.5]);
        fresh.b.grad = tensor([[0.5], [0.5]]);
        ref.step();
        expect([a.toFlat(), b.toFlat()]).toEqual([fresh.a.toFlat(), fresh.b.toFlat()]);
      }
    }
  });

  it("the error names the optimizer, the parameter and the value", () => {
    const { a, b } = setup();
    const opt = new optim.SGD([a, b], { lr: 1 });
    a.grad = tensor([0, 0]);
    b.grad = tensor([[1], [Number.NaN]]);
    expectError(() => opt.step(),
      "SGD: gradient of parameter 1 (shape [2,1]) holds NaN at flat index 1; no parameter was changed");
  });
});

describe("parameters that are views with a storage offset", () => {
  it("update their own elements, not the storage's first ones", () => {
    const storage = Float64Array.of(9, 1, 2);
    const p = new nn.Parameter(new Tensor(new TensorData(storage, [2], [1], 1))); // elements 1 and 2
    const opt = new optim.SGD([p], { lr: 1 });
    p.grad = tensor([0.5, 0.25]);
    opt.step();
    expect([...storage]).toEqual([9, 0.5, 1.75]);
  });
});

describe("lr is settable", () => {
  it("a new lr applies from the next step, and is validated", () => {
    const { p, loss } = quadratic([1], [1]);
    const opt = new optim.SGD([p], { lr: 0.1 });
    opt.lr = 0.5;
    expect(opt.lr).toBe(0.5);
    run(opt, loss, p, 1);
    expect(p.toFlat()[0]).toBeCloseTo(0.5, 15); // 1 - 0.5 * 1
    expectError(() => (opt.lr = -0.1), "SGD: lr must be a finite number >= 0, got the number -0.1");
    expectError(() => (opt.lr = Number.NaN), "SGD: lr must be a finite number >= 0, got NaN");
    expect(opt.lr).toBe(0.5);
    expect(new optim.Adam([p]).lr).toBe(1e-3);
  });
});
