import { popcount32 } from '../fingerprint/hash32.js';
import { buildBlockTables, type BlockTable } from './block-tables.js';

/**
 * Near-duplicate lookup without a scan (Manku et al., WWW 2007): the 64 bits are cut into
 * four 16-bit blocks; two hashes within Hamming distance 3 differ in at most three blocks, so
 * they agree exactly on at least one. One table per block, each sorted by that block (a
 * counting sort into offsets), finds every candidate; only candidates are compared in full.
 * Memory: 4 × 4 bytes per document plus the hashes themselves.
 */
export const SIMHASH_MAX_DISTANCE = 3;
const BLOCKS = 4;
const BUCKETS = 1 << 16;

function blockOf(hi: number, lo: number, b: number): number {
  switch (b) {
    case 0:
      return hi >>> 16;
    case 1:
      return hi & 0xffff;
    case 2:
      return lo >>> 16;
    default:
      return lo & 0xffff;
  }
}

export interface SimhashHit {
  /** Index of the entry (as passed to the constructor). */
  entry: number;
  distance: number;
}

export class SimhashIndex {
  private readonly tables: BlockTable[];
  private readonly stamp: Uint32Array;
  private query = 0;

  constructor(
    private readonly hi: Uint32Array,
    private readonly lo: Uint32Array,
  ) {
    const n = hi.length;
    this.stamp = new Uint32Array(n);
    this.tables = buildBlockTables(n, BLOCKS, BUCKETS, (i, b) => blockOf(hi[i] as number, lo[i] as number, b));
  }

  get size(): number {
    return this.hi.length;
  }

  /** Every entry within `maxDistance` (≤ 3) of the query, nearest first. */
  near(qhi: number, qlo: number, maxDistance = SIMHASH_MAX_DISTANCE): SimhashHit[] {
    if (maxDistance > SIMHASH_MAX_DISTANCE) throw new RangeError(`the block index finds distances up to ${SIMHASH_MAX_DISTANCE}`);
    this.query = (this.query + 1) >>> 0;
    if (this.query === 0) {
      this.stamp.fill(0);
      this.query = 1;
    }
    const hits: SimhashHit[] = [];
    for (let b = 0; b < BLOCKS; b++) {
      const key = blockOf(qhi, qlo, b);
      const { offsets, order } = this.tables[b] as BlockTable;
      const end = offsets[key + 1] as number;
      for (let p = offsets[key] as number; p < end; p++) {
        const i = order[p] as number;
        if (this.stamp[i] === this.query) continue;
        this.stamp[i] = this.query;
        const d = popcount32(((this.hi[i] as number) ^ qhi) >>> 0) + popcount32(((this.lo[i] as number) ^ qlo) >>> 0);
        if (d <= maxDistance) hits.push({ entry: i, distance: d });
      }
    }
    return hits.sort((x, y) => x.distance - y.distance || x.entry - y.entry);
  }
}
