/**
 * A backend is the set of kernels the differentiable functions call: the primitives map, zip, reduce,
 * matmul and conv, which every backend has, and optional fused kernels (argmax, softmax) that a fast
 * backend may add as accelerations. The reference backend is the readable TypeScript the notebooks teach
 * from and has only the primitives: the lecture files (nn/max.ts, nn/softmax.ts) compose argmax and
 * softmax from them, and use a fused kernel only when the backend offers one. A faster backend is
 * tested against this one. Every method allocates its (contiguous) output and returns it.
 */
import { TensorData } from "../data/tensor-data";
import { Shape, reducedShape, shapeBroadcast } from "../data/shape";
import { tensorMap, tensorReduce, tensorZip } from "./kernels";
import { tensorMatmul } from "./matmul";
import { tensorConv1d, tensorConv2d } from "./conv";
import { fastBackend } from "./fast";
import type { Binary, Unary } from "./operators";
import { check } from "../errors";

export interface Backend {
  readonly name: string;
  /** fn applied elementwise; `shape` (default a's) may be larger than a's, which then broadcasts. */
  map(fn: Unary, a: TensorData, shape?: Shape): TensorData;
  zip(fn: Binary, a: TensorData, b: TensorData): TensorData;
  /** Reduction along dim; the result keeps dim with size 1. */
  reduce(fn: Binary, start: number, a: TensorData, dim: number): TensorData;
  /** Batched matmul of tensors with at least 2 dims, batch dims broadcast; `outShape` given by the caller. */
  matmul(a: TensorData, b: TensorData, outShape: Shape): TensorData;
  conv1d(input: TensorData, weight: TensorData, reverse: boolean, outShape: Shape): TensorData;
  conv2d(input: TensorData, weight: TensorData, reverse: boolean, outShape: Shape): TensorData;
  /** Optional fused kernel: one-hot of the first maximum along dim (a's shape), as nn.argmaxOneHot. */
  argmax?(a: TensorData, dim: number): TensorData;
  /** Optional fused kernel: softmax (or log-softmax) along dim, as nn.softmax / nn.logsoftmax compute it. */
  softmax?(a: TensorData, dim: number, log: boolean): TensorData;
}

/** Allocates an output of `shape`, lets `kernel` fill it, returns it. */
function into(shape: Shape, kernel: (out: TensorData) => void): TensorData {
  const out = TensorData.zeros(shape);
  kernel(out);
  return out;
}

export const referenceBackend: Backend = {
  name: "reference",
  map: (fn, a, shape = a.shape) => into(shape, (out) => tensorMap(fn, out, a)),
  zip: (fn, a, b) => into(shapeBroadcast(a.shape, b.shape), (out) => tensorZip(fn, out, a, b)),
  reduce: (fn, start, a, dim) =>
    into(
      reducedShape(a.shape, dim),
      (out) => tensorReduce(fn, start, out, a, dim),
    ),
  matmul: (a, b, outShape) => into(outShape, (out) => tensorMatmul(out, a, b)),
  conv1d: (input, weight, reverse, outShape) => into(outShape, (out) => tensorConv1d(out, input, weight, reverse)),
  conv2d: (input, weight, reverse, outShape) => into(outShape, (out) => tensorConv2d(out, input, weight, reverse)),
};

const backends = new Map<string, Backend>([referenceBackend, fastBackend].map((b) => [b.name, b]));
/** The default, declared here and nowhere else: the fast kernels (src/ops/fast), tested against the reference. */
let current: Backend = fastBackend;

/** Makes another backend selectable by name. */
export function registerBackend(b: Backend): void {
  backends.set(b.name, b);
}

/** Selects the backend every op uses from now on; returns the previous one's name. */
export function useBackend(name: string): string {
  const b = backends.get(name);
  check(b !== undefined, "useBackend", () => `unknown backend "${name}" (known: ${[...backends.keys()].join(", ")})`);
  const previous = current.name;
  current = b;
  return previous;
}

/** The backend in use. */
export function backend(): Backend {
  return current;
}
