/**
 * Loops specialised per scalar function, and the odometer they share. A kernel loop calls its scalar
 * function once per element; a loop shared by many functions calls them through one megamorphic call
 * site that V8 cannot inline (a few ns per element). So once a function has been used twice it gets
 * its own copy of the loop, compiled from the loop's source text with `new Function`, whose call site
 * only ever sees that function and is inlined by the JIT. The loops are ordinary, type-checked
 * functions; a copy is made from their text, so they may use only their parameters (the scalar function
 * and the odometer come in as arguments). The first use, and closures made afresh per call (pow's), run
 * the original.
 */

/** The odometer of the loop nests: steps `index` over the first `dims` dims of `shape` to the next
 * position in row-major order, like a car's odometer (the last dim turns fastest; a dim that wraps
 * around rewinds to 0 and carries into the one before), and moves each operand's offset `offsets[k]`
 * along with it by that operand's strides `strides[k]`. */
export function advance(
  index: Int32Array, shape: readonly number[], dims: number, strides: readonly (readonly number[])[], offsets: number[],
): void {
  for (let d = dims - 1; d >= 0; d--) {
    for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][d];
    if (++index[d] < shape[d]) return;
    for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][d] * shape[d];
    index[d] = 0;
  }
}
export type Advance = typeof advance;

let serial = 0;
/** A fresh copy of `loop` from its text (a unique comment defeats V8's cache of identical sources,
 * which would share the call-site feedback we want separate), named after `fn` in profiles. */
function copy<L extends (...args: never[]) => void>(loop: L, fn: object): L {
  const name = `${loop.name}-${(fn as { name?: string }).name || "anonymous"}-${serial++}`;
  return new Function(`"use strict";\nreturn (${loop.toString()});\n//# sourceURL=${name}`)() as L;
}

/** A loop whose first parameter is the scalar function it calls. */
type Loop<F> = (fn: F, ...rest: never[]) => void;

/** Copies of `loop` per scalar function, made on a function's second use. */
export class LoopCache<F extends object, L extends Loop<F>> {
  private readonly loops = new WeakMap<F, L>();
  private readonly uses = new WeakMap<F, number>();

  constructor(private readonly loop: L) {}

  get(fn: F): L {
    const loop = this.loops.get(fn);
    if (loop !== undefined) return loop;
    const uses = (this.uses.get(fn) ?? 0) + 1;
    this.uses.set(fn, uses);
    if (uses < 2) return this.loop;
    const made = copy(this.loop, fn);
    this.loops.set(fn, made);
    return made;
  }
}
