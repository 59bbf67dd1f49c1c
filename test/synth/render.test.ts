import mammoth from 'mammoth';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  DOC_FORMATS,
  containment,
  generateDocuments,
  renderDocument,
  renderScanPages,
  shingleSet,
  words,
  type SynthDocument,
} from '../../src/synth/index.js';

const MAGIC: Record<string, Buffer> = {
  pdf: Buffer.from('%PDF-'),
  pdfkit: Buffer.from('%PDF-'),
  docx: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  jpeg: Buffer.from([0xff, 0xd8, 0xff]),
};

async function pdfText(bytes: Buffer): Promise<{ text: string; pages: number; producer: unknown; pageTexts: string[] }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
  let text = '';
  const pageTexts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    let page = '';
    for (const item of content.items) if ('str' in item) page += item.str + (item.hasEOL ? '\n' : ' ');
    pageTexts.push(page);
    text += page + '\n';
  }
  const meta = await doc.getMetadata();
  const pages = doc.numPages;
  await doc.destroy();
  return { text, pages, producer: (meta.info as Record<string, unknown>)['Producer'], pageTexts };
}

const docs = generateDocuments(31, 60);
const byKind = (kind: string, minWords = 0): SynthDocument => {
  const d = docs.find((x) => x.kind === kind && words(x.toText()).length >= minWords);
  if (!d) throw new Error(`no ${kind} document`);
  return d;
};
const longNote = docs.filter((d) => d.kind === 'clinical-note').sort((a, b) => b.toText().length - a.toText().length)[0];

describe('rendering', () => {
  it('renders every kind in every format, non-empty, with the right magic bytes', async () => {
    for (const kind of ['clinical-note', 'lab-report', 'letter', 'prescription']) {
      const doc = byKind(kind);
      for (const format of DOC_FORMATS) {
        const bytes = await renderDocument(doc, format);
        expect(bytes.length, `${kind}/${format}`).toBeGreaterThan(200);
        if (format === 'txt') expect(bytes.toString('utf8')).toBe(doc.toText());
        else expect(bytes.subarray(0, MAGIC[format]?.length).equals(MAGIC[format] ?? Buffer.alloc(0)), `${kind}/${format}`).toBe(true);
      }
    }
  });

  it('is byte-for-byte deterministic in every format (dates inside files are fixed)', async () => {
    const doc = byKind('lab-report');
    for (const format of DOC_FORMATS) {
      const a = await renderDocument(doc, format);
      const b = await renderDocument(generateDocuments(31, 60).find((d) => d.id === doc.id) as SynthDocument, format);
      expect(a.equals(b), format).toBe(true);
    }
  });

  it('puts the document words into both PDFs, from two different producers with different line breaks', async () => {
    const doc = longNote ?? byKind('clinical-note');
    const expected = shingleSet(doc.toText(), 8);
    const a = await pdfText(await renderDocument(doc, 'pdf'));
    const b = await pdfText(await renderDocument(doc, 'pdfkit'));
    expect(a.producer).toBe('pdf-lib');
    expect(b.producer).toBe('PDFKit');
    expect(containment(expected, shingleSet(a.text, 8))).toBeGreaterThan(0.9);
    expect(containment(expected, shingleSet(b.text, 8))).toBeGreaterThan(0.9);
    const linesA = a.text.split('\n').map((l) => l.trim()).filter(Boolean);
    const linesB = new Set(b.text.split('\n').map((l) => l.trim()).filter(Boolean));
    expect(linesA.filter((l) => linesB.has(l) && l.split(' ').length > 6).length).toBeLessThan(linesA.length / 3);
    if (words(doc.toText()).length > 900) expect(a.pages).toBeGreaterThan(1);
  });

  it('prints the patient line on every page after the first, in both producers (a loose page still says whose it is)', async () => {
    const doc = longNote ?? byKind('clinical-note');
    for (const format of ['pdf', 'pdfkit'] as const) {
      const { pageTexts } = await pdfText(await renderDocument(doc, format));
      expect(pageTexts.length, format).toBeGreaterThan(1);
      // Page 1 has it in the patient block; the others in the running header.
      pageTexts.forEach((t, i) => expect(t, `${format} page ${i + 1}`).toContain(doc.patient.nhi));
      expect(pageTexts.slice(1).every((t) => t.includes(`NHI ${doc.patient.nhi}`)), format).toBe(true);
    }
  });

  it('writes lab results as a real DOCX table whose cells extract as text', async () => {
    const doc = byKind('lab-report');
    const bytes = await renderDocument(doc, 'docx');
    expect(bytes.includes(Buffer.from('word/document.xml'))).toBe(true);
    const raw = (await mammoth.extractRawText({ buffer: bytes })).value;
    for (const row of doc.tableRows()) expect(raw).toContain(row[0]);
    expect(containment(shingleSet(doc.toText(), 8), shingleSet(raw, 8))).toBeGreaterThan(0.5);
    const html = (await mammoth.convertToHtml({ buffer: bytes })).value;
    expect(html).toContain('<table>');
  });

  it('renders scans as 1240x1754 greyscale pages, several for a long note', async () => {
    const png = await renderDocument(byKind('prescription'), 'png');
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([1240, 1754, 1]);
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const mean = data.reduce((s, v) => s + v, 0) / data.length;
    expect(mean).toBeGreaterThan(200); // mostly paper
    expect(mean).toBeLessThan(250); // slightly grey, with ink
    if (longNote && words(longNote.toText()).length > 900) {
      expect((await renderScanPages(longNote, { maxPages: 3 })).length).toBeGreaterThan(1);
    }
  });
});
