import { createCipheriv } from 'node:crypto';
import { fmix32 } from './hash32.js';
import type { TokenHashes } from './tokens.js';

/**
 * Winnowing (Schleimer, Wilkerson, Aiken, SIGMOD 2003) over word k-grams: in every window of
 * w consecutive k-gram hashes the smallest is kept (the rightmost on ties), each once. Any
 * run of k + w - 1 words shared by two texts yields at least one common fingerprint.
 *
 * K-gram hashes are 52 bits (exact in a double, so no BigInt on the hot path or in SQLite).
 * The kept ones are then passed through AES-128 under the store key before they leave this
 * module: the stored value is a PRF of the k-gram, useless without the key.
 */
export const WINNOW_K = 8;
export const WINNOW_W = 16;

export interface WinnowFingerprints {
  /** Keyed 52-bit fingerprint values. */
  hashes: Float64Array;
  /** Word index (0-based) of the first word of each fingerprint's k-gram. */
  positions: Uint32Array;
}

const TWO32 = 2 ** 32;
const LOW20 = 0xfffff;

// Polynomial bases of the rolling k-gram hash, one per lane (odd, so multiplication is invertible).
const BASE_A = 0x01000193;
const BASE_B = 0x2127599b;

function pow32(base: number, exp: number): number {
  let r = 1;
  for (let i = 0; i < exp; i++) r = Math.imul(r, base);
  return r;
}

/** 52-bit values of every k-gram (rolling hash over the word hashes). */
export function kgramHashes(tokens: TokenHashes, k = WINNOW_K): Float64Array {
  const n = tokens.count - k + 1;
  if (n <= 0) return new Float64Array(0);
  const { a, b } = tokens;
  const topA = pow32(BASE_A, k - 1);
  const topB = pow32(BASE_B, k - 1);
  let ha = 0;
  let hb = 0;
  for (let j = 0; j < k; j++) {
    ha = (Math.imul(ha, BASE_A) + (a[j] as number)) | 0;
    hb = (Math.imul(hb, BASE_B) + (b[j] as number)) | 0;
  }
  const out = new Float64Array(n);
  for (let i = 0; ; i++) {
    // Mix the lanes so the 52 kept bits depend on both.
    const hi = fmix32((ha ^ Math.imul(hb, 0x9e3779b1)) | 0) & LOW20;
    const lo = fmix32((hb + Math.imul(ha, 0x85ebca77)) | 0);
    out[i] = hi * TWO32 + lo;
    if (i + 1 >= n) break;
    ha = (Math.imul((ha - Math.imul(a[i] as number, topA)) | 0, BASE_A) + (a[i + k] as number)) | 0;
    hb = (Math.imul((hb - Math.imul(b[i] as number, topB)) | 0, BASE_B) + (b[i + k] as number)) | 0;
  }
  return out;
}

/** Robust winnowing with a monotone deque: O(n). Returns selected indices into `values`. */
export function winnowSelect(values: Float64Array, w = WINNOW_W): Uint32Array {
  const n = values.length;
  if (n === 0) return new Uint32Array(0);
  // Texts shorter than one window still get their minimum, so short excerpts can match.
  const window = Math.min(w, n);
  const deque = new Uint32Array(n);
  let head = 0;
  let tail = 0;
  const picked: number[] = [];
  let last = -1;
  for (let j = 0; j < n; j++) {
    const v = values[j] as number;
    // ">=" pops equal values, so the rightmost minimum survives (the paper's tie rule).
    while (tail > head && (values[deque[tail - 1] as number] as number) >= v) tail--;
    deque[tail++] = j;
    if ((deque[head] as number) <= j - window) head++;
    if (j >= window - 1) {
      const m = deque[head] as number;
      if (m !== last) {
        picked.push(m);
        last = m;
      }
    }
  }
  return Uint32Array.from(picked);
}

/** AES-128-ECB as a batch PRF over 52-bit values (one cipher call per document). */
export function keyValues(values: Float64Array, key: Uint8Array): Float64Array {
  const n = values.length;
  if (n === 0) return new Float64Array(0);
  const input = Buffer.alloc(n * 16);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    input.writeUInt32LE(v % TWO32, i * 16);
    input.writeUInt32LE(Math.floor(v / TWO32), i * 16 + 4);
  }
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  const enc = Buffer.concat([cipher.update(input), cipher.final()]);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = (enc.readUInt32LE(i * 16 + 4) & LOW20) * TWO32 + enc.readUInt32LE(i * 16);
  }
  return out;
}

export function winnow(tokens: TokenHashes, key: Uint8Array, k = WINNOW_K, w = WINNOW_W): WinnowFingerprints {
  const grams = kgramHashes(tokens, k);
  const sel = winnowSelect(grams, w);
  const raw = new Float64Array(sel.length);
  for (let i = 0; i < sel.length; i++) raw[i] = grams[sel[i] as number] as number;
  return { hashes: keyValues(raw, key), positions: sel };
}
