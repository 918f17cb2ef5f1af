/** The nn namespace: functional ops of the lectures, losses, modules and layers. */
export { conv1d, conv2d } from "./conv";
export type { ConvOptions, Padding } from "./conv";
export { pad } from "./pad";
export { tile, avgpool2d, maxpool2d } from "./pool";
export type { Kernel2d, PoolOptions } from "./pool";
export { max, argmaxOneHot } from "./max";
export { softmax, logsoftmax } from "./softmax";
export { relu, sigmoid, step, tanh, softplus, gelu } from "./activations";
export { dropout } from "./dropout";
export {
  nllLoss, crossEntropy, hingeLoss, mseLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, entropy, klDivergence,
} from "./losses";
export type { Labels, LossOptions, Reduction } from "./losses";
export { Module, Parameter } from "./module";
export type { StateDict, LoadStateDictOptions, IncompatibleKeys } from "./module";
export { stateDictToJSON, stateDictFromJSON } from "./serialize";
export { uniformFanIn } from "./init";
export type { BiasOptions } from "./init";
export { Linear } from "./linear";
export { Conv1d, Conv2d } from "./conv-layers";
export type { ConvLayerOptions } from "./conv-layers";
export {
  ReLU, Sigmoid, Tanh, Softplus, GELU, Step, Softmax, LogSoftmax, MaxPool2d, AvgPool2d, Flatten, Dropout,
} from "./layers";
export { Sequential } from "./sequential";
