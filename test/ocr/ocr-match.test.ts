import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { OcrPool } from '../../src/extract/ocr/index.js';
import { fingerprintFile } from '../../src/ingest/fingerprint-file.js';
import { Matcher } from '../../src/match/index.js';
import { PICTURE_TRANSFORMS } from '../../bench/ocr-transforms.js';
import { Rng, generateUnrelatedDocuments, renderPhoto, renderScan } from '../../src/synth/index.js';
import { tempStore } from '../helpers/store.js';
import { useTempDir } from '../helpers/tmp.js';
import { DOCS, addCorpus, imageOnlyPdf, screenshotOf, writeTo } from './helpers.js';

const tmp = useTempDir();
const pool = new OcrPool({ workers: 1 });
afterAll(() => pool.close());

function setup() {
  const dir = tmp();
  const store = tempStore(dir);
  addCorpus(store);
  return { dir, store, matcher: new Matcher(store) };
}

describe('OCR feeds the text tiers', () => {
  it('matches a JPEG screenshot of a document to that document, and says it was read by OCR', async () => {
    const { dir, store, matcher } = setup();
    const doc = DOCS[2]!;
    const path = writeTo(dir, 'proof.jpg', await screenshotOf(doc));

    // Without OCR the screenshot has only a perceptual hash, and the corpus holds text: no match.
    const plain = await fingerprintFile(path, 'proof.jpg', store.keys, { dihedral: true });
    expect(plain.items[0]!.textChars).toBe(0);
    expect(matcher.match(plain.items[0]!)).toEqual([]);

    const r = await fingerprintFile(path, 'proof.jpg', store.keys, { dihedral: true, ocrPool: pool });
    expect(r.failures).toEqual([]);
    const item = r.items[0]!;
    expect(item.ocr).toEqual(['image']);
    expect(item.textChars).toBeGreaterThan(300);
    const matches = matcher.match(item);
    expect(matches.map((m) => m.document)).toEqual([`docs/${doc.id}.txt`]);
    expect(matches[0]!.explanation).toMatch(/matched via OCR of the image/);
    expect(matches[0]!.details.ocr).toEqual({ sampleImages: ['image'] });
    store.close();
  });

  it('reads a page photographed sideways (turned 90° either way) and matches it', async () => {
    const { dir, store, matcher } = setup();
    const doc = DOCS[3]!;
    for (const deg of [90, 270]) {
      const path = writeTo(dir, `sideways-${deg}.jpg`, await sharp(await renderScan(doc)).rotate(deg).jpeg({ quality: 60 }).toBuffer());
      const r = await fingerprintFile(path, 'sideways.jpg', store.keys, { dihedral: true, ocrPool: pool });
      expect(r.failures).toEqual([]);
      expect(r.items[0]!.warnings.join(' ')).toMatch(new RegExp(`text runs sideways; read turned by ${360 - deg}°`));
      expect(matcher.match(r.items[0]!)[0]?.document, `turned ${deg}°`).toBe(`docs/${doc.id}.txt`);
    }
    store.close();
  });

  it('matches an image-only PDF page by OCR of its render', async () => {
    const { dir, store, matcher } = setup();
    const doc = DOCS[4]!;
    const path = writeTo(dir, 'scan.pdf', await imageOnlyPdf(doc));
    const r = await fingerprintFile(path, 'scan.pdf', store.keys, { dihedral: true, ocrPool: pool });
    expect(r.failures).toEqual([]);
    expect(r.items[0]!.ocr).toEqual(['page 1']);
    const matches = matcher.match(r.items[0]!);
    expect(matches[0]?.document).toBe(`docs/${doc.id}.txt`);
    expect(matches[0]!.explanation).toMatch(/matched via OCR of page 1/);
    store.close();
  });

  it('matches a phone photo of a lab report (perspective, shadow, blur, JPEG q60) by its patient block', async () => {
    const { dir, store, matcher } = setup();
    const doc = DOCS.find((d) => d.kind === 'lab-report')!;
    const photo = await PICTURE_TRANSFORMS.find((t) => t.name.startsWith('phone photo'))!.apply(await renderScan(doc), new Rng(4));
    const path = writeTo(dir, 'IMG_4410.jpg', photo);
    const r = await fingerprintFile(path, 'IMG_4410.jpg', store.keys, { dihedral: true, ocrPool: pool });
    const matches = matcher.match(r.items[0]!);
    expect(matches.map((m) => m.document)).toEqual([`docs/${doc.id}.txt`]);
    // Misread numbers cost fingerprints; what is left is still specific to this one report.
    expect(matches[0]!.details.partial!.uniqueFingerprints).toBeGreaterThanOrEqual(3);
    store.close();
  });

  it('does not match a screenshot of an unrelated document of the same kinds', async () => {
    const { dir, store, matcher } = setup();
    const other = generateUnrelatedDocuments(99, 1)[0]!;
    const path = writeTo(dir, 'other.png', await renderScan(other));
    const r = await fingerprintFile(path, 'other.png', store.keys, { dihedral: true, ocrPool: pool });
    expect(r.items[0]!.ocr).toEqual(['image']);
    expect(matcher.match(r.items[0]!)).toEqual([]);
    store.close();
  });

  it('skips OCR for a photo without text and reports a corrupt image by name', async () => {
    const { dir, store } = setup();
    const photo = writeTo(dir, 'holiday.jpg', await renderPhoto(7, { format: 'jpeg' }));
    const p = await fingerprintFile(photo, 'holiday.jpg', store.keys, { ocrPool: pool });
    expect(p.failures).toEqual([]);
    expect(p.items[0]!.ocr).toBeUndefined();
    expect(p.items[0]!.textChars).toBe(0);

    const good = await renderScan(DOCS[0]!);
    const broken = writeTo(dir, 'broken.png', good.subarray(0, Math.floor(good.length / 3)));
    const b = await fingerprintFile(broken, 'broken.png', store.keys, { ocrPool: pool });
    expect(b.failures).toHaveLength(1);
    expect(b.failures[0]).toMatchObject({ path: 'broken.png', code: 'E_CORRUPT_FILE' });
    expect(b.failures[0]!.message).toContain('broken.png');
    store.close();
  });
});
