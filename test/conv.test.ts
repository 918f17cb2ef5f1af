/**
 * conv1d / conv2d (module 4.2, 4.3): the minitorch convention (box anchored at the left / top-left, output
 * as large as the input, reads past the right / bottom edge are 0), checked against the lecture's
 * formulas and against naive loops written here; backward against the lecture's reverse-anchor formula.
 * PyTorch's padding and stride: against PyTorch's values (golden), the naive loops over random shapes,
 * central differences over random shapes and options, and the errors PyTorch raises.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Backend, MiniTorchError, Tensor, fastBackend, manualSeed, nn, randn, registerBackend, tensor, useBackend,
} from "../src";
import { expectError } from "./support/errors";
import { GoldenCase, expectGolden, golden } from "./support/golden";
import { fcOptions, gradCheck, tensorOf } from "./support/gradcheck";
import { expectClose, filled } from "./support/values";

/** Row-major strides of a shape, for indexing the flat arrays of the naive reference. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** PyTorch's placement of the boxes for the naive reference: zeros on both sides, the step between boxes. */
interface NaiveGeometry {
  pad: [number, number];
  stride: [number, number];
}

/** The definition, seven loops deep: out[b,o,h,w] = sum_{c,i,j} weight[o,c,i,j] * input[b,c,h+i,w+j],
 * with input positions past the bottom / right edge reading as 0 (the lecture's, output H x W). With a
 * geometry, PyTorch's: input[b, c, h*sh + i - ph, w*sw + j - pw], reading 0 outside the input, and
 * floor((H + 2 ph - kh) / sh) + 1 rows (columns alike). */
function naiveConv2d(input: Tensor, weight: Tensor, g?: NaiveGeometry): { shape: number[]; values: number[] } {
  const [B, C, H, W] = input.shape;
  const [O, , KH, KW] = weight.shape;
  const [[ph, pw], [sh, sw]] = g === undefined ? [[0, 0], [1, 1]] : [g.pad, g.stride];
  const [HO, WO] = g === undefined ? [H, W]
    : [Math.floor((H + 2 * ph - KH) / sh) + 1, Math.floor((W + 2 * pw - KW) / sw) + 1];
  const x = input.toFlat();
  const w = weight.toFlat();
  const [xs, ws] = [strides(input.shape), strides(weight.shape)];
  const out: number[] = [];
  for (let b = 0; b < B; b++)
    for (let o = 0; o < O; o++)
      for (let h = 0; h < HO; h++)
        for (let v = 0; v < WO; v++) {
          let acc = 0;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const [row, col] = [h * sh + i - ph, v * sw + j - pw];
                if (row < 0 || row >= H || col < 0 || col >= W) continue;
                acc += w[o * ws[0] + c * ws[1] + i * ws[2] + j * ws[3]] * x[b * xs[0] + c * xs[1] + row * xs[2] + col];
              }
          out.push(acc);
        }
  return { shape: [B, O, HO, WO], values: out };
}

describe("conv1d forward", () => {
  it("conv1d of [0,1,2,3] with [1,2,3] is [8,14,8,3]", () => {
    const out = nn.conv1d(tensor([[[0, 1, 2, 3]]]), tensor([[[1, 2, 3]]]));
    expect(out.shape).toEqual([1, 1, 4]);
    // 0*1+1*2+2*3 = 8, 1*1+2*2+3*3 = 14, 2*1+3*2+0*3 = 8, 3*1+0+0 = 3
    expect(out.toFlat()).toEqual([8, 14, 8, 3]);
  });

  it("is the lecture's out[i] = w0*in[i] + w1*in[i+1] + w2*in[i+2] at every position", () => {
    const inp = [3, -1, 4, 1, -5, 9, 2, -6];
    const w = [0.5, -2, 3];
    const out = nn.conv1d(tensor([[inp]]), tensor([[w]])).toFlat();
    const at = (i: number) => (i < inp.length ? inp[i] : 0);
    const expected = inp.map((_, i) => w[0] * at(i) + w[1] * at(i + 1) + w[2] * at(i + 2));
    expectClose(out, expected);
  });

  it("sums over input channels, one result per output channel and batch, with bias added per out channel", () => {
    // input [2, 2, 5], weight [3, 2, 2], bias [3]
    const input = filled([2, 2, 5], (i) => ((i * 7) % 11) - 5);
    const weight = filled([3, 2, 2], (i) => ((i * 5) % 7) - 3);
    const bias = tensor([10, -20, 0.5]);
    const out = nn.conv1d(input, weight, bias);
    expect(out.shape).toEqual([2, 3, 5]);
    const x = input.toFlat();
    const w = weight.toFlat();
    const b = bias.toFlat();
    const expected: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let o = 0; o < 3; o++)
        for (let i = 0; i < 5; i++) {
          let acc = b[o];
          for (let c = 0; c < 2; c++)
            for (let k = 0; k < 2; k++) if (i + k < 5) acc += w[o * 4 + c * 2 + k] * x[n * 10 + c * 5 + i + k];
          expected.push(acc);
        }
    expectClose(out.toFlat(), expected);
  });
});

describe("conv1d backward: the reverse anchor", () => {
  const inp = [1, -2, 3, 0.5, 4];
  const w = [2, 3, 5];
  const d = [7, 11, 13, 17, 19];

  function run() {
    const input = tensor([[inp]], { requiresGrad: true });
    const weight = tensor([[w]], { requiresGrad: true });
    nn.conv1d(input, weight).backward(tensor([[d]]));
    return { gi: (input.grad as Tensor).toFlat(), gw: (weight.grad as Tensor).toFlat() };
  }

  it("grad_input[2] = w[0]*d[2] + w[1]*d[1] + w[2]*d[0]", () => {
    expect(run().gi[2]).toBeCloseTo(2 * 13 + 3 * 11 + 5 * 7, 12);
  });

  it("grad_input[j] = sum_k w[k] * d[j-k] everywhere (edges included), grad_weight[k] = sum_i d[i] * in[i+k]", () => {
    const { gi, gw } = run();
    const dAt = (i: number) => (i >= 0 && i < d.length ? d[i] : 0);
    const inAt = (i: number) => (i < inp.length ? inp[i] : 0);
    expectClose(gi, inp.map((_, j) => w.reduce((acc, wk, k) => acc + wk * dAt(j - k), 0)));
    expectClose(gw, w.map((_, k) => d.reduce((acc, di, i) => acc + di * inAt(i + k), 0)));
  });
});

describe("conv2d forward", () => {
  it("matches the naive 7-loop definition: multi-batch, multi-channel, non-square kernels", () => {
    manualSeed(42);
    const cases: [number[], number[]][] = [
      [[2, 3, 5, 6], [4, 3, 2, 3]],
      [[3, 2, 4, 4], [2, 2, 3, 1]],
      [[1, 1, 6, 5], [1, 1, 1, 4]],
      [[2, 2, 3, 3], [3, 2, 3, 3]],
      [[1, 3, 2, 7], [2, 3, 4, 2]], // kernel taller than the image: rows past the edge read 0
    ];
    for (const [inShape, wShape] of cases) {
      const input = randn(...inShape);
      const weight = randn(...wShape);
      const out = nn.conv2d(input, weight);
      const ref = naiveConv2d(input, weight);
      expect(out.shape).toEqual(ref.shape);
      expectClose(out.toFlat(), ref.values, 1e-12);
    }
  });

  it("works on non-contiguous (permuted) inputs and weights", () => {
    manualSeed(7);
    const input = randn(2, 5, 4, 3).permute(0, 3, 2, 1); // [2, 3, 4, 5]
    const weight = randn(3, 2, 2, 3).permute(2, 3, 0, 1); // [2, 3, 3, 2]
    expect(input.isContiguous()).toBe(false);
    const ref = naiveConv2d(input, weight);
    expectClose(nn.conv2d(input, weight).toFlat(), ref.values, 1e-12);
  });

  it("a hand example: the top-left box, and the bottom-right corner that reads zeros", () => {
    // input 3x3 = 1..9, weight 2x2 = [[1, 10], [100, 1000]]
    const out = nn.conv2d(tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]), tensor([[[[1, 10], [100, 1000]]]]));
    expect(out.toArray()).toEqual([
      [[
        [1 + 20 + 400 + 5000, 2 + 30 + 500 + 6000, 3 + 0 + 600 + 0],
        [4 + 50 + 700 + 8000, 5 + 60 + 800 + 9000, 6 + 0 + 900 + 0],
        [7 + 80 + 0 + 0, 8 + 90, 9],
      ]],
    ]);
  });

  it("adds the bias once per output channel", () => {
    manualSeed(3);
    const input = randn(2, 2, 3, 4);
    const weight = randn(3, 2, 2, 2);
    const bias = tensor([1.5, -2, 100]);
    const ref = naiveConv2d(input, weight);
    const plane = 3 * 4;
    const expected = ref.values.map((v, i) => v + [1.5, -2, 100][Math.floor(i / plane) % 3]);
    expectClose(nn.conv2d(input, weight, bias).toFlat(), expected, 1e-12);
  });
});

describe("conv gradients: central differences at every index of input, weight and bias", () => {
  const dim = (max: number) => fc.integer({ min: 1, max });

  it("conv1d over random shapes (kernels up to longer than the input)", () => {
    const sizes = fc.record({ b: dim(2), cin: dim(3), cout: dim(3), w: dim(6), k: dim(4) });
    const cases = sizes.chain(({ b, cin, cout, w, k }) =>
      fc.tuple(tensorOf([b, cin, w]), tensorOf([cout, cin, k]), tensorOf([cout])),
    );
    fc.assert(
      fc.property(cases, ([input, weight, bias]) => {
        gradCheck((x, w) => nn.conv1d(x, w), [input, weight]);
        gradCheck((x, w, b) => nn.conv1d(x, w, b), [input, weight, bias]);
      }),
      fcOptions(40, 101),
    );
  });

  it("conv2d over random shapes, non-square kernels", () => {
    const sizes = fc.record({ b: dim(2), cin: dim(3), cout: dim(3), h: dim(5), w: dim(5), kh: dim(3), kw: dim(3) });
    const cases = sizes.chain(({ b, cin, cout, h, w, kh, kw }) =>
      fc.tuple(tensorOf([b, cin, h, w]), tensorOf([cout, cin, kh, kw]), tensorOf([cout])),
    );
    fc.assert(
      fc.property(cases, ([input, weight, bias]) => {
        gradCheck((x, w, b) => nn.conv2d(x, w, b), [input, weight, bias]);
      }),
      fcOptions(40, 202),
    );
  });

  it("conv2d with permuted (non-contiguous) input and weight", () => {
    manualSeed(17);
    const input = randn(3, 4, 2, 2).permute(2, 3, 1, 0); // [2, 2, 4, 3]
    const weight = randn(2, 2, 3, 2).permute(2, 1, 3, 0); // [3, 2, 2, 2]
    expect(input.isContiguous() || weight.isContiguous()).toBe(false);
    gradCheck((x, w) => nn.conv2d(x, w), [input, weight]);
  });

  it("the gradient wrt bias is the sum of the output gradient over batch and positions", () => {
    manualSeed(18);
    const bias = tensor([0.5, -1], { requiresGrad: true });
    const d = randn(3, 2, 4, 5);
    nn.conv2d(randn(3, 1, 4, 5), randn(2, 1, 2, 2), bias).backward(d);
    const dd = d.toFlat();
    const expected = [0, 1].map((o) => dd.filter((_, i) => Math.floor(i / 20) % 2 === o).reduce((a, b) => a + b, 0));
    expectClose((bias.grad as Tensor).toFlat(), expected, 1e-12);
  });
});

describe("conv backward computes only the gradients that are needed", () => {
  it("skips the input's gradient when the input does not require grad (a network's images)", () => {
    const calls: boolean[] = []; // the reverse flag of every conv2d kernel call
    const conv2d: Backend["conv2d"] = (x, w, reverse, out) => {
      calls.push(reverse);
      return fastBackend.conv2d(x, w, reverse, out);
    };
    registerBackend({ ...fastBackend, name: "counting", conv2d });
    const previous = useBackend("counting");
    try {
      manualSeed(3);
      const w = randn(2, 1, 3, 3).requiresGrad_();
      nn.conv2d(randn(2, 1, 6, 6), w).sum().backward();
      expect(calls).toEqual([false, false]); // forward and the weight's gradient, no reverse (input) pass
      expect(w.grad?.shape).toEqual([2, 1, 3, 3]);
    } finally {
      useBackend(previous);
    }
  });
});

describe("conv errors name the op and both shapes", () => {
  it("channel mismatch", () => {
    const call = () => nn.conv2d(randn(2, 3, 8, 8), randn(4, 1, 3, 3));
    expect(call).toThrow(MiniTorchError);
    expect(call).toThrow("conv2d: input has 3 channels but weight expects 1; input [2,3,8,8], weight [4,1,3,3]");
    expect(() => nn.conv1d(randn(1, 2, 5), randn(1, 3, 2))).toThrow(
      "conv1d: input has 2 channels but weight expects 3; input [1,2,5], weight [1,3,2]",
    );
  });

  it("wrong number of dims for input or weight", () => {
    expect(() => nn.conv2d(randn(3, 8, 8), randn(4, 3, 3, 3)))
      .toThrow(/^conv2d: input must be 4-D .*got shape \[3,8,8\]/);
    expect(() => nn.conv2d(randn(1, 3, 8, 8), randn(3, 3, 3)))
      .toThrow(/^conv2d: weight must be 4-D .*got shape \[3,3,3\]/);
    expect(() => nn.conv1d(randn(1, 1, 2, 5), randn(1, 1, 2)))
      .toThrow(/^conv1d: input must be 3-D .*got shape \[1,1,2,5\]/);
    expect(() => nn.conv1d(randn(1, 1, 5), randn(1, 2))).toThrow(/^conv1d: weight must be 3-D .*got shape \[1,2\]/);
  });

  it("bad bias: wrong length or wrong dims", () => {
    const [input, weight] = [randn(1, 2, 4, 4), randn(3, 2, 2, 2)];
    expect(() => nn.conv2d(input, weight, randn(2))).toThrow(/^conv2d: bias must have shape \[3\].*got \[2\]/);
    expect(() => nn.conv2d(input, weight, randn(3, 1))).toThrow(/^conv2d: bias must have shape \[3\].*got \[3,1\]/);
    expect(() => nn.conv1d(randn(1, 2, 4), randn(3, 2, 2), randn(4)))
      .toThrow(/^conv1d: bias must have shape \[3\].*got \[4\]/);
  });
});

interface GoldenConv extends GoldenCase {
  op: string;
  options: nn.ConvOptions | null;
}

describe("PyTorch's convolution: padding and stride (golden values from test/golden/nn-train.json)", () => {
  const cases = golden<GoldenConv[]>("conv").filter((c) => c.op.startsWith("conv"));
  for (const backend of ["fast", "reference"])
    for (const c of cases) {
      const name = `${backend}: ${c.op} of ${c.inputs.length === 3 ? "input, weight, bias" : "input, weight"}, ` +
        (c.options === null ? "no options (the lecture's: F.pad right / bottom by k - 1, then PyTorch's)"
          : JSON.stringify(c.options));
      it(name, () => {
        const conv = c.op === "conv1d" ? nn.conv1d : nn.conv2d;
        expectGolden(c, (x, w, b) => conv(x, w, b, c.options ?? undefined), { backend });
      });
    }

  it("padding 'lecture' is the default: the same result as no options", () => {
    manualSeed(5);
    const [x, w] = [randn(2, 2, 5, 4), randn(3, 2, 2, 3)];
    expect(nn.conv2d(x, w, null, { padding: "lecture" }).toFlat()).toEqual(nn.conv2d(x, w).toFlat());
    expect(nn.conv2d(x, w, null, { padding: "lecture", stride: 2 }).shape).toEqual([2, 3, 3, 2]);
  });
});

describe("conv with padding and stride: forward against the naive definition over random shapes", () => {
  const dim = (max: number) => fc.integer({ min: 1, max });
  const cases = fc.record({
    b: dim(2), cin: dim(3), cout: dim(3), h: dim(7), w: dim(7), kh: dim(4), kw: dim(4),
    ph: fc.integer({ min: 0, max: 2 }), pw: fc.integer({ min: 0, max: 2 }), sh: dim(3), sw: dim(3),
  }).filter((c) => c.h + 2 * c.ph >= c.kh && c.w + 2 * c.pw >= c.kw)
    .chain((c) => fc.tuple(fc.constant(c), tensorOf([c.b, c.cin, c.h, c.w]), tensorOf([c.cout, c.cin, c.kh, c.kw])));

  it("conv2d: every element, every output size", () => {
    fc.assert(fc.property(cases, ([c, x, w]) => {
      const g: NaiveGeometry = { pad: [c.ph, c.pw], stride: [c.sh, c.sw] };
      const out = nn.conv2d(x, w, null, { padding: g.pad, stride: g.stride });
      const ref = naiveConv2d(x, w, g);
      expect(out.shape).toEqual(ref.shape);
      expectClose(out.toFlat(), ref.values);
    }), fcOptions(100, 305));
  });

  it("conv1d: the same definition on one row (height 1, no padding along it)", () => {
    fc.assert(fc.property(cases, ([c, x, w]) => {
      const [x1, w1] = [x.select(2, 0), w.select(2, 0)]; // [b, cin, w] and [cout, cin, kw]
      const out = nn.conv1d(x1, w1, null, { padding: c.pw, stride: c.sw });
      const ref = naiveConv2d(x1.unsqueeze(2), w1.unsqueeze(2), { pad: [0, c.pw], stride: [1, c.sw] });
      expect(out.shape).toEqual([ref.shape[0], ref.shape[1], ref.shape[3]]);
      expectClose(out.toFlat(), ref.values);
    }), fcOptions(100, 306));
  });
});

describe("conv with padding and stride: gradient checks over random shapes and options", () => {
  const dim = (max: number) => fc.integer({ min: 1, max });
  const padding = (spatial: number) => fc.oneof(
    fc.constantFrom<nn.Padding>("same", "valid", "lecture"),
    fc.integer({ min: 0, max: 2 }),
    fc.array(fc.integer({ min: 0, max: 2 }), { minLength: spatial, maxLength: spatial }),
  );

  /** Symmetric zeros per side of each spatial dim, or null for "same" / "lecture" (whose box always fits). */
  const symmetric = (p: nn.Padding, spatial: number): readonly number[] | null =>
    p === "valid" ? Array<number>(spatial).fill(0) : typeof p === "number" ? Array<number>(spatial).fill(p)
      : Array.isArray(p) ? p : null;

  it("conv1d", () => {
    const cases = fc.record({ b: dim(2), cin: dim(2), cout: dim(2), w: dim(6), k: dim(3), s: dim(3), p: padding(1) })
      .filter(({ p, s }) => p !== "same" || s === 1)
      .chain((c) =>
        fc.tuple(fc.constant(c), tensorOf([c.b, c.cin, c.w]), tensorOf([c.cout, c.cin, c.k]), tensorOf([c.cout])));
    fc.assert(fc.property(cases, ([c, x, w, b]) => {
      const options: nn.ConvOptions = { padding: c.p, stride: c.s };
      const pads = symmetric(c.p, 1);
      if (pads !== null && c.w + 2 * pads[0] < c.k)
        return void expect(() => nn.conv1d(x, w, b, options)).toThrow(/larger than the padded input/);
      gradCheck((a, v, u) => nn.conv1d(a, v, u, options), [x, w, b]);
    }), fcOptions(60, 303));
  });

  it("conv2d", () => {
    const cases = fc.record({
      cin: dim(2), cout: dim(2), h: dim(5), w: dim(5), kh: dim(3), kw: dim(3), sh: dim(2), sw: dim(3), p: padding(2),
    })
      .filter(({ p, sh, sw }) => p !== "same" || sh * sw === 1)
      .chain((c) => fc.tuple(fc.constant(c), tensorOf([2, c.cin, c.h, c.w]), tensorOf([c.cout, c.cin, c.kh, c.kw])));
    fc.assert(fc.property(cases, ([c, x, w]) => {
      const options: nn.ConvOptions = { padding: c.p, stride: [c.sh, c.sw] };
      const pads = symmetric(c.p, 2);
      const fits = pads === null || (c.h + 2 * pads[0] >= c.kh && c.w + 2 * pads[1] >= c.kw);
      if (!fits) return void expect(() => nn.conv2d(x, w, null, options)).toThrow(/larger than the padded input/);
      gradCheck((a, v) => nn.conv2d(a, v, null, options), [x, w]);
    }), fcOptions(60, 304));
  });
});

describe("conv option errors, as PyTorch's", () => {
  const [x, w] = [randn(1, 2, 4, 4), randn(3, 2, 3, 3)];

  it("a kernel larger than the padded input, a strided 'same', bad numbers, unknown options", () => {
    expectError(() => nn.conv2d(randn(1, 2, 2, 2), w, null, { padding: 0 }),
      "conv2d: kernel [3,3] is larger than the padded input 2x2 (input [1,2,2,2], padding before [0,0], after [0,0])");
    expectError(() => nn.conv1d(randn(1, 1, 2), randn(1, 1, 5), null, { stride: 1 }),
      "conv1d: kernel [5] is larger than the padded input 2");
    expectError(() => nn.conv2d(x, w, null, { padding: "same", stride: 2 }),
      `conv2d: padding "same" is not supported for strided convolutions (stride [2,2]), as in PyTorch`);
    expectError(() => nn.conv2d(x, w, null, { stride: 0 }),
      "conv2d: stride must be an integer >= 1 or a list of 2, got the number 0");
    expectError(() => nn.conv2d(x, w, null, { padding: -1 }),
      "conv2d: padding must be an integer >= 0 or a list of 2, got the number -1");
    expectError(() => nn.conv2d(x, w, null, { padding: [1, 1, 1] }),
      "conv2d: padding must be an integer >= 0 or a list of 2, got an array [1, 1, 1]");
    expectError(() => nn.conv1d(randn(1, 2, 4), randn(1, 2, 3), null, { padding: "full" as nn.Padding }),
      `conv1d: padding must be an integer >= 0 or a list of one, got a string "full"`);
    expectError(() => nn.conv2d(x, w, null, { stride: 1.5 }),
      "conv2d: stride must be an integer >= 1 or a list of 2, got the number 1.5");
    expectError(() => nn.conv2d(x, w, null, { stride: [2, -1] }),
      "conv2d: stride must be an integer >= 1 or a list of 2, got an array [2, -1]");
    expectError(() => nn.conv1d(randn(1, 2, 4), randn(1, 2, 3), null, { padding: [0.5] }),
      "conv1d: padding must be an integer >= 0 or a list of one, got an array [0.5]");
    expectError(() => nn.conv2d(x, w, null, { padding: Number.NaN }),
      "conv2d: padding must be an integer >= 0 or a list of 2, got NaN");
    expectError(() => nn.conv2d(x, w, null, { stride: Infinity }),
      "conv2d: stride must be an integer >= 1 or a list of 2, got the number Infinity");
    expectError(() => nn.conv2d(x, w, null, 2 as unknown as nn.ConvOptions),
      "conv2d: options must be an object like { padding, stride }, got the number 2");
    expectError(() => nn.conv2d(x, w, null, { pading: 1 } as nn.ConvOptions),
      "conv2d: unknown option pading (known: padding, stride)");
  });

  it("arguments that are not tensors name the argument", () => {
    expectError(() => nn.conv2d([[1]] as unknown as Tensor, w),
      "conv2d: expected a Tensor for input, got an array [[...]]");
    expectError(() => nn.conv1d(randn(1, 1, 3), [[[1]]] as unknown as Tensor), "conv1d: expected a Tensor for weight");
    expectError(() => nn.conv2d(x, w, [1, 2, 3] as unknown as Tensor),
      "conv2d: expected a Tensor for bias, got an array [1, 2, 3]");
  });
});
