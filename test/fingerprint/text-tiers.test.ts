import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKeys } from '../../src/fingerprint/keys.js';
import { normaliseText } from '../../src/fingerprint/normalize.js';
import { simhash64, simhashDistance } from '../../src/fingerprint/simhash.js';
import { textHash } from '../../src/fingerprint/text-hash.js';
import { hashTokens } from '../../src/fingerprint/tokens.js';
import { kgramHashes, winnow, WINNOW_K, WINNOW_W, winnowSelect } from '../../src/fingerprint/winnow.js';
import { randomText, randomWords, rng } from '../helpers/words.js';

const keys = deriveKeys(Buffer.alloc(32, 7));
const tokens = (s: string) => hashTokens(normaliseText(s), keys.tokenSeeds);

describe('normaliseText', () => {
  it('ignores case, whitespace, line breaks and punctuation spacing', () => {
    expect(normaliseText('  Patient  was SEEN\r\non 12/03/2024 -- BP: 120/80. ')).toBe('patient was seen on 12 03 2024 bp 120 80');
  });
  it('applies NFKC and removes zero-width characters inside words', () => {
    expect(normaliseText('ﬁle ＡＢＣ pa\u200Btient co\u00ADoperate')).toBe('file abc patient cooperate');
  });
  it('keeps non-Latin letters and combining marks as words', () => {
    expect(normaliseText('Māori — Ōtautahi, Ärztin')).toBe('māori ōtautahi ärztin');
  });
});

describe('keyed text hash', () => {
  it('is equal for reformatted copies and differs under another key', () => {
    const a = randomText(200, 1);
    const b = a.toUpperCase().replace(/\n/g, '  ').replace(/\./g, ' . ');
    expect(textHash(normaliseText(a), keys.textKey)).toBe(textHash(normaliseText(b), keys.textKey));
    const other = deriveKeys(randomBytes(32));
    expect(textHash(normaliseText(a), other.textKey)).not.toBe(textHash(normaliseText(a), keys.textKey));
  });
  it('is not computed for texts under 50 normalised characters', () => {
    expect(textHash(normaliseText('short note'), keys.textKey)).toBeUndefined();
  });
});

describe('simhash64', () => {
  it('is identical for identical text and close after one inserted word', () => {
    const words = randomWords(600, 2);
    const a = simhash64(tokens(words.join(' ')));
    const edited = [...words];
    edited.splice(300, 0, 'inserted');
    const b = simhash64(tokens(edited.join(' ')));
    expect(a && b).toBeTruthy();
    expect(simhashDistance(a!, simhash64(tokens(words.join(' ')))!)).toBe(0);
    expect(simhashDistance(a!, b!)).toBeLessThanOrEqual(3);
  });
  it('puts unrelated texts far apart', () => {
    let min = 64;
    const hashes = Array.from({ length: 60 }, (_, i) => simhash64(tokens(randomText(300, 100 + i)))!);
    for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) min = Math.min(min, simhashDistance(hashes[i]!, hashes[j]!));
    expect(min).toBeGreaterThan(10);
  });
  it('is not computed for very short texts', () => {
    expect(simhash64(tokens('only a few words here'))).toBeUndefined();
  });
});

describe('winnowing', () => {
  it('selects the minimum of every window (checked against a brute-force definition)', () => {
    const grams = kgramHashes(tokens(randomText(500, 3)));
    const sel = new Set(winnowSelect(grams, WINNOW_W));
    for (let s = 0; s + WINNOW_W <= grams.length; s++) {
      let m = s;
      for (let j = s; j < s + WINNOW_W; j++) if (grams[j]! <= grams[m]!) m = j;
      expect(sel.has(m)).toBe(true);
    }
  });
  it('guarantees a shared fingerprint for any shared run of k + w - 1 = 23 words', () => {
    const r = rng(11);
    for (let trial = 0; trial < 200; trial++) {
      const shared = randomWords(WINNOW_K + WINNOW_W - 1, 1000 + trial);
      const before = randomWords(Math.floor(r() * 80), 5000 + trial);
      const after = randomWords(Math.floor(r() * 80), 9000 + trial);
      const a = winnow(tokens([...before, ...shared].join(' ')), keys.winnowKey);
      const b = winnow(tokens([...shared, ...after].join(' ')), keys.winnowKey);
      const setA = new Set(a.hashes);
      expect([...b.hashes].some((h) => setA.has(h))).toBe(true);
    }
  });
  it('keeps about 2/(w+1) fingerprints per word', () => {
    const t = tokens(randomText(20_000, 4));
    const density = winnow(t, keys.winnowKey).hashes.length / t.count;
    expect(density).toBeGreaterThan(0.09);
    expect(density).toBeLessThan(0.15);
  });
  it('stores keyed values: another key gives unrelated fingerprints', () => {
    const t = tokens(randomText(2_000, 5));
    const a = new Set(winnow(t, keys.winnowKey).hashes);
    const other = deriveKeys(Buffer.alloc(32, 9));
    const b = winnow(hashTokens(normaliseText(randomText(2_000, 5)), other.tokenSeeds), other.winnowKey).hashes;
    expect([...b].filter((h) => a.has(h)).length).toBe(0);
    for (const h of a) expect(Number.isSafeInteger(h) && h >= 0 && h < 2 ** 52).toBe(true);
  });
});
