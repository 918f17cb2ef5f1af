/** Parameter initialisation. */
import { check, checkInteger, checkOptions, describe } from "../errors";
import { Shape, checkShape } from "../data/shape";
import { rand } from "../tensor/create";
import { Parameter } from "./module";

/** U(-1/sqrt(fanIn), 1/sqrt(fanIn)) from the seeded generator: PyTorch's default for Linear and Conv
 * weights and biases, which keeps each output's variance about the same whatever the layer's width. */
export function uniformFanIn(shape: Shape, fanIn: number): Parameter {
  checkShape(shape, "uniformFanIn");
  checkInteger(fanIn, "uniformFanIn", "fanIn", 1);
  const bound = 1 / Math.sqrt(fanIn);
  return new Parameter(rand([...shape]).mul(2 * bound).sub(bound));
}

/** Options of the layers with a learned bias (Linear, Conv1d, Conv2d). */
export interface BiasOptions {
  /** Learn an additive bias per output feature / channel (default true, as in PyTorch). */
  bias?: boolean;
}

/** Validates a layer's options (known names `known`, bias a boolean) and returns whether it has a bias. */
export function checkBiasOptions(op: string, options: BiasOptions, known: readonly string[] = ["bias"]): boolean {
  checkOptions(options, op, known);
  const bias: unknown = options.bias ?? true;
  check(typeof bias === "boolean", op, () => `bias must be true or false, got ${describe(bias)}`);
  return bias;
}
