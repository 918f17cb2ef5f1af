/** Adam, exactly as torch.optim.Adam: per-coordinate step sizes from running moments of the gradient. */
import { check, describe } from "../errors";
import { Tensor } from "../tensor/tensor";
import { Optimizer, checkNonNegative } from "./optimizer";

/** torch.optim.Adam's arguments in camelCase, with its defaults. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator so a zero second moment does not divide by zero (default 1e-8). */
  eps?: number;
  /** L2 penalty lambda, added to the gradient as lambda * p (default 0; PyTorch's Adam, not AdamW). */
  weightDecay?: number;
}

/** At step t: g = grad + lambda p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). The bias corrections undo the zero
 * start of m and v. */
export class Adam extends Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  private readonly moments: ({ t: number; m: Float64Array; v: Float64Array } | undefined)[] = [];

  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super(params, "Adam", options?.lr ?? 1e-3, options, ["lr", "betas", "eps", "weightDecay"]);
    const betas: unknown = options.betas ?? [0.9, 0.999];
    check(Array.isArray(betas) && betas.length === 2, "Adam", () =>
      `betas must be two numbers [b1, b2], got ${describe(betas)}`);
    this.betas = [betas[0], betas[1]];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.betas.forEach((b, i) =>
      check(typeof b === "number" && b >= 0 && b < 1, "Adam", () =>
        `betas[${i}] must be in [0, 1), got ${describe(b)}`));
    checkNonNegative("Adam", "eps", this.eps);
    checkNonNegative("Adam", "weightDecay", this.weightDecay);
  }

  protected update(param: Float64Array, grad: Float64Array, index: number): void {
    const [b1, b2] = this.betas;
    const { lr, eps, weightDecay } = this;
    const s = (this.moments[index] ??= { t: 0, m: new Float64Array(param.length), v: new Float64Array(param.length) });
    s.t++;
    const c1 = 1 - b1 ** s.t;
    const c2 = 1 - b2 ** s.t;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i] + weightDecay * param[i];
      s.m[i] = b1 * s.m[i] + (1 - b1) * g;
      s.v[i] = b2 * s.v[i] + (1 - b2) * g * g;
      param[i] -= (lr * (s.m[i] / c1)) / (Math.sqrt(s.v[i] / c2) + eps);
    }
  }
}
