/**
 * Strided storage: a flat Float64Array plus shape, strides and an offset, so that element `index` lives
 * at offset + sum(index * strides). Views (permute, view, slice, narrow, select, expand) are new TensorData
 * over the same storage, made in O(1); nothing here copies.
 */
import { check, checkInteger, describe, fmtShape } from "../errors";
import {
  Shape, Strides, checkShape, indexToPosition, isContiguousLayout, normalizeDim, shapeSize, stridesFromShape,
  viewStrides,
} from "./shape";

export type Storage = Float64Array;

/** How many times each storage was changed in place. Kept per storage, so every view of it shares the
 * count, as PyTorch's version counter is shared by a tensor and its views. */
const versions = new WeakMap<Storage, number>();

export class TensorData {
  readonly storage: Storage;
  readonly shape: Shape;
  readonly strides: Strides;
  /** Position in storage of the element at index 0, ..., 0. */
  readonly offset: number;
  readonly size: number;

  constructor(storage: Storage, shape: Shape, strides: Strides = stridesFromShape(shape), offset = 0) {
    checkShape(shape, "TensorData");
    check(strides.length === shape.length, "TensorData", () =>
      `strides ${fmtShape(strides)} and shape ${fmtShape(shape)} have different lengths`);
    check(Number.isInteger(offset) && offset >= 0, "TensorData", () =>
      `offset must be a non-negative integer, got ${describe(offset)}`);
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze([...strides]);
    this.offset = offset;
    this.size = shapeSize(shape);
    check(this.size === 0 || this.lastPosition() < storage.length, "TensorData", () =>
      `a view of shape ${fmtShape(shape)}, strides ${fmtShape(strides)} and offset ${offset} reaches past the end ` +
        `of its storage of ${storage.length} values`);
  }

  /** A fresh zero-filled contiguous TensorData. */
  static zeros(shape: Shape): TensorData {
    checkShape(shape, "zeros");
    return new TensorData(new Float64Array(shapeSize(shape)), shape);
  }

  get dims(): number {
    return this.shape.length;
  }

  isContiguous(): boolean {
    return isContiguousLayout(this.shape, this.strides);
  }

  /** Number of in-place changes made so far to this storage (through any view of it). */
  get version(): number {
    return versions.get(this.storage) ?? 0;
  }

  /** Records an in-place change, so a backward pass that saved this storage can tell it changed. */
  bumpVersion(): void {
    versions.set(this.storage, this.version + 1);
  }

  private lastPosition(): number {
    return this.shape.reduce((pos, d, i) => pos + (d - 1) * this.strides[i], this.offset);
  }

  /** Storage position of a full index, with bounds checks that name the offending dim. */
  position(index: readonly number[], op = "index"): number {
    check(index.length === this.shape.length, op, () =>
      `got ${index.length} indices for a tensor of shape ${fmtShape(this.shape)}`);
    index.forEach((v, i) =>
      check(Number.isInteger(v) && v >= 0 && v < this.shape[i], op, () =>
        `index ${fmtShape(index)} is out of range for shape ${fmtShape(this.shape)} (dim ${i})`));
    return indexToPosition(index, this.strides, this.offset);
  }

  get(index: readonly number[]): number {
    return this.storage[this.position(index, "get")];
  }

  set(index: readonly number[], value: number): void {
    this.storage[this.position(index, "set")] = value;
    this.bumpVersion();
  }

  /** The same storage seen with another shape, strides and offset. */
  private as(shape: Shape, strides: Strides, offset = this.offset): TensorData {
    return new TensorData(this.storage, shape, strides, offset);
  }

  /** Reorders dimensions by permuting shape and strides: O(1), shares storage. */
  permute(order: readonly number[]): TensorData {
    const sorted = [...order].sort((a, b) => a - b);
    check(order.length === this.dims && sorted.every((d, i) => d === i), "permute", () =>
      `order ${fmtShape(order)} is not a permutation of the ${this.dims} dims of shape ${fmtShape(this.shape)}`);
    return this.as(order.map((d) => this.shape[d]), order.map((d) => this.strides[d]));
  }

  /** The shape with its one -1 resolved from the element count, checked against this tensor's size. */
  resolveShape(shape: Shape, op: string): number[] {
    const free = shape.filter((d) => d === -1).length;
    check(free <= 1 && shape.every((d) => Number.isInteger(d) && d >= -1), op, () =>
      `bad shape ${fmtShape(shape)} (non-negative integers, at most one -1)`);
    const known = shapeSize(shape.filter((d) => d !== -1));
    const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : this.size / known) : d));
    check(shapeSize(resolved) === this.size && resolved.every(Number.isInteger), op, () =>
      `shape ${fmtShape(shape)} is invalid for a tensor of ${this.size} elements (shape ${fmtShape(this.shape)})`);
    return resolved;
  }

  /** Strides for viewing this tensor as `shape` (one dim may be -1), or null when only a copy can. */
  viewLayout(shape: Shape, op: string): { shape: number[]; strides: number[] | null } {
    const resolved = this.resolveShape(shape, op);
    return { shape: resolved, strides: viewStrides(this.shape, this.strides, resolved) };
  }

  /** The same elements in row-major order with a new shape (one dim may be -1): O(1), shares storage.
   * Any contiguous tensor can; a strided one only when no new dim spans dims that are apart in storage. */
  view(shape: Shape): TensorData {
    const layout = this.viewLayout(shape, "view");
    check(layout.strides !== null, "view", () =>
      `cannot view shape ${fmtShape(this.shape)} with strides ${fmtShape(this.strides)} as ${fmtShape(shape)}: ` +
        "a new dim would span dims that are apart in storage (it is not contiguous); " +
        "call reshape() or contiguous() first");
    return this.as(layout.shape, layout.strides);
  }

  /** Elements start, start + step, ... below end along dim, as Python's t[start:end:step] (negative
   * bounds count from the end, out-of-range bounds are clamped, step >= 1): the offset moves to start and
   * the stride grows by step, O(1). */
  slice(dim: number, start = 0, end = Infinity, step = 1, op = "slice"): TensorData {
    const d = normalizeDim(dim, this.dims, op);
    const n = this.shape[d];
    check(typeof start === "number" && (Number.isInteger(start) || Math.abs(start) === Infinity), op, () =>
      `start must be an integer, got ${describe(start)}`);
    check(typeof end === "number" && (Number.isInteger(end) || Math.abs(end) === Infinity), op, () =>
      `end must be an integer, got ${describe(end)}`);
    checkInteger(step, op, "step", 1);
    const clamp = (i: number) => Math.min(n, Math.max(0, i < 0 ? i + n : i));
    const [from, to] = [clamp(start), clamp(end)];
    const shape = [...this.shape];
    const strides = [...this.strides];
    shape[d] = Math.max(0, Math.ceil((to - from) / step));
    strides[d] *= step;
    return this.as(shape, strides, shape[d] === 0 ? this.offset : this.offset + from * this.strides[d]);
  }

  /** `length` elements from `start` along dim (start may be negative; the range must fit): torch.narrow. */
  narrow(dim: number, start: number, length: number): TensorData {
    const d = normalizeDim(dim, this.dims, "narrow");
    const n = this.shape[d];
    checkInteger(start, "narrow", "start");
    checkInteger(length, "narrow", "length", 0);
    const from = start < 0 ? start + n : start;
    check(from >= 0 && from + length <= n, "narrow", () =>
      `start ${start} and length ${length} do not fit in dim ${d} of size ${n} (shape ${fmtShape(this.shape)})`);
    return this.slice(d, from, from + length, 1, "narrow");
  }

  /** The slice at `index` of dim (negative counts from the end), with that dim removed: t.select(0, i) is
   * row i. */
  select(dim: number, index: number): TensorData {
    const d = normalizeDim(dim, this.dims, "select");
    const n = this.shape[d];
    checkInteger(index, "select", "index");
    check(index >= -n && index < n, "select", () =>
      `index ${index} is out of range for dim ${d} of size ${n} (shape ${fmtShape(this.shape)})`);
    const i = index < 0 ? index + n : index;
    const keep = (_: number, k: number) => k !== d;
    return this.as(this.shape.filter(keep), this.strides.filter(keep), this.offset + i * this.strides[d]);
  }

  /** Broadcasting made visible: dims of size 1 (and new leading dims) repeat with stride 0, O(1). -1 keeps
   * a dim's size. */
  expand(shape: Shape): TensorData {
    const lead = shape.length - this.dims;
    const fail = () => `cannot expand shape ${fmtShape(this.shape)} to ${fmtShape(shape)}`;
    check(lead >= 0, "expand", () => `${fail()}: the new shape needs at least ${this.dims} dims`);
    const sizes = shape.map((s, i) => {
      const old = i < lead ? null : this.shape[i - lead];
      check(Number.isInteger(s) && (s >= 0 || (s === -1 && old !== null)), "expand", () =>
        `${fail()}: sizes must be non-negative integers (-1 keeps an existing dim), got ${describe(s)} at dim ${i}`);
      const size = s === -1 ? (old as number) : s;
      check(old === null || old === size || old === 1, "expand", () =>
        `${fail()}: dim ${i} has size ${old}, and only dims of size 1 can expand`);
      return size;
    });
    const repeated = (s: number, i: number) => i < lead || (this.shape[i - lead] === 1 && s !== 1);
    const strides = sizes.map((s, i) => (repeated(s, i) ? 0 : this.strides[i - lead]));
    return this.as(sizes, strides);
  }
}
