/** Constructors, as in PyTorch: tensor(nested array), zeros, ones, full, arange, and seeded rand/randn. */
import { check, checkInteger, checkNumber, checkOptions, describe, fmtShape } from "../errors";
import { TensorData } from "../data/tensor-data";
import { Shape, ShapeArgs, checkShape, shapeArgs, shapeSize } from "../data/shape";
import { defaultGenerator } from "../data/random";
import { NestedArray, Tensor } from "./tensor";
import { checkBoolean } from "./args";

export interface TensorOptions {
  /** Mark the new tensor as a leaf whose gradient backward() accumulates. */
  requiresGrad?: boolean;
}

/** The requiresGrad option, checked: only known option names, a boolean value. */
function requiresGradOption(options: unknown, op: string): boolean {
  checkOptions(options, op, ["requiresGrad"]);
  const flag = (options as TensorOptions | undefined)?.requiresGrad ?? false;
  checkBoolean(flag, op, "requiresGrad");
  return flag;
}

/** A tensor over `storage` with `shape` (the storage is used, not copied). */
export function fromStorage(storage: Float64Array, shape: Shape, options: TensorOptions = {}): Tensor {
  check(storage instanceof Float64Array, "fromStorage", () =>
    `storage must be a Float64Array, got ${describe(storage)}`);
  checkShape(shape, "fromStorage");
  const requiresGrad = requiresGradOption(options, "fromStorage");
  check(storage.length === shapeSize(shape), "fromStorage", () =>
    `storage has ${storage.length} values but shape ${fmtShape(shape)} needs ${shapeSize(shape)}`);
  return new Tensor(new TensorData(storage, shape)).requiresGrad_(requiresGrad);
}

/** A tensor from (nested) arrays of numbers, e.g. tensor([[1, 2], [3, 4]]); the arrays must be rectangular. */
export function tensor(values: NestedArray, options: TensorOptions = {}): Tensor {
  const requiresGrad = requiresGradOption(options, "tensor");
  const shape: number[] = [];
  for (let v = values; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat: number[] = [];
  const walk = (v: NestedArray, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      check(typeof v === "number", "tensor", () => `expected a number at index ${fmtShape(path)}, got ${describe(v)}`);
      flat.push(v as number);
      return;
    }
    check(Array.isArray(v) && v.length === shape[dim], "tensor", () =>
      `ragged nested array at index ${fmtShape(path)}: expected ${shape[dim]} items like the first row, ` +
        `got ${Array.isArray(v) ? v.length : describe(v)}`);
    (v as NestedArray[]).forEach((item, i) => walk(item, dim + 1, [...path, i]));
  };
  walk(values, 0, []);
  return fromStorage(Float64Array.from(flat), shape, { requiresGrad });
}

function filled(op: string, shape: number[], value: (i: number) => number): Tensor {
  checkShape(shape, op);
  const storage = new Float64Array(shapeSize(shape));
  for (let i = 0; i < storage.length; i++) storage[i] = value(i);
  return fromStorage(storage, shape);
}

export function zeros(...shape: ShapeArgs): Tensor {
  return filled("zeros", shapeArgs(shape), () => 0);
}
export function ones(...shape: ShapeArgs): Tensor {
  return filled("ones", shapeArgs(shape), () => 1);
}
export function full(shape: Shape, value: number): Tensor {
  checkShape(shape, "full");
  check(typeof value === "number", "full", () => `value must be a number, got ${describe(value)}`);
  return filled("full", [...shape], () => value);
}
/** Uniform samples in [0, 1) from the seeded generator (see manualSeed). */
export function rand(...shape: ShapeArgs): Tensor {
  const g = defaultGenerator();
  return filled("rand", shapeArgs(shape), () => g.random());
}
/** Standard normal samples from the seeded generator (see manualSeed). */
export function randn(...shape: ShapeArgs): Tensor {
  const g = defaultGenerator();
  return filled("randn", shapeArgs(shape), () => g.normal());
}
/** arange(end) or arange(start, end, step = 1): evenly spaced values in [start, end). */
export function arange(startOrEnd: number, end?: number, step = 1): Tensor {
  const [start, stop] = end === undefined ? [0, startOrEnd] : [startOrEnd, end];
  checkNumber(start, "arange", "start");
  checkNumber(stop, "arange", "end");
  check(step !== 0 && Number.isFinite(step), "arange", () =>
    `step must be a non-zero finite number, got ${describe(step)}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  return filled("arange", [n], (i) => start + i * step);
}

/** linspace(start, end, steps): `steps` evenly spaced values from start to end inclusive (torch.linspace),
 * the x grid of every curve the notebooks plot. */
export function linspace(start: number, end: number, steps: number): Tensor {
  checkNumber(start, "linspace", "start");
  checkNumber(end, "linspace", "end");
  checkInteger(steps, "linspace", "steps", 0);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  return filled("linspace", [steps], (i) => (i === steps - 1 && steps > 1 ? end : start + i * delta));
}
