/** Activation functions (lecture "ReLU, step, sigmoid" and NN basics II), each with its derivative. */
import * as op from "../ops/operators";
import { mapFunction } from "../tensor/functions";
import { Tensor } from "../tensor/tensor";
import { checkTensor } from "../tensor/args";

/** The function f of a tensor, its argument checked first (notebooks may pass a plain array). */
function activation(name: string, f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) => {
    checkTensor(x, name, "input");
    return f(x);
  };
}

/** ReLU(x) = max(0, x), the simplest max. */
export const relu = activation("relu", (x) => x.relu());
/** sigma(x) = 1 / (1 + e^-x) = softmax([0, x])[1], the soft step. */
export const sigmoid = activation("sigmoid", (x) => x.sigmoid());
/** step(x) = x > 0 = ReLU'(x), the simplest argmax; step'(x) = 0 everywhere, so no gradient flows. */
export const step = activation("step", mapFunction("step", op.step, () => 0));
/** tanh(x) = 2 sigmoid(2x) - 1, a zero-centred sigmoid; tanh'(x) = 1 - tanh(x)^2. */
export const tanh = activation("tanh", mapFunction("tanh", op.tanh, op.tanhBack));
/** softplus(x) = log(1 + e^x), the "smooth ReLU"; its derivative is the sigmoid. */
export const softplus = activation("softplus", mapFunction("softplus", op.softplus, op.softplusBack));
/** GeLU(x) = x (1 + erf(x / sqrt 2)) / 2. */
export const gelu = activation("gelu", mapFunction("gelu", op.gelu, op.geluBack));
