/** The optim namespace: optimizers that update a model's parameters from their gradients. */
export { Optimizer } from "./optimizer";
export { SGD } from "./sgd";
export type { SGDOptions } from "./sgd";
export { Adam } from "./adam";
export type { AdamOptions } from "./adam";
