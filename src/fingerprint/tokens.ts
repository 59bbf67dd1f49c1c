import { fmix32 } from './hash32.js';

/**
 * Per-word hashes of a normalised text, in two independent 32-bit lanes (64 bits together),
 * seeded with the store's secret seeds. Scanning the normalised string char by char avoids
 * allocating a substring per word, which is what makes the text tiers fast.
 */
export interface TokenHashes {
  count: number;
  /** Lane A hash of word i. */
  a: Uint32Array;
  /** Lane B hash of word i. */
  b: Uint32Array;
}

export function hashTokens(normalised: string, seeds: Uint32Array): TokenHashes {
  // Upper bound: every other character starts a word.
  const cap = (normalised.length >>> 1) + 1;
  const a = new Uint32Array(cap);
  const b = new Uint32Array(cap);
  const seedA = seeds[0] ?? 0;
  const seedB = seeds[1] ?? 0;
  let count = 0;
  let ha = seedA;
  let hb = seedB;
  let inWord = false;
  const n = normalised.length;
  for (let i = 0; i < n; i++) {
    const c = normalised.charCodeAt(i);
    if (c === 32) {
      if (inWord) {
        a[count] = fmix32(ha);
        b[count] = fmix32(hb);
        count++;
        inWord = false;
        ha = seedA;
        hb = seedB;
      }
      continue;
    }
    // FNV-1a in lane A, a multiply-rotate hash in lane B: different structures, so their
    // collisions are independent.
    ha = Math.imul(ha ^ c, 0x01000193);
    hb = Math.imul((hb << 5) | (hb >>> 27), 0x9e3779b1) ^ c;
    inWord = true;
  }
  if (inWord) {
    a[count] = fmix32(ha);
    b[count] = fmix32(hb);
    count++;
  }
  return { count, a, b };
}
