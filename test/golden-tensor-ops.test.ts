/**
 * The new tensor ops against PyTorch: test/golden/tensor-ops.json holds PyTorch's outputs, indices and
 * input gradients (of L = sum(output * weight)) for fixed inputs, written by test/golden/tensor-ops.py with
 * Debian's python3-torch in float64. Each case runs here through our API on both backends; values and
 * gradients must agree to 1e-12 (relative to max(1, |PyTorch's value|)). No Python is needed to run this.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { Tensor, cat, fromStorage, nn, stack, tensor, useBackend, where } from "../src";

interface Golden {
  name: string;
  args: Record<string, number | number[] | boolean | null>;
  inputs: { shape: number[]; values: number[] }[];
  output: { shape: number[]; values: number[] };
  indices?: number[];
  weight?: number[];
  grads?: (number[] | null)[];
}

const { torch: version, cases } = JSON.parse(readFileSync(join(__dirname, "golden", "tensor-ops.json"), "utf8")) as {
  torch: string;
  cases: Golden[];
};

type Run = (xs: Tensor[], a: Golden["args"]) => Tensor | { values: Tensor; indices: Tensor };
const num = (v: unknown) => v as number;
const mask = (a: Golden["args"], like: Tensor) => tensor(a.mask as number[]).view(...like.shape);
const scaledParts = (parts: Tensor[]) => parts.map((p, i) => p.mul(i + 1));

/** Our call for each of PyTorch's cases. */
const ours: Record<string, Run> = {
  slice: ([x], a) => x.slice(num(a.dim), num(a.start), num(a.end), num(a.step)),
  "slice negative": ([x], a) => x.slice(num(a.dim), num(a.start), null, num(a.step)),
  narrow: ([x], a) => x.narrow(num(a.dim), num(a.start), num(a.length)),
  select: ([x], a) => x.select(num(a.dim), num(a.index)),
  expand: ([x], a) => x.expand(a.shape as number[]),
  "unsqueeze squeeze": ([x], a) => x.unsqueeze(num(a.dim)).squeeze(),
  flatten: ([x], a) => x.flatten(num(a.start)),
  "transpose reshape": ([x], a) => x.transpose(0, 2).reshape(a.shape as number[]),
  split: ([x], a) => cat(scaledParts(x.split(num(a.size), num(a.dim))), num(a.dim)),
  chunk: ([x], a) => cat(scaledParts(x.chunk(num(a.chunks), num(a.dim))), num(a.dim)),
  gather: ([x], a) => x.gather(num(a.dim), tensor(a.index as number[]).view(...(a.indexShape as number[]))),
  indexSelect: ([x], a) => x.indexSelect(num(a.dim), tensor(a.index as number[])),
  maskedFill: ([x], a) => x.maskedFill(mask(a, x), num(a.value)),
  where: ([x, y], a) => where(mask(a, x), x, y),
  cat: ([x, y], a) => cat([x, y, x], num(a.dim)),
  stack: ([x, y], a) => stack([x, y], num(a.dim)),
  argmax: ([x], a) => x.argmax(num(a.dim)),
  argmin: ([x], a) => x.argmin(num(a.dim)),
  "argmax all": ([x]) => x.argmax(),
  "max dim": ([x], a) => x.maxWithIndices(num(a.dim), a.keepdim as boolean),
  "min dim keepdim": ([x], a) => x.minWithIndices(num(a.dim), a.keepdim as boolean),
  "max all": ([x]) => x.max(),
  "min all": ([x]) => x.min(),
  var: ([x], a) => x.var(num(a.dim)),
  "var correction 0": ([x], a) => x.var(num(a.dim), a.keepdim as boolean, { correction: num(a.correction) }),
  "var all": ([x]) => x.var(),
  std: ([x], a) => x.std(num(a.dim)),
  logsumexp: ([x], a) => x.logsumexp(num(a.dim)),
  sqrt: ([x]) => x.sqrt(),
  sin: ([x]) => x.sin(),
  cos: ([x]) => x.cos(),
  "pow tensor": ([x, n]) => x.pow(n),
  clamp: ([x], a) => x.clamp(num(a.min), num(a.max)),
  softmax: ([x], a) => nn.softmax(x, num(a.dim)),
  logsoftmax: ([x], a) => nn.logsoftmax(x, num(a.dim)),
  lt: ([x, y]) => x.lt(y),
  le: ([x, y]) => x.le(y),
  gt: ([x, y]) => x.gt(y),
  ge: ([x, y]) => x.ge(y),
  eq: ([x, y]) => x.eq(y),
  ne: ([x, y]) => x.ne(y),
};

function expectClose(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const worst = Math.max(0, ...got.map((v, i) => Math.abs(v - want[i]) / Math.max(1, Math.abs(want[i]))));
  expect(worst, `${what}: largest relative difference`).toBeLessThanOrEqual(1e-12);
}

describe.each(["reference", "fast"])(`tensor ops against PyTorch ${version} (%s backend)`, (backendName) => {
  it("covers every golden case with an op of ours", () => {
    expect(cases.map((c) => c.name).filter((n) => !(n in ours))).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const previous = useBackend(backendName);
    try {
      const inputs = c.inputs.map((x, i) =>
        fromStorage(Float64Array.from(x.values), x.shape, { requiresGrad: c.grads?.[i] != null }));
      const result = ours[c.name](inputs, c.args);
      const out = result instanceof Tensor ? result : result.values;
      expect(out.shape).toEqual(c.output.shape);
      expectClose(out.toFlat(), c.output.values, "output");
      if (c.indices) expect((result as { indices: Tensor }).indices.toFlat()).toEqual(c.indices);
      if (c.weight && c.grads) {
        out.mul(fromStorage(Float64Array.from(c.weight), c.output.shape)).sum().backward();
        c.grads.forEach((g, i) => {
          if (g !== null) expectClose((inputs[i].grad as Tensor).toFlat(), g, `gradient of input ${i}`);
        });
      } else {
        expect(out.requiresGrad).toBe(false);
      }
    } finally {
      useBackend(previous);
    }
  });
});
