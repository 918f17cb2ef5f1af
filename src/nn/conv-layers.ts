/** Convolution layers (module 4.2): learned weights and bias around the functional conv1d / conv2d. */
import { check, fmtShape } from "../errors";
import { Tensor } from "../tensor/tensor";
import { conv1d, conv2d } from "./conv";
import { BiasOptions, uniformFanIn } from "./init";
import { Module, Parameter, checkSize } from "./module";

/** Conv1d / Conv2d share everything but the number of spatial dims and the functional op they call. */
export abstract class ConvNd extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  protected constructor(
    private readonly op: string,
    private readonly conv: (input: Tensor, weight: Tensor, bias?: Tensor) => Tensor,
    private readonly spatialAxes: string,
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: readonly number[],
    options: BiasOptions,
  ) {
    super();
    checkSize(op, "inChannels", inChannels);
    checkSize(op, "outChannels", outChannels);
    kernelSize.forEach((k) => check(Number.isInteger(k) && k > 0, op, () =>
      `kernel size must be ${kernelSize.length === 1 ? "a positive integer" : `${kernelSize.length} positive integers`}, got ${fmtShape(kernelSize)}`));
    const fanIn = inChannels * kernelSize.reduce((a, b) => a * b, 1);
    this.weight = uniformFanIn([outChannels, inChannels, ...kernelSize], fanIn);
    this.bias = (options.bias ?? true) ? uniformFanIn([outChannels], fanIn) : null;
  }

  forward(input: Tensor): Tensor {
    const dims = this.kernelSize.length + 2;
    check(input.dims === dims && input.shape[1] === this.inChannels, this.op, () =>
      `expected input [batch, ${this.inChannels}, ${this.spatialAxes}], got shape ${fmtShape(input.shape)}`);
    return this.conv(input, this.weight, this.bias ?? undefined);
  }
}

/** nn.Conv1d: weight [out, in, kw], bias [out]; [batch, in, width] -> [batch, out, width] (minitorch's
 * convolution: anchored left, output as wide as the input). */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelWidth: number, options: BiasOptions = {}) {
    super("Conv1d", conv1d, "width", inChannels, outChannels, [kernelWidth], options);
  }
}

/** nn.Conv2d: weight [out, in, kh, kw], bias [out]; [batch, in, h, w] -> [batch, out, h, w]. */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernel: readonly [number, number], options: BiasOptions = {}) {
    check(Array.isArray(kernel) && kernel.length === 2, "Conv2d", () =>
      `kernel must be [kh, kw], got ${JSON.stringify(kernel)}`);
    super("Conv2d", conv2d, "height, width", inChannels, outChannels, kernel, options);
  }
}
