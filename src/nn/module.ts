/**
 * Module and Parameter, as PyTorch's nn.Module: a model is a class whose fields hold Parameters and child
 * Modules, and the library finds them by walking those fields (arrays of modules included), so the
 * lecture's TwoLayerNet and MultiLayerNet port line by line and `parameters()` hands them to an optimizer.
 * A model prints as PyTorch's indented tree and saves its parameters as a state dict.
 */
import { noGrad } from "../autodiff/grad-mode";
import { check, checkOptions, describe, fmtShape } from "../errors";
import { Tensor } from "../tensor/tensor";
import { checkBoolean, checkTensor } from "../tensor/args";

/** The key Node's console.log and util.inspect (and so tslab's display of a cell's value) look up to
 * print an object; Symbol.for needs no Node import, so the browser build is unaffected. */
export const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** A tensor the model learns: a leaf that requires grad, found by Module.parameters(). It shares the
 * wrapped tensor's data (copied only when that is a non-contiguous view) so optimizers can update
 * `storage` in place, element i of the parameter's run of storage being element i in row-major order. */
export class Parameter extends Tensor {
  /** `requiresGrad` false freezes it, as PyTorch's requires_grad=False: optimizers then refuse it. */
  constructor(value: Tensor, requiresGrad = true) {
    checkTensor(value, "Parameter", "data");
    checkBoolean(requiresGrad, "Parameter", "requiresGrad");
    super(noGrad(() => value.contiguous()).data);
    this.requiresGrad_(requiresGrad);
  }

  /** "Parameter containing:" above the tensor, as PyTorch prints one (console.log shows it too: Tensor's
   * inspect hook calls toString). */
  toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/** What a field may hold that the walk looks into. */
type Member = Module | Parameter;

const isMember = (v: unknown): v is Member => v instanceof Module || v instanceof Parameter;

/** A model's parameters by name ("0.weight", "fc1.bias"), what saving and loading exchange. */
export type StateDict = Record<string, Tensor>;

/** Checks that `value` is a state dict: an object of Tensors by name (what Module.stateDict() returns). */
export function checkStateDict(value: unknown, op: string): asserts value is StateDict {
  check(!(value instanceof Module), op, () =>
    `expected a state dict, got the model (a ${(value as Module).constructor.name}); pass model.stateDict()`);
  check(typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Tensor), op, () =>
    `expected a state dict (an object of tensors by name, from stateDict() or load()), got ${describe(value)}`);
  for (const [name, t] of Object.entries(value))
    check(t instanceof Tensor, op, () => `entry "${name}" of the state dict is ${describe(t)}, not a Tensor`);
}

/** loadStateDict's options, as PyTorch's load_state_dict. */
export interface LoadStateDictOptions {
  /** Require the keys to match the model's exactly (default true); false loads the common keys only. */
  strict?: boolean;
}

/** What loadStateDict did not match: the model's keys the dict lacks and the dict's keys the model lacks. */
export interface IncompatibleKeys {
  readonly missingKeys: string[];
  readonly unexpectedKeys: string[];
}

/** Base class of every layer and model: subclasses assign Parameters and Modules to fields (or arrays of
 * them) and implement forward. `training` is a real field, set recursively by train() and eval(). */
export abstract class Module {
  /** True in training mode (the default); layers such as Dropout behave differently when false. */
  training = true;

  /** The computation of this module; subclasses narrow the inputs, e.g. forward(x: Tensor). */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Own fields holding a Module or Parameter, named as PyTorch does ("fc1", "layers.0"), in the order
   * JavaScript assigned them: fields with initialisers first, then the constructor's assignments. */
  protected namedMembers(): [string, Member][] {
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
    check(typeof mode === "boolean", "train", () => `mode must be true or false, got ${describe(mode)}`);
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

  // ---- saving and loading ----------------------------------------------------------------------

  /** The parameters by name, as PyTorch's state_dict(): detached tensors sharing the parameters' storage
   * (a snapshot needs a copy: save() writes one to a file). */
  stateDict(): StateDict {
    return Object.fromEntries(this.namedParameters().map(([name, p]) => [name, p.detach()]));
  }

  /** Copies a state dict's values into the parameters in place (optimizers keep working on them), as
   * PyTorch's load_state_dict. Everything is checked first, every key and shape, so on an error the
   * model is left as it was. */
  loadStateDict(stateDict: StateDict, options: LoadStateDictOptions = {}): IncompatibleKeys {
    const op = "loadStateDict";
    checkOptions(options, op, ["strict"]);
    checkStateDict(stateDict, op);
    const strict: unknown = options.strict ?? true;
    check(typeof strict === "boolean", op, () => `strict must be true or false, got ${describe(strict)}`);
    const params = this.namedParameters();
    const own = new Set(params.map(([name]) => name));
    const missingKeys = params.map(([name]) => name).filter((name) => !(name in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((name) => !own.has(name));
    const problems: string[] = [];
    if (strict) {
      const quoted = (keys: string[]) => keys.map((k) => `"${k}"`).join(", ");
      if (missingKeys.length > 0) problems.push(`missing key(s) ${quoted(missingKeys)}`);
      if (unexpectedKeys.length > 0) problems.push(`unexpected key(s) ${quoted(unexpectedKeys)}`);
    }
    const loads = params.filter(([name]) => name in stateDict);
    for (const [name, p] of loads) {
      const value = stateDict[name];
      if (value.dims !== p.dims || value.shape.some((d, i) => d !== p.shape[i]))
        problems.push(`size mismatch for "${name}": the state dict has shape ${fmtShape(value.shape)}, ` +
          `the model ${fmtShape(p.shape)}`);
    }
    check(problems.length === 0, op, () =>
      `cannot load into ${this.constructor.name}: ${problems.join("; ")}. No parameter was changed`);
    for (const [name, p] of loads) {
      const [storage, offset] = [p.storage, p.storageOffset()];
      storage.set(stateDict[name].toFlat(), offset);
      p.data.bumpVersion();
    }
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing --------------------------------------------------------------------------------

  /** The settings PyTorch prints inside a layer's parentheses ("in_features=2, out_features=3, bias=True");
   * empty for containers and models, whose children print below instead. */
  protected extraRepr(): string {
    return "";
  }

  /** PyTorch's module repr: the class name, its settings, then each child as "(name): ..." indented by two
   * spaces. A child that is an ancestor (a cycle) prints as "Name(...)". */
  toString(): string {
    return this.repr(new Set());
  }

  private repr(ancestors: Set<Module>): string {
    const name = this.constructor.name;
    if (ancestors.has(this)) return `${name}(...)`;
    ancestors.add(this);
    const extra = this.extraRepr() === "" ? [] : this.extraRepr().split("\n");
    const children = this.namedChildren().map(([key, m]) => `(${key}): ${m.repr(ancestors).split("\n").join("\n  ")}`);
    ancestors.delete(this);
    if (children.length === 0 && extra.length <= 1) return `${name}(${extra.join("")})`;
    return `${name}(\n  ${[...extra, ...children].join("\n  ")}\n)`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** Validates a layer's size argument: `Linear: outFeatures must be an integer >= 1, got the number 0`. */
export function checkSize(op: string, name: string, value: unknown): asserts value is number {
  check(typeof value === "number" && Number.isInteger(value) && value > 0, op, () =>
    `${name} must be an integer >= 1, got ${describe(value)}`);
}

/** A number as Python prints a float (0.5, 0.0, 1e-05), so settings print as in PyTorch. */
export function pyFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  const exponent = Math.floor(Math.log10(Math.abs(x)));
  const s = exponent < -4 || exponent >= 16 ? x.toExponential() : String(x);
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

/** A tuple as Python prints it: (3,) or (3, 3). */
export function pyTuple(xs: readonly (number | string)[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(", ")})`;
}
