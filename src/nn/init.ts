/** Parameter initialisation. */
import { check } from "../errors";
import { Shape } from "../data/shape";
import { rand } from "../tensor/create";
import { Parameter } from "./module";

/** U(-1/sqrt(fanIn), 1/sqrt(fanIn)) from the seeded generator: PyTorch's default for Linear and Conv
 * weights and biases, which keeps each output's variance about the same whatever the layer's width. */
export function uniformFanIn(shape: Shape, fanIn: number): Parameter {
  check(Number.isInteger(fanIn) && fanIn > 0, "uniformFanIn", () => `fanIn must be a positive integer, got ${fanIn}`);
  const bound = 1 / Math.sqrt(fanIn);
  return new Parameter(rand([...shape]).mul(2 * bound).sub(bound));
}

/** Options of the layers with a learned bias (Linear, Conv1d, Conv2d). */
export interface BiasOptions {
  /** Learn an additive bias per output feature / channel (default true, as in PyTorch). */
  bias?: boolean;
}
