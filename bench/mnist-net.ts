/**
 * minitorch's MNIST network (module 4), written twice for the benchmark: with minitorch-ts and with
 * tfjs ops. Conv2d(1->4, 3x3) + relu, Conv2d(4->8, 3x3) + relu, avgpool2d 4x4, Linear(392->64) + relu
 * + dropout 0.25, Linear(64->10), logsoftmax, NLL loss, SGD. tfjs's conv2d with 'same' padding centres
 * the box where ours anchors it top-left: the values differ, the FLOPs are the same, and the timing is
 * what is compared.
 */
import type * as TF from "@tensorflow/tfjs-core";
import { Tensor, TensorData, nn, optim } from "../src";

export const BATCH = 16;
export const LR = 0.05;

/** One training step of our network on a batch: forward, backward, SGD. Returns the loss. */
export interface Trainer {
  step(images: Tensor, labels: Tensor): number;
}

/** The phases of a step, for bench/profile-step.ts: the forward pass (loss included), backward, the
 * optimizer (zeroGrad and step). */
export type Phase = "forward" | "backward" | "optimizer" | "done";

/** `onPhase` is called as each phase starts, and with "done" at the end. */
export function ourTrainer(onPhase: (phase: Phase) => void = () => {}): Trainer {
  const conv1 = new nn.Conv2d(1, 4, [3, 3]);
  const conv2 = new nn.Conv2d(4, 8, [3, 3]);
  const fc1 = new nn.Linear(392, 64);
  const fc2 = new nn.Linear(64, 10);
  const params = [conv1, conv2, fc1, fc2].flatMap((m) => m.parameters());
  const opt = new optim.SGD(params, { lr: LR, momentum: 0.9 });
  return {
    step(images, labels) {
      const b = images.shape[0];
      onPhase("forward");
      let h = conv1.forward(images).relu();
      h = conv2.forward(h).relu();
      h = nn.avgpool2d(h, [4, 4]).contiguous().view(b, 392);
      h = nn.dropout(fc1.forward(h).relu(), 0.25, true);
      const loss = nn.nllLoss(nn.logsoftmax(fc2.forward(h), 1), labels);
      onPhase("backward");
      loss.backward();
      onPhase("optimizer");
      opt.step();
      opt.zeroGrad();
      onPhase("done");
      return loss.item();
    },
  };
}

/** A seeded batch of 16 random "images" and labels, the same numbers for both libraries. */
export function randomBatch(seed = 3): { images: Float64Array; labels: number[] } {
  let s = seed;
  const next = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  return {
    images: Float64Array.from({ length: BATCH * 28 * 28 }, next),
    labels: Array.from({ length: BATCH }, () => Math.floor(next() * 10)),
  };
}

export function ourBatch(batch: { images: Float64Array; labels: number[] }): [Tensor, Tensor] {
  return [
    new Tensor(new TensorData(batch.images, [BATCH, 1, 28, 28])),
    new Tensor(new TensorData(Float64Array.from(batch.labels), [BATCH])),
  ];
}

/** The same network and step with tfjs (NHWC, float32), trained with tf.train.sgd's minimize. */
export function tfjsTrainer(tf: typeof TF): { step(images: TF.Tensor4D, labels: TF.Tensor2D): number } {
  const init = (shape: number[], fanIn: number) =>
    tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
  const w1 = init([3, 3, 1, 4], 9), b1 = init([4], 9);
  const w2 = init([3, 3, 4, 8], 36), b2 = init([8], 36);
  const w3 = init([392, 64], 392), b3 = init([64], 392);
  const w4 = init([64, 10], 64), b4 = init([10], 64);
  const opt = tf.train.momentum(LR, 0.9);
  return {
    step(images, labels) {
      const loss = opt.minimize(() => {
        let h: TF.Tensor = tf.relu(tf.add(tf.conv2d(images, w1 as TF.Tensor4D, 1, "same"), b1));
        h = tf.relu(tf.add(tf.conv2d(h as TF.Tensor4D, w2 as TF.Tensor4D, 1, "same"), b2));
        h = tf.reshape(tf.avgPool(h as TF.Tensor4D, 4, 4, "valid"), [images.shape[0], 392]);
        h = tf.dropout(tf.relu(tf.add(tf.matMul(h as TF.Tensor2D, w3 as TF.Tensor2D), b3)), 0.25);
        const logp = tf.logSoftmax(tf.add(tf.matMul(h as TF.Tensor2D, w4 as TF.Tensor2D), b4));
        return tf.neg(tf.mean(tf.sum(tf.mul(logp, labels), 1))) as TF.Scalar;
      }, true);
      const value = (loss as TF.Scalar).dataSync()[0];
      (loss as TF.Scalar).dispose();
      return value;
    },
  };
}
