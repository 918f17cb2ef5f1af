/**
 * Loops specialised per scalar function. A kernel loop calls its scalar function once per element; a
 * loop shared by many functions calls them through one megamorphic call site that V8 cannot inline (a
 * few ns per element). So once a function has been used twice it gets its own copy of the loop,
 * compiled from the loop's source with `new Function`, whose call site only ever sees that function and
 * is inlined by the JIT. The first use, and closures made afresh per call (pow's), run a shared copy.
 */

/** The outer-dims odometer of the loops: after each inner run, step the outer dims like a car's
 * odometer, moving each operand's offset by that dim's stride and rewinding the dims that wrap around.
 * YSTEP / YREWIND are where a second operand's offset moves. */
export const ODOMETER = `
    for (let k = d - 2; k >= 0; k--) {
      xOff += xs[k];
      YSTEP
      if (++idx[k] < shape[k]) break;
      xOff -= xs[k] * shape[k];
      YREWIND
      idx[k] = 0;
    }`;

let serial = 0;
/** Compiles `source` as a fresh function (a unique comment defeats V8's cache of identical sources,
 * which would share the call-site feedback we want separate) and closes it over `fn`. */
function compile<L>(source: string, fn: unknown): L {
  return new Function("fn", `"use strict"; // kernel ${serial++}\n${source}`)(fn) as L;
}

/** Specialised loops per scalar function, made on a function's second use. `source` is a function
 * body that returns the loop and calls the scalar function as `fn`. */
export class LoopCache<F extends object, L> {
  private readonly loops = new WeakMap<F, L>();
  private readonly uses = new WeakMap<F, number>();
  private readonly shared: (fn: F) => L;

  constructor(private readonly source: string) {
    // The shared loop reads the function from a variable set before each call: one call site for all.
    const shared = new Function(`"use strict"; let fn = null;
      const loop = (function () { ${source} })();
      return { set(f) { fn = f; }, loop };`)() as { set(f: F): void; loop: L };
    this.shared = (fn: F) => {
      shared.set(fn);
      return shared.loop;
    };
  }

  get(fn: F): L {
    const loop = this.loops.get(fn);
    if (loop !== undefined) return loop;
    const uses = (this.uses.get(fn) ?? 0) + 1;
    this.uses.set(fn, uses);
    if (uses < 2) return this.shared(fn);
    const made = compile<L>(this.source, fn);
    this.loops.set(fn, made);
    return made;
  }
}

