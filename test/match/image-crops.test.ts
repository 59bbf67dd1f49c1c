import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/extract/image.js';
import type { ExtractedItem } from '../../src/extract/types.js';
import type { ItemFingerprint } from '../../src/fingerprint/types.js';
import { fingerprintItem } from '../../src/fingerprint/fingerprint-item.js';
import { pdqCropGrid } from '../../src/fingerprint/pdq-crop-grid.js';
import { Matcher } from '../../src/match/matcher.js';
import { deriveSeed, makePatient, renderPassport, renderPhoto } from '../../src/synth/index.js';
import { tempStore } from '../helpers/store.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();

async function imageItem(path: string, bytes: Buffer): Promise<ExtractedItem> {
  const luma = await decodeImage(bytes, { input: path, maxImagePixels: 50_000_000 });
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, type: 'image', depth: 0, images: [{ label: 'image', ...luma }], warnings: [] };
}

/** Keeps `keep` of each side, the whole cut taken from the right and the bottom. */
async function cornerCrop(bytes: Buffer, keep: number): Promise<Buffer> {
  const meta = await sharp(bytes).metadata();
  return sharp(bytes)
    .extract({ left: 0, top: 0, width: Math.round(meta.width! * keep), height: Math.round(meta.height! * keep) })
    .jpeg({ quality: 85 })
    .toBuffer();
}

describe('pictures cropped unevenly (off-centre crops)', () => {
  it('match their known picture through the sample-side crop grid, and unrelated pictures still do not', async () => {
    const store = tempStore(tmp());
    const setId = store.ensureSet('clinic');
    const known: Buffer[] = [];
    for (let i = 0; i < 6; i++) {
      const bytes = i % 2 ? await renderPhoto(deriveSeed(41, 'photo', i), { format: 'jpeg' }) : await renderPassport(makePatient(41, i), 41, { format: 'jpeg' }, i);
      known.push(bytes);
      // The corpus side stores the picture and its centred crops, as `fingerprint add` does.
      const fp = fingerprintItem(await imageItem(`img-${i}.jpg`, bytes), store.keys, { cropVariants: true });
      store.writeSource(setId, { path: `img-${i}.jpg`, size: bytes.length, mtimeMs: 0 }, [fp], []);
    }
    const m = new Matcher(store);
    let viaGrid = 0;
    for (let i = 0; i < known.length; i++) {
      // 5 % off each dimension, all of it from one side: no stored variant is near this.
      const sample = fingerprintItem(await imageItem('sample.jpg', await cornerCrop(known[i]!, 0.95)), store.keys, { dihedral: true });
      expect(sample.pdq[0]!.cropGrid).toHaveLength(18);
      const res = m.match(sample);
      expect(res[0], `picture ${i}`).toMatchObject({ document: `img-${i}.jpg`, method: 'image' });
      if (res[0]!.details.image!.transform.startsWith('cropped unevenly')) {
        viaGrid++;
        const hit = res[0]!.details.image!;
        expect(hit.distance).toBeLessThanOrEqual(31);
        expect(hit.maxDistance).toBe(31);
        // It passed the ratio test: no other document's picture is nearly as close.
        if (hit.distance > 20) expect(hit.nextOtherDistance).toBeGreaterThanOrEqual(Math.ceil(hit.distance / 0.5));
      }
    }
    // The grid is what found them (the plain hash is too far for most).
    expect(viaGrid).toBeGreaterThan(0);
    // Unrelated photos and passports (same template, other people) match nothing.
    for (let i = 0; i < 6; i++) {
      const other = i % 2 ? await renderPhoto(deriveSeed(97, 'photo', i), { format: 'jpeg' }) : await renderPassport(makePatient(97, i, 'unrelated'), 97, { format: 'jpeg' }, i);
      const res = m.match(fingerprintItem(await imageItem('other.jpg', await cornerCrop(other, 0.95)), store.keys, { dihedral: true }));
      expect(res, `unrelated ${i}`).toEqual([]);
    }
    store.close();
  });

  it('keeps a doubtful hit (25–31 bits) only when no other document is nearly as close: the ratio test', () => {
    const store = tempStore(tmp());
    const setId = store.ensureSet('clinic');
    const base = createHash('sha256').update('picture').digest('hex') + createHash('sha256').update('picture 2').digest('hex');
    const known = base.slice(0, 64);
    /** `known` with bits [from, from + n) flipped. */
    const flip = (from: number, n: number): string => {
      const bytes = Buffer.from(known, 'hex');
      for (let i = from; i < from + n; i++) bytes[i >> 3] = (bytes[i >> 3] as number) ^ (1 << (i & 7));
      return bytes.toString('hex');
    };
    const picture = (path: string, hash: string): ItemFingerprint => ({
      path, sha256: createHash('sha256').update(path).digest('hex'), size: 1, type: 'image', depth: 0, textChars: 0, tokens: 0,
      winnowHashes: new Float64Array(0), winnowPositions: new Uint32Array(0), pdq: [{ label: 'image', hash, quality: 100, pageRender: false }], warnings: [],
    });
    const add = (path: string, hash: string): void => store.writeSource(setId, { path, size: 1, mtimeMs: 0 }, [picture(path, hash)], []);
    add('a.jpg', known);
    const sample = (hash: string): ItemFingerprint => ({ ...picture('sample.jpg', hash), pdq: [{ label: 'image', hash, quality: 100, pageRender: false, dihedral: [hash] }] });
    const doubtful = sample(flip(0, 30)); // 30 bits from a.jpg
    const sure = sample(flip(0, 20)); // 20 bits from a.jpg
    // Alone in the store, a.jpg is 28 bits away and nothing else is near: a match.
    const alone = new Matcher(store).match(doubtful);
    expect(alone.map((r) => r.document)).toEqual(['a.jpg']);
    expect(alone[0]!.details.image!.nextOtherDistance).toBeGreaterThanOrEqual(60);
    // A second document 20 bits from a.jpg (other bits): 50 bits from the sample, under 2 × 30.
    add('b.jpg', flip(100, 20));
    const m = new Matcher(store);
    expect(m.match(doubtful)).toEqual([]);
    // Within the sure band the rival does not matter.
    expect(m.match(sure).map((r) => r.document)).toEqual(['a.jpg']);
    expect(m.match(sure)[0]!.details.image!.nextOtherDistance).toBeUndefined();
    // Without the test (ratio 1), the doubtful hit would stand.
    expect(new Matcher(store, { options: { pdqRatio: 1 } }).match(doubtful).map((r) => r.document)).toEqual(['a.jpg']);
    store.close();
  });

  it('computes no grid for small pictures and for whole rendered pages', async () => {
    expect(pdqCropGrid({ width: 40, height: 300, luma: new Float32Array(40 * 300) })).toEqual([]);
    const store = tempStore(tmp());
    const item = await imageItem('p.jpg', await renderPhoto(5, { format: 'jpeg' }));
    const page = fingerprintItem({ ...item, images: item.images.map((im) => ({ ...im, label: 'page 1' })) }, store.keys, { dihedral: true });
    expect(page.pdq[0]!.cropGrid).toBeUndefined();
    store.close();
  });
});
