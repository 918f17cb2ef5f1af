/**
 * The optimizer loop of PyTorch: `opt.zeroGrad(); loss.backward(); opt.step()`. step() rewrites each
 * parameter's storage in place from its .grad with plain loops over Float64Arrays: no tensor op runs, so
 * nothing is recorded in the graph and the parameters stay the same leaf tensors the model holds.
 */
import { check, fmtShape } from "../errors";
import { Tensor } from "../tensor/tensor";

/** Base of SGD and Adam: holds the parameters, skips those without a gradient, and hands each update
 * the parameter's values, its gradient and its index (for per-parameter state such as momentum). */
export abstract class Optimizer {
  readonly params: readonly Tensor[];

  protected constructor(params: Iterable<Tensor>, protected readonly name: string) {
    this.params = [...params];
    check(this.params.length > 0, name, () => "got an empty parameter list");
    this.params.forEach((p, i) => {
      check(p instanceof Tensor && p.isLeaf() && p.requiresGrad, name, () =>
        `parameter ${i} must be a leaf tensor that requires grad (an nn.Parameter, or tensor(..., { requiresGrad: true }))`);
      check(p.isContiguous(), name, () =>
        `parameter ${i} (shape ${fmtShape(p.shape)}) is a non-contiguous view; optimizers update storage in place`);
      check(this.params.indexOf(p) === i, name, () => `parameter ${i} appears more than once in the list`);
    });
  }

  /** Clears every parameter's gradient, which backward() would otherwise keep accumulating into. */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    this.params.forEach((p, i) => {
      if (p.grad === null) return;
      const grad = p.grad.contiguous();
      check(grad.size === p.size && grad.dims === p.dims && grad.shape.every((d, k) => d === p.shape[k]), this.name, () =>
        `gradient of shape ${fmtShape(grad.shape)} does not match parameter ${i} of shape ${fmtShape(p.shape)}`);
      this.update(p.storage.subarray(0, p.size), grad.storage.subarray(0, grad.size), i);
    });
  }

  /** Rewrites `param` (the parameter's values in row-major order) in place from `grad`. */
  protected abstract update(param: Float64Array, grad: Float64Array, index: number): void;
}

/** Validates a hyperparameter: `SGD: lr must be a finite number >= 0, got -1`. */
export function checkNonNegative(op: string, name: string, value: number): void {
  check(Number.isFinite(value) && value >= 0, op, () => `${name} must be a finite number >= 0, got ${value}`);
}
