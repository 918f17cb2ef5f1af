/**
 * Shapes and strides: the arithmetic that turns a multi-dimensional index into a position in flat
 * storage (minitorch module 2). Everything here works on plain number arrays so kernels can reuse
 * preallocated index buffers instead of allocating per element.
 */
import { check, checkInteger, describe, fmtShape } from "../errors";

export type Shape = readonly number[];
export type Strides = readonly number[];
/** A writable index buffer: kernels allocate one per call and reuse it for every element. */
export type Index = Int32Array | number[];

/** Number of elements of a shape (1 for a scalar shape []). */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (contiguous) strides: the last dimension moves fastest, so View(4, 2) makes strides (2, 1). */
export function stridesFromShape(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** position = offset + sum_i index[i] * strides[i]: where element `index` lives in storage. The offset is
 * where the view starts (0 for a fresh tensor; a slice such as t[1:] starts further in). */
export function indexToPosition(index: ArrayLike<number>, strides: Strides, offset = 0): number {
  let pos = offset;
  for (let i = 0; i < strides.length; i++) pos += index[i] * strides[i];
  return pos;
}

/** Inverse of enumerating a contiguous tensor: writes into `outIndex` the index of the `ordinal`-th
 * element of `shape` in row-major order. */
export function toIndex(ordinal: number, shape: Shape, outIndex: Index): void {
  let rest = ordinal;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i];
    outIndex[i] = rest % d;
    rest = Math.floor(rest / d);
  }
}

/** True when two shapes are equal dim by dim (the one "same shape" test of the library). */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy/PyTorch broadcasting: align shapes on the right; each pair of dims must match or one be 1. */
export function shapeBroadcast(a: Shape, b: Shape, op = "broadcast"): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    check(da === db || da === 1 || db === 1, op, () =>
      `shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast (dim ${i} of the result: ${da} vs ${db})`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Maps an index of the (bigger) broadcast shape to the index of a smaller tensor: leading dims are
 * dropped and dims of size 1 read position 0. */
export function broadcastIndex(bigIndex: ArrayLike<number>, bigShape: Shape, shape: Shape, outIndex: Index): void {
  const offset = bigShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) outIndex[i] = shape[i] === 1 ? 0 : bigIndex[i + offset];
}

/** True when strides are exactly the row-major strides of the shape (dims of size 1 may have any stride),
 * i.e. storage order is element order and a view may reinterpret it. */
export function isContiguousLayout(shape: Shape, strides: Strides): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

/**
 * Strides that let `newShape` view the elements of a tensor with `shape` and `strides` in the same
 * row-major order, or null when no strides can (then reshape must copy). Dims are taken in chunks
 * that are contiguous among themselves; a chunk may be re-split freely, but no view dim may span two
 * chunks (PyTorch's computeStride). A contiguous tensor is one chunk, so it can take any shape.
 */
export function viewStrides(shape: Shape, strides: Strides, newShape: Shape): number[] | null {
  if (shapeSize(shape) === 0 || shape.length === 0) return stridesFromShape(newShape);
  const out = new Array<number>(newShape.length);
  let viewDim = newShape.length - 1;
  let chunkStride = strides[strides.length - 1];
  let [chunkSize, viewSize] = [1, 1];
  for (let d = shape.length - 1; d >= 0; d--) {
    chunkSize *= shape[d];
    const chunkEnds = d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== chunkSize * chunkStride);
    if (!chunkEnds) continue;
    while (viewDim >= 0 && (viewSize < chunkSize || newShape[viewDim] === 1)) {
      out[viewDim] = viewSize * chunkStride;
      viewSize *= newShape[viewDim--];
    }
    if (viewSize !== chunkSize) return null;
    if (d > 0) [chunkStride, chunkSize, viewSize] = [strides[d - 1], 1, 1];
  }
  return viewDim === -1 ? out : null;
}

/** The shape a reduction along `dim` keeps: `dim` set to 1, so the result still broadcasts against the input. */
export function reducedShape(shape: Shape, dim: number): number[] {
  return shape.map((d, i) => (i === dim ? 1 : d));
}

/** Turns a possibly negative dim into 0..dims-1, or throws naming the op and the argument. */
export function normalizeDim(dim: unknown, dims: number, op: string, arg = "dim"): number {
  checkInteger(dim, op, arg);
  check(dim >= -dims && dim < dims, op, () =>
    `${arg} ${dim} is out of range for a tensor with ${dims} dims (expected ${-dims}..${dims - 1})`);
  return dim < 0 ? dim + dims : dim;
}

/** Rest arguments of a shape: both call styles PyTorch users know, f(2, 3) and f([2, 3]). */
export type ShapeArgs = number[] | [Shape];

/** Flattens ShapeArgs to one array of numbers. */
export function shapeArgs(args: ShapeArgs): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? [...args[0]] : [...(args as number[])];
}

/** Validates a shape given by a user: an array of non-negative integers. */
export function checkShape(shape: unknown, op: string): asserts shape is Shape {
  check(Array.isArray(shape), op, () => `shape must be an array of sizes, got ${describe(shape)}`);
  const bad = shape.find((d) => !(Number.isInteger(d) && d >= 0));
  check(bad === undefined, op, () =>
    `shape ${fmtShape(shape)} must contain non-negative integers, got ${describe(bad)}`);
}
