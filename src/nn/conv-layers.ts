/** Convolution layers (module 4.2): learned weights and bias around the functional conv1d / conv2d. */
import { check, describe, fmtShape } from "../errors";
import { Tensor } from "../tensor/tensor";
import { checkTensor } from "../tensor/args";
import { ConvOptions, conv1d, conv2d, convGeometry } from "./conv";
import { BiasOptions, checkBiasOptions, uniformFanIn } from "./init";
import { Module, Parameter, checkSize, pyTuple } from "./module";

/** A conv layer's options: PyTorch's padding and stride (without either, the lecture's same-size
 * convolution) and whether to learn a bias. */
export interface ConvLayerOptions extends BiasOptions, ConvOptions {}

/** Conv1d / Conv2d share everything but the number of spatial dims and the functional op they call. */
export abstract class ConvNd extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  /** The padding and stride the layer was given (undefined for the lecture's convolution). */
  private readonly convOptions: ConvOptions | undefined;

  protected constructor(
    private readonly op: string,
    private readonly conv: (input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions) => Tensor,
    private readonly spatialAxes: string,
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: readonly number[],
    options: ConvLayerOptions,
  ) {
    super();
    checkSize(op, "inChannels", inChannels);
    checkSize(op, "outChannels", outChannels);
    const bias = checkBiasOptions(op, options, ["bias", "padding", "stride"]);
    const { padding, stride } = options;
    this.convOptions = padding === undefined && stride === undefined ? undefined : { padding, stride };
    convGeometry(op, kernelSize, this.convOptions); // options are checked now, not at the first forward
    const fanIn = inChannels * kernelSize.reduce((a, b) => a * b, 1);
    this.weight = uniformFanIn([outChannels, inChannels, ...kernelSize], fanIn);
    this.bias = bias ? uniformFanIn([outChannels], fanIn) : null;
  }

  forward(input: Tensor): Tensor {
    checkTensor(input, this.op, "input");
    const dims = this.kernelSize.length + 2;
    check(input.dims === dims && input.shape[1] === this.inChannels, this.op, () =>
      `expected input [batch, ${this.inChannels}, ${this.spatialAxes}], got shape ${fmtShape(input.shape)}`);
    return this.conv(input, this.weight, this.bias, this.convOptions);
  }

  /** PyTorch's: "1, 4, kernel_size=(3, 3), stride=(1, 1)", then padding if any, bias=False without one;
   * the lecture's convolution says padding=lecture. */
  protected extraRepr(): string {
    const n = this.kernelSize.length;
    const { padding = 0, stride = 1 } = this.convOptions ?? { padding: "lecture" };
    const tuple = (v: number | readonly number[]) => pyTuple(typeof v === "number" ? Array<number>(n).fill(v) : v);
    const pads = typeof padding === "string" ? padding : tuple(padding);
    return `${this.inChannels}, ${this.outChannels}, kernel_size=${tuple(this.kernelSize)}, stride=${tuple(stride)}` +
      (pads === tuple(0) ? "" : `, padding=${pads}`) + (this.bias === null ? ", bias=False" : "");
  }
}

/** The kernel size as a list: a number, or a list of `n` numbers, each an integer >= 1. */
function kernelSizes(op: string, kernel: unknown, n: number): number[] {
  const k = typeof kernel === "number" ? Array<number>(n).fill(kernel) : kernel;
  check(Array.isArray(k) && k.length === n && k.every((v) => Number.isInteger(v) && v > 0), op, () =>
    `kernel size must be an integer >= 1${n === 1 ? "" : " or [kh, kw]"}, got ${describe(kernel)}`);
  return k as number[];
}

/** nn.Conv1d: weight [out, in, kw], bias [out]; [batch, in, width] -> [batch, out, width] (minitorch's
 * convolution: anchored left, output as wide as the input), or PyTorch's with padding / stride. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelWidth: number, options: ConvLayerOptions = {}) {
    super("Conv1d", conv1d, "width", inChannels, outChannels, kernelSizes("Conv1d", kernelWidth, 1), options);
  }
}

/** nn.Conv2d: weight [out, in, kh, kw], bias [out]; [batch, in, h, w] -> [batch, out, h, w], or PyTorch's
 * output size with padding / stride. The kernel is one size or [kh, kw]. */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernel: number | readonly [number, number],
    options: ConvLayerOptions = {}) {
    super("Conv2d", conv2d, "height, width", inChannels, outChannels, kernelSizes("Conv2d", kernel, 2), options);
  }
}
