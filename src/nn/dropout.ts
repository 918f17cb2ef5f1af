/** Dropout: in training, zero each value with probability `rate` and scale the rest by 1 / (1 - rate)
 * (inverted dropout, as PyTorch) so evaluation needs no rescaling. Uses the seeded generator. */
import { check, describe } from "../errors";
import { defaultGenerator } from "../data/random";
import { fromStorage } from "../tensor/create";
import { Tensor } from "../tensor/tensor";
import { checkTensor } from "../tensor/args";

/** Validates a drop probability: a number in [0, 1]. */
export function checkRate(op: string, rate: unknown): asserts rate is number {
  check(typeof rate === "number" && rate >= 0 && rate <= 1, op, () =>
    `rate must be a number in [0, 1], got ${describe(rate)}`);
}

/** Inverted dropout of `input` with drop probability `rate`; the identity when not training or rate is 0. */
export function dropout(input: Tensor, rate: number, training = true): Tensor {
  checkTensor(input, "dropout", "input");
  checkRate("dropout", rate);
  check(typeof training === "boolean", "dropout", () => `training must be true or false, got ${describe(training)}`);
  if (!training || rate === 0) return input;
  const g = defaultGenerator();
  const keep = rate === 1 ? 0 : 1 / (1 - rate);
  const mask = new Float64Array(input.size);
  for (let i = 0; i < mask.length; i++) mask[i] = g.random() < rate ? 0 : keep;
  return input.mul(fromStorage(mask, input.shape));
}
