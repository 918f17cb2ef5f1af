// AssemblyScript kernels of the "fast" backend, compiled to WebAssembly (SIMD, shared memory) by
// assembly/build.js. Everything here works on float64 arrays in the module's linear memory that the
// JavaScript side (src/ops/fast/wasm.ts) copies in and out; nothing here allocates.
//
// Every kernel is a *job*: `kernel(args, chunk, thread)` does one chunk of the work described by the
// i32 slots at `args`, so the calling thread and the worker threads (src/ops/fast/threads.ts) can share
// a job by taking chunk numbers from an atomic counter. The slots and the block sizes are declared once,
// in src/ops/fast/contract.ts, from which the build generates ./contract (a class per job whose fields
// are its slots). Pointers are byte offsets, strides count elements. `thread` selects the thread's own
// scratch area (packing buffers of the GEMM).
import {
  CONTRACT_HASH, ConvArgs, ExpMapArgs, GemmArgs, KC, MC, MR, NC, NR, PadArgs, SoftmaxRowsArgs,
} from "./contract";

/** The hash of the contract this module was built from: the loader refuses a stale module. */
export function contractHash(): i32 {
  return CONTRACT_HASH;
}

// ---- GEMM: C[t] = A[t] B[t], the BLIS loop nest --------------------------------------------------
// A block of A (MC x KC) is packed into MR-row panels and a block of B (KC x NC) into NR-column panels,
// so the micro-kernel reads both with unit stride; an MR x NR tile of C lives in 8 SIMD registers.

const A_PACK_BYTES: i32 = MC * KC * 8;
const B_PACK_BYTES: i32 = KC * NC * 8;

/** Bytes of scratch each thread needs (packing buffers), and where the JS arena may start. */
export function scratchBytes(): i32 {
  return A_PACK_BYTES + B_PACK_BYTES;
}
export function heapBase(): usize {
  return __heap_base;
}

// gemm: C's columns are contiguous. Chunks: per batch, one per MC-row x NC-column block of C. K > 0
// (the caller zero-fills when K = 0).
export function gemm(args: usize, chunk: i32, thread: i32): void {
  const job = changetype<GemmArgs>(args);
  const M = job.m;
  const N = job.n;
  const K = job.k;
  const rowBlocks = (M + MC - 1) / MC;
  const colBlocks = (N + NC - 1) / NC;
  const t = chunk / (rowBlocks * colBlocks);
  const r = chunk % (rowBlocks * colBlocks);
  const i0 = (r / colBlocks) * MC;
  const j0 = (r % colBlocks) * NC;
  const mc = min(MC, M - i0);
  const nc = min(NC, N - j0);
  const ars = job.aRow;
  const acs = job.aCol;
  const brs = job.bRow;
  const bcs = job.bCol;
  const crs = job.cRow;
  const a = (job.a as usize) + ((t * job.aBatch + i0 * ars) << 3);
  const b = (job.b as usize) + ((t * job.bBatch + j0 * bcs) << 3);
  const c = (job.c as usize) + ((t * job.cBatch + i0 * crs + j0) << 3);
  const ap = (job.scratch as usize) + (thread * (A_PACK_BYTES + B_PACK_BYTES) as usize);
  const bp = ap + (A_PACK_BYTES as usize);
  // With few rows of A, each element of B is used only a few times: packing B would cost as much as
  // the product, so the micro-kernel reads B's rows where they are (full panels of unit-stride B).
  const direct = bcs == 1 && mc <= 2 * MR;
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    const bBlock = b + ((pc * brs) << 3);
    if (!direct) packB(bBlock, brs, bcs, kc, nc, bp);
    packA(a + ((pc * acs) << 3), ars, acs, mc, kc, ap);
    for (let jr = 0; jr < nc; jr += NR) {
      let bPanel = bp + ((jr * kc) << 3);
      let bStep: usize = NR << 3;
      if (direct && jr + NR <= nc) {
        bPanel = bBlock + ((jr as usize) << 3);
        bStep = (brs as usize) << 3;
      } else if (direct) {
        packB(bBlock + ((jr * bcs) << 3), brs, bcs, kc, nc - jr, bp);
        bPanel = bp;
      }
      for (let ir = 0; ir < mc; ir += MR) {
        const cTile = c + ((ir * crs + jr) << 3);
        micro(ap + ((ir * kc) << 3), bPanel, bStep, kc, cTile, crs, min(MR, mc - ir), min(NR, nc - jr), pc > 0);
      }
    }
  }
}

/** Ap[panel][k][r] = A[panel * MR + r, k], rows past mc are 0. */
function packA(a: usize, rs: i32, cs: i32, mc: i32, kc: i32, ap: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    let dst = ap + ((ir * kc) << 3);
    const src = a + ((ir * rs) << 3);
    if (rows == MR) {
      const r1 = src + (rs << 3), r2 = src + ((2 * rs) << 3), r3 = src + ((3 * rs) << 3);
      for (let k = 0; k < kc; k++) {
        const off = (k * cs) << 3;
        store<f64>(dst, load<f64>(src + off));
        store<f64>(dst, load<f64>(r1 + off), 8);
        store<f64>(dst, load<f64>(r2 + off), 16);
        store<f64>(dst, load<f64>(r3 + off), 24);
        dst += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          store<f64>(dst + (r << 3), r < rows ? load<f64>(src + ((r * rs + k * cs) << 3)) : 0.0);
        }
        dst += 32;
      }
    }
  }
}

/** Bp[panel][k][c] = B[k, panel * NR + c], columns past nc are 0. */
function packB(b: usize, rs: i32, cs: i32, kc: i32, nc: i32, bp: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    let dst = bp + ((jr * kc) << 3);
    const src = b + ((jr * cs) << 3);
    if (cols == NR && cs == 1) {
      for (let k = 0; k < kc; k++) {
        const row = src + ((k * rs) << 3);
        v128.store(dst, v128.load(row));
        v128.store(dst, v128.load(row, 16), 16);
        dst += 32;
      }
    } else if (cols == NR && rs == 1) {
      // B stored transposed (Linear's weight.T(), the weight gradient's colsT): four contiguous columns.
      const c1 = src + (cs << 3), c2 = src + ((2 * cs) << 3), c3 = src + ((3 * cs) << 3);
      for (let k = 0; k < kc; k++) {
        const off = (k as usize) << 3;
        store<f64>(dst, load<f64>(src + off));
        store<f64>(dst, load<f64>(c1 + off), 8);
        store<f64>(dst, load<f64>(c2 + off), 16);
        store<f64>(dst, load<f64>(c3 + off), 24);
        dst += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let j = 0; j < NR; j++) {
          store<f64>(dst + (j << 3), j < cols ? load<f64>(src + ((k * rs + j * cs) << 3)) : 0.0);
        }
        dst += 32;
      }
    }
  }
}

/** C[0:mr, 0:nr] (+)= Ap_panel Bp_panel over kc, with the 4 x 4 tile in registers; B's rows are
 * bStep bytes apart (32 when packed). */
// @ts-ignore: decorator
@inline
function micro(
  ap: usize, bp: usize, bStep: usize, kc: i32, c: usize, crs: i32, mr: i32, nr: i32, accumulate: bool,
): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    ap += 32;
    bp += bStep;
  }
  const rs = (crs as usize) << 3;
  if (mr == MR && nr == NR) {
    if (accumulate) {
      c00 = f64x2.add(c00, v128.load(c)); c01 = f64x2.add(c01, v128.load(c, 16));
      c10 = f64x2.add(c10, v128.load(c + rs)); c11 = f64x2.add(c11, v128.load(c + rs, 16));
      c20 = f64x2.add(c20, v128.load(c + 2 * rs)); c21 = f64x2.add(c21, v128.load(c + 2 * rs, 16));
      c30 = f64x2.add(c30, v128.load(c + 3 * rs)); c31 = f64x2.add(c31, v128.load(c + 3 * rs, 16));
    }
    v128.store(c, c00); v128.store(c, c01, 16);
    v128.store(c + rs, c10); v128.store(c + rs, c11, 16);
    v128.store(c + 2 * rs, c20); v128.store(c + 2 * rs, c21, 16);
    v128.store(c + 3 * rs, c30); v128.store(c + 3 * rs, c31, 16);
    return;
  }
  // Edge tile: write the valid mr x nr corner only.
  for (let i = 0; i < mr; i++) {
    const lo = i == 0 ? c00 : i == 1 ? c10 : i == 2 ? c20 : c30;
    const hi = i == 0 ? c01 : i == 1 ? c11 : i == 2 ? c21 : c31;
    const row = c + (i as usize) * rs;
    for (let j = 0; j < nr; j++) {
      const v = j == 0 ? f64x2.extract_lane(lo, 0)
        : j == 1 ? f64x2.extract_lane(lo, 1)
        : j == 2 ? f64x2.extract_lane(hi, 0)
        : f64x2.extract_lane(hi, 1);
      const p = row + ((j as usize) << 3);
      store<f64>(p, accumulate ? load<f64>(p) + v : v);
    }
  }
}

// ---- Direct convolution ----------------------------------------------------------------------------
// out[n][m][i][j] = sum_{c,p,q} w[m][c][p][q] * xp[n][c][i + p][j + q] over operands that `pad` laid
// out: xp zero-padded so that every read falls inside it (the caller pads the top-left and flips w for
// the reverse anchor, so both anchors are this one loop), and M a multiple of 4 (zero planes of w).
// Two loop nests: along j (an output row: the forward pass and the input gradient, whose output is an
// image), or with `kernelRows` along q (a row of w: the weight gradient, whose "kernel" is a whole
// gradient image and whose output is only KH x KW). Each keeps 4 m by 4 j (or 4 m by 2 j, q in
// lanes) of out in registers.

// pad: dst[plane][c][top + h][left + w] = src[plane, c, h, w] (h and w reversed with `flip`), zero
// elsewhere and in planes from n on. One chunk per plane of dst.
export function pad(args: usize, chunk: i32, thread: i32): void {
  const job = changetype<PadArgs>(args);
  const C = job.c, hp = job.hp, wp = job.wp;
  const plane = ((C * hp * wp) as usize) << 3;
  const dst = (job.dst as usize) + (chunk as usize) * plane;
  memory.fill(dst, 0, plane);
  if (chunk >= job.n) return;
  const H = min(job.h, hp - job.top), W = min(job.w, wp - job.left), flip = job.flip != 0;
  const sw = job.sW;
  for (let c = 0; c < C; c++) {
    for (let h = 0; h < H; h++) {
      const src = (job.src as usize) + ((chunk * job.sN + c * job.sC + h * job.sH) << 3);
      const row = dst + (((c * hp + job.top + (flip ? H - 1 - h : h)) * wp + job.left) << 3);
      if (!flip && sw == 1) copyRun(row, src, W);
      else {
        for (let w = 0; w < W; w++) {
          store<f64>(row + (((flip ? W - 1 - w : w) as usize) << 3), load<f64>(src + ((w * sw) << 3)));
        }
      }
    }
  }
}

// Short runs are copied inline: memory.copy calls out of the wasm code, which costs more than moving a
// few dozen doubles.
// @ts-ignore: decorator
@inline
function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(dst + ((i as usize) << 3), v128.load(src + ((i as usize) << 3)));
  if (i < n) store<f64>(dst + ((i as usize) << 3), load<f64>(src + ((i as usize) << 3)));
}

// conv: one chunk per (n, block of 4 m).
export function conv(args: usize, chunk: i32, thread: i32): void {
  const job = changetype<ConvArgs>(args);
  const C = job.c, hp = job.hp, wp = job.wp, P = job.p, Q = job.q, M = job.m, Ho = job.ho, Wo = job.wo;
  const blocks = M >> 2;
  const n = chunk / blocks, m = (chunk % blocks) << 2;
  const x = (job.x as usize) + (((n * C * hp * wp) as usize) << 3);
  const w = (job.w as usize) + (((m * C * P * Q) as usize) << 3);
  const out = (job.out as usize) + ((((n * M + m) * Ho * Wo) as usize) << 3);
  // Two calls with a constant flag: each inlined copy keeps only its own branches.
  if (job.kernelRows != 0) convBlock(true, x, w, out, C, hp, wp, P, Q, Ho, Wo);
  else convBlock(false, x, w, out, C, hp, wp, P, Q, Ho, Wo);
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// Along the output (kernelRows false): j in blocks of 4 (Wo a multiple of 4, wp >= Wo + Q - 1), the lanes
// hold j and j + 1, w[m + r] splat across them. Along the kernel: j in pairs (Wo even, wp >= Wo + Q), q in
// pairs (Q even, the pad zero), the lanes hold q and q + 1 and are summed at the end.
// @ts-ignore: decorator
@inline
function convBlock(
  kernelRows: bool, x: usize, w0: usize, out: usize, C: i32, hp: i32, wp: i32, P: i32, Q: i32, Ho: i32, Wo: i32,
): void {
  const wPlane = ((C * P * Q) as usize) << 3, outPlane = ((Ho * Wo) as usize) << 3, xRow = (wp as usize) << 3;
  const w1 = w0 + wPlane, w2 = w1 + wPlane, w3 = w2 + wPlane;
  // The second vector of x: two columns on (along the output) or one (along the kernel).
  const second: usize = kernelRows ? 8 : 16;
  const qStep = kernelRows ? 2 : 1;
  for (let i = 0; i < Ho; i++) {
    for (let j = 0; j < Wo; j += kernelRows ? 2 : 4) {
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      let wo: usize = 0;
      for (let c = 0; c < C; c++) {
        let row = x + ((((c * hp + i) * wp + j) as usize) << 3);
        for (let p = 0; p < P; p++) {
          for (let q = 0; q < Q; q += qStep) {
            const at = row + ((q as usize) << 3);
            const x0 = v128.load(at), x1 = v128.load(at + second);
            let a = kernelRows ? v128.load(w0 + wo) : v128.load64_splat(w0 + wo);
            c00 = f64x2.add(c00, f64x2.mul(a, x0));
            c01 = f64x2.add(c01, f64x2.mul(a, x1));
            a = kernelRows ? v128.load(w1 + wo) : v128.load64_splat(w1 + wo);
            c10 = f64x2.add(c10, f64x2.mul(a, x0));
            c11 = f64x2.add(c11, f64x2.mul(a, x1));
            a = kernelRows ? v128.load(w2 + wo) : v128.load64_splat(w2 + wo);
            c20 = f64x2.add(c20, f64x2.mul(a, x0));
            c21 = f64x2.add(c21, f64x2.mul(a, x1));
            a = kernelRows ? v128.load(w3 + wo) : v128.load64_splat(w3 + wo);
            c30 = f64x2.add(c30, f64x2.mul(a, x0));
            c31 = f64x2.add(c31, f64x2.mul(a, x1));
            wo += (qStep as usize) << 3;
          }
          row += xRow;
        }
      }
      const o = out + ((((i * Wo) + j) as usize) << 3);
      if (kernelRows) {
        store<f64>(o, hsum(c00)); store<f64>(o, hsum(c01), 8);
        store<f64>(o + outPlane, hsum(c10)); store<f64>(o + outPlane, hsum(c11), 8);
        store<f64>(o + 2 * outPlane, hsum(c20)); store<f64>(o + 2 * outPlane, hsum(c21), 8);
        store<f64>(o + 3 * outPlane, hsum(c30)); store<f64>(o + 3 * outPlane, hsum(c31), 8);
      } else {
        v128.store(o, c00); v128.store(o, c01, 16);
        v128.store(o + outPlane, c10); v128.store(o + outPlane, c11, 16);
        v128.store(o + 2 * outPlane, c20); v128.store(o + 2 * outPlane, c21, 16);
        v128.store(o + 3 * outPlane, c30); v128.store(o + 3 * outPlane, c31, 16);
      }
    }
  }
}

// ---- exp, softmax, logsoftmax ----------------------------------------------------------------------
// exp(x) = 2^(K/32) e^r with K = round(32 x / ln 2) and |r| <= ln(2)/64: r by Cody-Waite (ln(2)/32
// split in a high part whose products with K are exact and a low part), 2^(K/32) = 2^(K >> 5) times
// 2^(j/32) for j = K & 31 from a 32-entry table, and e^r by its Taylor polynomial to degree 6 (error
// below 4e-18 relative; Estrin's scheme). Rounding uses the shifter trick: adding 1.5 * 2^52 rounds
// 32 x / ln 2 to an integer held in the low mantissa bits, so K needs no float-to-int conversion.
// x is clamped to [-705, 710] and the result built as (e^r 2^(j/32) 2^(m-1)) 2, so every power of two
// is a normal number and x > 709.78 overflows to Infinity as Math.exp does; NaN stays NaN. Below
// -705 the result is e^-705 (4e-307) where Math.exp gives less: no softmax or test can tell.

// The constants live in memory: a splat-load per use is one instruction, a splat of an immediate three.
const EXP_C = memory.data<f64>([
  -705.0, 710.0, 6755399441055744.0 /* 1.5 * 2^52 */, 46.16624130844683 /* 32 / ln 2 */,
  0.02166084938653512 /* ln(2)/32, high 32 bits */, 5.9631716539705866e-12 /* ln(2)/32, the rest */,
  0.001388888888888889 /* 1/6! */, 0.008333333333333333, 0.041666666666666664, 0.16666666666666666, 0.5, 1.0,
  2.0,
]);
/** 2^(j/32), j = 0..31, correctly rounded. */
const EXP2_TABLE = memory.data<f64>([
  1.0, 1.0218971486541166, 1.0442737824274138, 1.0671404006768237, 1.0905077326652577, 1.1143867425958924,
  1.1387886347566916, 1.1637248587775775, 1.189207115002721, 1.215247359980469, 1.241857812073484,
  1.2690509571917332, 1.2968395546510096, 1.3252366431597413, 1.3542555469368927, 1.383909881963832,
  1.4142135623730951, 1.4451808069770467, 1.4768261459394993, 1.5091644275934228, 1.5422108254079407,
  1.5759808451078865, 1.6104903319492543, 1.645755478153965, 1.681792830507429, 1.718619298122478,
  1.7562521603732995, 1.7947090750031072, 1.8340080864093424, 1.8741676341103, 1.9152065613971474,
  1.9571441241754002,
]);

// @ts-ignore: decorator
@inline
function vexp(x: v128): v128 {
  x = f64x2.pmin(f64x2.pmax(x, v128.load64_splat(EXP_C)), v128.load64_splat(EXP_C, 8));
  const shifter = v128.load64_splat(EXP_C, 16);
  const t = f64x2.add(f64x2.mul(x, v128.load64_splat(EXP_C, 24)), shifter);
  const k = f64x2.sub(t, shifter);
  const rHigh = f64x2.sub(x, f64x2.mul(k, v128.load64_splat(EXP_C, 32)));
  const r = f64x2.sub(rHigh, f64x2.mul(k, v128.load64_splat(EXP_C, 40)));
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const one = v128.load64_splat(EXP_C, 88);
  const q01 = f64x2.add(one, r);
  const q23 = f64x2.add(v128.load64_splat(EXP_C, 80), f64x2.mul(r, v128.load64_splat(EXP_C, 72)));
  const q45 = f64x2.add(v128.load64_splat(EXP_C, 64), f64x2.mul(r, v128.load64_splat(EXP_C, 56)));
  const q456 = f64x2.add(q45, f64x2.mul(r2, v128.load64_splat(EXP_C, 48)));
  const p = f64x2.add(f64x2.add(q01, f64x2.mul(r2, q23)), f64x2.mul(r4, q456));
  const j0 = (i64x2.extract_lane(t, 0) as usize) & 31;
  const j1 = (i64x2.extract_lane(t, 1) as usize) & 31;
  const table = f64x2.replace_lane(v128.load64_splat(EXP2_TABLE + (j0 << 3)), 1, load<f64>(EXP2_TABLE + (j1 << 3)));
  const K = i64x2.sub(t, i64x2.splat(0x4338000000000000)); // the bits of 1.5 * 2^52
  const scale = i64x2.shl(i64x2.add(i64x2.shr_s(K, 5), i64x2.splat(1022)), 52);
  return f64x2.mul(f64x2.mul(f64x2.mul(p, table), scale), v128.load64_splat(EXP_C, 96));
}

// @ts-ignore: decorator
@inline
function sexp(x: f64): f64 {
  return f64x2.extract_lane(vexp(f64x2.splat(x)), 0);
}

export function expMap(args: usize, chunk: i32, thread: i32): void {
  const job = changetype<ExpMapArgs>(args);
  const n = job.n, size = job.chunk;
  const start = chunk * size, end = min(n, start + size);
  const x = job.x as usize, out = job.out as usize;
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const p = (i as usize) << 3;
    v128.store(out + p, vexp(v128.load(x + p)));
  }
  for (; i < end; i++) store<f64>(out + ((i as usize) << 3), sexp(load<f64>(x + ((i as usize) << 3))));
}

// softmax: out = exp(x - max) / sum, or log-softmax x - max - log(sum exp(x - max)), per row.
export function softmaxRows(args: usize, chunk: i32, thread: i32): void {
  const job = changetype<SoftmaxRowsArgs>(args);
  const rows = job.rows, n = job.n, log = job.log, per = job.perChunk;
  const x0 = job.x as usize, o0 = job.out as usize;
  const end = min(rows, (chunk + 1) * per);
  for (let row = chunk * per; row < end; row++) {
    const x = x0 + (((row * n) as usize) << 3), out = o0 + (((row * n) as usize) << 3);
    // max
    let m = -Infinity;
    let mv = f64x2.splat(-Infinity);
    let k = 0;
    for (; k + 2 <= n; k += 2) mv = f64x2.pmax(mv, v128.load(x + ((k as usize) << 3)));
    m = Math.max(f64x2.extract_lane(mv, 0), f64x2.extract_lane(mv, 1));
    for (; k < n; k++) m = Math.max(m, load<f64>(x + ((k as usize) << 3)));
    // exp(x - m), summed (and stored when not log)
    const ms = f64x2.splat(m);
    let sv = f64x2.splat(0);
    k = 0;
    for (; k + 2 <= n; k += 2) {
      const p = (k as usize) << 3;
      const e = vexp(f64x2.sub(v128.load(x + p), ms));
      sv = f64x2.add(sv, e);
      if (!log) v128.store(out + p, e);
    }
    let total = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
    for (; k < n; k++) {
      const p = (k as usize) << 3;
      const e = sexp(load<f64>(x + p) - m);
      total += e;
      if (!log) store<f64>(out + p, e);
    }
    if (log) {
      const shift = f64x2.splat(m + Math.log(total));
      k = 0;
      for (; k + 2 <= n; k += 2) {
        const p = (k as usize) << 3;
        v128.store(out + p, f64x2.sub(v128.load(x + p), shift));
      }
      const s = m + Math.log(total);
      for (; k < n; k++) store<f64>(out + ((k as usize) << 3), load<f64>(x + ((k as usize) << 3)) - s);
    } else {
      const inv = f64x2.splat(1.0 / total);
      k = 0;
      for (; k + 2 <= n; k += 2) {
        const p = (k as usize) << 3;
        v128.store(out + p, f64x2.mul(v128.load(out + p), inv));
      }
      for (; k < n; k++) store<f64>(out + ((k as usize) << 3), load<f64>(out + ((k as usize) << 3)) / total);
    }
  }
}
