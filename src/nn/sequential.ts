/** Sequential: modules applied in order, each one's output the next one's input. */
import { check, describe } from "../errors";
import { Tensor } from "../tensor/tensor";
import { checkTensor } from "../tensor/args";
import { Module, Parameter } from "./module";

/** nn.Sequential(...modules): the quickest way to write an MLP or a small CNN. As in PyTorch its children
 * are named by position, so its parameters are "0.weight", "2.bias", ... */
export class Sequential extends Module {
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => check(m instanceof Module, "Sequential", () =>
      `argument ${i} is not a Module (got ${describe(m)}); pass layers such as new nn.Linear(2, 8)`));
    this.layers = layers;
  }

  protected namedMembers(): [string, Module | Parameter][] {
    return this.layers.map((m, i) => [String(i), m]);
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, "Sequential", "input");
    return this.layers.reduce((out, m) => m.forward(out), x);
  }
}
