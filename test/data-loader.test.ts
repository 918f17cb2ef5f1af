/**
 * data.TensorDataset and data.DataLoader: batches are the stacked rows, every index once per epoch in
 * order or shuffled, dropLast, determinism under manualSeed or a Generator, a fresh order each epoch,
 * training through a loader, and the argument errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Generator, Tensor, arange, data, manualSeed, nn, optim, randn, tensor } from "../src";
import { expectError } from "./support/errors";
import { fcOptions } from "./support/gradcheck";

/** A dataset whose example i is ([i, 10 i], i): the batch contents say which indices came. */
const indexed = (n: number) => new data.TensorDataset(arange(n).view(n, 1).mul(tensor([1, 10])), arange(n));

/** The example indices of each batch of one epoch. */
const epoch = (loader: data.DataLoader<Tensor[]>): number[][] => [...loader].map(([, y]) => y.toFlat());

describe("TensorDataset", () => {
  it("example i is row i of every tensor; length is the shared first dim", () => {
    const ds = indexed(5);
    expect(ds.length).toBe(5);
    const [x, y] = ds.get(3);
    expect(x.toFlat()).toEqual([3, 30]);
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(3);
  });

  it("rejects tensors of different lengths, non-tensors, and bad indices", () => {
    expectError(() => new data.TensorDataset(randn(3, 2), randn(4)),
      "TensorDataset: every tensor needs the same first dim", "[3,2]", "[4]");
    expectError(() => new data.TensorDataset(randn(3), [1, 2, 3] as unknown as Tensor),
      "TensorDataset: expected a Tensor for tensor 1, got an array [1, 2, 3]");
    expectError(() => new data.TensorDataset(), "TensorDataset: needs at least one tensor");
    expectError(() => new data.TensorDataset(randn(3), tensor(1)),
      "TensorDataset: tensor 1 is a scalar (shape []); each needs one row per example");
    expectError(() => indexed(3).get(3), "TensorDataset: index 3 is out of range for 3 examples");
    expectError(() => indexed(3).get(1.5), "TensorDataset: index must be an integer >= 0, got the number 1.5");
  });
});

describe("DataLoader", () => {
  it("batches stacked rows in order; the last batch is smaller unless dropLast", () => {
    const loader = new data.DataLoader(indexed(7), { batchSize: 3 });
    const batches = [...loader];
    expect(batches.map(([x]) => x.shape)).toEqual([[3, 2], [3, 2], [1, 2]]);
    expect(batches[1][0].toArray()).toEqual([[3, 30], [4, 40], [5, 50]]);
    expect(epoch(loader)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(loader.length).toBe(3);
    const dropping = new data.DataLoader(indexed(7), { batchSize: 3, dropLast: true });
    expect(epoch(dropping)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(dropping.length).toBe(2);
    expect(epoch(new data.DataLoader(indexed(6), { batchSize: 3, dropLast: true }))).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it("shuffle: every index once per epoch, for any size and batch size (dropLast: all but the remainder)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), fc.integer(),
      (n, batchSize, dropLast, seed) => {
        const generator = new Generator(seed);
        const loader = new data.DataLoader(indexed(n), { batchSize, shuffle: true, dropLast, generator });
        for (let e = 0; e < 2; e++) {
          const batches = epoch(loader);
          expect(batches.length).toBe(loader.length);
          batches.forEach((b, i) => i < batches.length - 1 || dropLast ? expect(b.length)
            .toBe(batchSize) : expect(b.length).toBeLessThanOrEqual(batchSize));
          const seen = batches.flat();
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen.length).toBe(dropLast ? n - (n % batchSize) : n);
          if (!dropLast) expect([...seen].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
        }
      }), fcOptions(60, 901));
  });

  it("is deterministic under manualSeed, draws a new order every epoch, and a Generator makes it independent", () => {
    const make = () => new data.DataLoader(indexed(20), { batchSize: 4, shuffle: true });
    manualSeed(5);
    const a = make();
    const [a1, a2] = [epoch(a), epoch(a)];
    manualSeed(5);
    const b = make();
    expect([epoch(b), epoch(b)]).toEqual([a1, a2]);
    expect(a2).not.toEqual(a1);
    expect(a1.flat()).not.toEqual([...Array(20).keys()]);
    // its own generator: the global seed does not matter
    const own = (seed: number) =>
      new data.DataLoader(indexed(20), { batchSize: 4, shuffle: true, generator: new Generator(seed) });
    manualSeed(1);
    const c = epoch(own(9));
    manualSeed(2);
    expect(epoch(own(9))).toEqual(c);
  });

  it("batches are built from views of the rows, so gradients reach the dataset's tensors, as in PyTorch", () => {
    const X = randn(5, 2).requiresGrad_();
    const [[xb]] = [...new data.DataLoader(new data.TensorDataset(X), { batchSize: 2 })];
    xb.sum().backward();
    expect((X.grad as Tensor).toArray()).toEqual([[1, 1], [1, 1], [0, 0], [0, 0], [0, 0]]);
  });

  it("a dataset of single tensors gives single stacked tensors; any Dataset works", () => {
    const squares = { length: 5, get: (i: number) => tensor([i, i * i]) };
    const batches = [...new data.DataLoader(squares, { batchSize: 2 })];
    expect(batches.map((b) => b.toArray())).toEqual([[[0, 0], [1, 1]], [[2, 4], [3, 9]], [[4, 16]]]);
  });

  it("trains a classifier through mini-batches", () => {
    manualSeed(11);
    const X = randn(64, 2);
    const y = tensor((X.toArray() as number[][]).map((row) => (row[0] > 0 ? 1 : 0)));
    const loader = new data.DataLoader(new data.TensorDataset(X, y), { batchSize: 16, shuffle: true });
    const model = new nn.Linear(2, 2);
    const opt = new optim.SGD(model.parameters(), { lr: 0.5 });
    const loss = () => nn.crossEntropy(model.forward(X), y).item();
    const before = loss();
    for (let e = 0; e < 10; e++)
      for (const [xb, yb] of loader) {
        opt.zeroGrad();
        nn.crossEntropy(model.forward(xb), yb).backward();
        opt.step();
      }
    expect(loss()).toBeLessThan(before / 3);
  });

  it("rejects bad datasets, options and examples, naming the argument and what came", () => {
    const ds = indexed(4);
    expectError(() => new data.DataLoader([1, 2] as unknown as data.Dataset<Tensor>),
      "DataLoader: expected a dataset", "got an array [1, 2]");
    expectError(() => new data.DataLoader(ds, { batchSize: 0 }),
      "DataLoader: batchSize must be an integer >= 1, got the number 0");
    expectError(() => new data.DataLoader(ds, { batchSize: 2.5 }),
      "DataLoader: batchSize must be an integer >= 1, got the number 2.5");
    expectError(() => new data.DataLoader(ds, { batch_size: 2 } as data.DataLoaderOptions),
      "DataLoader: unknown option batch_size (known: batchSize, shuffle, dropLast, generator)");
    expectError(() => new data.DataLoader(ds, { shuffle: "yes" as unknown as boolean }),
      `DataLoader: shuffle must be true or false, got a string "yes"`);
    expectError(() => new data.DataLoader(ds, { generator: 3 as unknown as Generator }),
      "DataLoader: generator must be a Generator", "got the number 3");
    const ragged = { length: 2, get: (i: number) => tensor(i === 0 ? [1] : [1, 2]) };
    expectError(() => [...new data.DataLoader(ragged, { batchSize: 2 })], "DataLoader: cannot stack", "[1]", "[2]");
    const numbers = { length: 2, get: (i: number) => i as unknown as Tensor };
    expectError(() => [...new data.DataLoader(numbers, { batchSize: 2 })],
      "DataLoader: a dataset's get(i) must return a Tensor or an array of Tensors, got the number 0");
  });
});
