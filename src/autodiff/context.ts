/** What a forward pass leaves for its backward pass: the values it saved (minitorch's `Context`). */
export class Context<S extends readonly unknown[] = readonly unknown[]> {
  private values: S | null = null;
  /** Which inputs need a gradient (PyTorch's ctx.needs_input_grad): backward may return null for the
   * others instead of computing what nobody reads (a convolution's gradient wrt the images). */
  needsInputGrad: readonly boolean[] = [];

  /** Called by forward with what backward will need (inputs, outputs, masks). */
  save(...values: S): void {
    this.values = values;
  }

  /** The saved values; throws if forward saved nothing, which is a bug in that function. */
  get saved(): S {
    if (this.values === null) throw new Error("Context: backward read saved values that forward never saved");
    return this.values;
  }
}
