/** Sequential: modules applied in order, each one's output the next one's input. */
import { check } from "../errors";
import { Tensor } from "../tensor/tensor";
import { Module } from "./module";

/** nn.Sequential(...modules): the quickest way to write an MLP or a small CNN. Its parameters are
 * named "layers.0.weight", "layers.2.bias", ... by position. */
export class Sequential extends Module {
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => check(m instanceof Module, "Sequential", () =>
      `argument ${i} is not a Module (got ${m === null ? "null" : typeof m}); pass layers such as new nn.Linear(2, 8)`));
    this.layers = layers;
  }

  forward(x: Tensor): Tensor {
    return this.layers.reduce((out, m) => m.forward(out), x);
  }
}
