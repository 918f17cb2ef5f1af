/**
 * Activations (module 4.3 "ReLU, step, sigmoid", NN basics II): forward values against Math and hand
 * computations, GeLU against a table of erf, the derivative relationships step' = 0 and ReLU' = step
 * through autodiff, stability of softplus / sigmoid far out, and gradient checks away from the kinks.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Tensor, nn, tensor } from "../src";
import { anyTensor, fcOptions, gradCheck } from "./support/gradcheck";

/** Inputs covering both signs, tiny and large magnitudes, and exact 0. */
const XS = [-800, -30, -5, -2.5, -1, -0.3, -1e-6, 0, 1e-6, 0.3, 1, 2.5, 5, 30, 800];

/** The value and the autodiff gradient (d/dx of f summed) at each x of XS. */
function valueAndGrad(f: (t: Tensor) => Tensor, xs = XS): { y: number[]; g: number[] } {
  const x = tensor(xs, { requiresGrad: true });
  const y = f(x);
  y.sum().backward();
  return { y: y.toFlat(), g: (x.grad as Tensor).toFlat() };
}

/** -0 and +0 are the same answer here; toEqual would tell them apart. */
const plusZero = (xs: readonly number[]): number[] => xs.map((v) => v + 0);

function expectRel(actual: readonly number[], expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (!(Math.abs(a - expected[i]) <= tol * Math.max(1, Math.abs(expected[i]))))
      throw new Error(`element ${i}: got ${a}, expected ${expected[i]}`);
  });
}

describe("forward values", () => {
  it("relu(x) = max(0, x)", () => {
    expect(plusZero(nn.relu(tensor(XS)).toFlat())).toEqual(XS.map((x) => (x > 0 ? x : 0)));
  });

  it("step(x) = x > 0, so step(0) = 0", () => {
    expect(nn.step(tensor(XS)).toFlat()).toEqual(XS.map((x) => (x > 0 ? 1 : 0)));
  });

  it("sigmoid(x) = 1 / (1 + e^-x), with sigmoid(0) = 1/2 and the symmetry sigmoid(-x) = 1 - sigmoid(x)", () => {
    const s = nn.sigmoid(tensor(XS)).toFlat();
    expectRel(s, XS.map((x) => 1 / (1 + Math.exp(-x))), 1e-15);
    expect(s[XS.indexOf(0)]).toBe(0.5);
    XS.forEach((x, i) => expect(s[i] + s[XS.indexOf(-x)]).toBeCloseTo(1, 15));
  });

  it("tanh(x) = (e^x - e^-x) / (e^x + e^-x)", () => {
    const moderate = XS.filter((x) => Math.abs(x) < 30);
    const byDefinition = moderate.map((x) => (Math.exp(x) - Math.exp(-x)) / (Math.exp(x) + Math.exp(-x)));
    expectRel(nn.tanh(tensor(moderate)).toFlat(), byDefinition, 1e-13);
    expect(nn.tanh(tensor([-800, 800])).toFlat()).toEqual([-1, 1]);
  });

  it("softplus(x) = log(1 + e^x), and = x + log(1 + e^-x) for large x", () => {
    const moderate = XS.filter((x) => Math.abs(x) <= 30);
    expectRel(nn.softplus(tensor(moderate)).toFlat(), moderate.map((x) => Math.log(1 + Math.exp(x))), 1e-14);
    expect(nn.softplus(tensor([0])).get(0)).toBeCloseTo(Math.LN2, 15);
    expect(nn.softplus(tensor([-30])).get(0)).toBeCloseTo(Math.exp(-30), 25); // log(1 + e) ~ e for tiny e
  });

  it("gelu(x) = x (1 + erf(x / sqrt 2)) / 2, against a table of erf", () => {
    const ERF: [number, number][] = [
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
    ];
    for (const [z, erfz] of ERF) {
      const x = z * Math.SQRT2; // so that x / sqrt 2 = z
      const [pos, neg] = nn.gelu(tensor([x, -x])).toFlat();
      expect(pos).toBeCloseTo((x * (1 + erfz)) / 2, 14);
      expect(neg).toBeCloseTo((-x * (1 - erfz)) / 2, 14); // erf is odd
    }
    expect(nn.gelu(tensor([0])).get(0)).toBe(0);
    // far out GeLU is ReLU: erf(+-30 / sqrt 2) is +-1 to double precision
    expect(plusZero(nn.gelu(tensor([-30, 30])).toFlat())).toEqual([0, 30]);
  });
});

describe("derivatives through autodiff", () => {
  it("step'(x) = 0 everywhere (no gradient flows, even at 0 and far out)", () => {
    const { g } = valueAndGrad(nn.step);
    expect(g.every((v) => v === 0)).toBe(true);
  });

  it("relu'(x) = step(x): 1 for x > 0, 0 for x <= 0", () => {
    const { g } = valueAndGrad(nn.relu);
    expect(plusZero(g)).toEqual(nn.step(tensor(XS)).toFlat());
    expect(plusZero(g)).toEqual(XS.map((x) => (x > 0 ? 1 : 0)));
  });

  it("sigmoid' = sigmoid (1 - sigmoid), tanh' = 1 - tanh^2, softplus' = sigmoid", () => {
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    expectRel(valueAndGrad(nn.sigmoid).g, XS.map((x) => sig(x) * (1 - sig(x))), 1e-13);
    expectRel(valueAndGrad(nn.tanh).g, XS.map((x) => 1 - Math.tanh(x) ** 2), 1e-13);
    expectRel(valueAndGrad(nn.softplus).g, XS.map(sig), 1e-13);
  });

  it("gelu'(x) = Phi(x) + x phi(x), at the table points", () => {
    const ERF: [number, number][] = [
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
    ];
    const xs = ERF.flatMap(([z]) => [z * Math.SQRT2, -z * Math.SQRT2]);
    const expected = ERF.flatMap(([z, erfz]) => {
      const x = z * Math.SQRT2;
      const phi = Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI); // even
      return [(1 + erfz) / 2 + x * phi, (1 - erfz) / 2 - x * phi];
    });
    expectRel(valueAndGrad(nn.gelu, xs).g, expected, 1e-13);
  });
});

describe("stability far out", () => {
  it("softplus at x = ±800 is finite (naive log(1 + e^x) overflows): values 800 and 0, gradients 1 and 0", () => {
    const { y, g } = valueAndGrad(nn.softplus, [-800, 800]);
    expect(plusZero(y)).toEqual([0, 800]);
    expect(plusZero(g)).toEqual([0, 1]);
  });

  it("sigmoid at |x| = 800 is 0 and 1 with finite (zero) gradients", () => {
    const { y, g } = valueAndGrad(nn.sigmoid, [-800, 800]);
    expect(plusZero(y)).toEqual([0, 1]);
    expect(plusZero(g)).toEqual([0, 0]);
  });
});

describe("gradient checks over random shapes", () => {
  const smooth: [string, (t: Tensor) => Tensor][] = [
    ["sigmoid", nn.sigmoid],
    ["tanh", nn.tanh],
    ["softplus", nn.softplus],
    ["gelu", nn.gelu],
  ];
  for (const [name, f] of smooth) {
    it(`${name} on [-8, 8]`, () => {
      fc.assert(
        fc.property(anyTensor(3, 4, { min: -8, max: 8 }), (x) => {
          gradCheck(f, [x]);
        }),
        fcOptions(30, name.length * 97),
      );
    });
  }

  it("relu and step away from the kink (|x| >= 1e-3, far beyond the step h = 1e-6)", () => {
    fc.assert(
      fc.property(anyTensor(3, 4, { min: -5, max: 5, minAbs: 1e-3 }), (x) => {
        gradCheck(nn.relu, [x]);
        const [g] = gradCheck(nn.step, [x]);
        expect(g.toFlat().every((v) => v === 0)).toBe(true);
      }),
      fcOptions(30, 601),
    );
  });

  it("activations composed with non-contiguous views", () => {
    const x = tensor([[-2.5, 0.7, 3], [1.2, -0.4, -6]]).permute(1, 0);
    for (const [, f] of smooth) gradCheck(f, [x]);
    gradCheck(nn.relu, [x]);
  });
});
