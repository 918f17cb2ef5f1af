/**
 * What the figure builders accept as data: plain number arrays (or typed arrays) and tensors, so a
 * lecture cell can plot `x.grad` or a list of losses without converting by hand. Everything is turned
 * into plain nested number arrays here, because that is what plotly's JSON carries.
 */
import { check, fmtShape } from "../errors";
import type { Tensor } from "../tensor/tensor";

/** A 1-D series: numbers, a typed array, or a tensor (any shape, read in row-major order). */
export type Values = ArrayLike<number> | Tensor;
/** A 2-D grid of numbers: rows of numbers, or a tensor of shape [H, W] (or [1, H, W], [1, 1, H, W]). */
export type Matrix = readonly ArrayLike<number>[] | Tensor;
/** Several images: a list or a named record of matrices, or a tensor of shape [N, H, W] or [N, 1, H, W]. */
export type Images = readonly Matrix[] | Readonly<Record<string, Matrix>> | Tensor;

/** True for a Tensor (told apart structurally: the plot layer imports the Tensor type only). */
function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && "shape" in v && typeof (v as Tensor).toFlat === "function";
}

/** A series as a plain number array; `op` and `arg` name the caller in the error message. */
export function toNumbers(v: Values, op: string, arg: string): number[] {
  if (isTensor(v)) return v.toFlat();
  check(isArrayLike(v), op, () => `${arg} must be an array of numbers or a tensor, got ${describe(v)}`);
  const out = Array.from(v);
  const bad = out.findIndex((x) => typeof x !== "number");
  check(bad < 0, op, () => `${arg}[${bad}] must be a number, got ${describe(out[bad])}`);
  return out;
}

/** A matrix as rows of numbers; leading dimensions of size 1 of a tensor are dropped. */
export function toMatrix(m: Matrix, op: string, arg: string): number[][] {
  if (isTensor(m)) {
    const shape = squeezeLeading(m.shape, 2);
    check(shape.length === 2, op, () => `${arg} must be a 2-D tensor [H, W], got shape ${fmtShape(m.shape)}`);
    return rows(m.toFlat(), shape[0], shape[1]);
  }
  check(Array.isArray(m) && m.length > 0, op, () =>
    `${arg} must be a non-empty array of rows or a tensor, got ${describe(m)}`);
  const out = m.map((row, i) => toNumbers(row, op, `${arg}[${i}]`));
  const width = out[0].length;
  const ragged = out.findIndex((row) => row.length !== width);
  check(ragged < 0, op, () =>
    `${arg} must be rectangular: row 0 has ${width} values, row ${ragged} has ${out[ragged].length}`);
  return out;
}

/** Named images: list entries are named by their index, tensor images by their index along dim 0. */
export function toImages(images: Images, op: string, arg: string): [string, number[][]][] {
  if (isTensor(images)) {
    const [n0, c, h0, w0] = images.shape;
    const shape = images.shape.length === 4 && c === 1 ? [n0, h0, w0] : images.shape;
    check(shape.length === 3, op, () =>
      `${arg} must be a tensor [N, H, W] or [N, 1, H, W], got shape ${fmtShape(images.shape)}`);
    const [n, h, w] = shape;
    const flat = images.toFlat();
    return Array.from({ length: n }, (_, i) => [String(i), rows(flat.slice(i * h * w, (i + 1) * h * w), h, w)]);
  }
  const entries: [string, Matrix][] = Array.isArray(images)
    ? images.map((m, i) => [String(i), m])
    : Object.entries(images as Readonly<Record<string, Matrix>>);
  check(entries.length > 0, op, () => `${arg} must hold at least one image`);
  return entries.map(([name, m]) => [name, toMatrix(m, op, `${arg}[${JSON.stringify(name)}]`)]);
}

function rows(flat: number[], h: number, w: number): number[][] {
  return Array.from({ length: h }, (_, i) => flat.slice(i * w, (i + 1) * w));
}

function squeezeLeading(shape: readonly number[], keep: number): readonly number[] {
  let start = 0;
  while (shape.length - start > keep && shape[start] === 1) start++;
  return shape.slice(start);
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === "object" ? (v.constructor?.name ?? "an object") : `${typeof v} ${String(v)}`;
}
