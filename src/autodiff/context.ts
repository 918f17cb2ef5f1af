/**
 * What a forward pass leaves for its backward pass: the values it saved (minitorch's `Context`). A context
 * also guards them as PyTorch does: backward() frees it (a second backward through the same graph then
 * raises unless the first kept it with retainGraph), and a saved tensor changed in place since the
 * forward pass (its version moved on) makes backward raise instead of using the new values.
 */
import { MiniTorchError, fmtShape } from "../errors";

/** A saved value whose in-place changes can be detected: Tensor and TensorData both have a version. */
export interface Versioned {
  readonly version: number;
  readonly shape: readonly number[];
}

function isVersioned(value: unknown): value is Versioned {
  return typeof value === "object" && value !== null && typeof (value as { version?: unknown }).version === "number";
}

export class Context<S extends readonly unknown[] = readonly unknown[]> {
  private values: S | null = null;
  /** Which inputs need a gradient (PyTorch's ctx.needs_input_grad): backward may return null for the
   * others instead of computing what nobody reads (a convolution's gradient wrt the images). */
  needsInputGrad: readonly boolean[] = [];
  private versions: (readonly [Versioned, number])[] = [];
  private freed = false;

  /** `name` is the function's, so errors can say which op's saved values are at stake. */
  constructor(readonly name = "function") {}

  /** Called by forward with what backward will need (inputs, outputs, masks). */
  save(...values: S): void {
    this.values = values;
    this.versions = values.filter(isVersioned).map((v) => [v, v.version] as const);
  }

  /** Throws a MiniTorchError if backward can no longer run: the graph was freed by an earlier backward,
   * or a saved tensor was changed in place after the forward pass. */
  checkUsable(): void {
    if (this.freed)
      throw new MiniTorchError(
        `backward: trying to backward through the graph a second time (through ${this.name}), but its saved values ` +
          "were freed by the first backward(); call backward({ retainGraph: true }) the first time to keep them");
    for (const [value, version] of this.versions)
      if (value.version !== version)
        throw new MiniTorchError(
          `backward: a tensor of shape ${fmtShape(value.shape)} that ${this.name} saved for its backward was ` +
            `changed in place after the forward pass (version ${version} then, ${value.version} now), so its ` +
            "gradient would be wrong; recompute the forward pass after changing it, or change a clone() instead");
  }

  /** The saved values; throws if they were freed or changed in place, or if forward saved nothing (a bug
   * in that function). */
  get saved(): S {
    this.checkUsable();
    if (this.values === null)
      throw new Error(`Context: ${this.name}'s backward read saved values that forward never saved`);
    return this.values;
  }

  /** Drops the saved values after a backward pass that does not retain the graph. */
  free(): void {
    this.values = null;
    this.versions = [];
    this.freed = true;
  }
}
