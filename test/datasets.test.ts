/**
 * Datasets: the 2-D point sets follow minitorch's label rules and are reproducible under a seed; MNIST
 * gives real digits with the right shapes, range and classes, interleaved, and a test split that never
 * overlaps the train split.
 */
import { describe, expect, it } from "vitest";
import { Generator, MiniTorchError, datasets, manualSeed } from "../src";

const rows = (d: datasets.Points2d): [number, number][] => {
  const xs = d.X.toFlat();
  return Array.from({ length: d.n }, (_, i) => [xs[2 * i], xs[2 * i + 1]]);
};

const rules: Record<string, (x0: number, x1: number) => boolean> = {
  simple: (x0) => x0 < 0.5,
  diag: (x0, x1) => x0 + x1 < 0.5,
  split: (x0) => x0 < 0.2 || x0 > 0.8,
  xor: (x0, x1) => (x0 < 0.5 && x1 > 0.5) || (x0 > 0.5 && x1 < 0.5),
  circle: (x0, x1) => (x0 - 0.5) ** 2 + (x1 - 0.5) ** 2 > 0.1,
};

describe("2-D datasets", () => {
  for (const [name, rule] of Object.entries(rules)) {
    it(`${name}: n uniform points in the unit square, labelled by minitorch's rule`, () => {
      const d = datasets.POINTS_DATASETS[name as keyof typeof datasets.POINTS_DATASETS](200, new Generator(7));
      expect(d.name).toBe(name);
      expect(d.n).toBe(200);
      expect(d.X.shape).toEqual([200, 2]);
      expect(d.y.shape).toEqual([200]);
      const labels = d.y.toFlat();
      rows(d).forEach(([a, b], i) => {
        expect(a >= 0 && a < 1 && b >= 0 && b < 1).toBe(true);
        expect(labels[i]).toBe(rule(a, b) ? 1 : 0);
      });
      expect(new Set(labels)).toEqual(new Set([0, 1])); // both classes present at n = 200
    });
  }

  it("are reproducible: same seed, same data; the global generator follows manualSeed", () => {
    expect(datasets.xor(50, new Generator(3)).X.toFlat()).toEqual(datasets.xor(50, new Generator(3)).X.toFlat());
    expect(datasets.xor(50, new Generator(3)).X.toFlat()).not.toEqual(datasets.xor(50, new Generator(4)).X.toFlat());
    manualSeed(11);
    const a = datasets.circle(30).X.toFlat();
    manualSeed(11);
    expect(datasets.circle(30).X.toFlat()).toEqual(a);
  });

  it("draw x0 then x1 per point from the generator, as minitorch's make_pts", () => {
    const g = new Generator(5);
    const expected = Array.from({ length: 8 }, () => g.random());
    expect(datasets.simple(4, new Generator(5)).X.toFlat()).toEqual(expected);
  });

  it("spiral: two deterministic spirals of n/2 points, minitorch's formula", () => {
    const d = datasets.spiral(100);
    expect(d.X.shape).toEqual([100, 2]);
    expect(d.y.toFlat()).toEqual([...Array(50).fill(0), ...Array(50).fill(1)]);
    const pts = rows(d);
    const t = (10 * 5) / 50; // i = 5 first
    expect(pts[0][0]).toBeCloseTo((t * Math.cos(t)) / 20 + 0.5, 15);
    expect(pts[0][1]).toBeCloseTo((t * Math.sin(t)) / 20 + 0.5, 15);
    // the second spiral is the first one's mirror: (y(-t), x(-t)) = (t sin t / 20, -t cos t / 20)
    expect(pts[50][0]).toBeCloseTo((t * Math.sin(t)) / 20 + 0.5, 15);
    expect(pts[50][1]).toBeCloseTo((-t * Math.cos(t)) / 20 + 0.5, 15);
    expect(datasets.spiral(100).X.toFlat()).toEqual(d.X.toFlat());
  });

  it("reject bad sizes", () => {
    expect(() => datasets.xor(0)).toThrow(new MiniTorchError("xor: n must be an integer >= 1, got the number 0"));
    expect(() => datasets.simple(2.5)).toThrow("simple: n must be an integer >= 1, got the number 2.5");
    expect(() => datasets.circle("50" as unknown as number))
      .toThrow(`circle: n must be an integer >= 1, got a string "50"`);
    expect(() => datasets.diag(5, 7 as unknown as Generator))
      .toThrow("diag: generator must be a Generator (new Generator(seed)), got the number 7");
    expect(() => datasets.spiral(7)).toThrow("spiral: n must be even (n/2 points per spiral), got 7");
  });
});

describe("mnist", () => {
  it("gives [n, 1, 28, 28] images in [0, 1] with labels 0..9 interleaved", () => {
    const { images, labels, ids } = datasets.mnist({ count: 30 });
    expect(images.shape).toEqual([30, 1, 28, 28]);
    expect(labels.shape).toEqual([30]);
    expect(labels.toFlat()).toEqual(Array.from({ length: 30 }, (_, i) => i % 10));
    expect(ids).toHaveLength(30);
    const px = images.toFlat();
    expect(px.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(Math.max(...px)).toBeGreaterThan(0.9); // real strokes, not blank images
    // each image has some ink and some background
    for (let i = 0; i < 30; i++) {
      const img = px.slice(i * 784, (i + 1) * 784);
      expect(img.filter((v) => v > 0.5).length).toBeGreaterThan(20);
      expect(img.filter((v) => v === 0).length).toBeGreaterThan(300);
    }
  });

  it("is deterministic, and offsets select consecutive non-overlapping batches", () => {
    const all = datasets.mnist({ count: 40 });
    const a = datasets.mnist({ count: 20 });
    const b = datasets.mnist({ count: 20, offset: 20 });
    expect([...a.ids, ...b.ids]).toEqual(all.ids);
    expect([...a.images.toFlat(), ...b.images.toFlat()]).toEqual(all.images.toFlat());
  });

  it("shuffle permutes the same digits, reproducibly under a seed", () => {
    const plain = datasets.mnist({ count: 50, offset: 10 });
    const s1 = datasets.mnist({ count: 50, offset: 10, shuffle: true, generator: new Generator(1) });
    const s2 = datasets.mnist({ count: 50, offset: 10, shuffle: true, generator: new Generator(1) });
    expect(s1.ids).toEqual(s2.ids);
    expect(s1.ids).not.toEqual(plain.ids);
    expect([...s1.ids].sort()).toEqual([...plain.ids].sort());
    // labels follow their images
    s1.ids.forEach((id, i) => expect(s1.labels.toFlat()[i]).toBe(Math.floor(id / 10000)));
  });

  it("train and test splits never share an image, by id and by pixels", () => {
    const train = datasets.mnist({ split: "train", count: 7630 });
    const test = datasets.mnist({ split: "test", count: 1000 });
    expect(new Set(test.labels.toFlat())).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const trainIds = new Set(train.ids);
    expect(trainIds.size).toBe(7630);
    expect(test.ids.some((id) => trainIds.has(id))).toBe(false);
    const key = (px: Float64Array, i: number) => px.subarray(i * 784, (i + 1) * 784).join(",");
    const trainPx = train.images.storage;
    const testPx = test.images.storage;
    const seen = new Set(Array.from({ length: 7630 }, (_, i) => key(trainPx, i)));
    expect(Array.from({ length: 1000 }, (_, i) => key(testPx, i)).filter((k) => seen.has(k))).toEqual([]);
  });

  it("rejects batches past the end of a split and bad arguments", () => {
    expect(() => datasets.mnist({ count: 7631 })).toThrow(
      new MiniTorchError("mnist: the train split holds 7630 digits; offset 0 + count 7631 goes past its end"));
    expect(() => datasets.mnist({ split: "test", offset: 990, count: 20 })).toThrow(
      "mnist: the test split holds 1000 digits; offset 990 + count 20 goes past its end");
    expect(() => datasets.mnist({ count: 0 })).toThrow("mnist: count must be an integer >= 1, got the number 0");
    expect(() => datasets.mnist({ split: "val" as datasets.MnistSplit }))
      .toThrow('mnist: split must be "train" or "test", got a string "val"');
    expect(() => datasets.mnist({ cout: 10 } as datasets.MnistOptions))
      .toThrow("mnist: unknown option cout (known: count, offset, split, shuffle, generator)");
    expect(() => datasets.mnist({ offset: -1 })).toThrow("mnist: offset must be an integer >= 0, got the number -1");
    expect(() => datasets.mnist({ shuffle: 1 as unknown as boolean }))
      .toThrow("mnist: shuffle must be true or false, got the number 1");
  });
});
