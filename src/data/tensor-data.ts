/**
 * Strided storage: a flat Float64Array plus shape and strides. Views (permute, view) are new TensorData
 * over the same storage; nothing here copies except `contiguous`-style kernels elsewhere.
 */
import { check, fmtShape } from "../errors";
import { Shape, Strides, indexToPosition, isContiguousLayout, shapeSize, stridesFromShape, checkShape } from "./shape";

export type Storage = Float64Array;

export class TensorData {
  readonly storage: Storage;
  readonly shape: Shape;
  readonly strides: Strides;
  readonly size: number;

  constructor(storage: Storage, shape: Shape, strides: Strides = stridesFromShape(shape)) {
    checkShape(shape, "TensorData");
    check(strides.length === shape.length, "TensorData", () =>
      `strides ${fmtShape(strides)} and shape ${fmtShape(shape)} have different lengths`);
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze([...strides]);
    this.size = shapeSize(shape);
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

  /** Storage position of a full index, with bounds checks that name the offending dim. */
  position(index: readonly number[], op = "index"): number {
    check(index.length === this.shape.length, op, () =>
      `got ${index.length} indices for a tensor of shape ${fmtShape(this.shape)}`);
    index.forEach((v, i) =>
      check(Number.isInteger(v) && v >= 0 && v < this.shape[i], op, () =>
        `index ${fmtShape(index)} is out of range for shape ${fmtShape(this.shape)} (dim ${i})`));
    return indexToPosition(index, this.strides);
  }

  get(index: readonly number[]): number {
    return this.storage[this.position(index, "get")];
  }

  set(index: readonly number[], value: number): void {
    this.storage[this.position(index, "set")] = value;
  }

  /** Reorders dimensions by permuting shape and strides: O(1), shares storage. */
  permute(order: readonly number[]): TensorData {
    const sorted = [...order].sort((a, b) => a - b);
    check(order.length === this.dims && sorted.every((d, i) => d === i), "permute", () =>
      `order ${fmtShape(order)} is not a permutation of the ${this.dims} dims of shape ${fmtShape(this.shape)}`);
    return new TensorData(this.storage, order.map((d) => this.shape[d]), order.map((d) => this.strides[d]));
  }

  /** Reinterprets contiguous storage with a new shape (one dim may be -1): O(1), shares storage. */
  view(shape: Shape): TensorData {
    const op = "view";
    check(this.isContiguous(), op, () =>
      `tensor of shape ${fmtShape(this.shape)} with strides ${fmtShape(this.strides)} is not contiguous; call contiguous() first`);
    const free = shape.filter((d) => d === -1).length;
    check(free <= 1 && shape.every((d) => Number.isInteger(d) && d >= -1), op, () =>
      `bad shape ${fmtShape(shape)} (non-negative integers, at most one -1)`);
    const known = shapeSize(shape.filter((d) => d !== -1));
    const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : this.size / known) : d));
    check(shapeSize(resolved) === this.size && resolved.every(Number.isInteger), op, () =>
      `shape ${fmtShape(shape)} is invalid for a tensor of ${this.size} elements (shape ${fmtShape(this.shape)})`);
    return new TensorData(this.storage, resolved);
  }
}
