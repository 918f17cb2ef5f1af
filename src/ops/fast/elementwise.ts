/**
 * Fast map and zip: the reference kernels' loops, but over a collapsed layout (layout.ts) with an
 * odometer for the outer dims and a tight inner loop, and no per-element index arithmetic. Each scalar
 * function gets its own copy of the loop once it is used twice (specialize.ts).
 */
import { TensorData } from "../../data/tensor-data";
import { Shape, stridesFromShape } from "../../data/shape";
import type { Binary, Unary } from "../operators";
import { broadcastStrides, collapse } from "./layout";
import { Advance, LoopCache, advance } from "./specialize";

// The last two dims form the inner block, so the odometer steps once per block rather than once per
// row: tile's permuted copies have rows of only kw elements.

/** o[oOff + i] = fn(x[...]) for the i-th element, in row-major order of `shape`. */
function mapLoop(
  fn: Unary, o: Float64Array, oOff: number, x: Float64Array, xOff: number, shape: number[], xs: number[], step: Advance,
): void {
  const d = shape.length;
  if (d === 0) {
    o[oOff] = fn(x[xOff]);
    return;
  }
  const n = shape[d - 1], sx = xs[d - 1];
  const m = d >= 2 ? shape[d - 2] : 1, sx2 = d >= 2 ? xs[d - 2] : 0;
  let outer = 1;
  for (let k = 0; k < d - 2; k++) outer *= shape[k];
  const index = new Int32Array(d);
  const offsets = [xOff];
  for (let t = 0, p = oOff; t < outer; t++) {
    for (let i = 0, row = offsets[0]; i < m; i++, row += sx2, p += n) {
      if (sx === 1) for (let j = 0; j < n; j++) o[p + j] = fn(x[row + j]);
      else for (let j = 0, q = row; j < n; j++, q += sx) o[p + j] = fn(x[q]);
    }
    step(index, shape, d - 2, [xs], offsets);
  }
}

/** o[oOff + i] = fn(x[...], y[...]). */
function zipLoop(
  fn: Binary, o: Float64Array, oOff: number, x: Float64Array, xOff: number, y: Float64Array, yOff: number,
  shape: number[], xs: number[], ys: number[], step: Advance,
): void {
  const d = shape.length;
  if (d === 0) {
    o[oOff] = fn(x[xOff], y[yOff]);
    return;
  }
  const n = shape[d - 1], sx = xs[d - 1], sy = ys[d - 1];
  const m = d >= 2 ? shape[d - 2] : 1, sx2 = d >= 2 ? xs[d - 2] : 0, sy2 = d >= 2 ? ys[d - 2] : 0;
  let outer = 1;
  for (let k = 0; k < d - 2; k++) outer *= shape[k];
  const index = new Int32Array(d);
  const offsets = [xOff, yOff];
  for (let t = 0, p = oOff; t < outer; t++) {
    for (let i = 0, xr = offsets[0], yr = offsets[1]; i < m; i++, xr += sx2, yr += sy2, p += n) {
      if (sx === 1 && sy === 1) for (let j = 0; j < n; j++) o[p + j] = fn(x[xr + j], y[yr + j]);
      else if (sx === 1 && sy === 0) {
        const c = y[yr];
        for (let j = 0; j < n; j++) o[p + j] = fn(x[xr + j], c);
      } else if (sx === 0 && sy === 1) {
        const c = x[xr];
        for (let j = 0; j < n; j++) o[p + j] = fn(c, y[yr + j]);
      } else for (let j = 0, q = xr, r = yr; j < n; j++, q += sx, r += sy) o[p + j] = fn(x[q], y[r]);
    }
    step(index, shape, d - 2, [xs, ys], offsets);
  }
}

const mapLoops = new LoopCache<Unary, typeof mapLoop>(mapLoop);
const zipLoops = new LoopCache<Binary, typeof zipLoop>(zipLoop);

/** Writes fn(a) broadcast to `shape` into o[oOff ...] (dense, row-major). */
export function mapInto(fn: Unary, o: Float64Array, oOff: number, a: TensorData, shape: Shape): void {
  const { shape: dims, strides } = collapse(shape, [broadcastStrides(a, shape)]);
  mapLoops.get(fn)(fn, o, oOff, a.storage, 0, dims, strides[0], advance);
}

/** Writes fn(a, b) over the broadcast `shape` into o[oOff ...] (dense, row-major). */
export function zipInto(fn: Binary, o: Float64Array, oOff: number, a: TensorData, b: TensorData, shape: Shape): void {
  const { shape: dims, strides } = collapse(shape, [broadcastStrides(a, shape), broadcastStrides(b, shape)]);
  zipLoops.get(fn)(fn, o, oOff, a.storage, 0, b.storage, 0, dims, strides[0], strides[1], advance);
}

/** The zip loop over raw operands: reductions use it to fold one slice into an accumulator. */
export function zipRaw(
  fn: Binary, o: Float64Array, x: Float64Array, y: Float64Array, yOff: number, shape: Shape, ys: number[],
): void {
  const { shape: dims, strides } = collapse(shape, [stridesFromShape(shape), ys]);
  zipLoops.get(fn)(fn, o, 0, x, 0, y, yOff, dims, strides[0], strides[1], advance);
}

/** The identity, one function object so its copy loop is specialised once. */
export const identity: Unary = (x) => x;
/** Row-major copy of any view into o[oOff ...]: how tensors enter the wasm heap and leave permuted. */
export function gatherInto(o: Float64Array, oOff: number, a: TensorData): void {
  if (a.isContiguous()) o.set(a.storage.subarray(0, a.size), oOff);
  else mapInto(identity, o, oOff, a, a.shape);
}
