/**
 * The functional ops as modules, so they sit in a Sequential or a model's fields as in the lecture's
 * TwoLayerNet (`this.activation1 = new nn.ReLU()`): activations, softmax, dropout, pooling, flatten.
 * None has parameters.
 */
import { check, checkInteger, fmtShape } from "../errors";
import { Tensor } from "../tensor/tensor";
import { gelu, relu, sigmoid, softplus, step, tanh } from "./activations";
import { checkTensor } from "../tensor/args";
import { checkRate, dropout } from "./dropout";
import { Module, pyFloat, pyTuple } from "./module";
import { Kernel2d, PoolOptions, avgpool2d, maxpool2d, poolGeometry } from "./pool";
import { logsoftmax, softmax } from "./softmax";

/** A parameterless module whose forward is one function of its input. */
export abstract class FunctionModule extends Module {
  protected constructor(private readonly fn: (x: Tensor) => Tensor) {
    super();
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, this.constructor.name, "input");
    return this.fn(x);
  }
}

/** max(0, x): the default activation of modern MLPs. */
export class ReLU extends FunctionModule {
  constructor() {
    super(relu);
  }
}

/** 1 / (1 + e^-x): saturates, hence vanishing gradients in deep stacks. */
export class Sigmoid extends FunctionModule {
  constructor() {
    super(sigmoid);
  }
}

/** tanh(x) = 2 sigmoid(2x) - 1: a zero-centred sigmoid. */
export class Tanh extends FunctionModule {
  constructor() {
    super(tanh);
  }
}

/** log(1 + e^x): the smooth ReLU. */
export class Softplus extends FunctionModule {
  constructor() {
    super(softplus);
  }

  protected extraRepr(): string {
    return "beta=1, threshold=20"; // PyTorch's defaults, the only softplus we have
  }
}

/** x (1 + erf(x / sqrt 2)) / 2: the transformer-era ReLU. */
export class GELU extends FunctionModule {
  constructor() {
    super(gelu);
  }

  protected extraRepr(): string {
    return "approximate='none'"; // the exact erf form, PyTorch's default
  }
}

/** x > 0: the perceptron's activation; its gradient is 0, which is why networks use ReLU instead. */
export class Step extends FunctionModule {
  constructor() {
    super(step);
  }
}

/** A layer applying `fn` along one dim, printed as PyTorch's `Name(dim=...)`. */
abstract class AlongDim extends FunctionModule {
  protected constructor(op: string, fn: (x: Tensor, dim: number) => Tensor, readonly dim: number) {
    super((x) => fn(x, dim));
    checkInteger(dim, op, "dim");
  }

  protected extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** softmax along `dim`: turns scores into a distribution (the lecture's Softmax(-1) on the last dim). */
export class Softmax extends AlongDim {
  constructor(dim = -1) {
    super("Softmax", softmax, dim);
  }
}

/** log softmax along `dim`: the stable input for nllLoss. */
export class LogSoftmax extends AlongDim {
  constructor(dim = -1) {
    super("LogSoftmax", logsoftmax, dim);
  }
}

/** A pooling layer: the functional op with its kernel and options, printed as PyTorch's. */
abstract class Pool2d extends FunctionModule {
  protected constructor(
    pool: (x: Tensor, kernel: Kernel2d, options?: PoolOptions) => Tensor,
    readonly kernel: Kernel2d,
    readonly options: PoolOptions | undefined,
  ) {
    super((x) => pool(x, kernel, options));
    poolGeometry(this.constructor.name, kernel, options); // checked now, not at the first forward
  }

  /** PyTorch's "kernel_size=2, stride=2, padding=0": each as given (a number or a pair), the stride
   * defaulting to the kernel. */
  protected poolRepr(): string {
    const show = (v: number | readonly number[]) => (typeof v === "number" ? String(v) : pyTuple(v));
    const { stride = this.kernel, padding = 0 } = this.options ?? {};
    return `kernel_size=${show(this.kernel)}, stride=${show(stride)}, padding=${show(padding)}`;
  }
}

/** Max over each kh x kw block: [B, C, H, W] -> [B, C, H/kh, W/kw]; PyTorch's MaxPool2d with options. */
export class MaxPool2d extends Pool2d {
  constructor(kernel: Kernel2d, options?: PoolOptions) {
    super(maxpool2d, kernel, options);
  }

  protected extraRepr(): string {
    return `${this.poolRepr()}, dilation=1, ceil_mode=False`;
  }
}

/** Mean over each kh x kw block: [B, C, H, W] -> [B, C, H/kh, W/kw]; PyTorch's AvgPool2d with options. */
export class AvgPool2d extends Pool2d {
  constructor(kernel: Kernel2d, options?: PoolOptions) {
    super(avgpool2d, kernel, options);
  }

  protected extraRepr(): string {
    return this.poolRepr();
  }
}

/** [batch, ...] -> [batch, product of the rest]: between the conv part and the linear part of a CNN. */
export class Flatten extends FunctionModule {
  constructor() {
    super((x) => {
      check(x.dims >= 2, "Flatten", () =>
        `expected input [batch, ...] with at least 2 dims, got shape ${fmtShape(x.shape)}`);
      return x.contiguous().view(x.shape[0], -1);
    });
  }

  protected extraRepr(): string {
    return "start_dim=1, end_dim=-1";
  }
}

/** Zeroes each value with probability `rate` in training mode (scaling the rest by 1 / (1 - rate));
 * the identity after eval(), which is why `training` must really switch. */
export class Dropout extends Module {
  constructor(readonly rate = 0.5) {
    super();
    checkRate("Dropout", rate);
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, "Dropout", "input");
    return dropout(x, this.rate, this.training);
  }

  protected extraRepr(): string {
    return `p=${pyFloat(this.rate)}, inplace=False`;
  }
}
