/**
 * PDQ perceptual image hashing (Meta, ThreatExchange): 256-bit hashes that stay within a few
 * bits under re-encoding, resizing and mild edits, plus the 8 rotations/flips computed from
 * one DCT, and fast Hamming distance for matching. Pure computation, no I/O.
 *
 * Hex format is the reference's `Hash256::format()`: 16 words of 16 bits, word 15 first; bit j
 * of word i is set when DCT coefficient (i, j) is above the median. Hashes are interchangeable
 * with other PDQ implementations (HMA, ThreatExchange).
 */
import { FatalError } from '../errors.js';
import type { LumaImage } from '../extract/types.js';
import { pdqDct } from './pdq-dct.js';

export interface PdqResult {
  /** 64 lowercase hex digits. */
  hash: string;
  /** 0..100; HMA discards hashes below 50 as too featureless to match on. */
  quality: number;
}

export interface PdqDihedralResult {
  /** original, rot90, rot180, rot270, flipX, flipY, transpose, transverse (see DIHEDRAL_NAMES). */
  hashes: string[];
  quality: number;
}

/**
 * The reference's names and order. Rotations are counter-clockwise (rot90 = the hash of the
 * image turned 90° anticlockwise, i.e. sharp's rotate(270)); flipX mirrors top↔bottom (about
 * the X axis: sharp's flip()), flipY mirrors left↔right (sharp's flop()); transpose mirrors
 * about the main diagonal, transverse about the anti-diagonal.
 */
export const DIHEDRAL_NAMES = [
  'original',
  'rot90',
  'rot180',
  'rot270',
  'flipX',
  'flipY',
  'transpose',
  'transverse',
] as const;

const ZERO_HASH = '0'.repeat(64);
const HEX = '0123456789abcdef';

/**
 * Median as the reference computes it (Torben Mogensen's method, Devillard's code): the lower
 * median for an even count, without sorting or modifying the input. Terminates because every
 * round strictly narrows [min, max] to values present in the array.
 */
function torbenMedian(m: Float32Array): number {
  const n = m.length;
  const halfUp = (n + 1) >> 1; // C integer division
  let min = m[0]!;
  let max = min;
  for (let i = 1; i < n; i++) {
    const v = m[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let less: number;
  let greater: number;
  let equal: number;
  let guess: number;
  let maxLtGuess: number;
  let minGtGuess: number;
  for (;;) {
    guess = Math.fround((min + max) / 2);
    less = 0;
    greater = 0;
    equal = 0;
    maxLtGuess = min;
    minGtGuess = max;
    for (let i = 0; i < n; i++) {
      const v = m[i]!;
      if (v < guess) {
        less++;
        if (v > maxLtGuess) maxLtGuess = v;
      } else if (v > guess) {
        greater++;
        if (v < minGtGuess) minGtGuess = v;
      } else {
        equal++;
      }
    }
    if (less <= halfUp && greater <= halfUp) break;
    if (less > greater) max = maxLtGuess;
    else min = minGtGuess;
  }
  if (less >= halfUp) return maxLtGuess;
  if (less + equal >= halfUp) return guess;
  return minGtGuess;
}

/** Thresholds the 16×16 coefficients at their median and formats the bits as the reference. */
function dctToHex(dct: Float32Array): string {
  const median = torbenMedian(dct);
  let hex = '';
  for (let i = 15; i >= 0; i--) {
    let word = 0;
    for (let j = 0; j < 16; j++) if (dct[i * 16 + j]! > median) word |= 1 << j;
    hex += HEX[word >> 12]! + HEX[(word >> 8) & 15]! + HEX[(word >> 4) & 15]! + HEX[word & 15]!;
  }
  return hex;
}

/** PDQ hash and quality of a luma image (EXIF-oriented, ≤ 512 px a side, see decodeImage). */
export function pdqHash(img: LumaImage): PdqResult {
  const r = pdqDct(img);
  if (!r) return { hash: ZERO_HASH, quality: 0 };
  return { hash: dctToHex(r.dct), quality: r.quality };
}

/**
 * Sign/transpose pattern of each dihedral transform in the DCT domain. Mirroring the image
 * along one axis negates the coefficients of odd frequency along that axis (index i or j even,
 * since index 0 is frequency 1); a quarter turn is a transpose plus one such mirror.
 */
type Pattern = { transpose: boolean; negate: (i: number, j: number) => boolean };
const PATTERNS: readonly Pattern[] = [
  { transpose: false, negate: () => false }, // original
  { transpose: true, negate: (_i, j) => (j & 1) === 0 }, // rot90
  { transpose: false, negate: (i, j) => ((i + j) & 1) === 1 }, // rot180
  { transpose: true, negate: (i) => (i & 1) === 0 }, // rot270
  { transpose: false, negate: (i) => (i & 1) === 0 }, // flipX
  { transpose: false, negate: (_i, j) => (j & 1) === 0 }, // flipY
  { transpose: true, negate: () => false }, // transpose
  { transpose: true, negate: (i, j) => ((i + j) & 1) === 1 }, // transverse
];

// Precomputed per pattern: destination index and sign for each source coefficient.
const DIHEDRAL_MAPS = PATTERNS.map(({ transpose, negate }) => {
  const dest = new Uint16Array(256);
  const sign = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      dest[i * 16 + j] = transpose ? j * 16 + i : i * 16 + j;
      sign[i * 16 + j] = negate(i, j) ? -1 : 1;
    }
  }
  return { dest, sign };
});

/**
 * The 8 dihedral hashes (order of DIHEDRAL_NAMES) from one pass over the pixels: a leak that
 * rotated or mirrored a picture matches when any of these is near the other side's hash.
 */
export function pdqDihedral(img: LumaImage): PdqDihedralResult {
  const r = pdqDct(img);
  if (!r) return { hashes: DIHEDRAL_NAMES.map(() => ZERO_HASH), quality: 0 };
  const aux = new Float32Array(256);
  const hashes = DIHEDRAL_MAPS.map(({ dest, sign }) => {
    for (let k = 0; k < 256; k++) aux[dest[k]!] = sign[k]! * r.dct[k]!;
    return dctToHex(aux);
  });
  return { hashes, quality: r.quality };
}

const HEX_HASH = /^[0-9a-fA-F]{64}$/;

/** True for a 64-hex-digit string. */
export function isPdqHex(hex: string): boolean {
  return HEX_HASH.test(hex);
}

/**
 * A hash as 8 unsigned 32-bit words (hex digits 8k..8k+7 in word k), the form matching scans
 * use: pack many into one Uint32Array and compare with pdqDistance at offsets 8·n.
 */
export function pdqToWords(hex: string, out: Uint32Array = new Uint32Array(8), offset = 0): Uint32Array {
  if (!HEX_HASH.test(hex)) throw new FatalError('E_USAGE', `not a PDQ hash (64 hex digits): ${hex.slice(0, 80)}`);
  for (let k = 0; k < 8; k++) out[offset + k] = Number.parseInt(hex.slice(k * 8, k * 8 + 8), 16) >>> 0;
  return out;
}

/** Inverse of pdqToWords. */
export function pdqFromWords(words: Uint32Array, offset = 0): string {
  let hex = '';
  for (let k = 0; k < 8; k++) hex += words[offset + k]!.toString(16).padStart(8, '0');
  return hex;
}

/** Bits set in a 32-bit value (SWAR: no table, no branches). */
function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Hamming distance between the hashes at a[aOff..aOff+8) and b[bOff..bOff+8). */
export function pdqDistance(a: Uint32Array, aOff: number, b: Uint32Array, bOff: number): number {
  return (
    popcount32(a[aOff]! ^ b[bOff]!) +
    popcount32(a[aOff + 1]! ^ b[bOff + 1]!) +
    popcount32(a[aOff + 2]! ^ b[bOff + 2]!) +
    popcount32(a[aOff + 3]! ^ b[bOff + 3]!) +
    popcount32(a[aOff + 4]! ^ b[bOff + 4]!) +
    popcount32(a[aOff + 5]! ^ b[bOff + 5]!) +
    popcount32(a[aOff + 6]! ^ b[bOff + 6]!) +
    popcount32(a[aOff + 7]! ^ b[bOff + 7]!)
  );
}

/** Hamming distance of two hex hashes (convenience; use words + pdqDistance in scans). */
export function pdqHammingHex(a: string, b: string): number {
  const wa = pdqToWords(a);
  const wb = pdqToWords(b);
  return pdqDistance(wa, 0, wb, 0);
}
