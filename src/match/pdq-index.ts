import { popcount32 } from '../fingerprint/hash32.js';
import { pdqToWords } from '../fingerprint/pdq.js';
import { buildBlockTables, type BlockTable } from './block-tables.js';

/**
 * PDQ lookup by multi-index hashing: the 256 bits are cut into 32 bytes; two hashes within
 * distance 31 differ in at most 31 bytes, so they agree on at least one. 32 tables of 256
 * buckets find every candidate within 31 bits; candidates are then compared in full. This
 * keeps a query at about n/8 comparisons instead of n.
 */
export const PDQ_WORDS = 8;
const BLOCKS = 32;
const BUCKETS = 256;

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
  private readonly tables: BlockTable[];
  private readonly stamp: Uint32Array;
  private query = 0;
  readonly size: number;

  /** `words` holds 8 words per entry, entry i at [8i, 8i+8). */
  constructor(private readonly words: Uint32Array) {
    const n = words.length / PDQ_WORDS;
    this.size = n;
    this.stamp = new Uint32Array(n);
    this.tables = buildBlockTables(n, BLOCKS, BUCKETS, (i, b) => byteOf(words, i * PDQ_WORDS, b));
  }

  /** Every entry within `maxDistance` (≤ 31) of any of the query hashes (e.g. 8 dihedral variants). */
  near(queries: readonly string[], maxDistance: number): PdqHit[] {
    if (maxDistance > 31) throw new RangeError('the byte index finds distances up to 31');
    const best = new Map<number, { d: number; v: number }>();
    const q = new Uint32Array(PDQ_WORDS);
    for (let v = 0; v < queries.length; v++) {
      pdqToWords(queries[v] as string, q, 0);
      this.query = (this.query + 1) >>> 0;
      if (this.query === 0) {
        this.stamp.fill(0);
        this.query = 1;
      }
      for (let b = 0; b < BLOCKS; b++) {
        const key = byteOf(q, 0, b);
        const { offsets, order } = this.tables[b] as BlockTable;
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

  /**
   * The smallest distance from any of the query hashes to an entry that `skip` does not
   * exclude, looking no further than `limit` (returns `limit` when nothing is closer). A full
   * scan, beyond the index's 31 bits: used only to confirm that a hit in the doubtful band
   * has no rival, so it runs for few pictures.
   */
  nearestOther(queries: readonly string[], skip: (entry: number) => boolean, limit: number): number {
    const qs = queries.map((h) => pdqToWords(h));
    let best = limit;
    for (let i = 0; i < this.size; i++) {
      if (skip(i)) continue;
      const base = i * PDQ_WORDS;
      for (const q of qs) {
        let d = 0;
        for (let w = 0; w < PDQ_WORDS && d < best; w++) d += popcount32(((this.words[base + w] as number) ^ (q[w] as number)) >>> 0);
        if (d < best) best = d;
      }
    }
    return best;
  }
}
