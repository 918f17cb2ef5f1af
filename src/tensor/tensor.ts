/**
 * The Tensor: strided data plus the autodiff bookkeeping, with PyTorch's method names in camelCase
 * (TypeScript has no operator overloading, so `a.add(b)` stands for `a + b`). Every method checks its
 * arguments at run time (notebooks are not type-checked strictly) before it computes or changes anything.
 */
import { backpropagate, topologicalSort, Variable } from "../autodiff/backprop";
import { noGrad } from "../autodiff/grad-mode";
import { check, checkInteger, checkNumber, checkOptions, fmtShape } from "../errors";
import { TensorData } from "../data/tensor-data";
import { Shape, ShapeArgs, normalizeDim, sameShape, shapeArgs, shapeBroadcast, stridesFromShape } from "../data/shape";
import * as ops from "../ops/operators";
import { checkBoolean, checkTensor, tensorOrNumber } from "./args";
import { History, unbroadcast } from "./function";
import * as F from "./functions";
import * as I from "./indexing";
import * as V from "./views";
import * as R from "./reductions";
import type { ValuesIndices, VarOptions } from "./reductions";
import { formatTensor } from "./format";

/** A tensor or a plain number (wrapped as a 0-dim tensor), accepted wherever an op takes a second operand. */
export type TensorLike = Tensor | number;
/** What toArray returns: nested arrays of numbers (a number for a 0-dim tensor). */
export type NestedArray = number | NestedArray[];
/** Options of backward(): retainGraph keeps the saved values so the graph can be backpropagated again. */
export interface BackwardOptions {
  retainGraph?: boolean;
}

let nextId = 0;

export class Tensor implements Variable<Tensor> {
  readonly id = nextId++;
  private leafRequiresGrad = false;
  private gradValue: Tensor | null = null;
  private keepsGrad = false;
  private warnedGrad = false;

  constructor(
    readonly data: TensorData,
    readonly history: History | null = null,
  ) {}

  /** Wraps a number as a 0-dim tensor; tensors pass through; anything else throws. */
  static of(x: TensorLike): Tensor {
    return tensorOrNumber(x, "Tensor.of", "value");
  }

  get shape(): Shape {
    return this.data.shape;
  }
  get strides(): Shape {
    return this.data.strides;
  }
  /** The whole storage this tensor is a view of (shared with its views). */
  get storage(): Float64Array {
    return this.data.storage;
  }
  /** Where this view starts in its storage (torch's storage_offset()). */
  storageOffset(): number {
    return this.data.offset;
  }
  get size(): number {
    return this.data.size;
  }
  get dims(): number {
    return this.data.dims;
  }
  /** How many in-place changes its storage has had (torch's _version): backward checks it. */
  get version(): number {
    return this.data.version;
  }

  // ---- autodiff -------------------------------------------------------------------------------

  /** True for leaves marked with requiresGrad_ and for every value computed from one. */
  get requiresGrad(): boolean {
    return this.history !== null || this.leafRequiresGrad;
  }

  /** Marks a leaf as a parameter whose .grad backward() fills (PyTorch's requires_grad_). */
  requiresGrad_(flag = true): this {
    checkBoolean(flag, "requiresGrad_", "flag");
    check(this.history === null, "requiresGrad_", () =>
      "only leaf tensors can change requiresGrad; use detach() to make a leaf from a computed tensor");
    this.leafRequiresGrad = flag;
    return this;
  }

  /** The gradient backward() accumulated: on leaves that require grad, and on other tensors that called
   * retainGrad(). Reading it on any other computed tensor warns, once, why it is null (as PyTorch does). */
  get grad(): Tensor | null {
    if (this.history !== null && !this.keepsGrad && !this.warnedGrad) {
      this.warnedGrad = true;
      console.warn(
        `grad: this tensor is not a leaf (it was made by ${this.history.name}), so backward() does not keep ` +
          "its .grad and it stays null; call retainGrad() on it before backward() to keep it, " +
          "or read .grad on the leaves");
    }
    return this.gradValue;
  }
  set grad(g: Tensor | null) {
    check(g === null || g instanceof Tensor, "grad", () => "can only be set to a Tensor or null");
    this.gradValue = g;
  }

  /** Makes backward() keep this computed tensor's gradient in .grad too (torch's retain_grad). */
  retainGrad(): this {
    this.keepsGrad = this.requiresGrad;
    check(this.keepsGrad, "retainGrad", () => "this tensor does not require grad, so it never gets a gradient");
    return this;
  }
  /** Whether backward() fills this tensor's .grad. */
  get retainsGrad(): boolean {
    return this.history === null ? this.leafRequiresGrad : this.keepsGrad;
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
    if (!this.retainsGrad) return;
    // A fresh copy: backward may hand the same gradient tensor to several leaves (add's [g, g]), and each
    // leaf's .grad must be its own tensor, as in PyTorch, so writing one never changes another.
    this.gradValue = noGrad(() => (this.gradValue === null ? V.copy([d]) : this.gradValue.add(d)));
  }

  /**
   * Backpropagates from this tensor: backward() for a single value (a loss), backward(gradient) otherwise,
   * and an options object { retainGraph: true } (first or second argument) to keep the graph for another
   * backward. Before any gradient is written it checks that the graph was not freed by an earlier backward
   * and that no saved tensor was changed in place; afterwards it frees the graph unless retained.
   */
  backward(gradient?: TensorLike | BackwardOptions, options: BackwardOptions = {}): void {
    const optionsFirst =
      typeof gradient === "object" && gradient !== null && !(gradient instanceof Tensor) && !Array.isArray(gradient);
    const opts = optionsFirst ? gradient : options;
    checkOptions(opts, "backward", ["retainGraph"]);
    const retain = opts.retainGraph ?? false;
    checkBoolean(retain, "backward", "retainGraph");
    const given = optionsFirst || gradient === undefined ? undefined : tensorOrNumber(gradient, "backward", "gradient");
    check(this.requiresGrad, "backward", () =>
      "this tensor does not require grad: no input was marked with requiresGrad_()");
    check(given !== undefined || this.size === 1, "backward", () =>
      "grad can be implicitly created only for a single-value tensor, but this one has shape " +
        `${fmtShape(this.shape)}; pass backward(gradient)`);
    const seed = given ?? Tensor.of(1);
    check(sameShape(shapeBroadcast(seed.shape, this.shape, "backward"), this.shape), "backward", () =>
      `gradient of shape ${fmtShape(seed.shape)} does not match the tensor's shape ${fmtShape(this.shape)}`);
    const graph = topologicalSort<Tensor>(this) as Tensor[];
    for (const node of graph) node.history?.ctx.checkUsable();
    const d = noGrad(() => seed.add(new Tensor(TensorData.zeros(this.shape))));
    noGrad(() => backpropagate<Tensor>(this, d, (a, b) => a.add(b)));
    if (!retain) for (const node of graph) node.history?.ctx.free();
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
  /** 1 where this < b, else 0 (no gradient history, as PyTorch's bool results). */
  lt(b: TensorLike): Tensor {
    return this.zip("lt", F.compare(ops.lt), b);
  }
  /** 1 where this <= b, else 0. */
  le(b: TensorLike): Tensor {
    return this.zip("le", F.compare(ops.le), b);
  }
  /** 1 where this > b, else 0. */
  gt(b: TensorLike): Tensor {
    return this.zip("gt", F.compare(ops.gt), b);
  }
  /** 1 where this >= b, else 0. */
  ge(b: TensorLike): Tensor {
    return this.zip("ge", F.compare(ops.ge), b);
  }
  /** 1 where this == b, else 0. */
  eq(b: TensorLike): Tensor {
    return this.zip("eq", F.compare(ops.eq), b);
  }
  /** 1 where this != b, else 0. */
  ne(b: TensorLike): Tensor {
    return this.zip("ne", F.compare(ops.ne), b);
  }
  /** 1 where |this - b| <= 1e-8 + 1e-5 |b| (torch.isclose's defaults), else 0. */
  isClose(b: TensorLike): Tensor {
    return this.zip("isClose", F.compare(ops.isClose), b);
  }
  /** True when every element is close to b's, |a - b| <= atol + rtol |b| (torch.allclose; NaN is never
   * close): what notebook asserts use. */
  allClose(b: TensorLike, rtol = 1e-5, atol = 1e-8): boolean {
    const other = tensorOrNumber(b, "allClose");
    checkNumber(rtol, "allClose", "rtol");
    checkNumber(atol, "allClose", "atol");
    shapeBroadcast(this.shape, other.shape, "allClose");
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
  /** Square root; d/dx = 1 / (2 sqrt x). */
  sqrt(): Tensor {
    return F.sqrt(this);
  }
  sin(): Tensor {
    return F.sin(this);
  }
  cos(): Tensor {
    return F.cos(this);
  }
  /** Elementwise power: a number exponent (d/dx = n x^(n-1)) or a tensor of exponents, which then gets a
   * gradient too (d/dn = x^n ln x). */
  pow(exponent: TensorLike): Tensor {
    if (typeof exponent !== "number") return this.zip("pow", F.powTensor, exponent, "exponent");
    checkNumber(exponent, "pow", "exponent");
    return F.pow(this, exponent);
  }
  /** Limits every element to [min, max] (either bound may be left out with undefined or null); the
   * gradient flows where the input is within the bounds. */
  clamp(min?: number | null, max?: number | null): Tensor {
    return F.clamp(this, min, max);
  }

  private zip(name: string, fn: (a: Tensor, b: Tensor) => Tensor, b: unknown, arg = "other"): Tensor {
    const other = tensorOrNumber(b, name, arg);
    shapeBroadcast(this.shape, other.shape, name); // throws naming the op and both shapes
    return fn(this, other);
  }

  // ---- reductions -------------------------------------------------------------------------------

  /** Sum of all elements, or along `dim` (removed unless keepdim, as in PyTorch). */
  sum(dim?: number, keepdim = false): Tensor {
    return R.sum(this, dim, keepdim);
  }
  /** Mean of all elements, or along `dim`. */
  mean(dim?: number, keepdim = false): Tensor {
    return R.mean(this, dim, keepdim);
  }
  /** Max of all elements, or along `dim`; its gradient goes only to the (first) maximum. For the indices
   * too, use maxWithIndices(dim). */
  max(dim?: number, keepdim = false): Tensor {
    return R.extreme(this, "max", false, dim, keepdim).values;
  }
  /** Min of all elements, or along `dim`; its gradient goes only to the (first) minimum. */
  min(dim?: number, keepdim = false): Tensor {
    return R.extreme(this, "min", true, dim, keepdim).values;
  }
  /** PyTorch's `values, indices = t.max(dim)`: `const { values, indices } = t.maxWithIndices(dim)`. */
  maxWithIndices(dim: number, keepdim = false): ValuesIndices {
    checkInteger(dim, "maxWithIndices", "dim");
    return R.extreme(this, "maxWithIndices", false, dim, keepdim);
  }
  /** PyTorch's `values, indices = t.min(dim)`. */
  minWithIndices(dim: number, keepdim = false): ValuesIndices {
    checkInteger(dim, "minWithIndices", "dim");
    return R.extreme(this, "minWithIndices", true, dim, keepdim);
  }
  /** Index of the (first) maximum along `dim`, or in the flattened tensor (no gradient, as in PyTorch). */
  argmax(dim?: number, keepdim = false): Tensor {
    return R.argExtreme(this, "argmax", false, dim, keepdim);
  }
  /** Index of the (first) minimum along `dim`, or in the flattened tensor. */
  argmin(dim?: number, keepdim = false): Tensor {
    return R.argExtreme(this, "argmin", true, dim, keepdim);
  }
  /** Variance, sum (x - mean)^2 / (N - correction), with PyTorch's default correction 1 (unbiased). */
  var(dim?: number, keepdim = false, options: VarOptions = {}): Tensor {
    return R.variance(this, "var", dim, keepdim, options);
  }
  /** Standard deviation: the square root of var() (same options). */
  std(dim?: number, keepdim = false, options: VarOptions = {}): Tensor {
    return R.variance(this, "std", dim, keepdim, options).sqrt();
  }
  /** log(sum(exp(x))) along `dim` (or of all elements), shifted by the max so no exp overflows. */
  logsumexp(dim?: number, keepdim = false): Tensor {
    return R.logsumexp(this, dim, keepdim);
  }

  // ---- shapes and views ---------------------------------------------------------------------------

  /** Matrix product (batched, broadcasting leading dims); 1-D operands act as a row / column vector. */
  matmul(b: Tensor): Tensor {
    checkTensor(b, "matmul", "other");
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

  /** The same elements under a new shape, over the same storage (one dim may be -1). Works on any
   * contiguous tensor, and on a strided one when no new dim spans dims apart in storage; else use reshape. */
  view(...shape: ShapeArgs): Tensor {
    return V.view([this], shapeArgs(shape));
  }
  /** view() when the strides allow it (no copy), else a copy with the new shape. */
  reshape(...shape: ShapeArgs): Tensor {
    const { shape: resolved, strides } = this.data.viewLayout(shapeArgs(shape), "reshape");
    return V.view([strides === null ? V.copy([this]) : this], resolved);
  }
  /** Merges dims startDim..endDim into one (all of them by default), as reshape does. */
  flatten(startDim = 0, endDim = -1): Tensor {
    if (this.dims === 0) return this.reshape(1);
    const s = normalizeDim(startDim, this.dims, "flatten", "startDim");
    const e = normalizeDim(endDim, this.dims, "flatten", "endDim");
    check(s <= e, "flatten", () => `startDim ${startDim} comes after endDim ${endDim}`);
    return this.reshape(...this.shape.slice(0, s), -1, ...this.shape.slice(e + 1));
  }
  /** Removes `dim` if its size is 1, or every dim of size 1 when no dim is given (a view). */
  squeeze(dim?: number): Tensor {
    const d = dim === undefined ? undefined : normalizeDim(dim, this.dims, "squeeze");
    return this.view(...this.shape.filter((n, i) => n !== 1 || (d !== undefined && i !== d)));
  }
  /** Inserts a dim of size 1 at `dim` (a view). */
  unsqueeze(dim: number): Tensor {
    const d = normalizeDim(dim, this.dims + 1, "unsqueeze");
    return this.view(...this.shape.slice(0, d), 1, ...this.shape.slice(d));
  }
  /** Repeats dims of size 1 (and adds leading dims) to reach `shape`, with stride 0: broadcasting made
   * visible, no copy (-1 keeps a dim). Its gradient sums over the repeats. */
  expand(...shape: ShapeArgs): Tensor {
    return V.expand([this], shapeArgs(shape));
  }
  /** Reorders dims: O(1), shares storage, usually leaves the tensor non-contiguous. */
  permute(...order: ShapeArgs): Tensor {
    const o = shapeArgs(order).map((d) => normalizeDim(d, this.dims, "permute"));
    return V.permute([this], o);
  }
  /** Swaps two dims (default: the last two). */
  transpose(dim0 = -2, dim1 = -1): Tensor {
    check(this.dims >= 2, "transpose", () => `needs at least 2 dims, got shape ${fmtShape(this.shape)}`);
    const [a, b] = [normalizeDim(dim0, this.dims, "transpose"), normalizeDim(dim1, this.dims, "transpose")];
    return this.permute(...this.shape.map((_, i) => (i === a ? b : i === b ? a : i)));
  }
  /** All dims reversed, as PyTorch's .T (the transpose of a matrix). */
  T(): Tensor {
    return this.permute(...this.shape.map((_, i) => this.dims - 1 - i));
  }
  /** This tensor if already contiguous, else a row-major copy. */
  contiguous(): Tensor {
    return this.data.isContiguous() ? this : V.copy([this]);
  }
  /** A copy in fresh storage that stays in the graph (gradients flow back to this tensor). */
  clone(): Tensor {
    return V.copy([this]);
  }
  isContiguous(): boolean {
    return this.data.isContiguous();
  }
  /** Python's t[start:end:step] along `dim` (negative bounds count from the end; bounds are clamped):
   * a view whose offset moves to start and whose stride is multiplied by step. */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    return V.slice([this], dim, start ?? 0, end ?? Infinity, step);
  }
  /** `length` elements of `dim` from `start` (torch.narrow): a view. */
  narrow(dim: number, start: number, length: number): Tensor {
    return V.narrow([this], dim, start, length);
  }
  /** Element `index` of `dim`, with that dim removed: t.select(0, i) is row i (t[i] in PyTorch). A view. */
  select(dim: number, index: number): Tensor {
    return V.select([this], dim, index);
  }
  /** Pieces of `size` along dim (the last may be smaller), or of the given sizes: views. */
  split(size: number | readonly number[], dim = 0): Tensor[] {
    return I.split(this, size, dim);
  }
  /** `chunks` pieces along dim of ceil(size / chunks) each (fewer when they run out): views. */
  chunk(chunks: number, dim = 0): Tensor[] {
    return I.chunk(this, chunks, dim);
  }

  // ---- indexing -----------------------------------------------------------------------------------

  /** out[i][j] = this[index[i][j]][j] for dim 0 (this[i][index[i][j]] for dim 1): index has this tensor's
   * dims, holds whole numbers, and is no larger than it outside `dim`. */
  gather(dim: number, index: Tensor): Tensor {
    return I.gather(this, dim, index);
  }
  /** The entries `index` (a 1-D tensor of whole numbers) of `dim`, in that order: a copy. */
  indexSelect(dim: number, index: Tensor): Tensor {
    return I.indexSelect(this, dim, index);
  }
  /** `value` where mask is nonzero, this tensor's element elsewhere; mask broadcasts to this shape. */
  maskedFill(mask: Tensor, value: number): Tensor {
    return I.maskedFill(this, mask, value);
  }

  // ---- element access ---------------------------------------------------------------------------

  /** The element at a full index, e.g. t.get(0, 1). */
  get(...index: number[]): number {
    return this.data.get(index);
  }
  /** Writes one element in place (an in-place change: a backward that saved this tensor will refuse). */
  set(index: number | readonly number[], value: number): void {
    check(typeof value === "number", "set", () => `value must be a number, got ${String(value)}`);
    this.data.set(typeof index === "number" ? [index] : index, value);
  }
  /** The single value of a one-element tensor. */
  item(): number {
    check(this.size === 1, "item", () =>
      `only one-element tensors convert to a number, got shape ${fmtShape(this.shape)}`);
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
    const strides = stridesFromShape(this.shape);
    const build = (dim: number, offset: number): NestedArray =>
      dim === this.dims
        ? flat[offset]
        : Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * strides[dim]));
    return build(0, 0);
  }

  /** PyTorch's printout, `tensor([1., 2.], grad_fn=<MulBackward>)`; subclasses (Parameter) override it. */
  toString(): string {
    return formatTensor(this);
  }
  /** What console.log and a notebook cell's value show: toString(), never the internals. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
