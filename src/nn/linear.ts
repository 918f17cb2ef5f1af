/** The fully connected layer of the lecture's block diagrams: y = x W^T + b. */
import { check, fmtShape } from "../errors";
import { Tensor } from "../tensor/tensor";
import { checkTensor } from "../tensor/args";
import { BiasOptions, checkBiasOptions, uniformFanIn } from "./init";
import { Module, Parameter, checkSize } from "./module";

/** nn.Linear: weight [out, in] (PyTorch's layout) and bias [out], both U(-1/sqrt(in), 1/sqrt(in)).
 * Maps x [..., in] to [..., out], so a batch is just extra leading dims. */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: BiasOptions = {},
  ) {
    super();
    checkSize("Linear", "inFeatures", inFeatures);
    checkSize("Linear", "outFeatures", outFeatures);
    const bias = checkBiasOptions("Linear", options);
    this.weight = uniformFanIn([outFeatures, inFeatures], inFeatures);
    this.bias = bias ? uniformFanIn([outFeatures], inFeatures) : null;
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, "Linear", "input");
    check(x.dims >= 1 && x.shape[x.dims - 1] === this.inFeatures, "Linear", () =>
      `expected input with last dim ${this.inFeatures}, got shape ${fmtShape(x.shape)}`);
    const out = x.matmul(this.weight.T());
    return this.bias === null ? out : out.add(this.bias);
  }

  protected extraRepr(): string {
    const bias = this.bias === null ? "False" : "True";
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${bias}`;
  }
}
