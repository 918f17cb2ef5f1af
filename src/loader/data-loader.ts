/**
 * torch.utils.data.DataLoader: iterates over a dataset in mini-batches, `for (const [x, y] of loader)`,
 * each batch the examples stacked along a new first dim. With `shuffle`, every epoch (every new
 * iteration) visits the examples in a fresh order drawn from the seeded generator (manualSeed), each
 * example exactly once; `dropLast` skips a last batch smaller than batchSize.
 */
import { check, checkInteger, checkOptions, describe, fmtShape } from "../errors";
import { Generator, defaultGenerator } from "../data/random";
import { stack } from "../tensor/indexing";
import { Tensor } from "../tensor/tensor";
import { Dataset } from "./dataset";

/** What one example may be: a tensor, or a tuple of tensors (TensorDataset's [x, y]). */
export type Example = Tensor | readonly Tensor[];
/** A batch of examples: the tensors stacked along a new first dim, tuple position by tuple position. */
export type Batch<T extends Example> = T extends Tensor ? Tensor : Tensor[];

/** torch's DataLoader arguments in camelCase. */
export interface DataLoaderOptions {
  /** Examples per batch (default 1). */
  batchSize?: number;
  /** A new random order every epoch (default false: 0, 1, 2, ...). */
  shuffle?: boolean;
  /** Skip the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Where shuffles come from (default: the global generator, seeded by manualSeed, read at each epoch). */
  generator?: Generator;
}

function checkFlag(value: unknown, name: string): asserts value is boolean {
  check(typeof value === "boolean", "DataLoader", () => `${name} must be true or false, got ${describe(value)}`);
}

/** Same-shape tensors joined along a new first dim, as torch.stack(items). */
function stackRows(items: readonly unknown[], what: string): Tensor {
  items.forEach((t, i) => {
    check(t instanceof Tensor, "DataLoader", () => `${what} of batch item ${i} is ${describe(t)}, not a Tensor`);
    check(t.dims === (items[0] as Tensor).dims && t.shape.every((d, k) => d === (items[0] as Tensor).shape[k]),
      "DataLoader", () => `cannot stack ${what}s of shapes ${fmtShape((items[0] as Tensor).shape)} and ` +
        `${fmtShape(t.shape)} into one batch`);
  });
  return stack(items as readonly Tensor[], 0);
}

/** torch's default_collate for tensors: a batch of tensors is one stacked tensor; a batch of tuples is the
 * tuple of stacked positions ([x, y] examples give [X, Y]). */
function collate<T extends Example>(examples: readonly T[]): Batch<T> {
  if (examples[0] instanceof Tensor) return stackRows(examples, "the example") as Batch<T>;
  const tuples = examples as readonly (readonly Tensor[])[];
  check(Array.isArray(tuples[0]), "DataLoader", () =>
    `a dataset's get(i) must return a Tensor or an array of Tensors, got ${describe(tuples[0])}`);
  return tuples[0].map((_, k) => stackRows(tuples.map((e) => e[k]), `element ${k}`)) as Batch<T>;
}

/** Mini-batches of a dataset; iterable any number of times (one pass = one epoch). */
export class DataLoader<T extends Example> implements Iterable<Batch<T>> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator | undefined;

  constructor(readonly dataset: Dataset<T>, options: DataLoaderOptions = {}) {
    check(typeof dataset === "object" && dataset !== null && typeof dataset.get === "function", "DataLoader", () =>
      `expected a dataset (an object with length and get(index), such as new data.TensorDataset(X, y)), ` +
      `got ${describe(dataset)}`);
    checkInteger(dataset.length, "DataLoader", "dataset.length", 0);
    checkOptions(options, "DataLoader", ["batchSize", "shuffle", "dropLast", "generator"]);
    const { batchSize = 1, shuffle = false, dropLast = false, generator } = options;
    checkInteger(batchSize, "DataLoader", "batchSize", 1);
    checkFlag(shuffle, "shuffle");
    checkFlag(dropLast, "dropLast");
    check(generator === undefined || generator instanceof Generator, "DataLoader", () =>
      `generator must be a Generator (new Generator(seed)), got ${describe(generator)}`);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator;
  }

  /** Batches per epoch, as len(loader). */
  get length(): number {
    const n = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** One epoch: the examples' indices in order (or a fresh shuffle), cut into batches and stacked. */
  *[Symbol.iterator](): Iterator<Batch<T>> {
    const n = this.dataset.length;
    const order = this.shuffle ? (this.generator ?? defaultGenerator()).permutation(n) : [...Array(n).keys()];
    for (let start = 0; start < n; start += this.batchSize) {
      const indices = order.slice(start, start + this.batchSize);
      if (this.dropLast && indices.length < this.batchSize) return;
      yield collate(indices.map((i) => this.dataset.get(i)));
    }
  }
}
