/**
 * PDQ's pixel pipeline: luma → two-pass Jarosz box filter → 64×64 decimation → quality metric
 * → 16×16 DCT. Follows Meta's C++ reference (ThreatExchange pdq/cpp: hashing/pdqhashing.cpp,
 * downscaling/downscaling.cpp) step by step.
 *
 * The reference does all of this in 32-bit `float`. JavaScript computes in doubles, and the
 * small differences would flip hash bits whose DCT coefficient sits next to the median, so each
 * float operation is rounded with Math.fround (or by storing into a Float32Array, which rounds
 * the same way). For +, −, ×, ÷ of two floats, the double result rounded once to float equals
 * the float operation, so this reproduces the reference bit for bit on the same luma.
 */
import type { LumaImage } from '../extract/types.js';

const f = Math.fround;

/** The reference returns an all-zero hash with quality 0 below this size. */
export const PDQ_MIN_HASHABLE_DIM = 5;

/** Two X+Y passes of the box filter approximate a tent filter (the reference's choice). */
const JAROSZ_PASSES = 2;

/**
 * DCT-II basis rows 1..16 (row 0, the DC term, carries no structure) over 64 samples, as the
 * reference builds it: a float scale factor times a double cosine, stored as float.
 */
const DCT_MATRIX: Float32Array = (() => {
  const m = new Float32Array(16 * 64);
  const scale = f(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      m[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
    }
  }
  return m;
})();

/** The reference's window: half of old/new per pass, rounded up (two passes cover old/new). */
export function jaroszWindowSize(oldDimension: number, newDimension: number): number {
  return Math.trunc((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
}

// Scratch buffers reused across calls: hashing is synchronous, so no two calls interleave. Big
// ones are kept only up to PDQ's normal input size so one odd huge image does not pin memory.
const KEEP_SCRATCH_PIXELS = 512 * 512;
let scratchA = new Float32Array(KEEP_SCRATCH_PIXELS);
let scratchB = new Float32Array(KEEP_SCRATCH_PIXELS);
const colSums = new Float32Array(4096);
const buf64 = new Float32Array(64 * 64);
const buf16x64 = new Float32Array(16 * 64);

function scratch(n: number): [Float32Array, Float32Array] {
  if (n <= scratchA.length) return [scratchA, scratchB];
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  if (n <= KEEP_SCRATCH_PIXELS) [scratchA, scratchB] = [a, b];
  return [a, b];
}

/**
 * Box filter along each row, window `w`, shrinking the window at both ends as the reference
 * does (its four phases: fill, write while growing, slide, write while shrinking).
 *
 * Each output depends on the previous running sum, a chain of float roundings the CPU cannot
 * overlap within one row; four rows are filtered side by side so four chains run in parallel
 * (about 2.5× faster). Arithmetic per row is unchanged.
 */
function boxAlongRows(src: Float32Array, dst: Float32Array, rows: number, cols: number, w: number): void {
  const half = Math.trunc((w + 2) / 2);
  const p1 = half - 1;
  const p2 = w - half + 1;
  const p3 = cols - w;
  const p4 = half - 1;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const b0 = r * cols;
    const b1 = b0 + cols;
    const b2 = b1 + cols;
    const b3 = b2 + cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let n = 0;
    let ri = 0;
    let li = 0;
    let oi = 0;
    for (let i = 0; i < p1; i++, ri++) {
      s0 = f(s0 + src[b0 + ri]!);
      s1 = f(s1 + src[b1 + ri]!);
      s2 = f(s2 + src[b2 + ri]!);
      s3 = f(s3 + src[b3 + ri]!);
      n++;
    }
    for (let i = 0; i < p2; i++, ri++, oi++) {
      n++;
      dst[b0 + oi] = (s0 = f(s0 + src[b0 + ri]!)) / n;
      dst[b1 + oi] = (s1 = f(s1 + src[b1 + ri]!)) / n;
      dst[b2 + oi] = (s2 = f(s2 + src[b2 + ri]!)) / n;
      dst[b3 + oi] = (s3 = f(s3 + src[b3 + ri]!)) / n;
    }
    for (let i = 0; i < p3; i++, ri++, li++, oi++) {
      dst[b0 + oi] = (s0 = f(f(s0 + src[b0 + ri]!) - src[b0 + li]!)) / n;
      dst[b1 + oi] = (s1 = f(f(s1 + src[b1 + ri]!) - src[b1 + li]!)) / n;
      dst[b2 + oi] = (s2 = f(f(s2 + src[b2 + ri]!) - src[b2 + li]!)) / n;
      dst[b3 + oi] = (s3 = f(f(s3 + src[b3 + ri]!) - src[b3 + li]!)) / n;
    }
    for (let i = 0; i < p4; i++, li++, oi++) {
      n--;
      dst[b0 + oi] = (s0 = f(s0 - src[b0 + li]!)) / n;
      dst[b1 + oi] = (s1 = f(s1 - src[b1 + li]!)) / n;
      dst[b2 + oi] = (s2 = f(s2 - src[b2 + li]!)) / n;
      dst[b3 + oi] = (s3 = f(s3 - src[b3 + li]!)) / n;
    }
  }
  for (; r < rows; r++) {
    const base = r * cols;
    let li = base;
    let ri = base;
    let oi = base;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < p1; i++) {
      sum = f(sum + src[ri++]!);
      n++;
    }
    for (let i = 0; i < p2; i++) {
      sum = f(sum + src[ri++]!);
      n++;
      dst[oi++] = sum / n;
    }
    for (let i = 0; i < p3; i++) {
      sum = f(f(sum + src[ri++]!) - src[li++]!);
      dst[oi++] = sum / n;
    }
    for (let i = 0; i < p4; i++) {
      sum = f(sum - src[li++]!);
      n--;
      dst[oi++] = sum / n;
    }
  }
}

/**
 * Box filter along each column. Same arithmetic per column as the reference, but all columns
 * advance together row by row: strided column walks would miss the cache on every pixel.
 * `colSums` is a Float32Array, so every store rounds like the reference's `float sum`.
 */
function boxAlongCols(src: Float32Array, dst: Float32Array, rows: number, cols: number, w: number): void {
  const sums = cols <= colSums.length ? colSums : new Float32Array(cols);
  sums.fill(0, 0, cols);
  const half = Math.trunc((w + 2) / 2);
  const p1 = half - 1;
  const p2 = w - half + 1;
  const p3 = rows - w;
  const p4 = half - 1;
  let ri = 0;
  let li = 0;
  let oi = 0;
  let n = 0;
  for (let i = 0; i < p1; i++, ri += cols) {
    for (let j = 0; j < cols; j++) sums[j] = sums[j]! + src[ri + j]!;
    n++;
  }
  for (let i = 0; i < p2; i++, ri += cols, oi += cols) {
    n++;
    for (let j = 0; j < cols; j++) {
      sums[j] = sums[j]! + src[ri + j]!;
      dst[oi + j] = sums[j]! / n;
    }
  }
  for (let i = 0; i < p3; i++, ri += cols, li += cols, oi += cols) {
    for (let j = 0; j < cols; j++) {
      const s = f(f(sums[j]! + src[ri + j]!) - src[li + j]!);
      sums[j] = s;
      dst[oi + j] = s / n;
    }
  }
  for (let i = 0; i < p4; i++, li += cols, oi += cols) {
    n--;
    for (let j = 0; j < cols; j++) {
      sums[j] = sums[j]! - src[li + j]!;
      dst[oi + j] = sums[j]! / n;
    }
  }
}

/** Nearest sample at the centre of each of 64×64 target cells (the reference's decimation). */
function decimateTo64(src: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let oi = 0; oi < 64; oi++) {
    const row = Math.trunc(((oi + 0.5) * rows) / 64) * cols;
    for (let oj = 0; oj < 64; oj++) {
      out[oi * 64 + oj] = src[row + Math.trunc(((oj + 0.5) * cols) / 64)]!;
    }
  }
}

/**
 * Quality: how much significant structure the 64×64 image has. Differences of neighbours are
 * quantised to percent of full scale (truncated, so faint gradients count zero) and summed;
 * 90 is the reference's heuristic scale, capped at 100.
 */
function qualityOf(a: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      const d = Math.trunc(f(f(f(a[i * 64 + j]! - a[(i + 1) * 64 + j]!) * 100) / 255));
      sum += Math.abs(d);
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      const d = Math.trunc(f(f(f(a[i * 64 + j]! - a[i * 64 + j + 1]!) * 100) / 255));
      sum += Math.abs(d);
    }
  }
  return Math.min(100, Math.trunc(sum / 90));
}

/**
 * Coefficients (1..16)×(1..16) of the 2-D DCT of the 64×64 image: B = D·A·Dᵀ, computing only
 * what is kept (the reference found this faster than a fast full transform). Accumulation
 * order matches the reference's so float rounding matches too.
 */
function dct64To16(a: Float32Array, t: Float32Array, out: Float32Array): void {
  const d = DCT_MATRIX;
  for (let i = 0; i < 16; i++) {
    const di = i * 64;
    for (let j = 0; j < 64; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s = f(s + f(d[di + k]! * a[k * 64 + j]!));
      t[di + j] = s;
    }
  }
  for (let i = 0; i < 16; i++) {
    const ti = i * 64;
    for (let j = 0; j < 16; j++) {
      const dj = j * 64;
      let s = 0;
      for (let k = 0; k < 64; k++) s = f(s + f(t[ti + k]! * d[dj + k]!));
      out[i * 16 + j] = s;
    }
  }
}

export interface PdqDct {
  /** 16×16 row-major: [i*16+j] is vertical frequency i+1, horizontal frequency j+1. */
  dct: Float32Array;
  /** 0..100; the reference suggests discarding hashes below 50. */
  quality: number;
}

/**
 * The 16×16 DCT and quality of a luma image, or undefined when the image is smaller than the
 * reference hashes (its hash is then all zeros with quality 0).
 */
export function pdqDct(img: LumaImage): PdqDct | undefined {
  const { width: cols, height: rows, luma } = img;
  if (rows < PDQ_MIN_HASHABLE_DIM || cols < PDQ_MIN_HASHABLE_DIM) return undefined;
  const n = rows * cols;
  if (luma.length < n) throw new RangeError(`luma has ${luma.length} values, expected ${n}`);

  if (rows === 64 && cols === 64) {
    // The reference skips filtering when the caller already downsampled to 64×64 (video).
    buf64.set(luma.subarray(0, n));
  } else {
    const [a, b] = scratch(n);
    a.set(luma.subarray(0, n));
    const wAlongRows = jaroszWindowSize(cols, 64);
    const wAlongCols = jaroszWindowSize(rows, 64);
    for (let p = 0; p < JAROSZ_PASSES; p++) {
      boxAlongRows(a, b, rows, cols, wAlongRows);
      boxAlongCols(b, a, rows, cols, wAlongCols);
    }
    decimateTo64(a, rows, cols, buf64);
  }

  const quality = qualityOf(buf64);
  const dct = new Float32Array(256);
  dct64To16(buf64, buf16x64, dct);
  return { dct, quality };
}
