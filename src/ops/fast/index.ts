/**
 * The "fast" backend: the same named kernels as the reference backend (src/ops/backend.ts), made fast
 * without changing what they compute. map / zip / reduce run specialised JavaScript loops over
 * collapsed layouts; matmul, conv1d / conv2d, softmax / logsoftmax and exp run WebAssembly SIMD kernels
 * compiled from assembly/kernels.ts, shared with worker threads when the work is large. Where a wasm
 * kernel does not apply (tiny tensors, no wasm SIMD, more than 1 GiB of operands) the reference
 * kernel runs. test/fast-backend.test.ts checks every op against the reference backend.
 */
import { TensorData } from "../../data/tensor-data";
import { Shape, reducedShape, shapeBroadcast, shapeSize } from "../../data/shape";
import { Backend, referenceBackend, registerBackend, useBackend } from "../backend";
import { exp } from "../operators";
import { fastConv1d, fastConv2d } from "./conv";
import { mapInto, zipInto } from "./elementwise";
import { fastMatmul } from "./matmul";
import { argmaxInto, reduceInto } from "./reduce";
import { fastExp, fastSoftmax, softmaxLanes } from "./softmax";

function dense(shape: Shape, fill: (o: Float64Array) => void): TensorData {
  const o = new Float64Array(shapeSize(shape));
  fill(o);
  return new TensorData(o, shape);
}

/** The fast kernels address storage from position 0: a view at offset o over storage S is handed to them
 * as the same view at offset 0 over S.subarray(o), which shares S's memory (no copy). */
const atZero = (t: TensorData): TensorData =>
  t.offset === 0 ? t : new TensorData(t.storage.subarray(t.offset), t.shape, t.strides);

const kernels: Required<Backend> = {
  name: "fast",
  map: (fn, a, shape = a.shape) =>
    (fn === exp ? fastExp(a, shape) : null) ?? dense(shape, (o) => mapInto(fn, o, 0, a, shape)),
  zip: (fn, a, b) => {
    const shape = shapeBroadcast(a.shape, b.shape);
    return dense(shape, (o) => zipInto(fn, o, 0, a, b, shape));
  },
  reduce: (fn, start, a, dim) =>
    dense(
      reducedShape(a.shape, dim),
      (o) => reduceInto(fn, start, o, a, dim),
    ),
  argmax: (a, dim) => dense(a.shape, (o) => argmaxInto(o, a, dim)),
  softmax: (a, dim, log) => fastSoftmax(a, dim, log) ?? softmaxLanes(a, dim, log),
  matmul: (a, b, outShape) => fastMatmul(a, b, outShape) ?? referenceBackend.matmul(a, b, outShape),
  conv1d: (input, weight, reverse, outShape) =>
    fastConv1d(input, weight, reverse, outShape) ?? referenceBackend.conv1d(input, weight, reverse, outShape),
  conv2d: (input, weight, reverse, outShape) =>
    fastConv2d(input, weight, reverse, outShape) ?? referenceBackend.conv2d(input, weight, reverse, outShape),
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

// Registered, and made the default, when the library is imported (src/index.ts exports it): the
// notebooks get the fast kernels; useBackend("reference") switches to the readable ones.
registerBackend(fastBackend);
useBackend(fastBackend.name);
