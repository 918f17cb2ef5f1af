/** The optim namespace: optimizers that update a model's parameters from their gradients, and the
 * learning-rate schedules that drive them (torch.optim.lr_scheduler's, here at the top level). */
export { Optimizer } from "./optimizer";
export { SGD } from "./sgd";
export type { SGDOptions } from "./sgd";
export { Adam } from "./adam";
export type { AdamOptions } from "./adam";
export { LRScheduler, StepLR, CosineAnnealingLR } from "./lr-scheduler";
export type { StepLROptions, CosineAnnealingLROptions } from "./lr-scheduler";
