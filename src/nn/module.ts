/**
 * Module and Parameter, as PyTorch's nn.Module: a model is a class whose fields hold Parameters and child
 * Modules, and the library finds them by walking those fields (arrays of modules included), so the
 * lecture's TwoLayerNet and MultiLayerNet port line by line and `parameters()` hands them to an optimizer.
 */
import { noGrad } from "../autodiff/grad-mode";
import { check } from "../errors";
import { Tensor } from "../tensor/tensor";

/** A tensor the model learns: a leaf that requires grad, found by Module.parameters(). It shares the
 * wrapped tensor's data (copied only when that is a non-contiguous view) so optimizers can update
 * `storage` in place, element i of storage being element i of the tensor in row-major order. */
export class Parameter extends Tensor {
  constructor(value: Tensor) {
    super(noGrad(() => value.contiguous()).data);
    this.requiresGrad_();
  }
}

/** What a field may hold that the walk looks into. */
type Member = Module | Parameter;

const isMember = (v: unknown): v is Member => v instanceof Module || v instanceof Parameter;

/** Base class of every layer and model: subclasses assign Parameters and Modules to fields (or arrays of
 * them) and implement forward. `training` is a real field, set recursively by train() and eval(). */
export abstract class Module {
  /** True in training mode (the default); layers such as Dropout behave differently when false. */
  training = true;

  /** The computation of this module; subclasses narrow the inputs, e.g. forward(x: Tensor). */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Own fields holding a Module or Parameter, named as PyTorch does ("fc1", "layers.0"), in the order
   * JavaScript assigned them: fields with initialisers first, then the constructor's assignments. */
  private namedMembers(): [string, Member][] {
    const out: [string, Member][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (isMember(value)) out.push([key, value]);
      else if (Array.isArray(value)) value.forEach((v: unknown, i) => isMember(v) && out.push([`${key}.${i}`, v]));
    }
    return out;
  }

  /** Direct submodules with their field names. */
  namedChildren(): [string, Module][] {
    return this.namedMembers().filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** Direct submodules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, depth first, each once ("" names this module, as in PyTorch). */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (prefix: string, m: Module): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([prefix, m]);
      for (const [name, child] of m.namedChildren()) visit(prefix === "" ? name : `${prefix}.${name}`, child);
    };
    visit("", this);
    return out;
  }

  /** This module and every descendant. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every parameter of this module and its descendants, named by its path ("linearLayers.0.weight");
   * a parameter shared by two layers is listed once, under its first name. */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m.namedMembers()) {
        if (!(p instanceof Parameter) || seen.has(p)) continue;
        seen.add(p);
        out.push([prefix === "" ? name : `${prefix}.${name}`, p]);
      }
    }
    return out;
  }

  /** Every parameter, what an optimizer is built from: new SGD(model.parameters(), { lr }). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Sets training mode on this module and every descendant (eval() is train(false)). */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode everywhere below: dropout off. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (PyTorch's default set_to_none), since backward accumulates. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }
}

/** Validates a layer's size argument: `Linear: outFeatures must be a positive integer, got 0`. */
export function checkSize(op: string, name: string, value: number): void {
  check(Number.isInteger(value) && value > 0, op, () => `${name} must be a positive integer, got ${value}`);
}
