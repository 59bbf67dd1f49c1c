/**
 * One entry point for rendering a document in any supported file format. The per-format
 * renderers live in render-pdf.ts, render-docx.ts and render-scan.ts.
 */
import type { SynthDocument } from './documents.js';
import { renderDocx } from './render-docx.js';
import { renderPdfKit, renderPdfLib } from './render-pdf.js';
import { renderScan } from './render-scan.js';

/**
 * File formats a text document can be rendered to:
 *  txt    UTF-8 text (LF line endings)
 *  pdf    PDF by pdf-lib (the corpus's "original" producer)
 *  pdfkit PDF by pdfkit (another producer: other font, page size and line breaks)
 *  docx   Word document with a real table for lab results
 *  png    first page as a 150 dpi scan, PNG
 *  jpeg   first page as a 150 dpi scan, JPEG
 */
export const DOC_FORMATS = ['txt', 'pdf', 'pdfkit', 'docx', 'png', 'jpeg'] as const;
export type DocFormat = (typeof DOC_FORMATS)[number];

export function renderText(doc: SynthDocument): Buffer {
  return Buffer.from(doc.toText(), 'utf8');
}

export async function renderDocument(doc: SynthDocument, format: DocFormat): Promise<Buffer> {
  switch (format) {
    case 'txt': return renderText(doc);
    case 'pdf': return renderPdfLib(doc);
    case 'pdfkit': return renderPdfKit(doc);
    case 'docx': return renderDocx(doc);
    case 'png': return renderScan(doc, { format: 'png' });
    case 'jpeg': return renderScan(doc, { format: 'jpeg' });
  }
}

/** File extension (without dot) for a format. */
export function extensionFor(format: DocFormat): string {
  return format === 'pdfkit' ? 'pdf' : format === 'jpeg' ? 'jpg' : format;
}

export { renderDocx } from './render-docx.js';
export { renderPdfKit, renderPdfLib } from './render-pdf.js';
export { renderScan, renderScanPages, SCAN_HEIGHT, SCAN_WIDTH } from './render-scan.js';
