/** The datasets namespace: minitorch's 2-D point sets and real MNIST digits, all deterministic. */
export { simple, diag, split, xor, circle, spiral, POINTS_DATASETS } from "./points";
export type { Points2d, PointsMaker } from "./points";
export { mnist } from "./mnist";
export type { MnistDigits, MnistOptions, MnistSplit } from "./mnist";
