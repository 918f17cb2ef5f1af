/**
 * Two differentiable views that conv and pooling need, kept here until the tensor layer's own land on
 * main (tensor-core's Tensor.slice and stack): then this file goes and its callers use those, which take
 * the same arguments. slice is a view (offset and stride, no copy); stack copies into a tensor with a new
 * dim. Backward of slice writes the gradient into a zero tensor through the same view; backward of stack
 * hands each input its slice of the gradient.
 */
import { Context } from "../autodiff/context";
import { Shape, normalizeDim } from "../data/shape";
import { TensorData } from "../data/tensor-data";
import { tensorMap } from "../ops/kernels";
import { id } from "../ops/operators";
import { defineFunction } from "../tensor/function";
import { Tensor } from "../tensor/tensor";

type SliceArgs = [dim: number, start: number, end: number, step: number];

const sliceApply = defineFunction({
  name: "slice",
  forward: (ctx: Context<[Shape, SliceArgs]>, [a]: [Tensor], ...args: SliceArgs) => {
    ctx.save(a.shape, args);
    return a.data.slice(...args);
  },
  backward: (ctx, grad) => {
    const [shape, args] = ctx.saved;
    const out = TensorData.zeros(shape);
    tensorMap(id, out.slice(...args), grad.data);
    return [new Tensor(out)];
  },
});

/** Elements start, start + step, ... below end along dim (Python's t[start:end:step]), as Tensor.slice. */
export function slice(t: Tensor, dim: number, start = 0, end: number | null = null, step = 1): Tensor {
  return sliceApply([t], dim, start, end ?? Infinity, step);
}

const stackApply = defineFunction({
  name: "stack",
  forward: (ctx: Context<[number]>, ts: Tensor[], dim: number) => {
    ctx.save(dim);
    const shape = [...ts[0].shape];
    shape.splice(dim, 0, ts.length);
    const out = TensorData.zeros(shape);
    ts.forEach((t, i) => tensorMap(id, out.select(dim, i), t.data));
    return out;
  },
  backward: (ctx, grad) => {
    const [dim] = ctx.saved;
    return Array.from({ length: grad.shape[dim] }, (_, i) => new Tensor(grad.data.select(dim, i)));
  },
});

/** Same-shape tensors joined along a new dim, as torch.stack (the caller checks the shapes). */
export function stack(ts: readonly Tensor[], dim = 0): Tensor {
  return stackApply([...ts], normalizeDim(dim, ts[0].dims + 1, "stack"));
}
