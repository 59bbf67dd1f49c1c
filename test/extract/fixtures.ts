/**
 * Synthetic fixtures for the extraction tests, all generated in memory: PDFs (pdf-lib and
 * pdfkit), DOCX (docx), zips (yazl for well-formed ones, a hand-written writer for hostile
 * ones whose headers must lie), tars (tar-stream) and images (sharp).
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { Document, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import PDFKit from 'pdfkit';
import sharp from 'sharp';
import tar from 'tar-stream';
import yazl from 'yazl';
import { extractBuffer, extractFile, isFailure, type ExtractOptions, type ExtractOutput } from '../../src/extract/index.js';
import type { ExtractFailure, ExtractedItem } from '../../src/extract/types.js';

export const PAGE_TEXTS = [
  'Patient record for Alice Example born 1970. Diagnosis: seasonal allergic rhinitis, follow-up in three months.',
  'Discharge summary: the patient was admitted for observation and released without complications after two days.',
];

/** A gradient test image as PNG (w × h, RGB). */
export async function makePng(w = 64, h = 48): Promise<Buffer> {
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      raw[i] = (x * 4) & 255;
      raw[i + 1] = (y * 5) & 255;
      raw[i + 2] = (x * y) & 255;
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

/** pdf-lib PDF: one page per text, each drawn as two lines plus a separate word to the right. */
export async function makePdfLib(texts = PAGE_TEXTS): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const t of texts) {
    const page = doc.addPage([595, 842]);
    const words = t.split(' ');
    const half = Math.ceil(words.length / 2);
    page.drawText(words.slice(0, half).join(' '), { x: 50, y: 780, size: 11, font });
    page.drawText(words.slice(half).join(' '), { x: 50, y: 764, size: 11, font });
  }
  return Buffer.from(await doc.save());
}

/** pdfkit PDF with the same page texts (pdfkit wraps and kerns differently). */
export async function makePdfKit(texts = PAGE_TEXTS): Promise<Buffer> {
  const doc = new PDFKit({ autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (const t of texts) {
    doc.addPage();
    doc.fontSize(12).text(t, { width: 200 });
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** A PDF whose only page is a picture (no text at all): must be rendered. */
export async function makeImageOnlyPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const img = await doc.embedPng(await makePng(200, 150));
  const page = doc.addPage([595, 842]);
  page.drawImage(img, { x: 50, y: 300, width: 400, height: 300 });
  return Buffer.from(await doc.save());
}

/** DOCX with a paragraph, a 2×2 table and an embedded PNG. */
export async function makeDocx(): Promise<Buffer> {
  const png = await makePng(80, 60);
  const cell = (s: string): TableCell => new TableCell({ children: [new Paragraph(s)] });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun('Referral letter for Bob Sample regarding cardiology review.')] }),
          new Table({
            rows: [
              new TableRow({ children: [cell('NHI'), cell('ZZZ0016')] }),
              new TableRow({ children: [cell('Ward'), cell('Cardiology B')] }),
            ],
          }),
          new Paragraph({
            children: [new ImageRun({ type: 'png', data: png, transformation: { width: 80, height: 60 } })],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A well-formed zip written by yazl. */
export async function makeZip(entries: { name: string; data: Buffer | string; compress?: boolean }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    zip.addBuffer(Buffer.from(e.data), e.name, { compress: e.compress ?? true, mtime: new Date(0) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

export interface RawZipEntry {
  /** Raw name bytes: anything, including `../`, absolute paths and NULs. */
  name: string | Buffer;
  data: Buffer;
  deflate?: boolean;
  /** Pretend to be encrypted (general-purpose bit 0). */
  encrypted?: boolean;
  /** Write this as the uncompressed size instead of the real one (in both headers). */
  claimedSize?: number;
}

/** Hand-written zip writer for hostile archives: no validation, headers say what we want. */
export function rawZip(entries: RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.isBuffer(e.name) ? e.name : Buffer.from(e.name, 'utf8');
    const plain = e.deflate ? deflateRawSync(e.data) : e.data;
    // ZipCrypto puts a 12-byte encryption header before the data (here: random, never decrypted).
    const body = e.encrypted ? Buffer.concat([Buffer.alloc(12, 0x5a), plain]) : plain;
    const flags = (e.encrypted ? 1 : 0) | 0x800;
    const method = e.deflate ? 8 : 0;
    const crc = crc32(e.data);
    const usize = e.claimedSize ?? e.data.length;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc >>> 0, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(usize, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc >>> 0, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(usize, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, body);
    centrals.push(ch, name);
    offset += lh.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

export interface TarEntrySpec {
  name: string;
  data?: Buffer | string;
  type?: 'file' | 'symlink' | 'link' | 'directory' | 'fifo' | 'character-device';
  linkname?: string;
}

/** A tar written by tar-stream (names are written as given, hostile or not). */
export async function makeTar(entries: TarEntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const out = (async () => {
    const chunks: Buffer[] = [];
    for await (const c of pack as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
  })();
  for (const e of entries) {
    const data = e.data === undefined ? undefined : Buffer.from(e.data);
    await new Promise<void>((resolve, reject) => {
      const header = { name: e.name, type: e.type ?? 'file', linkname: e.linkname, size: data?.length ?? 0 };
      const cb = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (data) pack.entry(header, data, cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  return out;
}

/** Collects everything a generator yields. */
export async function collect(gen: AsyncGenerator<ExtractOutput>): Promise<ExtractOutput[]> {
  const out: ExtractOutput[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

export function items(out: ExtractOutput[]): ExtractedItem[] {
  return out.filter((x): x is ExtractedItem => !isFailure(x));
}

export function failures(out: ExtractOutput[]): ExtractFailure[] {
  return out.filter(isFailure);
}

export const fromBuffer = (b: Uint8Array, name: string, o?: ExtractOptions): Promise<ExtractOutput[]> =>
  collect(extractBuffer(b, name, o));
export const fromFile = (p: string, name: string, o?: ExtractOptions): Promise<ExtractOutput[]> =>
  collect(extractFile(p, name, o));

/** Collapses all whitespace: for comparing token sequences across PDF producers. */
export const tokens = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
