/**
 * Learning-rate schedules, as torch.optim.lr_scheduler: a scheduler owns an optimizer's `lr` and moves it
 * once per epoch, `scheduler.step()` after the epoch's `optimizer.step()` calls. Constructing one counts
 * as epoch 0 (lr = the optimizer's lr then, the base). Both rules are PyTorch's chainable forms: each
 * step rescales the *current* lr, so a manual change of `optimizer.lr` carries on as it does in PyTorch.
 */
import { check, checkInteger, checkOptions, describe } from "../errors";
import { Optimizer, checkNonNegative } from "./optimizer";

/** Base of the schedulers: counts epochs and writes the rule's lr into the optimizer. */
export abstract class LRScheduler {
  /** The lr the optimizer had when the scheduler was made. */
  readonly baseLr: number;
  /** Epochs stepped so far (0 after construction), PyTorch's last_epoch. */
  lastEpoch = 0;

  protected constructor(readonly optimizer: Optimizer, name: string) {
    check(optimizer instanceof Optimizer, name, () =>
      `expected an optimizer such as new optim.SGD(...), got ${describe(optimizer)}`);
    this.baseLr = optimizer.lr;
  }

  /** Ends an epoch: the optimizer's lr becomes the rule's value for the next one. */
  step(): void {
    const epoch = this.lastEpoch + 1;
    this.optimizer.lr = this.nextLr(this.optimizer.lr, epoch); // checked by the setter before the count moves
    this.lastEpoch = epoch;
  }

  /** The lr set by the last step, as a list with one entry per parameter group (we have one), like
   * PyTorch's get_last_lr(). */
  getLastLr(): number[] {
    return [this.optimizer.lr];
  }

  /** The lr of `epoch` given the current one (that of epoch - 1). */
  protected abstract nextLr(lr: number, epoch: number): number;
}

/** Checks a schedule's period (an integer >= 1) and its one option (a number >= 0, `fallback` if absent),
 * returning the option's value. */
function checkSchedule<O extends object>(op: string, periodName: string, period: number, options: O,
  optionName: keyof O & string, fallback: number): number {
  checkInteger(period, op, periodName, 1);
  checkOptions(options, op, [optionName]);
  const value = options[optionName] ?? fallback;
  checkNonNegative(op, optionName, value);
  return value;
}

/** StepLR options: the decay factor. */
export interface StepLROptions {
  /** Multiplies the lr every stepSize epochs (default 0.1). */
  gamma?: number;
}

/** lr = baseLr * gamma^floor(epoch / stepSize): a staircase, e.g. divide by 10 every 30 epochs. */
export class StepLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer, readonly stepSize: number, options: StepLROptions = {}) {
    super(optimizer, "StepLR");
    this.gamma = checkSchedule("StepLR", "stepSize", stepSize, options, "gamma", 0.1);
  }

  protected nextLr(lr: number, epoch: number): number {
    return epoch % this.stepSize === 0 ? lr * this.gamma : lr;
  }
}

/** CosineAnnealingLR options: the floor of the schedule. */
export interface CosineAnnealingLROptions {
  /** The lr reached at epoch tMax (default 0). */
  etaMin?: number;
}

/** lr = etaMin + (baseLr - etaMin) (1 + cos(pi epoch / tMax)) / 2: from baseLr down to etaMin at epoch
 * tMax along half a cosine, then back up (PyTorch does not restart; see its CosineAnnealingWarmRestarts).
 * Applied, as in PyTorch, as the ratio of consecutive values to the current lr. */
export class CosineAnnealingLR extends LRScheduler {
  readonly etaMin: number;

  constructor(optimizer: Optimizer, readonly tMax: number, options: CosineAnnealingLROptions = {}) {
    super(optimizer, "CosineAnnealingLR");
    this.etaMin = checkSchedule("CosineAnnealingLR", "tMax", tMax, options, "etaMin", 0);
  }

  protected nextLr(lr: number, epoch: number): number {
    const { etaMin, tMax, baseLr } = this;
    // where the previous value was the bottom of the cosine, the ratio below would divide by 0
    if ((epoch - 1 - tMax) % (2 * tMax) === 0) return lr + ((baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
    const ratio = (1 + Math.cos((Math.PI * epoch) / tMax)) / (1 + Math.cos((Math.PI * (epoch - 1)) / tMax));
    return ratio * (lr - etaMin) + etaMin;
  }
}
