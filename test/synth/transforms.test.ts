import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Rng, containment, cropImage, shingleSet, editWords, excerpt, generateDocuments, reencodeJpeg, reflow, renderPhoto, resizeImage, rotateImage, words } from '../../src/synth/index.js';

const text = generateDocuments(9, 5).map((d) => d.toText()).join('\n\n');

describe('text transforms', () => {
  it('excerpt returns a contiguous run of exactly N words', () => {
    const r = new Rng(1);
    const all = text.split(/\s+/).filter(Boolean).join(' ');
    for (const n of [1, 20, 200]) {
      const e = excerpt(text, n, r);
      expect(e.split(' ')).toHaveLength(n);
      expect(all).toContain(e);
    }
    expect(excerpt('a b c', 10, r)).toBe('a b c');
  });

  it('editWords changes about the requested share of words and keeps lines', () => {
    const r = new Rng(2);
    const edited = editWords(text, 0.01, r);
    const a = words(text);
    const b = words(edited);
    expect(Math.abs(a.length - b.length)).toBeLessThan(a.length * 0.02);
        // ~1 % of words edited leaves most 8-word shingles intact (each edit breaks at most 8).
    expect(containment(shingleSet(text), shingleSet(edited))).toBeGreaterThan(0.8);
    expect(containment(shingleSet(text), shingleSet(edited))).toBeLessThan(0.99);
    expect(edited).not.toBe(text);
    expect(edited.split('\n').length).toBe(text.split('\n').length);
    expect(editWords(text, 0.01, new Rng(2))).toBe(edited);
  });

  it('reflow keeps the words (ignoring case) but not the layout', () => {
    const out = reflow(text, new Rng(3), { width: 50 });
    expect(words(out)).toEqual(words(text));
    expect(out).toContain('\r\n');
    expect(out).not.toBe(text);
    expect(Math.max(...out.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(reflow(text)).toBe(reflow(text));
  });
});

describe('image transforms', () => {
  it('re-encode, resize, crop and rotate with the expected geometry', async () => {
    const photo = await renderPhoto(3, { format: 'png' });
    const m = await sharp(photo).metadata();
    const w = m.width ?? 0;
    const h = m.height ?? 0;
    const jpg = await reencodeJpeg(photo, undefined, new Rng(1));
    expect((await sharp(jpg).metadata()).format).toBe('jpeg');
    const half = await sharp(await resizeImage(photo)).metadata();
    expect([half.width, half.height]).toEqual([Math.round(w / 2), Math.round(h / 2)]);
    const cropped = await sharp(await cropImage(photo, 0.05, new Rng(2))).metadata();
    expect([cropped.width, cropped.height]).toEqual([w - Math.round(w * 0.05), h - Math.round(h * 0.05)]);
    const rotated = await sharp(await rotateImage(photo)).metadata();
    expect([rotated.width, rotated.height]).toEqual([h, w]);
  });
});
