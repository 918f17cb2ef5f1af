/** The fully connected layer of the lecture's block diagrams: y = x W^T + b. */
import { check, fmtShape } from "../errors";
import { Tensor } from "../tensor/tensor";
import { BiasOptions, uniformFanIn } from "./init";
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
    this.weight = uniformFanIn([outFeatures, inFeatures], inFeatures);
    this.bias = (options.bias ?? true) ? uniformFanIn([outFeatures], inFeatures) : null;
  }

  forward(x: Tensor): Tensor {
    check(x.dims >= 1 && x.shape[x.dims - 1] === this.inFeatures, "Linear", () =>
      `expected input with last dim ${this.inFeatures}, got shape ${fmtShape(x.shape)}`);
    const out = x.matmul(this.weight.T());
    return this.bias === null ? out : out.add(this.bias);
  }
}
