/**
 * StepLR and CosineAnnealingLR against the lr sequences PyTorch's schedulers produce (golden values, with
 * and without a manual lr change mid-way), the closed forms, and argument errors.
 */
import { describe, expect, it } from "vitest";
import { nn, optim, tensor } from "../src";
import { expectError } from "./support/errors";
import { golden } from "./support/golden";

interface GoldenSchedule {
  scheduler: string;
  lr: number;
  manual: number | null;
  lrs: number[];
}

const make: Record<string, (opt: optim.Optimizer) => optim.LRScheduler> = {
  "StepLR(3, gamma=0.5)": (opt) => new optim.StepLR(opt, 3, { gamma: 0.5 }),
  "StepLR(1)": (opt) => new optim.StepLR(opt, 1),
  "CosineAnnealingLR(5, eta_min=0.01)": (opt) => new optim.CosineAnnealingLR(opt, 5, { etaMin: 0.01 }),
  "CosineAnnealingLR(4)": (opt) => new optim.CosineAnnealingLR(opt, 4),
};

const sgd = (lr: number) => new optim.SGD([new nn.Parameter(tensor([0]))], { lr });

/** The optimizer's lr before epoch 0, 1, ..., n, stepping the scheduler once per epoch. */
function lrs(opt: optim.Optimizer, sched: optim.LRScheduler, epochs: number, manual: number | null = null): number[] {
  const out = [opt.lr];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    if (epoch === manual) opt.lr *= 0.5;
    sched.step();
    out.push(opt.lr);
  }
  return out;
}

describe("schedulers against PyTorch (test/golden/nn-train.json)", () => {
  for (const c of golden<GoldenSchedule[]>("schedulers")) {
    it(`${c.scheduler}${c.manual === null ? "" : `, lr halved by hand at epoch ${c.manual}`}`, () => {
      const opt = sgd(c.lr);
      const got = lrs(opt, make[c.scheduler](opt), c.lrs.length - 1, c.manual);
      got.forEach((v, i) =>
        expect(Math.abs(v - c.lrs[i]), `epoch ${i}: ${v} vs PyTorch ${c.lrs[i]}`).toBeLessThan(1e-15));
    });
  }
});

describe("closed forms", () => {
  it("StepLR: baseLr * gamma^floor(epoch / stepSize)", () => {
    const opt = sgd(2);
    const got = lrs(opt, new optim.StepLR(opt, 4, { gamma: 0.3 }), 13);
    got.forEach((v, e) => expect(v).toBeCloseTo(2 * 0.3 ** Math.floor(e / 4), 14));
  });

  it("CosineAnnealingLR: etaMin + (baseLr - etaMin)(1 + cos(pi epoch / tMax)) / 2, also past tMax", () => {
    const opt = sgd(0.3);
    const sched = new optim.CosineAnnealingLR(opt, 7, { etaMin: 0.05 });
    const got = lrs(opt, sched, 30);
    got.forEach((v, e) => expect(v).toBeCloseTo(0.05 + (0.25 * (1 + Math.cos((Math.PI * e) / 7))) / 2, 13));
    expect(sched.lastEpoch).toBe(30);
    expect(sched.getLastLr()).toEqual([opt.lr]);
  });
});

describe("scheduler errors", () => {
  it("validate the optimizer, sizes and options", () => {
    const opt = sgd(0.1);
    expectError(() => new optim.StepLR({ lr: 0.1 } as unknown as optim.Optimizer, 3),
      "StepLR: expected an optimizer such as new optim.SGD(...), got an object");
    expectError(() => new optim.StepLR(opt, 0), "StepLR: stepSize must be an integer >= 1, got the number 0");
    expectError(() => new optim.StepLR(opt, 2.5), "StepLR: stepSize must be an integer >= 1, got the number 2.5");
    expectError(() => new optim.StepLR(opt, 2, { gama: 0.5 } as optim.StepLROptions),
      "StepLR: unknown option gama (known: gamma)");
    expectError(() => new optim.CosineAnnealingLR(opt, 10, { eta_min: 0 } as optim.CosineAnnealingLROptions),
      "CosineAnnealingLR: unknown option eta_min (known: etaMin)");
    expectError(() => new optim.CosineAnnealingLR(opt, -1),
      "CosineAnnealingLR: tMax must be an integer >= 1, got the number -1");
    expectError(() => new optim.CosineAnnealingLR(opt, 5, { etaMin: -1 }),
      "CosineAnnealingLR: etaMin must be a finite number >= 0");
    expect(opt.lr).toBe(0.1);
  });
});
