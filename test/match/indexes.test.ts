import { describe, expect, it } from 'vitest';
import { popcount32 } from '../../src/fingerprint/hash32.js';
import { PdqIndex } from '../../src/match/pdq-index.js';
import { SimhashIndex } from '../../src/match/simhash-index.js';
import { rng } from '../helpers/words.js';

const u32 = (r: () => number) => Math.floor(r() * 2 ** 32) >>> 0;

describe('SimhashIndex (4 × 16-bit block tables)', () => {
  it('finds exactly what a brute-force scan finds within distance 3', () => {
    const r = rng(1);
    const n = 20_000;
    const hi = new Uint32Array(n);
    const lo = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      hi[i] = u32(r);
      lo[i] = u32(r);
    }
    // Plant neighbours at distances 0..4 of some entries.
    for (let i = 0; i < 500; i++) {
      const src = Math.floor(r() * n);
      const dst = Math.floor(r() * n);
      let h = hi[src]!;
      let l = lo[src]!;
      const flips = i % 5;
      for (let f = 0; f < flips; f++) {
        const bit = Math.floor(r() * 64);
        if (bit < 32) h = (h ^ (1 << bit)) >>> 0;
        else l = (l ^ (1 << (bit - 32))) >>> 0;
      }
      hi[dst] = h;
      lo[dst] = l;
    }
    const index = new SimhashIndex(hi, lo);
    for (let q = 0; q < 300; q++) {
      const qi = Math.floor(r() * n);
      const got = index.near(hi[qi]!, lo[qi]!).map((h) => `${h.entry}:${h.distance}`).sort();
      const want: string[] = [];
      for (let i = 0; i < n; i++) {
        const d = popcount32((hi[i]! ^ hi[qi]!) >>> 0) + popcount32((lo[i]! ^ lo[qi]!) >>> 0);
        if (d <= 3) want.push(`${i}:${d}`);
      }
      expect(got).toEqual(want.sort());
    }
  });
  it('refuses distances the block layout cannot guarantee', () => {
    expect(() => new SimhashIndex(new Uint32Array(1), new Uint32Array(1)).near(0, 0, 4)).toThrow(RangeError);
  });
});

describe('PdqIndex (32 × 8-bit block tables)', () => {
  it('finds every stored hash within 31 bits, as a scan would, and names the closest variant', () => {
    const r = rng(2);
    const n = 5_000;
    const words = new Uint32Array(n * 8);
    for (let i = 0; i < words.length; i++) words[i] = u32(r);
    const index = new PdqIndex(words);
    const hex = (w: Uint32Array, off: number) => Array.from(w.subarray(off, off + 8), (x) => x.toString(16).padStart(8, '0')).join('');
    for (let q = 0; q < 100; q++) {
      const src = Math.floor(r() * n);
      const query = words.slice(src * 8, src * 8 + 8);
      const flips = q % 40;
      const flipped = new Set<number>();
      while (flipped.size < flips) flipped.add(Math.floor(r() * 256));
      for (const b of flipped) query[b >>> 5] = (query[b >>> 5]! ^ (1 << (b & 31))) >>> 0;
      const decoy = hex(new Uint32Array(8).map(() => u32(r)), 0);
      const hits = index.near([decoy, hex(query, 0)], 31);
      if (flips <= 31) expect(hits.find((h) => h.entry === src)).toMatchObject({ distance: flips, variant: 1 });
      else expect(hits.find((h) => h.entry === src)).toBeUndefined();
    }
  });
});
