import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { OcrPool, applyOcr, precheckPixels, precheckText, type TextPrecheck } from '../../src/extract/ocr/index.js';
import type { ExtractedItem } from '../../src/extract/types.js';
import { renderPhoto, renderScan } from '../../src/synth/index.js';
import { DOCS } from './helpers.js';

async function verdict(bytes: Buffer): Promise<TextPrecheck> {
  const px = await precheckPixels({ label: 'image', kind: 'encoded', bytes }, 1e8, 'x');
  return precheckText(px.grey, px.width, px.height);
}

describe('text pre-check', () => {
  it('finds text on document pages: whole, small, turned 3°, a strip of a page', async () => {
    const page = await renderScan(DOCS[0]!);
    const shots = [
      page,
      await sharp(page).resize({ width: 500 }).jpeg({ quality: 40 }).toBuffer(),
      await sharp(page).rotate(3, { background: '#fff' }).png().toBuffer(),
      await sharp(page).extract({ left: 0, top: 0, width: 1240, height: 450 }).png().toBuffer(),
    ];
    for (const s of shots) {
      const v = await verdict(s);
      expect(v, JSON.stringify(v)).toMatchObject({ textLike: true });
      expect(v.maxBands).toBeGreaterThanOrEqual(3);
    }
  });

  it('finds no text in photos, blank pages or noise', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const v = await verdict(await renderPhoto(seed, { format: 'jpeg' }));
      expect(v, `photo ${seed}: ${JSON.stringify(v)}`).toMatchObject({ textLike: false });
    }
    const blank = new Uint8Array(400 * 300).fill(250);
    expect(precheckText(blank, 400, 300)).toMatchObject({ textLike: false, edgeShare: 0, maxBands: 0 });
    // Salt-and-pepper noise: edges everywhere, but no quiet gaps between "lines".
    const noise = new Uint8Array(400 * 300);
    let x = 12345;
    for (let i = 0; i < noise.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      noise[i] = x >>> 31 ? 255 : 0;
    }
    const n = precheckText(noise, 400, 300);
    expect(n.textLike).toBe(false);
    expect(n.edgeShare).toBeGreaterThan(0.3);
  });

  it('keeps a text-free photo away from OCR entirely: no tesseract worker is started', async () => {
    const pool = new OcrPool();
    const bytes = await renderPhoto(3, { format: 'png' });
    const item: ExtractedItem = { path: 'dump/IMG_0003.png', sha256: 'x', size: bytes.length, type: 'image', depth: 0, images: [], warnings: [], ocrSources: [{ label: 'image', kind: 'encoded', bytes }] };
    const seen: TextPrecheck[] = [];
    const failures = await applyOcr(item, { pool, maxImagePixels: 1e8, budgetMs: 60_000, onPrecheck: (_l, v) => seen.push(v) });
    expect(failures).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.textLike).toBe(false);
    expect(item.ocr).toEqual({ read: [], skippedNoText: ['image'] });
    expect(item.ocrSources).toBeUndefined();
    expect(item.text).toBeUndefined();
    expect(pool.workersStarted).toBe(0);
    await pool.close();
  });

  it('reports a picture that cannot be decoded by item path and label, and goes on with the next', async () => {
    const pool = new OcrPool();
    const page = await renderScan(DOCS[5]!);
    const item: ExtractedItem = {
      path: 'dump.zip!/scans.pdf', sha256: 'x', size: 1, type: 'pdf', depth: 1, images: [], warnings: [], pages: ['', ''],
      ocrSources: [
        { label: 'page 1', kind: 'encoded', bytes: page.subarray(0, 2000) },
        { label: 'page 2', kind: 'encoded', bytes: page },
      ],
    };
    const failures = await applyOcr(item, { pool, maxImagePixels: 1e8, budgetMs: 60_000 });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ path: 'dump.zip!/scans.pdf', code: 'E_CORRUPT_FILE' });
    expect(failures[0]!.message).toContain('dump.zip!/scans.pdf (page 1)');
    expect(item.warnings[0]).toMatch(/^page 1: not read by OCR/);
    expect(item.ocr?.read).toEqual(['page 2']);
    expect(item.pages![1]!.toLowerCase()).toContain(DOCS[5]!.patient.nhi.toLowerCase());
    expect(item.text).toBe(item.pages!.join('\n'));
    await pool.close();
  });
});
