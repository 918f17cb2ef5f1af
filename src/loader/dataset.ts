/** Datasets as torch.utils.data has them: anything with a length and an indexed get (__len__ and
 * __getitem__), and TensorDataset, the rows of a few tensors that share their first dim. */
import { check, checkInteger, fmtShape } from "../errors";
import { Tensor } from "../tensor/tensor";
import { checkTensor } from "../tensor/args";

/** A map-style dataset: `length` examples, example i from get(i). */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
}

/** torch.utils.data.TensorDataset: example i is row i of every tensor, e.g. [image, label]. */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    check(tensors.length > 0, "TensorDataset", () => "needs at least one tensor, e.g. new TensorDataset(X, y)");
    tensors.forEach((t, i) => {
      checkTensor(t, "TensorDataset", `tensor ${i}`);
      check(t.dims >= 1, "TensorDataset", () => `tensor ${i} is a scalar (shape []); each needs one row per example`);
      check(t.shape[0] === tensors[0].shape[0], "TensorDataset", () =>
        `every tensor needs the same first dim (one row per example): tensor 0 has shape ` +
        `${fmtShape(tensors[0].shape)}, tensor ${i} ${fmtShape(t.shape)}`);
    });
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Row `index` of every tensor (views of the rows, no copy; gradients flow back as in PyTorch). */
  get(index: number): Tensor[] {
    checkInteger(index, "TensorDataset", "index", 0);
    check(index < this.length, "TensorDataset", () => `index ${index} is out of range for ${this.length} examples`);
    return this.tensors.map((t) => t.select(0, index));
  }
}
