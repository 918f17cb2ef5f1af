/**
 * End to end: Module + layers + losses + optimizers + datasets learn. An MLP separates minitorch's xor
 * points, and a LeNet-style CNN (conv2d -> relu -> maxpool2d -> linear -> logsoftmax, minitorch's MNIST
 * project made smaller) learns real MNIST digits: its loss falls and held-out digits are mostly right.
 * Sized for the reference backend on two busy cores (the CNN takes about 30 s).
 */
import { describe, expect, it } from "vitest";
import { Generator, Tensor, datasets, manualSeed, nn, noGrad, optim } from "../src";

/** Fraction of rows whose largest score is at the label. */
function accuracy(scores: Tensor, labels: Tensor): number {
  const [n, c] = scores.shape;
  const s = scores.toFlat();
  const y = labels.toFlat();
  let right = 0;
  for (let i = 0; i < n; i++) {
    const row = s.slice(i * c, (i + 1) * c);
    if (row.indexOf(Math.max(...row)) === y[i]) right++;
  }
  return right / n;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("training", () => {
  it("an MLP reaches >= 95% accuracy on xor (and generalises to fresh points)", () => {
    manualSeed(0);
    const data = datasets.xor(200, new Generator(1));
    const model = new nn.Sequential(
      new nn.Linear(2, 16), new nn.ReLU(),
      new nn.Linear(16, 16), new nn.ReLU(),
      new nn.Linear(16, 2),
    );
    const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
    for (let step = 0; step < 300; step++) {
      opt.zeroGrad();
      nn.crossEntropy(model.forward(data.X), data.y).backward();
      opt.step();
    }
    model.eval();
    expect(accuracy(noGrad(() => model.forward(data.X)), data.y)).toBeGreaterThanOrEqual(0.95);
    const fresh = datasets.xor(500, new Generator(2));
    expect(accuracy(noGrad(() => model.forward(fresh.X)), fresh.y)).toBeGreaterThanOrEqual(0.9);
  });

  it("a LeNet-style CNN learns real MNIST digits: the loss clearly falls", () => {
    class LeNet extends nn.Module {
      conv = new nn.Conv2d(1, 4, [3, 3]);
      linear = new nn.Linear(4 * 7 * 7, 10);

      forward(x: Tensor): Tensor {
        const h = nn.maxpool2d(nn.relu(this.conv.forward(x)), [4, 4]); // [B, 4, 7, 7]
        return nn.logsoftmax(this.linear.forward(h.contiguous().view(x.shape[0], 4 * 7 * 7)), 1);
      }
    }
    manualSeed(0);
    const net = new LeNet();
    const opt = new optim.Adam(net.parameters(), { lr: 0.01 });
    const batch = 8;
    const losses: number[] = [];
    for (let step = 0; step < 200; step++) {
      const { images, labels } = datasets.mnist({ count: batch, offset: step * batch });
      opt.zeroGrad();
      const loss = nn.nllLoss(net.forward(images), labels);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    const [first, last] = [mean(losses.slice(0, 20)), mean(losses.slice(-20))];
    expect(first).toBeGreaterThan(1.5); // near chance, log(10) = 2.3, at the start
    expect(last).toBeLessThan(0.6 * first);

    net.eval();
    const test = datasets.mnist({ split: "test", count: 200 });
    expect(accuracy(noGrad(() => net.forward(test.images)), test.labels)).toBeGreaterThan(0.7);
  }, 120_000);
});
