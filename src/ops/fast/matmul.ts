/**
 * Matmul on the wasm GEMM (assembly/kernels.ts: packed panels, a 4 x 4 register tile, f64x2 SIMD,
 * blocks of C shared among threads). Operands are copied into the wasm heap as they are stored, with
 * their strides, so a transposed operand (matmul's backward) costs no extra copy: packing reads it.
 */
import { TensorData } from "../../data/tensor-data";
import { Shape, shapeSize, stridesFromShape } from "../../data/shape";
import { broadcastStrides, collapse, span } from "./layout";
import { BLOCKS } from "./contract";
import { advance } from "./specialize";
import { runJob } from "./threads";
import { WasmHeap, wasmHeap } from "./wasm";
import { output } from "./output";

/** An operand in the heap: address, stride between batch matrices, row and column strides (elements). */
export interface Operand {
  readonly ptr: number;
  readonly batch: number;
  readonly rows: number;
  readonly cols: number;
}

/** C[t] = A[t] B[t] for t < batches, with A [M, K], B [K, N], C [M, N] (C's columns contiguous, cols
 * ignored). K must be positive. */
export function gemm(
  heap: WasmHeap, a: Operand, b: Operand, c: Operand, M: number, N: number, K: number, batches: number,
  meanwhile?: () => void,
): void {
  const args = {
    a: a.ptr, aBatch: a.batch, aRow: a.rows, aCol: a.cols,
    b: b.ptr, bBatch: b.batch, bRow: b.rows, bCol: b.cols,
    c: c.ptr, cBatch: c.batch, cRow: c.rows, m: M, n: N, k: K, scratch: heap.scratch,
  };
  // A chunk is an MC x NC block of one C[t].
  const chunks = batches * Math.ceil(M / BLOCKS.MC) * Math.ceil(N / BLOCKS.NC);
  runJob(heap, "gemm", args, chunks, 2 * M * N * K * batches, meanwhile);
}

/** Strides of the batch dims of `t` (its shape minus the last two), seen from the broadcast `batchShape`. */
function batchStrides(t: TensorData, batchShape: Shape): number[] {
  return broadcastStrides(t, batchShape, t.dims - 2);
}

/** Work (multiply-adds) below which the reference loops win over copying into wasm. */
export const SMALL_MATMUL = 4096;

/** out = a @ b with broadcast batch dims, or null when the wasm kernels are unavailable or the
 * problem is too small or too large for them (the caller then uses the reference kernel). */
export function fastMatmul(a: TensorData, b: TensorData, outShape: Shape): TensorData | null {
  const d = outShape.length;
  const [n, p] = [outShape[d - 2], outShape[d - 1]];
  const m = a.shape[a.dims - 1];
  const size = shapeSize(outShape);
  if (size === 0 || m === 0) return TensorData.zeros(outShape);
  const heap = wasmHeap();
  if (heap === null || size * m < SMALL_MATMUL) return null;
  const batchShape = outShape.slice(0, d - 2);
  const cStrides = stridesFromShape(batchShape).map((s) => s * n * p);
  const layout = collapse(batchShape, [batchStrides(a, batchShape), batchStrides(b, batchShape), cStrides]);
  const [aSpan, bSpan] = [span(a), span(b)];
  const shared = a.storage === b.storage;
  heap.reset();
  if (!heap.fits(aSpan + (shared ? 0 : bSpan) + size)) return null;
  const aPtr = heap.put(a.storage.subarray(0, Math.max(aSpan, shared ? bSpan : 0)));
  const bPtr = shared ? aPtr : heap.put(b.storage.subarray(0, bSpan));
  const cPtr = heap.alloc(size);
  const [aRow, aCol] = a.strides.slice(-2);
  const [bRow, bCol] = b.strides.slice(-2);
  // One GEMM job per index of the collapsed batch dims but the last, which the job itself loops over.
  const dims = layout.shape;
  const last = dims.length - 1;
  const inner = last >= 0 ? dims[last] : 1;
  const outer = shapeSize(dims) / Math.max(inner, 1);
  const batch = (strides: number[]) => (last >= 0 ? strides[last] : 0);
  const [as, bs, cs] = layout.strides;
  const index = new Int32Array(Math.max(last, 0));
  const offsets = [0, 0, 0]; // of the batch's A, B and C
  let out: Float64Array | null = null;
  const allocate = () => (out ??= output(size));
  for (let t = 0; t < outer; t++) {
    gemm(
      heap,
      { ptr: aPtr + offsets[0] * 8, batch: batch(as), rows: aRow, cols: aCol },
      { ptr: bPtr + offsets[1] * 8, batch: batch(bs), rows: bRow, cols: bCol },
      { ptr: cPtr + offsets[2] * 8, batch: batch(cs), rows: p, cols: 1 },
      n, p, m, inner, allocate,
    );
    advance(index, dims, last, layout.strides, offsets);
  }
  return new TensorData(heap.takeInto(allocate(), cPtr), outShape);
}
