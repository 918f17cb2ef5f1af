/**
 * Run-time checks of the arguments of Tensor methods and tensor functions. Notebooks are not
 * type-checked strictly, so `t.add([1, 2])` or `t.sum("1")` must fail with a message that names the op,
 * the argument and what came, before anything is computed or changed.
 */
import { MiniTorchError, check, describe, fmtShape } from "../errors";
import { TensorData } from "../data/tensor-data";
import { Tensor } from "./tensor";

function hint(value: unknown): string {
  return Array.isArray(value) ? "; wrap it with tensor([...])" : "";
}

/** The argument as a Tensor: a Tensor passes, a number becomes a 0-dim tensor (so it broadcasts); anything
 * else (an array, a string, undefined) throws naming the op and the argument. */
export function tensorOrNumber(value: unknown, op: string, arg = "other"): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === "number") return new Tensor(new TensorData(Float64Array.of(value), []));
  throw new MiniTorchError(`${op}: expected a Tensor or a number for ${arg}, got ${describe(value)}${hint(value)}`);
}

/** Checks that the argument is a Tensor (where a number would not make sense: matmul, gather's index). */
export function checkTensor(value: unknown, op: string, arg: string): asserts value is Tensor {
  if (!(value instanceof Tensor))
    throw new MiniTorchError(`${op}: expected a Tensor for ${arg}, got ${describe(value)}${hint(value)}`);
}

/** Checks a flag such as keepdim. */
export function checkBoolean(value: unknown, op: string, arg: string): asserts value is boolean {
  check(typeof value === "boolean", op, () => `${arg} must be true or false, got ${describe(value)}`);
}

/** Checks that a tensor holds whole numbers in [0, n): indices into a dim of size n. */
export function checkIndices(index: Tensor, n: number, op: string, arg = "index"): void {
  const bad = index.toFlat().find((v) => !(Number.isInteger(v) && v >= 0 && v < n));
  check(bad === undefined, op, () =>
    `${arg} holds ${bad}, which is not an index into a dim of size ${n} (whole numbers 0..${n - 1})`);
}

/** Checks that every tensor in a list is a Tensor, for the ops that join lists (cat, stack). */
export function checkTensorList(values: unknown, op: string): asserts values is readonly Tensor[] {
  check(Array.isArray(values) && values.length > 0, op, () =>
    `expected a non-empty array of Tensors, got ${describe(values)}`);
  values.forEach((t, i) => checkTensor(t, op, `tensors[${i}]`));
}

/** "same shape except along dim": what cat needs of its inputs. */
export function checkSameShapeExcept(tensors: readonly Tensor[], dim: number, op: string): void {
  const first = tensors[0];
  tensors.forEach((t, i) =>
    check(t.dims === first.dims && t.shape.every((d, k) => k === dim || d === first.shape[k]), op, () =>
      `tensors[${i}] has shape ${fmtShape(t.shape)} but tensors[0] has ${fmtShape(first.shape)}; ` +
        `they must match in every dim but dim ${dim}`));
}
