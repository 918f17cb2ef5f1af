/** Dropout: in training, zero each value with probability `rate` and scale the rest by 1 / (1 - rate)
 * (inverted dropout, as PyTorch) so evaluation needs no rescaling. Uses the seeded generator. */
import { check } from "../errors";
import { defaultGenerator } from "../data/random";
import { fromStorage } from "../tensor/create";
import { Tensor } from "../tensor/tensor";

/** Inverted dropout of `input` with drop probability `rate`; the identity when not training or rate is 0. */
export function dropout(input: Tensor, rate: number, training = true): Tensor {
  check(Number.isFinite(rate) && rate >= 0 && rate <= 1, "dropout", () => `rate must be in [0, 1], got ${rate}`);
  if (!training || rate === 0) return input;
  const g = defaultGenerator();
  const keep = rate === 1 ? 0 : 1 / (1 - rate);
  const mask = new Float64Array(input.size);
  for (let i = 0; i < mask.length; i++) mask[i] = g.random() < rate ? 0 : keep;
  return input.mul(fromStorage(mask, input.shape));
}
