/**
 * Pooling (module 4.3, lecture 24): tile's "tensor origami" against a naive block loop, the lecture's
 * view exercise, avgpool2d / maxpool2d against naive loops, their gradients, and the errors. PyTorch's
 * stride and padding: against PyTorch's values (golden), a naive window loop and central differences over
 * random shapes and options (ties broken for the max), and the errors PyTorch raises.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MiniTorchError, Tensor, fromStorage, manualSeed, nn, randn, tensor } from "../src";
import { expectError } from "./support/errors";
import { GoldenCase, expectGolden, golden } from "./support/golden";
import { breakTies, fcOptions, gradCheck, tensorOf } from "./support/gradcheck";
import { expectClose, filled } from "./support/values";

/** The values of block (bh, bw) of channel (b, c), read straight from the flat input, row by row. */
function naiveBlocks(input: Tensor, kh: number, kw: number): number[][] {
  const [B, C, H, W] = input.shape;
  const x = input.toFlat();
  const blocks: number[][] = [];
  for (let b = 0; b < B; b++)
    for (let c = 0; c < C; c++)
      for (let bh = 0; bh < H / kh; bh++)
        for (let bw = 0; bw < W / kw; bw++) {
          const block: number[] = [];
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++) block.push(x[((b * C + c) * H + bh * kh + i) * W + bw * kw + j]);
          blocks.push(block);
        }
  return blocks;
}

/** PyTorch's pooling by its definition: window (h, w) covers rows h*sh - ph .. + kh - 1 (columns alike);
 * outside the input it reads -Infinity for the max and 0 for the mean, which divides by kh*kw
 * (count_include_pad). Output floor((H + 2 ph - kh) / sh) + 1 rows. Flat, row-major. */
function naivePool(input: Tensor, k: [number, number], s: [number, number], p: [number, number],
  kind: "max" | "avg"): number[] {
  const [B, C, H, W] = input.shape;
  const [HO, WO] = [0, 1].map((d) => Math.floor((input.shape[d + 2] + 2 * p[d] - k[d]) / s[d]) + 1);
  const x = input.toFlat();
  const out: number[] = [];
  for (let bc = 0; bc < B * C; bc++)
    for (let h = 0; h < HO; h++)
      for (let w = 0; w < WO; w++) {
        const window: number[] = [];
        for (let i = 0; i < k[0]; i++)
          for (let j = 0; j < k[1]; j++) {
            const [row, col] = [h * s[0] + i - p[0], w * s[1] + j - p[1]];
            const inside = row >= 0 && row < H && col >= 0 && col < W;
            window.push(inside ? x[(bc * H + row) * W + col] : kind === "max" ? -Infinity : 0);
          }
        out.push(kind === "max" ? Math.max(...window) : window.reduce((a, v) => a + v, 0) / window.length);
      }
  return out;
}

/** Splits a flat row-major array into consecutive runs of n. */
function chunks(values: number[], n: number): number[][] {
  return Array.from({ length: values.length / n }, (_, i) => values.slice(i * n, (i + 1) * n));
}

const SHAPES: [number[], [number, number]][] = [
  [[1, 1, 4, 4], [2, 2]],
  [[2, 3, 6, 4], [3, 2]],
  [[2, 2, 4, 6], [1, 3]],
  [[1, 2, 6, 6], [6, 1]],
  [[3, 1, 2, 8], [2, 4]],
  [[1, 1, 3, 3], [1, 1]],
];

describe("tile", () => {
  it("[B,C,H,W] -> [B,C,H/kh,W/kw,kh*kw], the last dim holding exactly each block's values (row by row)", () => {
    for (const [shape, [kh, kw]] of SHAPES) {
      // distinct values, so a value from the wrong block or in the wrong place cannot go unnoticed
      const input = filled(shape, (i) => i * 1.5 - 7);
      const t = nn.tile(input, [kh, kw]);
      expect(t.shape).toEqual([shape[0], shape[1], shape[2] / kh, shape[3] / kw, kh * kw]);
      expect(chunks(t.toFlat(), kh * kw)).toEqual(naiveBlocks(input, kh, kw));
    }
  });

  it("does not care whether the input is contiguous", () => {
    manualSeed(5);
    const input = randn(2, 6, 4, 3).permute(0, 3, 1, 2); // [2, 3, 6, 4], non-contiguous
    expect(input.isContiguous()).toBe(false);
    expect(chunks(nn.tile(input, [3, 2]).toFlat(), 6)).toEqual(naiveBlocks(input, 3, 2));
  });

  it("the lecture's exercise: a (10, 10) tensor to (5, 10) by summing neighbouring rows, with view", () => {
    const x = filled([10, 10], (i) => (i * 37) % 23);
    // contiguous + view(5, 2, 10) pairs rows 2i and 2i+1 along a new middle dim; reduce along that fold
    const y = x.contiguous().view(5, 2, 10).sum(1);
    expect(y.shape).toEqual([5, 10]);
    const flat = x.toFlat();
    const expected = Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: 10 }, (_, j) => flat[2 * i * 10 + j] + flat[(2 * i + 1) * 10 + j]));
    expect(y.toArray()).toEqual(expected);
  });
});

describe("avgpool2d and maxpool2d forward", () => {
  it("are the mean and the max of each block", () => {
    manualSeed(11);
    for (const [shape, [kh, kw]] of SHAPES) {
      const input = randn(...shape);
      const blocks = naiveBlocks(input, kh, kw);
      const outShape = [shape[0], shape[1], shape[2] / kh, shape[3] / kw];
      const avg = nn.avgpool2d(input, [kh, kw]);
      const mx = nn.maxpool2d(input, [kh, kw]);
      expect(avg.shape).toEqual(outShape);
      expect(mx.shape).toEqual(outShape);
      expectClose(avg.toFlat(), blocks.map((b) => b.reduce((s, v) => s + v, 0) / b.length));
      expect(mx.toFlat()).toEqual(blocks.map((b) => Math.max(...b)));
    }
  });

  it("a hand example", () => {
    const input = tensor([[[
      [1, 2, 5, 0],
      [3, 4, -1, -2],
      [0, 0, 8, 8],
      [0, -4, 8, 9],
    ]]]);
    expect(nn.avgpool2d(input, [2, 2]).toArray()).toEqual([[[[2.5, 0.5], [-1, 8.25]]]]);
    expect(nn.maxpool2d(input, [2, 2]).toArray()).toEqual([[[[4, 5], [0, 9]]]]);
    expect(nn.maxpool2d(input, [1, 4]).toArray()).toEqual([[[[5], [4], [8], [9]]]]);
  });
});

describe("pooling gradients", () => {
  it("avgpool2d spreads each block's gradient evenly, 1/(kh*kw) to each element", () => {
    const input = filled([2, 2, 4, 6], (i) => Math.sin(i), true);
    const d = filled([2, 2, 2, 2], (i) => i + 1);
    nn.avgpool2d(input, [2, 3]).backward(d);
    const g = (input.grad as Tensor).toFlat();
    const dd = d.toFlat();
    g.forEach((v, pos) => {
      const [b, c, h, w] = [Math.floor(pos / 48), Math.floor(pos / 24) % 2, Math.floor(pos / 6) % 4, pos % 6];
      const block = ((b * 2 + c) * 2 + Math.floor(h / 2)) * 2 + Math.floor(w / 3);
      expect(v).toBeCloseTo(dd[block] / 6, 14);
    });
  });

  it("maxpool2d sends each block's gradient only to that block's max", () => {
    manualSeed(13);
    // integer values with many ties, then a distinct tiny perturbation per element breaks every tie
    const base = randn(2, 3, 4, 6).toFlat().map((v) => Math.round(v * 2));
    const input = filled([2, 3, 4, 6], (i) => base[i] + 1e-6 * ((i * 7919) % 97), true);
    const d = filled([2, 3, 2, 3], (i) => 10 + i);
    nn.maxpool2d(input, [2, 2]).backward(d);
    const g = chunks(nn.tile((input.grad as Tensor), [2, 2]).toFlat(), 4);
    const blocks = naiveBlocks(input, 2, 2);
    const dd = d.toFlat();
    blocks.forEach((block, k) => {
      const winner = block.indexOf(Math.max(...block));
      expect(g[k]).toEqual(block.map((_, i) => (i === winner ? dd[k] : 0)));
    });
  });

  /** A random 4-D input whose height and width are multiples of a random kernel. */
  const pooled = fc
    .record({
      b: fc.integer({ min: 1, max: 2 }),
      c: fc.integer({ min: 1, max: 2 }),
      kh: fc.integer({ min: 1, max: 3 }),
      kw: fc.integer({ min: 1, max: 3 }),
      nh: fc.integer({ min: 1, max: 3 }),
      nw: fc.integer({ min: 1, max: 3 }),
    })
    .chain(({ b, c, kh, kw, nh, nw }) =>
      fc.tuple(tensorOf([b, c, nh * kh, nw * kw]), fc.constant([kh, kw] as const)),
    );

  it("gradient checks of tile and avgpool2d over random shapes and kernels", () => {
    fc.assert(
      fc.property(pooled, ([input, kernel]) => {
        gradCheck((x) => nn.tile(x, kernel), [input]);
        gradCheck((x) => nn.avgpool2d(x, kernel), [input]);
      }),
      fcOptions(40, 303),
    );
  });

  it("gradient check of maxpool2d over random shapes and kernels, ties broken first", () => {
    fc.assert(
      fc.property(pooled, fc.boolean(), ([input, kernel], rounded) => {
        // rounded values tie all the time; breakTies keeps them >= 1e-3 apart, far beyond the step h
        const values = rounded ? input.toFlat().map(Math.round) : input.toFlat();
        const x = breakTies(fromStorage(Float64Array.from(values), input.shape));
        const grads = gradCheck((t) => nn.maxpool2d(t, kernel), [x]);
        // and the gradient lands on one element per block: exactly as many non-zeros as blocks
        const nonZero = grads[0].toFlat().filter((v) => v !== 0).length;
        expect(nonZero).toBe(x.size / (kernel[0] * kernel[1]));
      }),
      fcOptions(40, 404),
    );
  });

  it("maxpool2d on an exact tie gives the whole gradient to one element (the first), not split", () => {
    const input = tensor([[[[3, 3], [3, 3]]]], { requiresGrad: true });
    nn.maxpool2d(input, [2, 2]).sum().backward();
    expect((input.grad as Tensor).toFlat()).toEqual([1, 0, 0, 0]);
  });
});

describe("pooling errors", () => {
  it("a kernel that does not divide the input names the kernel and the input shape", () => {
    const input = randn(1, 2, 8, 6);
    for (const pool of [nn.avgpool2d, nn.maxpool2d]) {
      const call = () => pool(input, [3, 3]);
      expect(call).toThrow(MiniTorchError);
      expect(call).toThrow(/\[3,3\].*\[1,2,8,6\]/);
    }
    expect(() => nn.avgpool2d(input, [3, 3])).toThrow(/^avgpool2d: /);
    expect(() => nn.maxpool2d(input, [2, 4])).toThrow(/^maxpool2d: kernel \[2,4\] does not divide .*\[1,2,8,6\]/);
    expect(() => nn.tile(input, [8, 5])).toThrow(/^tile: kernel \[8,5\] does not divide .*\[1,2,8,6\]/);
  });

  it("non-4-D input", () => {
    expect(() => nn.avgpool2d(randn(8, 8), [2, 2])).toThrow(/^avgpool2d: input must be 4-D .*got shape \[8,8\]/);
    expect(() => nn.maxpool2d(randn(2, 8, 8), [2, 2])).toThrow(/^maxpool2d: input must be 4-D .*got shape \[2,8,8\]/);
    expect(() => nn.tile(randn(1, 1, 1, 4, 4), [2, 2])).toThrow(/^tile: input must be 4-D .*got shape \[1,1,1,4,4\]/);
  });

  it("a kernel that is not two positive integers", () => {
    expect(() => nn.avgpool2d(randn(1, 1, 4, 4), [0, 2])).toThrow(/^avgpool2d: kernel must be an integer >= 1 or two/);
    expect(() => nn.maxpool2d(randn(1, 1, 4, 4), [2, 1.5]))
      .toThrow(/^maxpool2d: kernel must be an integer >= 1 or two/);
  });

  it("PyTorch's options: bad stride or padding, padding over half the kernel, a window larger than the image", () => {
    const x = randn(1, 1, 4, 4);
    expectError(() => nn.maxpool2d(x, 2, { stride: 0 }),
      "maxpool2d: stride must be an integer >= 1 or two of them [h, w], got the number 0");
    expectError(() => nn.avgpool2d(x, 2, { padding: [1, -1] }),
      "avgpool2d: padding must be an integer >= 0 or two of them");
    expectError(() => nn.avgpool2d(x, 2, { padding: 2 }),
      "avgpool2d: padding [2,2] must be at most half the kernel [2,2], as in PyTorch");
    expectError(() => nn.maxpool2d(x, [5, 1], { stride: 1 }),
      "maxpool2d: kernel [5,1] is larger than the padded input 4x4 (input [1,1,4,4], padding [0,0])");
    expectError(() => nn.avgpool2d(randn(1, 1, 1, 2), 4, { padding: [1, 2] }),
      "avgpool2d: kernel [4,4] is larger than the padded input 3x6 (input [1,1,1,2], padding [1,2])");
    expectError(() => nn.maxpool2d(x, 2, { stride: 1.5 }),
      "maxpool2d: stride must be an integer >= 1 or two of them [h, w], got the number 1.5");
    expectError(() => nn.avgpool2d(x, 2, { stride: [1, Number.NaN] }),
      "avgpool2d: stride must be an integer >= 1 or two of them [h, w], got an array [1, NaN]");
    expectError(() => nn.maxpool2d(x, 2, { padding: 0.5 }),
      "maxpool2d: padding must be an integer >= 0 or two of them [h, w], got the number 0.5");
    expectError(() => nn.avgpool2d(x, 2, { stride: [1, 1, 1] as unknown as [number, number] }),
      "avgpool2d: stride must be an integer >= 1 or two of them [h, w], got an array [1, 1, 1]");
    expectError(() => nn.avgpool2d(x, 2, "same" as unknown as nn.PoolOptions),
      `avgpool2d: options must be an object like { stride, padding }, got a string "same"`);
    expectError(() => nn.maxpool2d(x, 2, { strides: 1 } as nn.PoolOptions),
      "maxpool2d: unknown option strides (known: stride, padding)");
    expectError(() => nn.avgpool2d([[1]] as unknown as Tensor, 2),
      "avgpool2d: expected a Tensor for input, got an array [[...]]");
  });
});

interface GoldenPool extends GoldenCase {
  op: string;
  kernel: nn.Kernel2d;
  options: nn.PoolOptions;
}

describe("PyTorch's pooling: stride and padding (golden values from test/golden/nn-train.json)", () => {
  const cases = golden<GoldenPool[]>("conv").filter((c) => c.op.endsWith("pool2d"));
  for (const backend of ["fast", "reference"])
    for (const c of cases) {
      it(`${backend}: ${c.op}(x, ${JSON.stringify(c.kernel)}, ${JSON.stringify(c.options)})`, () => {
        const pool = c.op === "maxpool2d" ? nn.maxpool2d : nn.avgpool2d;
        expectGolden(c, (x) => pool(x, c.kernel, c.options), { atol: 1e-14, backend });
      });
    }

  it("with stride = kernel and no padding they are the lecture's pooling wherever the kernel divides the image", () => {
    manualSeed(31);
    const x = randn(2, 3, 6, 8);
    for (const k of [[2, 2], [3, 4], [1, 2], [6, 8]] as [number, number][]) {
      expect(nn.maxpool2d(x, k, { stride: k }).toFlat()).toEqual(nn.maxpool2d(x, k).toFlat());
      expectClose(nn.avgpool2d(x, k, { padding: 0 }).toFlat(), nn.avgpool2d(x, k).toFlat());
    }
    // where it does not divide, PyTorch's drops the rest (floor), the lecture's refuses
    expect(nn.maxpool2d(x, 4, { stride: 4 }).shape).toEqual([2, 3, 1, 2]);
    expect(() => nn.maxpool2d(x, 4)).toThrow(/does not divide/);
  });

  it("forward against the naive window loop over random images, kernels, strides and paddings", () => {
    const int = (min: number, max: number) => fc.integer({ min, max });
    const cases = fc.record({
      b: int(1, 2), c: int(1, 2), h: int(1, 7), w: int(1, 7), kh: int(1, 4), kw: int(1, 4), sh: int(1, 4),
      sw: int(1, 4), ph: int(0, 2), pw: int(0, 2),
    }).filter(({ h, w, kh, kw, ph, pw }) => 2 * ph <= kh && 2 * pw <= kw && h + 2 * ph >= kh && w + 2 * pw >= kw)
      .chain((s) => fc.tuple(fc.constant(s), tensorOf([s.b, s.c, s.h, s.w])));
    fc.assert(fc.property(cases, ([s, x]) => {
      const [k, stride, padding]: [number, number][] = [[s.kh, s.kw], [s.sh, s.sw], [s.ph, s.pw]];
      expect(nn.maxpool2d(x, k, { stride, padding }).toFlat()).toEqual(naivePool(x, k, stride, padding, "max"));
      expectClose(nn.avgpool2d(x, k, { stride, padding }).toFlat(), naivePool(x, k, stride, padding, "avg"));
    }), fcOptions(100, 232));
  });

  it("gradient checks over random images, kernels, strides and paddings (ties broken for the max)", () => {
    const cases = fc.record({
      b: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 6 }),
      w: fc.integer({ min: 1, max: 6 }), kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
      sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }), ph: fc.integer({ min: 0, max: 1 }),
      pw: fc.integer({ min: 0, max: 1 }),
    }).filter(({ h, w, kh, kw, ph, pw }) => 2 * ph <= kh && 2 * pw <= kw && h + 2 * ph >= kh && w + 2 * pw >= kw)
      .chain((s) => fc.tuple(fc.constant(s), tensorOf([s.b, s.c, s.h, s.w])));
    fc.assert(fc.property(cases, ([s, x]) => {
      const options: nn.PoolOptions = { stride: [s.sh, s.sw], padding: [s.ph, s.pw] };
      gradCheck((a) => nn.avgpool2d(a, [s.kh, s.kw], options), [x]);
      gradCheck((a) => nn.maxpool2d(a, [s.kh, s.kw], options), [breakTies(x)]);
    }), fcOptions(60, 231));
  });
});
