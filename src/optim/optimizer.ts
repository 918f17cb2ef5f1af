/**
 * The optimizer loop of PyTorch: `opt.zeroGrad(); loss.backward(); opt.step()`. step() rewrites each
 * parameter's storage in place from its .grad with plain loops over Float64Arrays: no tensor op runs, so
 * nothing is recorded in the graph and the parameters stay the same leaf tensors the model holds.
 */
import { check, checkOptions, describe, fmtShape } from "../errors";
import { Module, Parameter } from "../nn/module";
import { Tensor } from "../tensor/tensor";

/** Base of SGD and Adam: holds the parameters and the learning rate, checks every gradient, skips
 * parameters without one, and hands each update the parameter's values, its gradient and its index (for
 * per-parameter state such as momentum). */
export abstract class Optimizer {
  readonly params: readonly Tensor[];
  private rate = 0;

  /** Checks the parameters, the options' names (`known`) and the learning rate. */
  protected constructor(
    params: Iterable<Tensor>,
    protected readonly name: string,
    lr: unknown,
    options: object | undefined,
    known: readonly string[],
  ) {
    check(!(params instanceof Module), name, () =>
      `expected the model's parameters, got a ${params.constructor.name}; pass model.parameters()`);
    check(params !== null && typeof (params as Partial<Iterable<Tensor>>)?.[Symbol.iterator] === "function", name, () =>
      `expected an iterable of parameters such as model.parameters(), got ${describe(params)}`);
    checkOptions(options, name, known);
    this.params = [...params];
    check(this.params.length > 0, name, () => "got an empty parameter list");
    this.params.forEach((p, i) => {
      // a frozen Parameter (requiresGrad false) is accepted and never updated, as in PyTorch, so a model
      // with frozen layers can pass model.parameters(); a plain tensor without grad is most likely a slip
      check(p instanceof Tensor && p.isLeaf() && (p.requiresGrad || p instanceof Parameter), name, () =>
        `parameter ${i} must be a leaf tensor that requires grad ` +
        "(an nn.Parameter, or tensor(..., { requiresGrad: true }))" +
        (p instanceof Tensor ? "" : `, got ${describe(p)}`));
      check(p.isContiguous(), name, () =>
        `parameter ${i} (shape ${fmtShape(p.shape)}) is a non-contiguous view; optimizers update storage in place`);
      check(this.params.indexOf(p) === i, name, () => `parameter ${i} appears more than once in the list`);
    });
    this.lr = lr as number;
  }

  /** The learning rate of the next step: settable, as PyTorch's param_groups[0]["lr"], which is what an
   * LR scheduler changes between epochs. */
  get lr(): number {
    return this.rate;
  }
  set lr(value: number) {
    checkNonNegative(this.name, "lr", value);
    this.rate = value;
  }

  /** Clears every parameter's gradient, which backward() would otherwise keep accumulating into. */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** One update of every parameter that has a gradient. Every gradient is checked first (shape, finite
   * values), so a bad one leaves all parameters as they were instead of half the model updated. */
  step(): void {
    const grads = this.params.map((p, i) => (p.grad === null ? null : this.checkedGradient(p, p.grad, i)));
    this.params.forEach((p, i) => {
      const g = grads[i];
      if (g === null) return;
      const [storage, offset] = [p.storage, p.storageOffset()];
      this.update(storage.subarray(offset, offset + p.size), g, i);
      p.data.bumpVersion(); // an in-place change, as PyTorch's optimizers make: graphs that saved p are stale
    });
  }

  private checkedGradient(p: Tensor, grad: Tensor, i: number): Float64Array {
    check(grad instanceof Tensor, this.name, () =>
      `parameter ${i}'s .grad must be a Tensor or null, got ${describe(grad)}`);
    check(grad.dims === p.dims && grad.shape.every((d, k) => d === p.shape[k]), this.name, () =>
      `gradient of shape ${fmtShape(grad.shape)} does not match parameter ${i} of shape ${fmtShape(p.shape)}; ` +
      "no parameter was changed");
    const values = Float64Array.from(grad.toFlat());
    const bad = values.findIndex((v) => !Number.isFinite(v));
    check(bad < 0, this.name, () =>
      `gradient of parameter ${i} (shape ${fmtShape(p.shape)}) holds ${values[bad]} at flat index ${bad}; ` +
      "no parameter was changed");
    return values;
  }

  /** Rewrites `param` (the parameter's values in row-major order) in place from `grad`. */
  protected abstract update(param: Float64Array, grad: Float64Array, index: number): void;
}

/** Validates a hyperparameter: `SGD: lr must be a finite number >= 0, got the number -1`. */
export function checkNonNegative(op: string, name: string, value: unknown): asserts value is number {
  check(typeof value === "number" && Number.isFinite(value) && value >= 0, op, () =>
    `${name} must be a finite number >= 0, got ${describe(value)}`);
}
