import { describe, expect, it } from 'vitest';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { extractPdf } from '../../src/extract/pdf.js';
import { DEFAULT_LIMITS } from '../../src/extract/types.js';
import {
  PAGE_TEXTS,
  failures,
  fromBuffer,
  items,
  makeImageOnlyPdf,
  makePdfKit,
  makePdfLib,
  tokens,
} from './fixtures.js';

describe('PDF extraction', () => {
  it('extracts text per page from a pdf-lib PDF, words not glued', async () => {
    const out = await fromBuffer(await makePdfLib(), 'report.pdf');
    expect(failures(out)).toEqual([]);
    const [item] = items(out);
    expect(item).toMatchObject({ path: 'report.pdf', type: 'pdf', depth: 0 });
    expect(item!.pages).toHaveLength(2);
    expect(item!.pages!.map(tokens)).toEqual(PAGE_TEXTS);
    // Two drawText calls = two lines; the line break is kept.
    expect(item!.pages![0]!.split('\n')).toHaveLength(2);
    expect(item!.text).toBe(item!.pages!.join('\n'));
    // ~110 characters a page is under the default threshold (200): each page is rendered.
    expect(item!.images.map((i) => i.label)).toEqual(['page 1', 'page 2']);
    const [rich] = items(await fromBuffer(await makePdfLib(), 'r.pdf', { limits: { pdfRenderTextThreshold: 50 } }));
    expect(rich!.images.map((i) => i.label)).toEqual([]);
  });

  it('gives the same token sequence for the same text made by pdfkit', async () => {
    const [a] = items(await fromBuffer(await makePdfLib(), 'a.pdf'));
    const [b] = items(await fromBuffer(await makePdfKit(), 'b.pdf'));
    expect(b!.pages!.map(tokens)).toEqual(a!.pages!.map(tokens));
    expect(b!.pages![0]!.split('\n').length).toBeGreaterThan(2); // pdfkit wrapped at 200 pt
  });

  it('separates words drawn as separate runs with gaps, and keeps kerned runs whole', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    let x = 50;
    for (const w of ['separately', 'placed', 'words']) {
      page.drawText(w, { x, y: 700, size: 12, font });
      x += font.widthOfTextAtSize(w, 12) + 4; // a 4 pt gap, no space glyph
    }
    // One word split into two runs that touch: must stay one word.
    page.drawText('pati', { x: 50, y: 650, size: 12, font });
    page.drawText('ent', { x: 50 + font.widthOfTextAtSize('pati', 12), y: 650, size: 12, font });
    const r = await extractPdf(await doc.save(), { limits: DEFAULT_LIMITS, input: 'gaps.pdf' });
    expect(r.pages[0]).toBe('separately placed words\npatient');
  });

  it('renders a page that has only an image, and returns the embedded image', async () => {
    const out = await fromBuffer(await makeImageOnlyPdf(), 'scan.pdf');
    expect(failures(out)).toEqual([]);
    const [item] = items(out);
    expect(item!.pages).toEqual(['']);
    const labels = item!.images.map((i) => i.label);
    expect(labels).toEqual(['page 1', 'page 1 image 1']);
    const render = item!.images[0]!;
    expect(Math.max(render.width, render.height)).toBe(512);
    expect(render.luma).toHaveLength(render.width * render.height);
    // Not a blank page: the picture shows up as non-white pixels.
    expect(render.luma.some((v) => v < 200)).toBe(true);
    const embedded = item!.images[1]!;
    expect([embedded.width, embedded.height]).toEqual([200, 150]);
  });

  it('caps pages at maxPdfPages with a warning', async () => {
    const texts = Array.from({ length: 5 }, (_, i) => `page number ${i + 1} with some words`);
    const [item] = items(await fromBuffer(await makePdfLib(texts), 'long.pdf', { limits: { maxPdfPages: 2 } }));
    expect(item!.pages).toHaveLength(2);
    expect(item!.warnings.join(' ')).toMatch(/first 2 of 5 pages/);
  });

  it('caps images at maxImagesPerItem with a warning', async () => {
    const texts = ['', '', ''];
    const [item] = items(await fromBuffer(await makePdfLib(texts), 'blank.pdf', { limits: { maxImagesPerItem: 2 } }));
    expect(item!.images.map((i) => i.label)).toEqual(['page 1', 'page 2']);
    expect(item!.warnings.join(' ')).toMatch(/maxImagesPerItem/);
  });

  it('abandons a PDF when the time budget runs out (E_TIMEOUT) and still gives the hash', async () => {
    const texts = Array.from({ length: 60 }, (_, i) => `${PAGE_TEXTS[0]} ${i}`);
    const out = await fromBuffer(await makePdfLib(texts), 'slow.pdf', { limits: { timeoutMs: 1 } });
    const [f] = failures(out);
    expect(f).toMatchObject({ path: 'slow.pdf', code: 'E_TIMEOUT' });
    expect(f!.message).toContain('slow.pdf');
    expect(items(out)[0]!.warnings.join(' ')).toMatch(/content not extracted/);
  });

  it('abandons a PDF that keeps pdfjs busy (1 M drawing operators) at the time budget', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    const ops = '0 0 m 100 100 l S\n'.repeat(1_000_000);
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream(Buffer.from(ops))));
    const bytes = await doc.save();
    const t0 = Date.now();
    const out = await fromBuffer(bytes, 'busy.pdf', { limits: { timeoutMs: 300 } });
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(failures(out)).toMatchObject([{ path: 'busy.pdf', code: 'E_TIMEOUT' }]);
  });

  it('stops on abort with AbortError', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(fromBuffer(await makePdfLib(), 'a.pdf', { signal: ac.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
  });
});
