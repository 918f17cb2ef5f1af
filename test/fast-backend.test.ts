// The fast backend (src/ops/fast) against the reference backend on seeded random inputs: contiguous,
// permuted (non-contiguous) and broadcast operands, sizes on both sides of the thresholds where the
// wasm kernels take over, and worker threads on and off. Tolerance: 1e-9, relative to max(1, |ref|)
// (float64; the fast kernels sum in a different order and use their own exp, so bits may differ).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Generator } from "../src/data/random";
import { TensorData } from "../src/data/tensor-data";
import { Backend, backend, referenceBackend, useBackend } from "../src/ops/backend";
import * as op from "../src/ops/operators";
import { fastBackend } from "../src/ops/fast";
import { parallelJobCount } from "../src/ops/fast/threads";
import { wasmHeap } from "../src/ops/fast/wasm";
import { tensor } from "../src/tensor/create";
import { Tensor } from "../src/tensor/tensor";
import * as nn from "../src/nn";

const TOL = 1e-9;
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const startingBackend = backend();
const gen = new Generator(5);

function rand(shape: number[], scale = 3): TensorData {
  const n = size(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = (gen.random() * 2 - 1) * scale;
  return new TensorData(data, shape);
}

/** Largest |fast - ref| / max(1, |ref|) over all elements, after checking shapes agree. */
function gap(fast: TensorData, ref: TensorData): number {
  expect(fast.shape).toEqual(ref.shape);
  const [f, r] = [referenceBackend.map(op.id, fast), referenceBackend.map(op.id, ref)];
  let worst = 0;
  for (let i = 0; i < r.size; i++) {
    const a = f.storage[i];
    const b = r.storage[i];
    if (Number.isNaN(b) || b === a) {
      expect(Number.isNaN(a) || a === b).toBe(true);
      continue;
    }
    worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(b)));
  }
  return worst;
}

function agree(run: (b: Backend) => TensorData): void {
  expect(gap(run(fastBackend), run(referenceBackend))).toBeLessThanOrEqual(TOL);
}

/** Runs `f` with the reference backend, whose argmax and softmax are composed from primitives (nn/max.ts,
 * nn/softmax.ts). */
function onReference<T>(f: () => T): T {
  const previous = useBackend("reference");
  try {
    return f();
  } finally {
    useBackend(previous);
  }
}

/** A tensor of `shape` stored in another order: data laid out as `order` permutes it, viewed back. */
function permuted(shape: number[], order: number[]): TensorData {
  const stored = rand(order.map((d) => shape[d]));
  return stored.permute(order.map((_, i) => order.indexOf(i)));
}

const unary: [string, op.Unary][] = [
  ["id", op.id], ["neg", op.neg], ["exp", op.exp], ["relu", op.relu], ["sigmoid", op.sigmoid], ["tanh", op.tanh],
];
const binary: [string, op.Binary][] = [
  ["add", op.add], ["sub", op.sub], ["mul", op.mul], ["div", op.div], ["max", op.max], ["lt", op.lt],
  ["reluBack", op.reluBack],
];

describe.each([
  ["one thread", "1"],
  ["worker threads", "2"],
])("fast backend vs reference (%s)", (_name, threads) => {
  // With threads, every job of more than one chunk goes to the workers, however small.
  const env = { MINITORCH_THREADS: threads, MINITORCH_PARALLEL_WORK: threads === "1" ? undefined : "0" };
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("loads its WebAssembly kernels", () => {
    expect(wasmHeap()).not.toBeNull();
  });

  it.each(unary)("map %s: contiguous, permuted, broadcast, large", (_n, fn) => {
    for (let rep = 0; rep < 3; rep++) {
      // the third repetition runs the loops specialised per function
      const x = rand([4, 5, 6]);
      agree((b) => b.map(fn, x));
      const p = permuted([7, 3, 5], [2, 0, 1]);
      agree((b) => b.map(fn, p));
      const small = rand([5, 1]);
      agree((b) => b.map(fn, small, [4, 5, 6]));
      const big = permuted([30, 20, 11], [1, 2, 0]);
      agree((b) => b.map(fn, big));
      const row = rand([1, 300]);
      agree((b) => b.map(fn, row, [40, 300]));
    }
  });

  it.each(binary)("zip %s: same shape, broadcast both ways, permuted, scalar", (_n, fn) => {
    for (let rep = 0; rep < 3; rep++) {
      const [x, y] = [rand([4, 5, 6]), rand([4, 5, 6])];
      agree((b) => b.zip(fn, x, y));
      const col = rand([5, 1]);
      agree((b) => b.zip(fn, x, col));
      agree((b) => b.zip(fn, col, x));
      const [row, colB] = [rand([1, 7]), rand([6, 1])];
      agree((b) => b.zip(fn, row, colB));
      const [p, q] = [permuted([6, 8, 9], [2, 1, 0]), permuted([8, 9], [1, 0])];
      agree((b) => b.zip(fn, p, q));
      const s = rand([]);
      agree((b) => b.zip(fn, p, s));
      agree((b) => b.zip(fn, s, x));
    }
  });

  it("reduce (sum, max) along every dim, both loop orders, permuted inputs", () => {
    const inputs = [
      rand([6, 7, 8]), permuted([6, 7, 8], [2, 0, 1]), permuted([5, 9, 4], [1, 2, 0]), rand([1, 6, 1]), rand([3, 0, 2]),
      rand([30, 0, 20]),
    ];
    for (let rep = 0; rep < 3; rep++) {
      for (const x of inputs) {
        for (let dim = 0; dim < x.dims; dim++) {
          agree((b) => b.reduce(op.add, 0, x, dim));
          agree((b) => b.reduce(op.max, -Infinity, x, dim));
        }
      }
    }
  });

  it("fused argmax along every dim, with ties resolved to the first, equals the composed nn.argmaxOneHot", () => {
    const ties = new TensorData(Float64Array.from([1, 3, 3, 2, 0, 0, 5, 5, 1, 1, 1, 1]), [3, 4]);
    for (const x of [rand([6, 7, 8]), permuted([6, 7, 8], [1, 2, 0]), ties, ties.permute([1, 0])]) {
      for (let dim = 0; dim < x.dims; dim++) {
        const composed = onReference(() => nn.argmaxOneHot(new Tensor(x), dim).data);
        expect(gap(fastBackend.argmax(x, dim), composed)).toBe(0);
      }
    }
  });

  it("fused softmax and logsoftmax along every dim (small, large, permuted, extreme) equal the composed ones", () => {
    const values = [1000, 2000, 3000, -1000, -Infinity, 0, 50, 51, -800, -745, 709, 710];
    const extreme = new TensorData(Float64Array.from(values), [4, 3]);
    const inputs = [
      rand([3, 4, 5]), rand([20, 30, 40], 20), permuted([20, 30, 40], [2, 0, 1]), rand([1024, 7]), extreme,
      rand([5, 1, 3]),
    ];
    for (const x of inputs) {
      for (let dim = 0; dim < x.dims; dim++) {
        const t = new Tensor(x);
        const [softmax, logsoftmax] = onReference(() => [nn.softmax(t, dim), nn.logsoftmax(t, dim)]);
        expect(gap(fastBackend.softmax(x, dim, false), softmax.data)).toBeLessThanOrEqual(TOL);
        expect(gap(fastBackend.softmax(x, dim, true), logsoftmax.data)).toBeLessThanOrEqual(TOL);
      }
    }
  });

  it("exp over its whole range, on the wasm path", () => {
    const n = 20000;
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = -750 + (1460 * i) / n; // from underflow to overflow
    data[7] = NaN;
    data[8] = Infinity;
    data[9] = -Infinity;
    const x = new TensorData(data, [n]);
    const [fast, ref] = [fastBackend.map(op.exp, x), referenceBackend.map(op.exp, x)];
    for (let i = 0; i < n; i++) {
      const r = ref.storage[i];
      const f = fast.storage[i];
      if (!Number.isFinite(r) || r < 1e-300) {
        expect(Object.is(f, r) || Math.abs(f - r) < 1e-300 || (r === Infinity && f === Infinity)).toBe(true);
      }
      else expect(Math.abs(f - r) / r).toBeLessThan(1e-14);
    }
  });

  it("matmul: 2-D, batched, broadcast batch, transposed operands, odd sizes, shared storage", () => {
    const cases: [TensorData, TensorData, number[]][] = [
      [rand([37, 53]), rand([53, 29]), [37, 29]],
      [rand([130, 70]), rand([70, 300]), [130, 300]],
      [rand([3, 37, 53]), rand([53, 29]), [3, 37, 29]],
      [rand([2, 1, 17, 40]), rand([3, 40, 9]), [2, 3, 17, 9]],
      [permuted([4, 33, 65], [0, 2, 1]), permuted([4, 65, 31], [2, 1, 0]), [4, 33, 31]],
      [permuted([5, 6, 33, 65], [1, 0, 3, 2]), rand([65, 31]), [5, 6, 33, 31]],
      [rand([2, 3]), rand([3, 4]), [2, 4]],
      [rand([5, 0]), rand([0, 4]), [5, 4]],
    ];
    for (const [x, y, out] of cases) agree((b) => b.matmul(x, y, out));
    const m = rand([70, 70]);
    agree((b) => b.matmul(m, m.permute([1, 0]), [70, 70]));
  });

  it("conv2d forward and both backward forms, as nn.conv2d calls them", () => {
    const swap = [1, 0, 2, 3];
    const shapes: [number[], number[]][] = [
      [[4, 3, 11, 13], [5, 3, 3, 2]],
      [[3, 6, 10, 10], [7, 6, 5, 5]], // many channels, output channels not a multiple of 4
      [[6, 1, 20, 20], [4, 1, 3, 3]], // one input channel, as the images'
      [[3, 2, 7, 9], [2, 2, 9, 11]], // kernel larger than the image
      [[8, 3, 9, 3], [5, 3, 3, 2]], // rows narrower than 4: the kernel vectorised along the weight's rows
    ];
    for (const [inShape, wShape] of shapes) {
      const [B, , H, W] = inShape;
      const [Co, Ci, KH, KW] = wShape;
      const [x, w, g] = [rand(inShape), rand(wShape), rand([B, Co, H, W])];
      for (const reverse of [false, true]) agree((b) => b.conv2d(x, w, reverse, [B, Co, H, W]));
      agree((b) => b.conv2d(g, w.permute(swap), true, [B, Ci, H, W]));
      agree((b) => b.conv2d(x.permute(swap), g.permute(swap), false, [Ci, Co, KH, KW]));
      const xp = permuted(inShape, [0, 2, 3, 1]); // channels-last storage
      agree((b) => b.conv2d(xp, w, false, [B, Co, H, W]));
    }
  });

  it("shares large jobs with the worker threads when asked to", () => {
    const before = parallelJobCount();
    const m = rand([260, 260]);
    agree((b) => b.matmul(m, m, [260, 260]));
    expect(parallelJobCount() > before).toBe(threads !== "1");
  });

  it("conv1d forward and both backward forms", () => {
    const swap = [1, 0, 2];
    for (const [inShape, wShape] of [[[6, 3, 40], [5, 3, 4]], [[16, 4, 100], [8, 4, 7]], [[2, 2, 5], [3, 2, 8]]]) {
      const [B, , W] = inShape;
      const [Co, Ci, K] = wShape;
      const [x, w, g] = [rand(inShape), rand(wShape), rand([B, Co, W])];
      for (const reverse of [false, true]) agree((b) => b.conv1d(x, w, reverse, [B, Co, W]));
      agree((b) => b.conv1d(g, w.permute(swap), true, [B, Ci, W]));
      agree((b) => b.conv1d(x.permute(swap), g.permute(swap), false, [Ci, Co, K]));
    }
  });
});

describe("fast backend through the Tensor API", () => {
  it("gives the reference backend's values and gradients for a small network", () => {
    const run = (name: string) => {
      const previous = useBackend(name);
      try {
        const g = new Generator(11);
        const param = (shape: number[]) =>
          new Tensor(new TensorData(Float64Array.from({ length: size(shape) }, () => g.random() - 0.5), shape))
            .requiresGrad_();
        const [x, w1, w2] = [param([8, 40]), param([40, 30]), param([30, 5])];
        const loss = x.matmul(w1).relu().matmul(w2).exp().sum();
        loss.backward();
        return [loss, x.grad as Tensor, w1.grad as Tensor, w2.grad as Tensor].map((t) => t.data);
      } finally {
        useBackend(previous);
      }
    };
    const [fast, ref] = [run("fast"), run("reference")];
    fast.forEach((t, i) => expect(gap(t, ref[i])).toBeLessThanOrEqual(TOL));
  });

  it("is the default, declared by the backend module: importing it selects nothing", () => {
    expect(startingBackend).toBe(fastBackend);
    expect(op.opName(op.exp)).toBe("exp");
    expect(op.opName((x: number) => Math.exp(x))).toBeUndefined();
  });

  it("is selectable by name and the reference stays selectable", () => {
    const previous = useBackend("fast");
    expect(backend().name).toBe("fast");
    expect(tensor([1, 2, 3]).add(1).toFlat()).toEqual([2, 3, 4]);
    useBackend("reference");
    expect(backend().name).toBe("reference");
    useBackend(previous);
  });
});
