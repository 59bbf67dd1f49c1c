import { fmix32, popcount32 } from './hash32.js';
import type { TokenHashes } from './tokens.js';

/**
 * 64-bit Charikar simhash over word 3-shingles (Manku, Jain, Das Sarma, WWW 2007), returned
 * as two unsigned 32-bit halves. The shingle hashes derive from the keyed token hashes, so a
 * simhash is only comparable with others made under the same store key.
 *
 * Each bit needs "more shingles had a 1 here than a 0". Instead of 64 counter updates per
 * shingle, the counters are kept bit-sliced (slice k holds bit k of all 32 counters of a
 * lane): adding a shingle is a ripple-carry over the slices, ~2 word operations on average.
 */
export interface Simhash {
  hi: number;
  lo: number;
}

export const SIMHASH_SHINGLE = 3;
/** Fewer words than this give too few shingles for a meaningful near-duplicate signature. */
export const SIMHASH_MIN_TOKENS = 20;

const SLICES = 32;

/** Adds a 32-bit value to bit-sliced counters; returns the highest slice touched. */
function addSliced(slices: Uint32Array, value: number): number {
  let carry = value;
  let k = 0;
  for (; carry !== 0 && k < SLICES; k++) {
    const s = slices[k] as number;
    slices[k] = s ^ carry;
    carry = s & carry;
  }
  return k;
}

function majorityBits(slices: Uint32Array, used: number, total: number): number {
  let out = 0;
  for (let bit = 0; bit < 32; bit++) {
    let count = 0;
    // Only the slices ever reached hold bits; the counts fit in 31 bits for any real text.
    for (let k = 0; k < used; k++) count |= (((slices[k] as number) >>> bit) & 1) << k;
    if (2 * count > total) out |= 1 << bit;
  }
  return out >>> 0;
}

export function simhash64(tokens: TokenHashes): Simhash | undefined {
  const n = tokens.count;
  if (n < SIMHASH_MIN_TOKENS) return undefined;
  const { a, b } = tokens;
  const hiSlices = new Uint32Array(SLICES);
  const loSlices = new Uint32Array(SLICES);
  const shingles = n - SIMHASH_SHINGLE + 1;
  let usedHi = 0;
  let usedLo = 0;
  for (let i = 0; i < shingles; i++) {
    // Order-sensitive combination of three word hashes per lane.
    const hi = fmix32(
      (Math.imul(a[i] as number, 0x9e3779b1) + Math.imul(a[i + 1] as number, 0x85ebca77) + Math.imul(a[i + 2] as number, 0xc2b2ae3d)) | 0,
    );
    const lo = fmix32(
      (Math.imul(b[i] as number, 0x27d4eb2f) + Math.imul(b[i + 1] as number, 0x165667b1) + Math.imul(b[i + 2] as number, 0xd3a2646c)) | 0,
    );
    usedHi = Math.max(usedHi, addSliced(hiSlices, hi));
    usedLo = Math.max(usedLo, addSliced(loSlices, lo));
  }
  return { hi: majorityBits(hiSlices, usedHi, shingles), lo: majorityBits(loSlices, usedLo, shingles) };
}

export function simhashDistance(x: Simhash, y: Simhash): number {
  return popcount32((x.hi ^ y.hi) >>> 0) + popcount32((x.lo ^ y.lo) >>> 0);
}

export function simhashToHex(s: Simhash): string {
  return (s.hi >>> 0).toString(16).padStart(8, '0') + (s.lo >>> 0).toString(16).padStart(8, '0');
}

export function simhashFromHex(hex: string): Simhash {
  if (!/^[0-9a-f]{16}$/i.test(hex)) throw new RangeError(`not a 64-bit simhash: ${hex}`);
  return { hi: parseInt(hex.slice(0, 8), 16) >>> 0, lo: parseInt(hex.slice(8), 16) >>> 0 };
}
