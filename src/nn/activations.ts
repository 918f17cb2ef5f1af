/** Activation functions (lecture "ReLU, step, sigmoid" and NN basics II), each with its derivative. */
import * as op from "../ops/operators";
import { mapFunction } from "../tensor/functions";
import { Tensor } from "../tensor/tensor";

/** ReLU(x) = max(0, x), the simplest max. */
export const relu = (x: Tensor): Tensor => x.relu();
/** sigma(x) = 1 / (1 + e^-x) = softmax([0, x])[1], the soft step. */
export const sigmoid = (x: Tensor): Tensor => x.sigmoid();
/** step(x) = x > 0 = ReLU'(x), the simplest argmax; step'(x) = 0 everywhere, so no gradient flows. */
export const step = mapFunction("step", op.step, () => 0);
/** tanh(x) = 2 sigmoid(2x) - 1, a zero-centred sigmoid; tanh'(x) = 1 - tanh(x)^2. */
export const tanh = mapFunction("tanh", op.tanh, op.tanhBack);
/** softplus(x) = log(1 + e^x), the "smooth ReLU"; its derivative is the sigmoid. */
export const softplus = mapFunction("softplus", op.softplus, op.softplusBack);
/** GeLU(x) = x (1 + erf(x / sqrt 2)) / 2. */
export const gelu = mapFunction("gelu", op.gelu, op.geluBack);
