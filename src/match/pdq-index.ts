import { popcount32 } from '../fingerprint/hash32.js';

/**
 * PDQ lookup by multi-index hashing: the 256 bits are cut into 32 bytes; two hashes within
 * distance 31 differ in at most 31 bytes, so they agree on at least one. 32 tables of 256
 * buckets find every candidate within 31 bits; candidates are then compared in full. This
 * keeps a query at about n/8 comparisons instead of n.
 */
export const PDQ_WORDS = 8;
const BLOCKS = 32;
const BUCKETS = 256;

/** Parses 64 hex digits into 8 words at `out[off..off+8)` (word 0 = first 8 hex digits). */
export function pdqWordsInto(hex: string, out: Uint32Array, off: number): void {
  if (hex.length !== 64) throw new RangeError(`not a PDQ hash: ${hex}`);
  for (let w = 0; w < PDQ_WORDS; w++) out[off + w] = parseInt(hex.slice(w * 8, w * 8 + 8), 16) >>> 0;
}

function byteOf(words: Uint32Array, off: number, b: number): number {
  return ((words[off + (b >>> 2)] as number) >>> ((b & 3) * 8)) & 0xff;
}

export interface PdqHit {
  entry: number;
  distance: number;
  /** Which query hash (e.g. which rotation/flip) came closest. */
  variant: number;
}

export class PdqIndex {
  private readonly offsets: Uint32Array[] = [];
  private readonly order: Uint32Array[] = [];
  private readonly stamp: Uint32Array;
  private query = 0;
  readonly size: number;

  /** `words` holds 8 words per entry, entry i at [8i, 8i+8). */
  constructor(private readonly words: Uint32Array) {
    const n = words.length / PDQ_WORDS;
    this.size = n;
    this.stamp = new Uint32Array(n);
    for (let b = 0; b < BLOCKS; b++) {
      const offsets = new Uint32Array(BUCKETS + 1);
      for (let i = 0; i < n; i++) { const k = byteOf(words, i * PDQ_WORDS, b) + 1; offsets[k] = (offsets[k] as number) + 1; }
      for (let k = 0; k < BUCKETS; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
      const fill = offsets.slice(0, BUCKETS);
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const key = byteOf(words, i * PDQ_WORDS, b);
        order[fill[key] as number] = i;
        fill[key] = (fill[key] as number) + 1;
      }
      this.offsets.push(offsets);
      this.order.push(order);
    }
  }

  /** Every entry within `maxDistance` (≤ 31) of any of the query hashes (e.g. 8 dihedral variants). */
  near(queries: readonly string[], maxDistance: number): PdqHit[] {
    if (maxDistance > 31) throw new RangeError('the byte index finds distances up to 31');
    const best = new Map<number, { d: number; v: number }>();
    const q = new Uint32Array(PDQ_WORDS);
    for (let v = 0; v < queries.length; v++) {
      pdqWordsInto(queries[v] as string, q, 0);
      this.query = (this.query + 1) >>> 0;
      if (this.query === 0) {
        this.stamp.fill(0);
        this.query = 1;
      }
      for (let b = 0; b < BLOCKS; b++) {
        const key = byteOf(q, 0, b);
        const offsets = this.offsets[b] as Uint32Array;
        const order = this.order[b] as Uint32Array;
        const end = offsets[key + 1] as number;
        for (let p = offsets[key] as number; p < end; p++) {
          const i = order[p] as number;
          if (this.stamp[i] === this.query) continue;
          this.stamp[i] = this.query;
          const base = i * PDQ_WORDS;
          let d = 0;
          for (let w = 0; w < PDQ_WORDS && d <= maxDistance; w++) d += popcount32(((this.words[base + w] as number) ^ (q[w] as number)) >>> 0);
          if (d <= maxDistance && d < (best.get(i)?.d ?? 257)) best.set(i, { d, v });
        }
      }
    }
    return [...best].map(([entry, b]) => ({ entry, distance: b.d, variant: b.v })).sort((x, y) => x.distance - y.distance || x.entry - y.entry);
  }
}
