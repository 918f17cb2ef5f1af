/**
 * The contract between the TypeScript callers and the wasm kernels (assembly/kernels.ts), declared once.
 * A job kernel reads its arguments from consecutive i32 slots at `args`, in the order listed here; the
 * GEMM's block sizes decide how a job splits into chunks, on both sides. `npm run build` (assembly/build.mjs)
 * generates assembly/contract.ts from this file: the constants, and per kernel a class whose fields are
 * its slots, so a kernel reading an argument not declared here does not compile. The TypeScript side
 * passes arguments by name (`JobArgs`), so a caller missing one does not type-check. The module exports
 * the hash of the contract it was built from, and the loader (wasm.ts) refuses a module built from
 * another one. This file is read by the build as well: no imports.
 */

/** GEMM blocking (BLIS): an MR x NR register tile, panels of KC, blocks of C of MC x NC (a job's chunk). */
export const BLOCKS = { MR: 4, NR: 4, KC: 256, MC: 64, NC: 256 } as const;

/** Job kernels and their argument slots. Pointers are byte offsets into the memory, strides count elements. */
export const JOBS = {
  /** C[t] = A[t] B[t]: addresses, then batch, row and column strides of A and B (C's columns are
   * contiguous), M x N x K, and the thread-0 scratch area for the packed panels. */
  gemm: ["a", "aBatch", "aRow", "aCol", "b", "bBatch", "bRow", "bCol", "c", "cBatch", "cRow", "m", "n", "k", "scratch"],
  /** Copies planes of a strided 4-D tensor src [n, c, h, w] into a dense zero-padded dst [planes][c][hp][wp]
   * at row `top` and column `left`, h and w reversed when `flip` is 1; planes from n on are zero. */
  pad: ["src", "n", "c", "h", "w", "sN", "sC", "sH", "sW", "dst", "hp", "wp", "top", "left", "flip"],
  /** Direct convolution out[n][m][i][j] = sum w[m][c][p][q] xp[n][c][i + p][j + q], out [N][m][ho][wo],
   * xp [N][c][hp][wp] and w [m][c][p][q] laid out by pad (m a multiple of 4); vectorised along the
   * output's rows, or along the kernel's rows when `kernelRows` is 1. */
  conv: ["x", "c", "hp", "wp", "w", "m", "p", "q", "out", "ho", "wo", "kernelRows"],
  /** out[i] = exp(x[i]) for i < n, chunks of `chunk` (even) elements. */
  expMap: ["x", "out", "n", "chunk"],
  /** softmax (or log-softmax, log = 1) of contiguous rows of length n, `perChunk` rows a chunk. */
  softmaxRows: ["x", "out", "rows", "n", "log", "perChunk"],
} as const;

/** Bytes reserved for a job's arguments. */
export const ARGS_BYTES = 256;

export type JobName = keyof typeof JOBS;
/** A job's arguments by name, each an i32. */
export type JobArgs<J extends JobName> = { readonly [K in (typeof JOBS)[J][number]]: number };

/** FNV-1a hash of the contract: the wasm module exports the one it was generated from. */
export function contractHash(): number {
  const text = JSON.stringify({ BLOCKS, JOBS, ARGS_BYTES });
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
