/** The data namespace (torch.utils.data): datasets of tensors and the mini-batch loader. */
export { TensorDataset } from "./dataset";
export type { Dataset } from "./dataset";
export { DataLoader } from "./data-loader";
export type { DataLoaderOptions, Batch, Example } from "./data-loader";
