/**
 * Child process of the benchmark: trains the MNIST network on 5,000 real digits (batch 16) with the
 * fast backend for two epochs and reports seconds per epoch, the heap after each epoch (after a full
 * GC: it must not grow, i.e. no graph nodes leak) and the resident set size: the peak over the
 * epochs, sampled after every step, and the process's peak (which also counts loading the digits).
 */
import { Tensor, TensorData, datasets, manualSeed, useBackend } from "../src";
import { BATCH, ourTrainer } from "./mnist-net";
import { gc } from "./timing";

export interface EpochReport {
  images: number;
  batch: number;
  secondsPerEpoch: number[];
  heapAfterEpochMB: number[];
  rssBeforeMB: number;
  peakRssDuringEpochsMB: number;
  processPeakRssMB: number;
  lossFirst: number;
  lossLast: number;
}

const MB = 1024 * 1024;

function main(): EpochReport {
  useBackend(process.env.BENCH_BACKEND ?? "fast");
  manualSeed(1);
  const count = 5000;
  const { images, labels } = datasets.mnist({ count, split: "train", shuffle: true });
  const pixels = images.contiguous().storage;
  const ys = labels.contiguous().storage;
  const trainer = ourTrainer();
  const seconds: number[] = [];
  const heap: number[] = [];
  const losses: number[] = [];
  gc();
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  for (let epoch = 0; epoch < 2; epoch++) {
    const start = performance.now();
    for (let i = 0; i < count; i += BATCH) {
      const b = Math.min(BATCH, count - i);
      const x = new Tensor(new TensorData(pixels.slice(i * 784, (i + b) * 784), [b, 1, 28, 28]));
      const y = new Tensor(new TensorData(ys.slice(i, i + b), [b]));
      losses.push(trainer.step(x, y));
      peak = Math.max(peak, process.memoryUsage.rss());
    }
    seconds.push((performance.now() - start) / 1000);
    gc();
    heap.push(process.memoryUsage().heapUsed / MB);
  }
  const steps = Math.ceil(count / BATCH);
  const last = losses.slice(-steps);
  return {
    images: count,
    batch: BATCH,
    secondsPerEpoch: seconds,
    heapAfterEpochMB: heap,
    rssBeforeMB: rssBefore / MB,
    peakRssDuringEpochsMB: peak / MB,
    processPeakRssMB: process.resourceUsage().maxRSS / 1024,
    lossFirst: losses.slice(0, 20).reduce((a, b) => a + b, 0) / 20,
    lossLast: last.slice(-20).reduce((a, b) => a + b, 0) / 20,
  };
}

const report = main();
if (process.send) process.send(report);
else console.log(JSON.stringify(report, null, 2));
