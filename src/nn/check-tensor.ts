/**
 * The run-time check that an argument is a Tensor, for nn, optim and the data loader. Notebooks are not
 * type-checked strictly, and a plain array passed where a Tensor belongs otherwise fails deep inside
 * ("reading 'join'"). (Local until the tensor layer's own argument helper lands; then fold into it.)
 */
import { check, describe } from "../errors";
import { Tensor } from "../tensor/tensor";

/** Throws `op: expected a Tensor for arg, got an array [1, 2]; wrap it with tensor([...])` unless
 * `value` is a Tensor. */
export function checkTensor(value: unknown, op: string, arg?: string): asserts value is Tensor {
  check(value instanceof Tensor, op, () => {
    const hint = Array.isArray(value) ? "; wrap it with tensor([...])"
      : typeof value === "number" ? `; wrap it with tensor(${value})` : "";
    return `expected a Tensor${arg === undefined ? "" : ` for ${arg}`}, got ${describe(value)}${hint}`;
  });
}
