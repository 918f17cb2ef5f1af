/**
 * Layers: Linear and Conv forward values against hand computation, PyTorch's shapes and default init,
 * every module's gradient wrt its input and each of its parameters against central differences (every
 * index, through the module's own forward), and the argument errors that name the class and argument.
 */
import { describe, expect, it } from "vitest";
import { MiniTorchError, Tensor, manualSeed, nn, randn, tensor } from "../src";
import { expectStateDictKeys, golden } from "./support/golden";
import { breakTies, gradCheck } from "./support/gradcheck";

/** Replaces the parameter at a path such as "0.weight": the field `weight` of the submodule named "0". */
function setParameter(module: nn.Module, path: string, value: Tensor): void {
  const cut = path.lastIndexOf(".");
  const owner = cut < 0 ? module : module.namedModules().find(([name]) => name === path.slice(0, cut))?.[1];
  if (owner === undefined) throw new Error(`no submodule owns the parameter ${path}`);
  (owner as unknown as Record<string, unknown>)[path.slice(cut + 1)] = value;
}

/**
 * Gradient check of `module.forward` wrt its input and every parameter: gradCheck's leaf copies stand in
 * for the parameters during the check, so the module's own forward is what gets differentiated. Then one
 * backward through the untouched module must fill every real Parameter's .grad with that same gradient
 * (plain sum: the check's weighting is its own business).
 */
function checkModule(module: nn.Module, input: Tensor, before: () => void = () => undefined): void {
  const named = module.namedParameters();
  const forward = (x: Tensor, ...params: Tensor[]): Tensor => {
    named.forEach(([name], i) => setParameter(module, name, params[i]));
    before();
    return module.forward(x);
  };
  const originals = named.map(([, p]) => p);
  let summed: Tensor[];
  try {
    gradCheck(forward, [input, ...originals]);
    summed = gradCheck(forward, [input, ...originals], { weights: "sum" });
  } finally {
    named.forEach(([name, p]) => setParameter(module, name, p));
  }
  if (named.length === 0) return;
  module.zeroGrad();
  before();
  module.forward(input).sum().backward();
  named.forEach(([name, p], i) => {
    expect(p.grad, name).not.toBeNull();
    const expected = summed[i + 1].toFlat();
    p.grad?.toFlat().forEach((g, k) => expect(g, `${name}[${k}]`).toBeCloseTo(expected[k], 12));
  });
}

describe("Linear", () => {
  it("computes x W^T + b with weight [out, in] as PyTorch", () => {
    const lin = new nn.Linear(3, 2);
    expect(lin.weight.shape).toEqual([2, 3]);
    expect(lin.bias?.shape).toEqual([2]);
    lin.weight.storage.set([1, 2, 3, -1, 0, 1]);
    lin.bias?.storage.set([0.5, -0.5]);
    // [1, 1, 1] -> [1+2+3+0.5, -1+0+1-0.5]; [2, 0, -1] -> [2-3+0.5, -2-1-0.5]
    expect(lin.forward(tensor([[1, 1, 1], [2, 0, -1]])).toArray()).toEqual([[6.5, -0.5], [-0.5, -3.5]]);
    expect(lin.forward(tensor([1, 1, 1])).toArray()).toEqual([6.5, -0.5]); // a single vector
    expect(lin.forward(tensor([[[1, 1, 1]], [[2, 0, -1]]])).shape).toEqual([2, 1, 2]); // extra leading dims
  });

  it("without bias has only a weight", () => {
    const lin = new nn.Linear(2, 2, { bias: false });
    lin.weight.storage.set([1, 0, 0, 2]);
    expect(lin.bias).toBeNull();
    expect(lin.forward(tensor([[3, 4]])).toArray()).toEqual([[3, 8]]);
  });

  it("initialises weight and bias U(-1/sqrt(in), 1/sqrt(in)) from the seeded generator", () => {
    manualSeed(4);
    const a = new nn.Linear(16, 32);
    manualSeed(4);
    const b = new nn.Linear(16, 32);
    expect(a.weight.toFlat()).toEqual(b.weight.toFlat());
    const bound = 1 / Math.sqrt(16);
    const values = [...a.weight.toFlat(), ...(a.bias?.toFlat() ?? [])];
    expect(values.every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(Math.max(...values)).toBeGreaterThan(0.9 * bound);
    expect(Math.min(...values)).toBeLessThan(-0.9 * bound);
  });

  it("gradients wrt input, weight and bias match central differences (batched 3-D input too)", () => {
    manualSeed(1);
    checkModule(new nn.Linear(4, 3), randn(5, 4));
    checkModule(new nn.Linear(3, 2), randn(2, 3, 3));
    checkModule(new nn.Linear(3, 2, { bias: false }), randn(3));
  });

  it("validates its arguments and its input", () => {
    expect(() => new nn.Linear(0, 3))
      .toThrow(new MiniTorchError("Linear: inFeatures must be an integer >= 1, got the number 0"));
    expect(() => new nn.Linear(2, 1.5)).toThrow("Linear: outFeatures must be an integer >= 1, got the number 1.5");
    expect(() => new nn.Linear(4, 2).forward(tensor([[1, 2, 3], [4, 5, 6]]))).toThrow(
      new MiniTorchError("Linear: expected input with last dim 4, got shape [2,3]"));
    expect(() => nn.uniformFanIn([2, -1], 2))
      .toThrow(new MiniTorchError("uniformFanIn: shape [2,-1] must contain non-negative integers, got the number -1"));
  });
});

describe("Conv1d / Conv2d", () => {
  it("Conv1d: minitorch's convolution plus a bias per out channel", () => {
    const conv = new nn.Conv1d(1, 2, 3);
    expect(conv.weight.shape).toEqual([2, 1, 3]);
    conv.weight.storage.set([1, 2, 3, 0, 1, 0]);
    conv.bias?.storage.set([10, -1]);
    // channel 0: [0,1,2,3] * [1,2,3] = [8, 14, 8, 3] (+10); channel 1: picks x[i+1] (+-1)
    expect(conv.forward(tensor([[[0, 1, 2, 3]]])).toArray()).toEqual([[[18, 24, 18, 13], [0, 1, 2, -1]]]);
  });

  it("Conv2d: sums over the kh x kw box and every input channel", () => {
    const conv = new nn.Conv2d(2, 1, [2, 2]);
    expect(conv.weight.shape).toEqual([1, 2, 2, 2]);
    expect(conv.bias?.shape).toEqual([1]);
    conv.weight.storage.set([1, 0, 0, 1, 0, 0, 0, 2]); // channel 0: main diagonal; channel 1: 2 * bottom-right
    conv.bias?.storage.set([0.5]);
    const x = tensor([[[[1, 2], [3, 4]], [[10, 20], [30, 40]]]]);
    // out[0,0] = 1*1 + 1*4 + 2*40 + 0.5; out[0,1] = 2 + 0 + 0 + 0.5 (reads past the edge are 0);
    // out[1,0] = 3 + 0 + 0 + 0.5; out[1,1] = 4 + 0.5
    expect(conv.forward(x).toArray()).toEqual([[[[85.5, 2.5], [3.5, 4.5]]]]);
  });

  it("initialise with fan-in = in * kernel area, as PyTorch", () => {
    manualSeed(2);
    const conv = new nn.Conv2d(3, 8, [3, 3]);
    const bound = 1 / Math.sqrt(3 * 9);
    expect([...conv.weight.toFlat(), ...(conv.bias?.toFlat() ?? [])].every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(Math.max(...conv.weight.toFlat())).toBeGreaterThan(0.8 * bound);
  });

  it("gradients wrt input, weight and bias match central differences", () => {
    manualSeed(5);
    checkModule(new nn.Conv1d(2, 3, 2), randn(2, 2, 5));
    checkModule(new nn.Conv2d(2, 2, [2, 3]), randn(2, 2, 4, 4));
    checkModule(new nn.Conv2d(1, 2, [3, 2], { bias: false }), randn(1, 1, 4, 3));
  });

  it("validate sizes, kernel shapes and the input", () => {
    expect(() => new nn.Conv1d(0, 2, 3))
      .toThrow(new MiniTorchError("Conv1d: inChannels must be an integer >= 1, got the number 0"));
    expect(() => new nn.Conv1d(1, 2, 0)).toThrow("Conv1d: kernel size must be an integer >= 1, got the number 0");
    expect(() => new nn.Conv2d(1, -2, [3, 3]))
      .toThrow("Conv2d: outChannels must be an integer >= 1, got the number -2");
    expect(() => new nn.Conv2d(1, 2, [3, 0]))
      .toThrow("Conv2d: kernel size must be an integer >= 1 or [kh, kw], got an array [3, 0]");
    expect(() => new nn.Conv2d(1, 2, [3] as unknown as [number, number]))
      .toThrow("Conv2d: kernel size must be an integer >= 1 or [kh, kw], got an array [3]");
    expect(() => new nn.Conv2d(1, 2, 3, { padding: -1 }))
      .toThrow("Conv2d: padding must be an integer >= 0 or a list of 2, got the number -1");
    expect(() => new nn.Conv2d(1, 2, 3, { stride: 2, padding: "same" }))
      .toThrow(`Conv2d: padding "same" is not supported for strided convolutions`);
    expect(() => new nn.Conv2d(1, 2, 3, { dilation: 2 } as nn.ConvLayerOptions))
      .toThrow("Conv2d: unknown option dilation (known: bias, padding, stride)");
    expect(() => new nn.Conv1d(1, 2, 3, { bias: "no" as unknown as boolean }))
      .toThrow(`Conv1d: bias must be true or false, got a string "no"`);
    expect(() => new nn.Conv2d(3, 4, [3, 3]).forward(randn(2, 1, 8, 8))).toThrow(
      new MiniTorchError("Conv2d: expected input [batch, 3, height, width], got shape [2,1,8,8]"));
    expect(() => new nn.Conv1d(2, 4, 3).forward(randn(2, 8)))
      .toThrow("Conv1d: expected input [batch, 2, width], got shape [2,8]");
  });
});

describe("parameterless modules", () => {
  const x = () => {
    manualSeed(9);
    return randn(3, 4).add(randn(3, 4).gt(0).sub(0.5).mul(0.2)); // values kept away from relu's kink
  };

  it("apply their functional op", () => {
    const t = x();
    const same = (m: nn.Module, expected: Tensor, input = t) => expect(m.forward(input).toFlat())
      .toEqual(expected.toFlat());
    same(new nn.ReLU(), nn.relu(t));
    same(new nn.Sigmoid(), nn.sigmoid(t));
    same(new nn.Tanh(), nn.tanh(t));
    same(new nn.Softplus(), nn.softplus(t));
    same(new nn.GELU(), nn.gelu(t));
    same(new nn.Step(), nn.step(t));
    same(new nn.Softmax(0), nn.softmax(t, 0));
    same(new nn.Softmax(), nn.softmax(t, -1));
    same(new nn.LogSoftmax(1), nn.logsoftmax(t, 1));
    const img = t.view(1, 1, 3, 4);
    same(new nn.MaxPool2d([1, 2]), nn.maxpool2d(img, [1, 2]), img);
    same(new nn.AvgPool2d([3, 2]), nn.avgpool2d(img, [3, 2]), img);
    expect(new nn.Flatten().forward(img).shape).toEqual([1, 12]);
  });

  it("gradients wrt the input match central differences", () => {
    for (const m of [new nn.ReLU(), new nn.Sigmoid(), new nn.Tanh(), new nn.Softplus(), new nn.GELU(), new nn.Step(),
      new nn.Softmax(0), new nn.LogSoftmax(-1)]) checkModule(m, x());
    const img = breakTies(x()).view(1, 1, 3, 4);
    for (const m of [new nn.MaxPool2d([3, 2]), new nn.AvgPool2d([1, 2]), new nn.Flatten()]) checkModule(m, img);
  });

  it("Dropout drops in training (gradient through the kept units only) and is the identity after eval()", () => {
    const d = new nn.Dropout(0.5);
    const t = x();
    checkModule(d, t, () => manualSeed(21)); // same mask in every evaluation
    manualSeed(21);
    const y = d.forward(t).toFlat();
    expect(y.filter((v) => v === 0).length).toBeGreaterThan(0);
    y.forEach((v, i) => expect(v === 0 || Math.abs(v - 2 * t.toFlat()[i]) < 1e-12).toBe(true));
    d.eval();
    expect(d.forward(t)).toBe(t);
  });

  it("validate their arguments", () => {
    expect(() => new nn.Dropout(1.5))
      .toThrow(new MiniTorchError("Dropout: rate must be a number in [0, 1], got the number 1.5"));
    expect(() => new nn.Softmax("1" as unknown as number)).toThrow(`Softmax: dim must be an integer, got a string "1"`);
    expect(() => new nn.LogSoftmax(0.5)).toThrow("LogSoftmax: dim must be an integer, got the number 0.5");
    expect(() => new nn.Linear(2, 2).train("no" as unknown as boolean))
      .toThrow(`train: mode must be true or false, got a string "no"`);
    expect(() => new nn.MaxPool2d([2, 0]))
      .toThrow("MaxPool2d: kernel must be an integer >= 1 or two of them [kh, kw], got an array [2, 0]");
    expect(() => new nn.AvgPool2d([2] as unknown as [number, number]))
      .toThrow("AvgPool2d: kernel must be an integer >= 1 or two of them");
    expect(() => new nn.MaxPool2d(2, { padding: 2 }))
      .toThrow("MaxPool2d: padding [2,2] must be at most half the kernel [2,2]");
    expect(() => new nn.ReLU().forward([1, -1] as unknown as Tensor))
      .toThrow("ReLU: expected a Tensor for input, got an array [1, -1]; wrap it with tensor([...])");
    expect(() => new nn.Linear(2, 1).forward(undefined as unknown as Tensor))
      .toThrow("Linear: expected a Tensor for input, got undefined");
    expect(() => new nn.Linear(2, 1, { bais: false } as nn.BiasOptions))
      .toThrow("Linear: unknown option bais (known: bias)");
    expect(() => new nn.Flatten().forward(tensor([1, 2]))).toThrow(
      "Flatten: expected input [batch, ...] with at least 2 dims, got shape [2]");
  });
});

describe("conv and pooling layers with PyTorch's options", () => {
  it("forward the functional op with the layer's padding and stride", () => {
    manualSeed(12);
    const x = randn(2, 2, 7, 6);
    const conv = new nn.Conv2d(2, 3, [3, 2], { padding: [1, 0], stride: 2 });
    expect(conv.forward(x).toFlat())
      .toEqual(nn.conv2d(x, conv.weight, conv.bias, { padding: [1, 0], stride: 2 }).toFlat());
    expect(conv.forward(x).shape).toEqual([2, 3, 4, 3]);
    expect(new nn.Conv1d(2, 1, 3, { padding: "same" }).forward(randn(1, 2, 5)).shape).toEqual([1, 1, 5]);
    expect(new nn.MaxPool2d(3, { stride: 2, padding: 1 }).forward(x).toFlat())
      .toEqual(nn.maxpool2d(x, 3, { stride: 2, padding: 1 }).toFlat());
    expect(new nn.AvgPool2d([2, 3], { stride: 1 }).forward(x).shape).toEqual([2, 2, 6, 4]);
  });

  it("gradients wrt the input and every parameter match central differences", () => {
    manualSeed(13);
    checkModule(new nn.Conv2d(2, 2, 3, { padding: 1, stride: [2, 1] }), randn(1, 2, 5, 4));
    checkModule(new nn.Conv1d(1, 2, 2, { padding: [2], stride: 3, bias: false }), randn(2, 1, 7));
    checkModule(new nn.Sequential(new nn.AvgPool2d(2, { stride: 1, padding: 1 })), randn(1, 1, 3, 3));
  });

  it("print and key their state dicts as PyTorch's (golden); the lecture's conv prints padding=lecture", () => {
    const repr = golden<Record<string, string>>("modules");
    const cnn = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(4, 8, [3, 5], { stride: 2, bias: false }), new nn.AvgPool2d(2), new nn.Flatten(),
      new nn.Linear(32, 10));
    expect(cnn.toString()).toBe(repr.cnn);
    expectStateDictKeys(cnn, "cnn");
    class Net extends nn.Module {
      features = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2));
      dropout = new nn.Dropout(0.25);
      head = new nn.Linear(64, 10);
      forward(x: Tensor): Tensor {
        return this.head.forward(this.dropout.forward(new nn.Flatten().forward(this.features.forward(x))));
      }
    }
    expect(new Net().toString()).toBe(repr.nested);
    expectStateDictKeys(new Net(), "nested");
    const options = new nn.Sequential(
      new nn.Conv1d(2, 3, 5, { stride: 2, padding: 2 }), new nn.Conv1d(3, 3, 2, { padding: 0 }),
      new nn.Conv2d(3, 6, 3, { padding: "same" }), new nn.Conv2d(6, 6, [2, 3], { padding: [1, 0] }),
      new nn.MaxPool2d([2, 3], { stride: 1, padding: 1 }), new nn.AvgPool2d(3, { stride: [2, 1] }));
    expect(options.toString()).toBe(repr["conv options"]);
    expectStateDictKeys(options, "conv options");
    expect(new nn.Conv2d(1, 4, [3, 3]).toString())
      .toBe("Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=lecture)");
    expect(new nn.Conv1d(1, 4, 3, { bias: false }).toString())
      .toBe("Conv1d(1, 4, kernel_size=(3,), stride=(1,), padding=lecture, bias=False)");
  });
});

describe("Sequential of layers", () => {
  it("a small CNN's gradients wrt every parameter match central differences", () => {
    manualSeed(8);
    const net = new nn.Sequential(
      new nn.Conv2d(1, 2, [2, 2]), new nn.ReLU(), new nn.AvgPool2d([2, 2]), new nn.Flatten(), new nn.Linear(16, 3),
      new nn.LogSoftmax(1),
    );
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      "0.weight", "0.bias", "4.weight", "4.bias",
    ]);
    checkModule(net, randn(2, 1, 4, 8));
  });
});
