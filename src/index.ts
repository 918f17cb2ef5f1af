/** minitorch-ts: a tensor library written from scratch to learn how PyTorch works. One entry point. */
export { MiniTorchError } from "./errors";
export type { Shape, Strides, ShapeArgs } from "./data/shape";
export { indexToPosition, toIndex, shapeBroadcast, broadcastIndex, stridesFromShape, shapeSize } from "./data/shape";
export { TensorData } from "./data/tensor-data";
export { Generator, manualSeed } from "./data/random";
export type { Backend } from "./ops/backend";
export { backend, useBackend, registerBackend, referenceBackend } from "./ops/backend";
export { noGrad, isGradEnabled } from "./autodiff/grad-mode";
export { Context } from "./autodiff/context";
export type { Variable } from "./autodiff/backprop";
export { topologicalSort, backpropagate } from "./autodiff/backprop";
export type { TensorLike, NestedArray } from "./tensor/tensor";
export { Tensor } from "./tensor/tensor";
export type { FunctionDef, Grads } from "./tensor/function";
export { defineFunction, History } from "./tensor/function";
export type { TensorOptions } from "./tensor/create";
export { tensor, zeros, ones, full, rand, randn, arange, fromStorage } from "./tensor/create";
export * as nn from "./nn";
