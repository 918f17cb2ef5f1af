/** PyTorch-style printing, so a notebook's output reads like the lecture's:
 * tensor([[0.3275, 0.4101],
 *         [0.3724, 0.3478]], grad_fn=<SoftmaxBackward>) */
import { stridesFromShape } from "../data/shape";
import type { Tensor } from "./tensor";

const SUMMARIZE_ABOVE = 1000; // elements, as torch's print threshold
const EDGE = 3; // items kept at each end of a summarized dim

function formatNumber(values: readonly number[]): (v: number) => string {
  const finite = values.filter(Number.isFinite);
  const ints = finite.every(Number.isInteger);
  const big = finite.some((v) => Math.abs(v) >= 1e8);
  const small = finite.some((v) => v !== 0 && Math.abs(v) < 1e-4);
  return (v) => {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    if (ints && !big) return `${v}.`;
    // two-digit exponents, as PyTorch prints them: 1.0000e-05, not JavaScript's 1.0000e-5
    return big || small ? v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2") : v.toFixed(4);
  };
}

export function formatTensor(t: Tensor): string {
  const flat = t.toFlat();
  const fmt = formatNumber(flat);
  const summarize = t.size > SUMMARIZE_ABOVE;
  const width = Math.max(0, ...flat.map((v) => fmt(v).length));
  const pad = (s: string) => s.padStart(width);
  const strides = stridesFromShape(t.shape); // of the row-major values toFlat returns
  const indent = "tensor(".length;
  const block = (dim: number, offset: number): string => {
    if (dim === t.dims) return pad(fmt(flat[offset]));
    const n = t.shape[dim];
    const pick = summarize && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    const parts = pick.map((i) => (i < 0 ? "..." : block(dim + 1, offset + i * strides[dim])));
    const sep = dim === t.dims - 1 ? ", " : "," + "\n".repeat(t.dims - dim - 1) + " ".repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  const extras = t.history !== null
    ? `, grad_fn=<${capitalize(t.history.name)}Backward>`
    : t.requiresGrad ? ", requires_grad=True" : "";
  return `tensor(${block(0, 0)}${extras})`;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
