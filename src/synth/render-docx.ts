/**
 * DOCX renderer (the `docx` package): paragraphs, headings, and a real Word table for lab
 * results, so that DOCX extraction has to read table cells, not just paragraphs.
 *
 * The `docx` package stamps the current time into docProps/core.xml and into every zip
 * entry header. We override core.xml with the document's own date and rewrite the zip
 * timestamps afterwards, so the same document always gives the same bytes.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { SynthDocument } from './documents.js';
import { CREATOR, documentInstant } from './render-pdf.js';

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function coreXml(doc: SynthDocument, when: Date): string {
  const iso = when.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xmlEscape(doc.title)}</dc:title><dc:creator>${xmlEscape(doc.author)}</dc:creator>` +
    `<cp:lastModifiedBy>${xmlEscape(CREATOR)}</cp:lastModifiedBy><cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${iso}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${iso}</dcterms:modified></cp:coreProperties>`
  );
}

/**
 * Sets the DOS date/time of every entry (local headers and central directory) of a zip.
 * Only header fields change; CRCs cover data, not headers, so the archive stays valid.
 */
export function normaliseZipTimes(zip: Buffer, when: Date): Buffer {
  const out = Buffer.from(zip);
  const dosTime = (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1);
  const dosDate = ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate();
  let eocd = -1;
  for (let i = out.length - 22; i >= Math.max(0, out.length - 22 - 65_535); i--) {
    if (out.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive: end of central directory not found');
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    out.writeUInt16LE(dosTime, p + 12);
    out.writeUInt16LE(dosDate, p + 14);
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) === 0x04034b50) {
      out.writeUInt16LE(dosTime, local + 10);
      out.writeUInt16LE(dosDate, local + 12);
    }
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

function lines(text: string, opts: { bold?: boolean; size?: number } = {}): TextRun[] {
  return text.split('\n').map((t, i) => new TextRun({ text: t, break: i > 0 ? 1 : 0, bold: opts.bold, size: opts.size }));
}

export async function renderDocx(doc: SynthDocument): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [];
  for (const b of doc.blocks) {
    switch (b.type) {
      case 'letterhead':
        b.lines.forEach((l, i) => children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: lines(l, { bold: i === 0, size: i === 0 ? 30 : 18 }) })));
        children.push(new Paragraph({}));
        break;
      case 'title':
        children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: lines(b.text) }));
        break;
      case 'heading':
        children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: lines(b.text) }));
        break;
      case 'fields':
        for (const f of b.fields) {
          children.push(new Paragraph({ children: [new TextRun({ text: `${f.label}: `, bold: true }), new TextRun(f.value)] }));
        }
        break;
      case 'paragraph':
        children.push(new Paragraph({ spacing: { after: 120 }, children: lines(b.text) }));
        break;
      case 'table': {
        const row = (cells: readonly string[], header: boolean): TableRow =>
          new TableRow({
            tableHeader: header,
            children: cells.map((c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c, bold: header })] })] })),
          });
        children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(b.columns, true), ...b.rows.map((r) => row(r, false))] }));
        children.push(new Paragraph({}));
        break;
      }
    }
  }
  const when = documentInstant(doc);
  const file = new Document({
    title: doc.title,
    creator: doc.author,
    lastModifiedBy: CREATOR,
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [{ children }],
  });
  const buf = await Packer.toBuffer(file, false, [{ path: 'docProps/core.xml', data: coreXml(doc, when) }]);
  return normaliseZipTimes(buf, when);
}
