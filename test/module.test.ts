/**
 * Module and Parameter: parameters are discovered through fields, nested modules and arrays of modules
 * (the lecture's TwoLayerNet and MultiLayerNet), named by path; train()/eval() really switch every
 * descendant (minitorch's eval mode was silently never on); zeroGrad clears what backward accumulated.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { inspect } from "util";
import { describe, expect, it } from "vitest";
import { MiniTorchError, Tensor, load, manualSeed, nn, ones, optim, save, tensor } from "../src";
import { expectError } from "./support/errors";
import { expectStateDictKeys, golden } from "./support/golden";

/** The lecture's TwoLayerNet, ported line by line. */
class TwoLayerNet extends nn.Module {
  linear1: nn.Linear;
  activation1 = new nn.ReLU();
  linear2: nn.Linear;
  activation2 = new nn.ReLU();
  softmax = new nn.Softmax(-1);

  constructor(inputSize: number, layerSize: number, outputSize: number) {
    super();
    this.linear1 = new nn.Linear(inputSize, layerSize);
    this.linear2 = new nn.Linear(layerSize, outputSize);
  }

  forward(x: Tensor): Tensor {
    const out = this.activation2.forward(this.linear2.forward(this.activation1.forward(this.linear1.forward(x))));
    return this.softmax.forward(out);
  }
}

/** The lecture's MultiLayerNet: layers held in arrays. */
class MultiLayerNet extends nn.Module {
  linearLayers: nn.Linear[];
  activations: nn.ReLU[];
  finalLinear: nn.Linear;
  dropout = new nn.Dropout(0.5);

  constructor(inputSize: number, layerSizes: number[], outputSize: number) {
    super();
    const sizes = [inputSize, ...layerSizes];
    this.linearLayers = layerSizes.map((s, i) => new nn.Linear(sizes[i], s));
    this.activations = this.linearLayers.map(() => new nn.ReLU());
    this.finalLinear = new nn.Linear(sizes[sizes.length - 1], outputSize);
  }

  forward(x: Tensor): Tensor {
    let out = x;
    this.linearLayers.forEach((layer, i) =>
      (out = this.dropout.forward(this.activations[i].forward(layer.forward(out)))));
    return this.finalLinear.forward(out);
  }
}

describe("Parameter", () => {
  it("requires a Tensor, saying how to make one, and a boolean requiresGrad", () => {
    expectError(() => new nn.Parameter([1, 2] as unknown as Tensor),
      "Parameter: expected a Tensor for data, got an array [1, 2]; wrap it with tensor([...])");
    expectError(() => new nn.Parameter(tensor([1]), "no" as unknown as boolean),
      `Parameter: requiresGrad must be true or false, got a string "no"`);
  });

  it("requiresGrad false freezes it, as PyTorch's requires_grad=False: still a parameter, never trained", () => {
    class Frozen extends nn.Module {
      frozen = new nn.Parameter(tensor([1, 2]), false);
      trained = new nn.Parameter(tensor([3]));
      forward(x: Tensor): Tensor {
        return x.mul(this.frozen).sum().mul(this.trained);
      }
    }
    const m = new Frozen();
    expect(m.frozen.requiresGrad).toBe(false);
    expect(m.frozen.toString()).toBe("Parameter containing:\ntensor([1., 2.])");
    expect(Object.keys(m.stateDict())).toEqual(["frozen", "trained"]);
    const opt = new optim.SGD(m.parameters(), { lr: 0.5 });
    m.forward(tensor([1, 1])).backward();
    opt.step();
    expect(m.frozen.grad).toBeNull();
    expect(m.frozen.toFlat()).toEqual([1, 2]);
    expect(m.trained.toFlat()).toEqual([3 - 0.5 * 3]);
  });

  it("is a leaf that requires grad and shares the wrapped tensor's storage", () => {
    const t = tensor([[1, 2], [3, 4]]);
    const p = new nn.Parameter(t);
    expect(p).toBeInstanceOf(Tensor);
    expect(p.isLeaf()).toBe(true);
    expect(p.requiresGrad).toBe(true);
    expect(p.storage).toBe(t.storage);
    p.storage[0] = 10;
    expect(t.get(0, 0)).toBe(10);
  });

  it("copies a non-contiguous view into row-major order, so storage order is element order", () => {
    const p = new nn.Parameter(tensor([[1, 2], [3, 4]]).T());
    expect(p.isContiguous()).toBe(true);
    expect(Array.from(p.storage)).toEqual([1, 3, 2, 4]);
  });

  it("detaches a computed tensor: the parameter is a new leaf", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const p = new nn.Parameter(x.mul(2));
    expect(p.isLeaf()).toBe(true);
    expect(p.toFlat()).toEqual([2, 4]);
  });

  it("accumulates gradients through backward", () => {
    const p = new nn.Parameter(tensor([1, 2, 3]));
    p.mul(p).sum().backward();
    expect(p.grad?.toFlat()).toEqual([2, 4, 6]);
  });
});

describe("Module discovery", () => {
  it("finds the parameters of fields in assignment order, named by path", () => {
    manualSeed(0);
    const net = new TwoLayerNet(2, 10, 3);
    const named = net.namedParameters();
    expect(named.map(([n]) => n)).toEqual(["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]);
    expect(named.map(([, p]) => p.shape)).toEqual([[10, 2], [10], [3, 10], [3]]);
    expect(net.parameters()).toEqual(named.map(([, p]) => p));
    expect(net.parameters().every((p) => p instanceof nn.Parameter)).toBe(true);
  });

  it("walks arrays of modules, naming them field.index", () => {
    const net = new MultiLayerNet(2, [8, 6], 3);
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      "linearLayers.0.weight", "linearLayers.0.bias",
      "linearLayers.1.weight", "linearLayers.1.bias",
      "finalLinear.weight", "finalLinear.bias",
    ]);
    expect(net.children()).toHaveLength(2 + 2 + 1 + 1);
    // field order is assignment order: initialised fields (dropout) before constructor assignments
    expect(net.namedChildren().map(([n]) => n)).toEqual([
      "dropout", "linearLayers.0", "linearLayers.1", "activations.0", "activations.1", "finalLinear",
    ]);
  });

  it("nests: a module holding a model prefixes its names, and modules() lists every level once", () => {
    class Wrapper extends nn.Module {
      inner = new TwoLayerNet(2, 4, 2);
      head = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU(), new nn.Linear(2, 1));
      scale = new nn.Parameter(ones(1));
      plainTensor = ones(3); // not a Parameter: not learned
      forward(x: Tensor): Tensor {
        return this.head.forward(this.inner.forward(x)).mul(this.scale);
      }
    }
    const w = new Wrapper();
    expect(w.namedParameters().map(([n]) => n)).toEqual([
      "scale",
      "inner.linear1.weight", "inner.linear1.bias", "inner.linear2.weight", "inner.linear2.bias",
      "head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias",
    ]);
    expect(w.namedModules().map(([n]) => n)).toEqual([
      "", "inner", "inner.activation1", "inner.activation2", "inner.softmax", "inner.linear1", "inner.linear2",
      "head", "head.0", "head.1", "head.2",
    ]);
    expect(w.modules()[0]).toBe(w);
    expect(w.forward(tensor([[0.5, -1]])).shape).toEqual([1, 1]);
  });

  it("lists a shared parameter or module once", () => {
    const shared = new nn.Linear(3, 3);
    class Tied extends nn.Module {
      a = shared;
      b = shared;
      forward(x: Tensor): Tensor {
        return this.b.forward(this.a.forward(x));
      }
    }
    const t = new Tied();
    expect(t.namedParameters().map(([n]) => n)).toEqual(["a.weight", "a.bias"]);
    expect(t.modules()).toHaveLength(2);
  });

  it("survives a cycle (a child pointing back at its parent)", () => {
    class Child extends nn.Module {
      parent: nn.Module | null = null;
      w = new nn.Parameter(ones(1));
      forward(x: Tensor): Tensor {
        return x.mul(this.w);
      }
    }
    class Parent extends nn.Module {
      child = new Child();
      forward(x: Tensor): Tensor {
        return this.child.forward(x);
      }
    }
    const p = new Parent();
    p.child.parent = p;
    expect(p.namedParameters().map(([n]) => n)).toEqual(["child.w"]);
  });

  it("a module without parameters has none", () => {
    expect(new nn.ReLU().parameters()).toEqual([]);
    expect(new nn.Linear(2, 3, { bias: false }).namedParameters().map(([n]) => n)).toEqual(["weight"]);
  });
});

describe("train / eval", () => {
  it("start in training mode and switch every descendant, arrays and Sequentials included", () => {
    const net = new MultiLayerNet(2, [4, 4], 2);
    class Outer extends nn.Module {
      net = net;
      seq = new nn.Sequential(new nn.Dropout(0.2), new nn.Sequential(new nn.Dropout(0.3)));
      forward(x: Tensor): Tensor {
        return this.seq.forward(this.net.forward(x));
      }
    }
    const outer = new Outer();
    const all = outer.modules();
    expect(all.length).toBe(1 + 1 + 2 + 2 + 1 + 1 + 1 + 1 + 1 + 1);
    expect(all.every((m) => m.training)).toBe(true);
    expect(outer.eval()).toBe(outer);
    expect(all.every((m) => m.training === false)).toBe(true);
    outer.train();
    expect(all.every((m) => m.training)).toBe(true);
    outer.train(false);
    expect(all.every((m) => !m.training)).toBe(true);
  });

  it("eval really turns dropout off: the forward becomes deterministic and equals the no-dropout net", () => {
    manualSeed(3);
    const net = new MultiLayerNet(4, [16, 16], 2);
    const x = tensor([[0.1, 0.2, 0.3, 0.4], [1, -1, 1, -1]]);
    const a = net.forward(x).toFlat();
    const b = net.forward(x).toFlat();
    expect(a).not.toEqual(b); // training: each forward drops different units
    net.eval();
    expect(net.dropout.training).toBe(false);
    const c = net.forward(x).toFlat();
    expect(net.forward(x).toFlat()).toEqual(c);
    let manual = x;
    net.linearLayers.forEach((l) => (manual = l.forward(manual).relu()));
    expect(c).toEqual(net.finalLinear.forward(manual).toFlat());
  });
});

describe("zeroGrad", () => {
  it("clears every parameter's gradient, which backward otherwise accumulates", () => {
    manualSeed(1);
    const net = new TwoLayerNet(3, 5, 2);
    const x = tensor([[1, 2, 3], [-1, 0, 2]]);
    net.forward(x).sum().backward();
    const first = net.linear1.weight.grad?.toFlat();
    net.forward(x).sum().backward();
    expect(net.linear1.weight.grad?.toFlat()).toEqual(first?.map((g) => 2 * g));
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    net.forward(x).sum().backward();
    expect(net.linear1.weight.grad?.toFlat()).toEqual(first);
  });
});

describe("Sequential", () => {
  it("applies its modules in order", () => {
    const lin = new nn.Linear(2, 2);
    lin.weight.storage.set([1, -1, 2, 0]);
    lin.bias?.storage.set([0, -10]);
    const seq = new nn.Sequential(lin, new nn.ReLU());
    // [3, 1] -> W x + b = [3 - 1 + 0, 6 + 0 - 10] = [2, -4] -> relu [2, 0]
    expect(seq.forward(tensor([[3, 1]])).toArray()).toEqual([[2, 0]]);
  });

  it("rejects an argument that is not a Module", () => {
    expect(() => new nn.Sequential(new nn.ReLU(), (() => 1) as unknown as nn.Module)).toThrow(
      new MiniTorchError(
        "Sequential: argument 1 is not a Module (got a function); pass layers such as new nn.Linear(2, 8)"));
  });
});

describe("printing as PyTorch (strings from test/golden/nn-train.json)", () => {
  const repr = golden<Record<string, string>>("modules");

  class LectureTwoLayerNet extends nn.Module {
    linear1 = new nn.Linear(2, 8);
    activation1 = new nn.ReLU();
    linear2 = new nn.Linear(8, 3);
    softmax = new nn.Softmax(-1);
    forward(x: Tensor): Tensor {
      return this.softmax.forward(this.linear2.forward(this.activation1.forward(this.linear1.forward(x))));
    }
  }
  Object.defineProperty(LectureTwoLayerNet, "name", { value: "TwoLayerNet" });

  const built: Record<string, () => nn.Module> = {
    mlp: () => new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()),
    "linear no bias": () => new nn.Linear(4, 2, { bias: false }),
    activations: () => new nn.Sequential(new nn.Sigmoid(), new nn.Tanh(), new nn.GELU(), new nn.Softplus(),
      new nn.Softmax(1), new nn.LogSoftmax(-1), new nn.Flatten(), new nn.Dropout(), new nn.Dropout(0)),
    "two layer net": () => new LectureTwoLayerNet(),
    "empty sequential": () => new nn.Sequential(),
  };

  for (const [name, make] of Object.entries(built)) {
    it(`${name}: toString, console.log (util.inspect) and String() all print PyTorch's repr`, () => {
      const m = make();
      expect(m.toString()).toBe(repr[name]);
      expect(inspect(m)).toBe(repr[name]);
      expect(`${m}`).toBe(repr[name]);
    });

    it(`${name}: stateDict() has PyTorch's state_dict() keys, in its order, with its shapes`, () => {
      expectStateDictKeys(make(), name);
    });
  }

  it("Parameters print as 'Parameter containing:' and the tensor", () => {
    expect(new nn.Parameter(tensor([1, 2])).toString()).toBe(repr["parameter 1-D"]);
    const p = new nn.Parameter(tensor([[0.5, -1.25], [3, 4]]));
    expect(inspect(p)).toBe(repr["parameter 2-D"]);
  });

  it("a cycle prints as Name(...) instead of recursing forever", () => {
    class Loop extends nn.Module {
      self: nn.Module | null = null;
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Loop();
    m.self = m;
    expect(m.toString()).toBe("Loop(\n  (self): Loop(...)\n)");
  });
});

describe("stateDict and loadStateDict", () => {
  const mlp = () => new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));

  it("keys are PyTorch's (0.weight, 0.bias, 2.weight, ...); values share the parameters' storage", () => {
    const m = mlp();
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(sd["0.weight"].shape).toEqual([3, 2]);
    expect(sd["0.weight"].storage).toBe(m.parameters()[0].storage);
    expect(sd["0.weight"].requiresGrad).toBe(false);
  });

  it("loads in place: same values, same Parameter objects (an optimizer built earlier keeps working)", () => {
    manualSeed(1);
    const [a, b] = [mlp(), mlp()];
    const params = b.parameters();
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.parameters()).toEqual(params);
    b.parameters().forEach((p, i) => {
      expect(p).toBe(params[i]);
      expect(p.toFlat()).toEqual(a.parameters()[i].toFlat());
    });
  });

  it("a shape mismatch, a missing or an unexpected key is an error that names them all and changes nothing", () => {
    manualSeed(2);
    const m = mlp();
    const before = m.parameters().map((p) => p.toFlat());
    const good = mlp().stateDict();
    const wrongShape = { ...good, "2.weight": ones(1, 4) };
    expectError(() => m.loadStateDict(wrongShape),
      `loadStateDict: cannot load into Sequential: size mismatch for "2.weight": the state dict has shape [1,4], ` +
        "the model [1,3]. No parameter was changed");
    const { "0.bias": _dropped, ...missing } = good;
    expectError(() => m.loadStateDict({ ...missing, "3.weight": ones(1) }),
      `missing key(s) "0.bias"; unexpected key(s) "3.weight"`);
    expect(m.parameters().map((p) => p.toFlat())).toEqual(before);
    // strict: false loads the common keys and reports the rest
    const result = m.loadStateDict({ ...missing, extra: ones(1) }, { strict: false });
    expect(result).toEqual({ missingKeys: ["0.bias"], unexpectedKeys: ["extra"] });
    expect(m.parameters()[0].toFlat()).toEqual(good["0.weight"].toFlat());
    expect(m.parameters()[1].toFlat()).toEqual(before[1]);
  });

  it("rejects what is not a state dict, and unknown options", () => {
    const m = mlp();
    expectError(() => m.loadStateDict(mlp() as unknown as nn.StateDict),
      "loadStateDict: expected a state dict, got the model (a Sequential); pass model.stateDict()");
    expectError(() => m.loadStateDict([] as unknown as nn.StateDict),
      "loadStateDict: expected a state dict", "got an array []");
    expectError(() => m.loadStateDict({ "0.weight": [[1, 2]] } as unknown as nn.StateDict),
      `entry "0.weight" of the state dict is an array [[...]], not a Tensor`);
    expectError(() => m.loadStateDict(m.stateDict(), { strcit: false } as nn.LoadStateDictOptions),
      "loadStateDict: unknown option strcit (known: strict)");
  });
});

describe("save and load through a JSON file", () => {
  it("round-trips every value exactly (NaN and infinities included) and loads into a fresh model", () => {
    manualSeed(3);
    const dir = mkdtempSync(join(tmpdir(), "minitorch-state-"));
    const path = join(dir, "model.json");
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
    save(model.stateDict(), path);
    const loaded = load(path);
    expect(Object.keys(loaded)).toEqual(Object.keys(model.stateDict()));
    const fresh = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
    fresh.loadStateDict(loaded);
    const x = tensor([[0.1, -2, 3]]);
    expect(fresh.forward(x).toFlat()).toEqual(model.forward(x).toFlat());
    // the file is a snapshot: later training does not change it
    model.parameters()[0].storage.fill(0);
    expect(load(path)["0.weight"].toFlat()).toEqual(loaded["0.weight"].toFlat());

    const odd = { w: tensor([[Number.NaN, Infinity], [-Infinity, -0.1]]), scalar: tensor(2.5) };
    save(odd, path);
    const back = load(path);
    expect(back.w.toFlat()).toEqual([Number.NaN, Infinity, -Infinity, -0.1]);
    expect(back.scalar.shape).toEqual([]);
    rmSync(dir, { recursive: true });
  });

  it("errors name the op and the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "minitorch-state-"));
    expectError(() => load(join(dir, "missing.json")), "load: ENOENT");
    writeFileSync(join(dir, "bad.json"), "{ not json");
    expectError(() => load(join(dir, "bad.json")), "load:", "bad.json is not JSON");
    writeFileSync(join(dir, "other.json"), JSON.stringify({ a: 1 }));
    expectError(() => load(join(dir, "other.json")), "is not a saved state dict");
    const model = new nn.Linear(2, 2);
    expectError(() => save(model as unknown as nn.StateDict, join(dir, "m.json")),
      "save: expected a state dict, got the model (a Linear); pass model.stateDict()");
    expectError(() => save(model.stateDict(), 3 as unknown as string),
      "save: path must be a file name, got the number 3");
    rmSync(dir, { recursive: true });
  });
});
