/**
 * `npm run bench`: minitorch-ts against PyTorch's CPU (float64 and float32, one thread and all threads,
 * in a child process of Debian's python3: bench/torch-peer.ts) and tfjs 4.22 (its pure-JS "cpu" backend
 * and its "wasm" backend) on the same seeded inputs, in one run. Each cell is the median of repeated
 * runs after a warm-up. Prints a table with the ratios ours / peer (below 1: we are faster), checks the
 * targets (met / NOT met), trains the MNIST network for two epochs of 5,000 real digits in a child
 * process (seconds per epoch, heap after each epoch, peak RSS), and writes everything to build/bench.json.
 *
 * Columns: "fast" is our default backend as it runs by default (worker threads unless the machine is
 * oversubscribed), "fast 1T" the same on one thread, "reference" the readable kernels the notebooks
 * teach from (fewer runs, as tfjs-cpu: both are slow). The columns are visited in turn, in rounds, so
 * the load of a shared machine weighs on all of them alike. We compute in float64, tfjs in float32.
 */
import { fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { Tensor, TensorData, nn, useBackend } from "../src";
import { threadCount } from "../src/ops/fast/threads";
import type { EpochReport } from "./epoch";
import { BATCH, ourBatch, ourTrainer, randomBatch, tfjsTrainer } from "./mnist-net";
import { TfBackend, sync, tf, useTf } from "./tfjs";
import { Samples, TorchDtype, TorchPeer, startTorchPeer } from "./torch-peer";
import { TimeOptions, time } from "./timing";

/** A seeded array of uniform numbers in [-1, 1), shared by both libraries. */
function numbers(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
}
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const ours = (shape: number[], seed: number) => new Tensor(new TensorData(numbers(size(shape), seed), shape));
const theirs = (shape: number[], seed: number) => tf.tensor(Float32Array.from(numbers(size(shape), seed)), shape);

/** A timed piece of work: setup (untimed) and run, or the reason a library cannot run it. */
interface Work<S = unknown> {
  setup?: () => S;
  run: (state: S) => unknown;
}
interface Case {
  id: string;
  label: string;
  /** Multiply-adds x 2, for GFLOP/s where meaningful. */
  flops?: number;
  ours: () => Work;
  tfjs: (backend: TfBackend) => Work | string;
  note?: string;
}

const NO_BACKPROP_FILTER = "cannot run: no Conv2DBackpropFilter kernel in tfjs-wasm";

const matmul = (n: number): Case => ({
  id: `matmul-${n}`,
  label: `matmul ${n}x${n}`,
  flops: 2 * n ** 3,
  ours: () => {
    const [a, b] = [ours([n, n], 1), ours([n, n], 2)];
    return { run: () => a.matmul(b) };
  },
  tfjs: () => {
    const [a, b] = [theirs([n, n], 1), theirs([n, n], 2)];
    return { run: () => sync(() => tf.matMul(a, b)) };
  },
});

/** A binary elementwise op on two seeded vectors of 1e6 elements. */
const elementwise = (
  name: string, op: (a: Tensor, b: Tensor) => Tensor, tfOp: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
): Case => ({
  id: `${name}-1e6`,
  label: `${name} 1e6`,
  ours: () => {
    const [a, b] = [ours([1_000_000], 7), ours([1_000_000], 8)];
    return { run: () => op(a, b) };
  },
  tfjs: () => {
    const [a, b] = [theirs([1_000_000], 7), theirs([1_000_000], 8)];
    return { run: () => sync(() => tfOp(a, b)) };
  },
});

// conv2d at the issue's sizes: input [16, 6, 14, 14], 16 filters of 5x5, output as large as the input.
const CONV_IN = [16, 6, 14, 14];
const CONV_W = [16, 6, 5, 5];
const CONV_FLOPS = 2 * 16 * 16 * 14 * 14 * 6 * 25;
const CONV_NOTE = "tfjs: NHWC, 'same' padding (centred box; ours is top-left anchored): same FLOPs, different values";

const cases: Case[] = [
  matmul(128),
  matmul(256),
  matmul(512),
  {
    id: "conv2d-forward",
    label: "conv2d fwd [16,6,14,14] * 16x5x5",
    flops: CONV_FLOPS,
    note: CONV_NOTE,
    ours: () => {
      const [x, w] = [ours(CONV_IN, 3), ours(CONV_W, 4)];
      return { run: () => nn.conv2d(x, w) };
    },
    tfjs: () => {
      const [x, w] = [theirs([16, 14, 14, 6], 3), theirs([5, 5, 6, 16], 4)];
      return { run: () => sync(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same")) };
    },
  },
  {
    id: "conv2d-backward",
    label: "conv2d fwd+bwd (both grads)",
    flops: 3 * CONV_FLOPS,
    note: CONV_NOTE,
    ours: () => {
      const g = ours([16, 16, 14, 14], 5);
      return {
        setup: () => [ours(CONV_IN, 3).requiresGrad_(), ours(CONV_W, 4).requiresGrad_()],
        run: ([x, w]: Tensor[]) => {
          nn.conv2d(x, w).backward(g);
          return [x.grad, w.grad];
        },
      } as Work;
    },
    tfjs: (backend) => {
      if (backend === "wasm") return NO_BACKPROP_FILTER;
      const [x, w, dy] = [theirs([16, 14, 14, 6], 3), theirs([5, 5, 6, 16], 4), theirs([16, 14, 14, 16], 5)];
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same"));
      return { run: () => sync(() => grads([x, w], dy)) };
    },
  },
  {
    id: "softmax",
    label: "softmax 1024x1000",
    ours: () => {
      const x = ours([1024, 1000], 6);
      return { run: () => nn.softmax(x, 1) };
    },
    tfjs: () => {
      const x = theirs([1024, 1000], 6);
      return { run: () => sync(() => tf.softmax(x)) };
    },
  },
  {
    id: "logsoftmax",
    label: "logsoftmax 1024x1000",
    ours: () => {
      const x = ours([1024, 1000], 6);
      return { run: () => nn.logsoftmax(x, 1) };
    },
    tfjs: () => {
      const x = theirs([1024, 1000], 6);
      return { run: () => sync(() => tf.logSoftmax(x)) };
    },
  },
  elementwise("add", (a, b) => a.add(b), (a, b) => tf.add(a, b)),
  elementwise("mul", (a, b) => a.mul(b), (a, b) => tf.mul(a, b)),
  {
    id: "exp-1e6",
    label: "exp 1e6",
    ours: () => {
      const a = ours([1_000_000], 7);
      return { run: () => a.exp() };
    },
    tfjs: () => {
      const a = theirs([1_000_000], 7);
      return { run: () => sync(() => tf.exp(a)) };
    },
  },
  {
    id: "train-step",
    label: "MNIST net train step, batch 16",
    note: "forward, backward, SGD (momentum 0.9); tfjs: same layers with 'same' padding, tf.train.momentum",
    ours: () => {
      const trainer = ourTrainer();
      const [x, y] = ourBatch(randomBatch());
      return { run: () => trainer.step(x, y) };
    },
    tfjs: (backend) => {
      if (backend === "wasm") return NO_BACKPROP_FILTER;
      const trainer = tfjsTrainer(tf);
      const batch = randomBatch();
      const x = tf.tensor4d(Float32Array.from(batch.images), [BATCH, 28, 28, 1]);
      const y = tf.cast(tf.oneHot(tf.tensor1d(batch.labels, "int32"), 10), "float32") as tf.Tensor2D;
      return { run: () => trainer.step(x, y) };
    },
  },
];

type TorchColumn = "torch64" | "torch64x1" | "torch32" | "torch32x1";
type Column = "fast" | "fast1" | "reference" | "cpu" | "wasm" | TorchColumn;
const ALL_COLUMNS: Column[] = [
  "fast", "fast1", "reference", "torch64x1", "torch64", "torch32x1", "torch32", "cpu", "wasm",
];
const HEADERS: Record<Column, string> = {
  fast: "fast", fast1: "fast 1T", reference: "reference", cpu: "tfjs-cpu", wasm: "tfjs-wasm",
  torch64x1: "torch f64 1T", torch64: "torch f64", torch32x1: "torch f32 1T", torch32: "torch f32",
};
/** PyTorch's columns: dtype and threads (0: all the machine's). */
const TORCH: Record<TorchColumn, [TorchDtype, number]> = {
  torch64: ["float64", 0], torch64x1: ["float64", 1], torch32: ["float32", 0], torch32x1: ["float32", 1],
};
const isTorch = (column: Column): column is TorchColumn => column in TORCH;
/** Medians of the wall-clock and the CPU-time samples. */
type Cell = { ms: number; cpuMs: number; runs: number } | { skipped: string };

/** Makes `column` the active library / backend / thread setting (PyTorch's are set per request). */
async function activate(column: Column): Promise<void> {
  if (column === "cpu" || column === "wasm") return useTf(column);
  useBackend(column === "reference" ? "reference" : "fast");
  process.env.MINITORCH_THREADS = column === "fast1" ? "1" : "";
}

/** Times one case in every column, in ROUNDS rounds that visit the columns in turn, so a change in the
 * machine's load (it is shared) hits every column alike; the cell is the median of all its samples. */
const ROUNDS = 3;
/** Untimed calls before a column's first round: V8 optimises a function only after it has run a while,
 * and a training step calls some hundred of them (with 3, the step was timed half-compiled: 1.5x slower). */
const WARMUP = 15;
async function measureCase(c: Case, torch: TorchPeer | string): Promise<Partial<Record<Column, Cell>>> {
  const works = new Map<Column, Work | null>();
  const cells: Partial<Record<Column, Cell>> = {};
  const samples = new Map<Column, Samples>();
  for (const column of COLUMNS) {
    if (isTorch(column)) {
      if (typeof torch === "string") cells[column] = { skipped: `PyTorch: ${torch}` };
      else works.set(column, null);
      continue;
    }
    try {
      await activate(column);
      const work = column === "cpu" || column === "wasm" ? c.tfjs(column) : c.ours();
      if (typeof work === "string") cells[column] = { skipped: work };
      else works.set(column, work);
    } catch (error) {
      cells[column] = { skipped: `failed: ${(error as Error).message.split("\n")[0]}` };
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [column, work] of works) {
      if (cells[column] !== undefined) continue;
      try {
        const slow = column === "reference" || column === "cpu";
        const options: Required<TimeOptions> = slow
          ? { warmup: 1, minRuns: 1, budgetMs: 300, maxRuns: 3 }
          : { warmup: round === 0 ? WARMUP : 1, minRuns: 3, budgetMs: 400, maxRuns: 15 };
        let timed: Samples | string;
        if (work === null) {
          const [dtype, threads] = TORCH[column as TorchColumn];
          timed = await (torch as TorchPeer).time(c.id, dtype, threads || availableParallelism(), options);
        } else {
          await activate(column);
          const t = await time(work.run, work.setup, options);
          timed = { wall: t.samples, cpu: t.cpuSamples };
        }
        if (typeof timed === "string") cells[column] = { skipped: timed };
        else {
          const all = samples.get(column) ?? { wall: [], cpu: [] };
          samples.set(column, { wall: [...all.wall, ...timed.wall], cpu: [...all.cpu, ...timed.cpu] });
        }
      } catch (error) {
        cells[column] = { skipped: `failed: ${(error as Error).message.split("\n")[0]}` };
      }
    }
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1];
  for (const [column, all] of samples) {
    if (cells[column] !== undefined) continue;
    cells[column] = { ms: median(all.wall), cpuMs: median(all.cpu), runs: all.wall.length };
  }
  process.env.MINITORCH_THREADS = "";
  useBackend("fast");
  return cells;
}

function runEpochs(): Promise<EpochReport | { error: string }> {
  return new Promise((resolve) => {
    const child = fork(join(__dirname, "epoch.ts"), [], { execArgv: ["-r", "ts-node/register/transpile-only"] });
    let report: EpochReport | null = null;
    child.on("message", (m) => (report = m as EpochReport));
    child.on("exit", (code) => resolve(report ?? { error: `epoch child exited with code ${code}` }));
  });
}

/** The ratio columns: ours / peer. */
const RATIOS: [Column, Column][] = [["fast1", "torch64x1"], ["fast", "torch64"], ["fast", "cpu"], ["fast", "wasm"]];
const ratioText = (ours: number | undefined, peer: number | undefined) =>
  ours === undefined || peer === undefined ? "n/a" : (ours / peer).toFixed(ours / peer < 0.1 ? 4 : 2);
const fmt = (ms: number) => ms.toFixed(ms >= 100 ? 0 : ms >= 10 ? 1 : ms >= 1 ? 2 : 3);
const msOf = (cell: Cell | undefined) => (cell !== undefined && "ms" in cell ? cell.ms : undefined);

/** `npm run bench -- id ... [--columns=fast1,torch64x1,...]` runs only the cases named (and the MNIST
 * epochs only if "epoch" is named), in only the columns named. */
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const chosen = only.length === 0 ? cases : cases.filter((c) => only.includes(c.id));
const columnsArg = process.argv.find((a) => a.startsWith("--columns="));
const COLUMNS = columnsArg === undefined
  ? ALL_COLUMNS
  : ALL_COLUMNS.filter((c) => columnsArg.slice("--columns=".length).split(",").includes(c));
const loadText = (load: number[]) => load.map((l) => l.toFixed(2)).join(" ");

async function main(): Promise<void> {
  const started = Date.now();
  const load0 = loadavg();
  console.log(`minitorch-ts benchmark: ${cpus()[0]?.model ?? "cpu"}, ${availableParallelism()} cores, ` +
    `Node ${process.version}, our threads now ${threadCount()} (1 while the machine is oversubscribed), ` +
    `load average ${loadText(load0)}`);
  const torch = await startTorchPeer(numbers(1000, 1).reduce((a, b) => a + b, 0));
  console.log(`PyTorch: ${typeof torch === "string" ? torch : `${torch.version}, in a child process`}`);
  const results: Record<string, Partial<Record<Column, Cell>>> = {};
  try {
    for (const c of chosen) {
      results[c.id] = await measureCase(c, torch);
      process.stdout.write(".");
    }
  } finally {
    if (typeof torch !== "string") torch.close();
  }
  process.stdout.write("\n");
  const epochs = only.length === 0 || only.includes("epoch") ? await runEpochs() : { error: "not run (not chosen)" };

  // ---- table -------------------------------------------------------------------------------------
  const rows = chosen.map((c) => {
    const r = results[c.id];
    const cells = COLUMNS.map((col) => {
      const cell = r[col];
      return cell === undefined ? "" : "ms" in cell ? fmt(cell.ms) : "n/a";
    });
    return [c.label, ...cells, ...RATIOS.map(([ours, peer]) => ratioText(msOf(r[ours]), msOf(r[peer])))];
  });
  const ratioHeaders = RATIOS.map(([o, p]) => `${HEADERS[o]}/${HEADERS[p]}`);
  const header = ["work (median ms)", ...COLUMNS.map((c) => HEADERS[c]), ...ratioHeaders];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    "| " + r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(" | ") + " |";
  console.log(line(header));
  console.log("| " + widths.map((w, i) => (i === 0 ? "-".repeat(w) : "-".repeat(w - 1) + ":")).join(" | ") + " |");
  rows.forEach((r) => console.log(line(r)));
  const notes = new Set<string>();
  for (const c of chosen) {
    if (c.note) notes.add(`${c.label}: ${c.note}`);
    for (const col of COLUMNS) {
      const cell = results[c.id][col];
      if (cell !== undefined && "skipped" in cell) notes.add(`${c.label}, ${HEADERS[col]}: ${cell.skipped}`);
    }
  }
  notes.forEach((n) => console.log(`  note: ${n}`));

  // ---- targets -----------------------------------------------------------------------------------
  const get = (id: string, col: Column) => msOf(results[id]?.[col]);
  const targets: { name: string; value: string; met: boolean | null }[] = [];
  const check = (name: string, value: number | undefined, show: (v: number) => string, ok: (v: number) => boolean) =>
    targets.push(value === undefined
      ? { name, value: "n/a", met: null }
      : { name, value: show(value), met: ok(value) });
  // PyTorch: one thread against one thread, float64 against float64; the verdict on the wall clock, and
  // the ratio of CPU times beside it (the fairer one on a loaded machine, see timing.ts).
  const cpuOf = (id: string, col: Column) => {
    const cell = results[id]?.[col];
    return cell !== undefined && "cpuMs" in cell ? cell.cpuMs : undefined;
  };
  const vsTorch = (id: string, label: string, limit: number) => {
    const [ours, peer] = [get(id, "fast1"), get(id, "torch64x1")];
    const [oursCpu, peerCpu] = [cpuOf(id, "fast1"), cpuOf(id, "torch64x1")];
    const cpu = oursCpu && peerCpu ? ` (CPU time: ${(oursCpu / peerCpu).toFixed(2)}x)` : "";
    const name = `${label} <= ${limit}x PyTorch (1T, f64)`;
    check(name, ours && peer && ours / peer, (v) => `${v.toFixed(2)}x${cpu}`, (v) => v <= limit);
  };
  vsTorch("train-step", "train step", 1.5);
  vsTorch("matmul-512", "matmul 512", 2);
  vsTorch("softmax", "softmax", 1.5);
  vsTorch("logsoftmax", "logsoftmax", 1.5);
  vsTorch("add-1e6", "add 1e6", 1.5);
  vsTorch("mul-1e6", "mul 1e6", 1.5);
  vsTorch("exp-1e6", "exp 1e6", 1.5);
  if (!("error" in epochs)) {
    const slowest = Math.max(...epochs.secondsPerEpoch);
    const name = "MNIST epoch of 5,000 digits < 2 s (default threads)";
    check(name, slowest, (v) => `${v.toFixed(2)} s (the slower epoch)`, (v) => v < 2);
  }
  // tfjs, the earlier peers.
  const [stepOurs, stepCpu] = [get("train-step", "fast"), get("train-step", "cpu")];
  const times = (v: number) => `${v.toFixed(1)}x`;
  check("train step >= 20x faster than tfjs-cpu", stepOurs && stepCpu && stepCpu / stepOurs, times, (v) => v >= 20);
  const mm = get("matmul-512", "fast");
  const gflops = (v: number) => `${v.toFixed(1)} GFLOP/s`;
  check("matmul 512 float64 >= 10 GFLOP/s", mm && (2 * 512 ** 3) / mm / 1e6, gflops, (v) => v >= 10);
  const mm1 = get("matmul-512", "fast1");
  check("  (one thread)", mm1 && (2 * 512 ** 3) / mm1 / 1e6, gflops, (v) => v >= 10);
  const [sm, smCpu, smWasm] = [get("softmax", "fast"), get("softmax", "cpu"), get("softmax", "wasm")];
  const itsTime = (v: number) => `${v.toFixed(2)}x its time`;
  check("softmax within 2x of tfjs-wasm", sm && smWasm && sm / smWasm, itsTime, (v) => v <= 2);
  check("softmax >= 50x faster than tfjs-cpu", sm && smCpu && smCpu / sm, (v) => `${v.toFixed(0)}x`, (v) => v >= 50);
  if (!("error" in epochs)) {
    const growth = epochs.heapAfterEpochMB[1] - epochs.heapAfterEpochMB[0];
    const mb = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(2)} MB from epoch 1 to 2`;
    check("epoch does not grow the heap", growth, mb, (v) => v < 2);
  }
  console.log("targets:");
  for (const t of targets) console.log(`  ${t.met === null ? "?" : t.met ? "met" : "NOT met"}  ${t.name}: ${t.value}`);

  if ("error" in epochs) console.log(`MNIST epoch: ${epochs.error}`);
  else {
    console.log(
      `MNIST, ${epochs.images} real digits per epoch, batch ${epochs.batch}, fast backend: ` +
        `${epochs.secondsPerEpoch.map((s) => s.toFixed(2)).join(" s, ")} s per epoch; ` +
        `loss ${epochs.lossFirst.toFixed(3)} -> ${epochs.lossLast.toFixed(3)}; ` +
        `heap after each epoch ${epochs.heapAfterEpochMB.map((h) => h.toFixed(1)).join(", ")} MB; ` +
        `RSS ${epochs.rssBeforeMB.toFixed(0)} MB before, ` +
        `peak ${epochs.peakRssDuringEpochsMB.toFixed(0)} MB during the epochs ` +
        `(process peak ${epochs.processPeakRssMB.toFixed(0)} MB, digits loading included)`,
    );
  }
  const load1 = loadavg();
  console.log(`our threads at the end ${threadCount()}; load average at the end ${loadText(load1)}; ` +
    `${((Date.now() - started) / 1000).toFixed(0)} s in all`);

  mkdirSync(join(__dirname, "..", "build"), { recursive: true });
  const file = join(__dirname, "..", "build", "bench.json");
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        torch: typeof torch === "string" ? torch : torch.version,
        machine: {
          cpu: cpus()[0]?.model, cores: availableParallelism(), node: process.version, threads: threadCount(),
          loadAverage: { start: load0, end: load1 },
        },
        units: "median milliseconds per call; ratios are ours (fast) / peer",
        cases: chosen.map((c) => ({ id: c.id, label: c.label, flops: c.flops, note: c.note, results: results[c.id] })),
        targets,
        epochs,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`wrote ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
