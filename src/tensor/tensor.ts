/**
 * The Tensor: strided data plus the autodiff bookkeeping, with PyTorch's method names in camelCase
 * (TypeScript has no operator overloading, so `a.add(b)` stands for `a + b`).
 */
import { backpropagate, Variable } from "../autodiff/backprop";
import { noGrad } from "../autodiff/grad-mode";
import { check, fmtShape } from "../errors";
import { TensorData } from "../data/tensor-data";
import { Shape, ShapeArgs, normalizeDim, reducedShape, shapeArgs, shapeBroadcast } from "../data/shape";
import { History, unbroadcast } from "./function";
import * as F from "./functions";
import { formatTensor } from "./format";

/** A tensor or a plain number (wrapped as a 0-dim tensor), accepted wherever an op takes a second operand. */
export type TensorLike = Tensor | number;
/** What toArray returns: nested arrays of numbers (a number for a 0-dim tensor). */
export type NestedArray = number | NestedArray[];

let nextId = 0;

export class Tensor implements Variable<Tensor> {
  readonly id = nextId++;
  /** Gradient accumulated by backward() on a leaf that requires grad. */
  grad: Tensor | null = null;
  private leafRequiresGrad = false;

  constructor(
    readonly data: TensorData,
    readonly history: History | null = null,
  ) {}

  /** Wraps a number as a 0-dim tensor; tensors pass through. */
  static of(x: TensorLike): Tensor {
    return x instanceof Tensor ? x : new Tensor(new TensorData(Float64Array.of(x), []));
  }

  get shape(): Shape {
    return this.data.shape;
  }
  get strides(): Shape {
    return this.data.strides;
  }
  get storage(): Float64Array {
    return this.data.storage;
  }
  get size(): number {
    return this.data.size;
  }
  get dims(): number {
    return this.data.dims;
  }

  // ---- autodiff -------------------------------------------------------------------------------

  /** True for leaves marked with requiresGrad_ and for every value computed from one. */
  get requiresGrad(): boolean {
    return this.history !== null || this.leafRequiresGrad;
  }

  /** Marks a leaf as a parameter whose .grad backward() fills (PyTorch's requires_grad_). */
  requiresGrad_(flag = true): this {
    check(this.history === null, "requiresGrad_", () =>
      "only leaf tensors can change requiresGrad; use detach() to make a leaf from a computed tensor");
    this.leafRequiresGrad = flag;
    return this;
  }

  get parents(): readonly Tensor[] {
    return this.history === null ? [] : this.history.inputs.filter((t) => t.requiresGrad);
  }

  isLeaf(): boolean {
    return this.history === null;
  }

  *chainRule(d: Tensor): Iterable<readonly [Tensor, Tensor]> {
    if (this.history === null) return;
    const { inputs, backward } = this.history;
    const grads = backward(d);
    for (let i = 0; i < inputs.length; i++) {
      const g = grads[i];
      if (inputs[i].requiresGrad && g !== null) yield [inputs[i], unbroadcast(g, inputs[i].shape)];
    }
  }

  accumulateDerivative(d: Tensor): void {
    if (!this.leafRequiresGrad) return;
    // A fresh copy: backward may hand the same gradient tensor to several leaves (add's [g, g]), and each
    // leaf's .grad must be its own tensor, as in PyTorch, so writing one never changes another.
    this.grad = this.grad === null ? noGrad(() => F.copy([d])) : noGrad(() => (this.grad as Tensor).add(d));
  }

  /** Backpropagates from this tensor; without `grad` it must hold a single value (a loss). */
  backward(grad?: TensorLike): void {
    check(this.requiresGrad, "backward", () =>
      "this tensor does not require grad: no input was marked with requiresGrad_()");
    if (grad === undefined) {
      check(this.size === 1, "backward", () =>
        `grad can be implicitly created only for a single-value tensor, but this one has shape ${fmtShape(this.shape)}; pass backward(gradient)`);
    }
    const seed = grad === undefined ? 1 : grad;
    const d = noGrad(() => Tensor.of(seed).add(new Tensor(TensorData.zeros(this.shape))));
    check(d.dims === this.dims && d.shape.every((s, i) => s === this.shape[i]), "backward", () =>
      `gradient of shape ${fmtShape(Tensor.of(seed).shape)} does not match the tensor's shape ${fmtShape(this.shape)}`);
    noGrad(() => backpropagate<Tensor>(this, d, (a, b) => a.add(b)));
  }

  /** The same values with no history: gradients stop here. */
  detach(): Tensor {
    return new Tensor(this.data);
  }

  // ---- elementwise ------------------------------------------------------------------------------

  add(b: TensorLike): Tensor {
    return this.zip("add", F.add, b);
  }
  sub(b: TensorLike): Tensor {
    return this.zip("sub", F.sub, b);
  }
  mul(b: TensorLike): Tensor {
    return this.zip("mul", F.mul, b);
  }
  div(b: TensorLike): Tensor {
    return this.zip("div", F.div, b);
  }
  /** 1 where this < b, else 0 (no gradient). */
  lt(b: TensorLike): Tensor {
    return this.zip("lt", F.lt, b);
  }
  gt(b: TensorLike): Tensor {
    return this.zip("gt", F.gt, b);
  }
  eq(b: TensorLike): Tensor {
    return this.zip("eq", F.eq, b);
  }
  /** 1 where |this - b| <= 1e-8 + 1e-5 |b| (torch.isclose's defaults), else 0. */
  isClose(b: TensorLike): Tensor {
    return this.zip("isClose", F.isClose, b);
  }
  /** True when every element is close to b's, |a - b| <= atol + rtol |b| (torch.allclose; NaN is never
   * close): what notebook asserts use. */
  allClose(b: TensorLike, rtol = 1e-5, atol = 1e-8): boolean {
    const other = Tensor.of(b);
    return noGrad(() => {
      const diff = this.sub(other).toFlat();
      const ref = other.add(this.mul(0)).toFlat(); // other, broadcast to the common shape
      return diff.every((d, i) => Math.abs(d) <= atol + rtol * Math.abs(ref[i]));
    });
  }
  neg(): Tensor {
    return F.neg(this);
  }
  exp(): Tensor {
    return F.exp(this);
  }
  log(): Tensor {
    return F.log(this);
  }
  sigmoid(): Tensor {
    return F.sigmoid(this);
  }
  relu(): Tensor {
    return F.relu(this);
  }
  /** |x|; its derivative is sign(x) (0 at the kink). */
  abs(): Tensor {
    return F.abs(this);
  }
  /** Elementwise power by a constant exponent. */
  pow(exponent: number): Tensor {
    check(Number.isFinite(exponent), "pow", () => `exponent must be a finite number, got ${exponent}`);
    return F.pow(this, exponent);
  }

  private zip(name: string, fn: (a: Tensor, b: Tensor) => Tensor, b: TensorLike): Tensor {
    const other = Tensor.of(b);
    shapeBroadcast(this.shape, other.shape, name); // throws naming the op and both shapes
    return fn(this, other);
  }

  // ---- reductions -------------------------------------------------------------------------------

  /** Sum of all elements, or along `dim` (removed unless keepdim, as in PyTorch). */
  sum(dim?: number, keepdim = false): Tensor {
    return this.reduce("sum", F.sum, dim, keepdim);
  }
  /** Mean of all elements, or along `dim`. */
  mean(dim?: number, keepdim = false): Tensor {
    const n = dim === undefined ? this.size : this.shape[normalizeDim(dim, this.dims, "mean")];
    return this.sum(dim, keepdim).div(n);
  }
  /** Max of all elements, or along `dim`; its gradient goes only to the (first) argmax. */
  max(dim?: number, keepdim = false): Tensor {
    check(this.size > 0, "max", () => `cannot take the max of an empty tensor of shape ${fmtShape(this.shape)}`);
    return this.reduce("max", F.max, dim, keepdim);
  }

  private reduce(
    name: string,
    fn: (inputs: [Tensor], dim: number, outShape: Shape) => Tensor,
    dim: number | undefined,
    keepdim: boolean,
  ): Tensor {
    if (dim === undefined) {
      const all = fn([this.contiguous().view(this.size)], 0, []);
      return keepdim ? all.view(...this.shape.map(() => 1)) : all;
    }
    const d = normalizeDim(dim, this.dims, name);
    const outShape = keepdim ? reducedShape(this.shape, d) : this.shape.filter((_, i) => i !== d);
    return fn([this], d, outShape);
  }

  // ---- shapes -----------------------------------------------------------------------------------

  /** Matrix product (batched, broadcasting leading dims); 1-D operands act as a row / column vector. */
  matmul(b: Tensor): Tensor {
    check(this.dims >= 1 && b.dims >= 1, "matmul", () =>
      `both operands need at least 1 dim, got ${fmtShape(this.shape)} and ${fmtShape(b.shape)}`);
    const a2 = this.dims === 1 ? this.view(1, this.size) : this;
    const b2 = b.dims === 1 ? b.view(b.size, 1) : b;
    const [n, m] = a2.shape.slice(-2);
    const [m2, p] = b2.shape.slice(-2);
    check(m === m2, "matmul", () =>
      `inner dimensions differ: ${fmtShape(this.shape)} @ ${fmtShape(b.shape)} (${m} vs ${m2})`);
    const batch = shapeBroadcast(a2.shape.slice(0, -2), b2.shape.slice(0, -2), "matmul");
    const out = F.matmul([a2, b2], [...batch, n, p]);
    if (this.dims > 1 && b.dims > 1) return out;
    const keep = [...batch, ...(this.dims > 1 ? [n] : []), ...(b.dims > 1 ? [p] : [])];
    return out.view(...keep);
  }

  /** A new shape over the same storage (contiguous tensors only: "View(4, 2) makes strides (2, 1)"). */
  view(...shape: ShapeArgs): Tensor {
    return F.view([this], shapeArgs(shape));
  }
  /** Reorders dims: O(1), shares storage, usually leaves the tensor non-contiguous. */
  permute(...order: ShapeArgs): Tensor {
    const o = shapeArgs(order).map((d) => normalizeDim(d, this.dims, "permute"));
    return F.permute([this], o);
  }
  /** Swaps two dims (default: the last two). */
  transpose(dim0 = -2, dim1 = -1): Tensor {
    check(this.dims >= 2, "transpose", () => `needs at least 2 dims, got shape ${fmtShape(this.shape)}`);
    const [a, b] = [normalizeDim(dim0, this.dims, "transpose"), normalizeDim(dim1, this.dims, "transpose")];
    const order = this.shape.map((_, i) => (i === a ? b : i === b ? a : i));
    return this.permute(...order);
  }
  /** All dims reversed, as PyTorch's .T (the transpose of a matrix). */
  T(): Tensor {
    return this.permute(...this.shape.map((_, i) => this.dims - 1 - i));
  }
  /** This tensor if already contiguous, else a row-major copy (the only op that copies). */
  contiguous(): Tensor {
    return this.data.isContiguous() ? this : F.copy([this]);
  }
  isContiguous(): boolean {
    return this.data.isContiguous();
  }
  /** Inserts a dim of size 1 at `dim`. */
  unsqueeze(dim: number): Tensor {
    const d = normalizeDim(dim, this.dims + 1, "unsqueeze");
    const shape = [...this.shape];
    shape.splice(d, 0, 1);
    return this.contiguous().view(...shape);
  }

  // ---- element access ---------------------------------------------------------------------------

  /** The element at a full index, e.g. t.get(0, 1). */
  get(...index: number[]): number {
    return this.data.get(index);
  }
  /** Writes one element in place (no gradient is tracked for in-place writes). */
  set(index: number | readonly number[], value: number): void {
    this.data.set(typeof index === "number" ? [index] : index, value);
  }
  /** The single value of a one-element tensor. */
  item(): number {
    check(this.size === 1, "item", () => `only one-element tensors convert to a number, got shape ${fmtShape(this.shape)}`);
    return this.data.get(this.shape.map(() => 0));
  }
  /** Elements in row-major order as a plain array. */
  toFlat(): number[] {
    const c = this.contiguous().data;
    return Array.from(c.storage.subarray(c.offset, c.offset + c.size));
  }
  /** Nested arrays in the tensor's shape (a number for a 0-dim tensor). */
  toArray(): NestedArray {
    const flat = this.toFlat();
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.dims) return flat[offset];
      const inner = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * inner));
    };
    return build(0, 0);
  }

  toString(): string {
    return formatTensor(this);
  }
}
