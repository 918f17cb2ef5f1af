/**
 * Differentiable functions: a forward that computes with backend kernels and saves what its backward
 * needs, and a backward that maps the output's gradient to one gradient per input. `defineFunction`
 * wraps such a pair so that calling it records the graph (minitorch's `Function.apply`).
 */
import { Context } from "../autodiff/context";
import { isGradEnabled, noGrad } from "../autodiff/grad-mode";
import { TensorData } from "../data/tensor-data";
import { Shape, sameShape } from "../data/shape";
import { backend } from "../ops/backend";
import { add } from "../ops/operators";
import { Tensor } from "./tensor";

/** A gradient per input; null where the input is not differentiable (comparisons, labels). */
export type Grads = readonly (Tensor | null)[];

export interface FunctionDef<I extends readonly Tensor[], P extends readonly unknown[], S extends readonly unknown[]> {
  readonly name: string;
  forward(ctx: Context<S>, inputs: I, ...params: P): TensorData;
  /** May return gradients with a broadcast (larger) shape: `unbroadcast` sums them back. */
  backward(ctx: Context<S>, grad: Tensor): Grads;
}

/** How a non-leaf tensor was made: the function, its saved context and its inputs. */
export class History {
  constructor(
    readonly name: string,
    readonly backward: (grad: Tensor) => Grads,
    readonly inputs: readonly Tensor[],
    /** The saved values backward reads; backward() checks and frees it. */
    readonly ctx: Context = new Context(name),
  ) {}
}

/** Turns a forward/backward pair into a callable op that records History when any input needs grad. */
export function defineFunction<I extends readonly Tensor[], P extends readonly unknown[], S extends readonly unknown[]>(
  def: FunctionDef<I, P, S>,
): (inputs: I, ...params: P) => Tensor {
  return (inputs, ...params) => {
    const record = isGradEnabled() && inputs.some((t) => t.requiresGrad);
    const ctx = new Context<S>(def.name);
    ctx.needsInputGrad = inputs.map((t) => t.requiresGrad);
    const data = noGrad(() => def.forward(ctx, inputs, ...params));
    const history = record ? new History(def.name, (g) => noGrad(() => def.backward(ctx, g)), inputs, ctx) : null;
    return new Tensor(data, history);
  };
}

/** Sums a broadcast gradient back to the input's shape: over added leading dims and over dims that
 * were 1 in the input. The one place unbroadcasting happens. */
export function unbroadcast(grad: Tensor, shape: Shape): Tensor {
  if (sameShape(grad.shape, shape)) return grad;
  const offset = grad.dims - shape.length;
  let data = grad.data;
  for (let i = 0; i < grad.dims; i++) {
    if (i < offset || (shape[i - offset] === 1 && data.shape[i] !== 1)) data = backend().reduce(add, 0, data, i);
  }
  return new Tensor(data.view(shape)); // reduce outputs are fresh and contiguous
}
