/** Stochastic gradient descent with momentum and weight decay, exactly as torch.optim.SGD. */
import { check } from "../errors";
import { Tensor } from "../tensor/tensor";
import { Optimizer, checkNonNegative } from "./optimizer";

/** torch.optim.SGD's arguments in camelCase (no dampening or Nesterov: the lectures do not use them). */
export interface SGDOptions {
  /** Learning rate (required, as in PyTorch). */
  lr: number;
  /** Momentum factor mu (default 0: plain gradient descent). */
  momentum?: number;
  /** L2 penalty lambda, added to the gradient as lambda * p (default 0). */
  weightDecay?: number;
}

/** g = grad + lambda p; b = g on the first step, then b = mu b + g; p -= lr * (mu ? b : g).
 * (PyTorch's form of momentum: the learning rate multiplies the velocity, not the gradient.) */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly weightDecay: number;
  private readonly velocity: (Float64Array | undefined)[] = [];

  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    check(typeof options === "object" && options !== null, "SGD", () =>
      "options { lr } are required, e.g. new SGD(model.parameters(), { lr: 0.1 })");
    super(params, "SGD", options.lr, options, ["lr", "momentum", "weightDecay"]);
    this.momentum = options.momentum ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    checkNonNegative("SGD", "momentum", this.momentum);
    checkNonNegative("SGD", "weightDecay", this.weightDecay);
  }

  protected update(param: Float64Array, grad: Float64Array, index: number): void {
    const { lr, momentum, weightDecay } = this;
    const first = this.velocity[index] === undefined;
    const b = momentum === 0 ? null : (this.velocity[index] ??= new Float64Array(param.length));
    for (let i = 0; i < param.length; i++) {
      let g = grad[i] + weightDecay * param[i];
      if (b !== null) g = b[i] = first ? g : momentum * b[i] + g;
      param[i] -= lr * g;
    }
  }
}
