/**
 * The "fast" backend, the default one (declared in src/ops/backend.ts): the same named kernels as the
 * reference backend, made fast without changing what they compute. map / zip / reduce run specialised
 * JavaScript loops over collapsed layouts; matmul, conv1d / conv2d, softmax / logsoftmax and exp run
 * WebAssembly SIMD kernels compiled from assembly/kernels.ts, shared with worker threads when the work
 * is large. Where a wasm kernel does not apply (tiny tensors, no wasm SIMD, more than 1 GiB of
 * operands) the reference kernel runs. test/fast-backend.test.ts checks every op against the reference.
 * Nothing here selects a backend: importing this file changes nothing.
 */
import { TensorData } from "../../data/tensor-data";
import { Shape, reducedShape, shapeBroadcast, shapeSize } from "../../data/shape";
import type { Backend } from "../backend";
import { tensorConv1d, tensorConv2d } from "../conv";
import { tensorMatmul } from "../matmul";
import { Unary, opName } from "../operators";
import { fastConv1d, fastConv2d } from "./conv";
import { mapInto, zipInto } from "./elementwise";
import { fastMatmul } from "./matmul";
import { argmaxInto, reduceInto } from "./reduce";
import { output } from "./output";
import { fastExp, fastSoftmax, softmaxLanes } from "./softmax";

function dense(shape: Shape, fill: (o: Float64Array) => void): TensorData {
  const o = output(shapeSize(shape));
  fill(o);
  return new TensorData(o, shape);
}

/** A reference kernel writing a fresh output: where the wasm kernels do not apply. */
function reference(shape: Shape, kernel: (out: TensorData) => void): TensorData {
  const out = TensorData.zeros(shape);
  kernel(out);
  return out;
}

/** Maps with a wasm kernel of their own, by the scalar function's name (operators.ts `named`); each
 * returns null where it does not apply and the generic loop runs. */
const wasmMaps: Readonly<Record<string, (a: TensorData, shape: Shape) => TensorData | null>> = { exp: fastExp };

function map(fn: Unary, a: TensorData, shape: Shape = a.shape): TensorData {
  const name = opName(fn);
  const special = name !== undefined && name in wasmMaps ? wasmMaps[name](a, shape) : null;
  return special ?? dense(shape, (o) => mapInto(fn, o, 0, a, shape));
}

/** The fast kernels address storage from position 0: a view at offset o over storage S is handed to them
 * as the same view at offset 0 over S.subarray(o), which shares S's memory (no copy). */
const atZero = (t: TensorData): TensorData =>
  t.offset === 0 ? t : new TensorData(t.storage.subarray(t.offset), t.shape, t.strides);

const kernels: Required<Backend> = {
  name: "fast",
  map,
  zip: (fn, a, b) => {
    const shape = shapeBroadcast(a.shape, b.shape);
    return dense(shape, (o) => zipInto(fn, o, 0, a, b, shape));
  },
  reduce: (fn, start, a, dim) => dense(reducedShape(a.shape, dim), (o) => reduceInto(fn, start, o, a, dim)),
  argmax: (a, dim) => dense(a.shape, (o) => argmaxInto(o, a, dim)),
  softmax: (a, dim, log) => fastSoftmax(a, dim, log) ?? softmaxLanes(a, dim, log),
  matmul: (a, b, outShape) => fastMatmul(a, b, outShape) ?? reference(outShape, (out) => tensorMatmul(out, a, b)),
  conv1d: (input, weight, reverse, outShape) =>
    fastConv1d(input, weight, reverse, outShape) ??
    reference(outShape, (out) => tensorConv1d(out, input, weight, reverse)),
  conv2d: (input, weight, reverse, outShape) =>
    fastConv2d(input, weight, reverse, outShape) ??
    reference(outShape, (out) => tensorConv2d(out, input, weight, reverse)),
};

export const fastBackend: Required<Backend> = {
  name: "fast",
  map: (fn, a, shape) => kernels.map(fn, atZero(a), shape),
  zip: (fn, a, b) => kernels.zip(fn, atZero(a), atZero(b)),
  reduce: (fn, start, a, dim) => kernels.reduce(fn, start, atZero(a), dim),
  argmax: (a, dim) => kernels.argmax(atZero(a), dim),
  softmax: (a, dim, log) => kernels.softmax(atZero(a), dim, log),
  matmul: (a, b, outShape) => kernels.matmul(atZero(a), atZero(b), outShape),
  conv1d: (input, weight, reverse, outShape) => kernels.conv1d(atZero(input), atZero(weight), reverse, outShape),
  conv2d: (input, weight, reverse, outShape) => kernels.conv2d(atZero(input), atZero(weight), reverse, outShape),
};
