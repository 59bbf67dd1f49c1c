import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { layoutPageText } from '../../src/extract/pdf-text.js';

const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Text of every page of a PDF, read with pdfjs-dist's legacy build as src/extract/pdf.ts does. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(pdf),
    standardFontDataUrl: join(PDFJS_DIR, 'standard_fonts') + '/',
    cMapUrl: join(PDFJS_DIR, 'cmaps') + '/',
    cMapPacked: true,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
  }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      pages.push(layoutPageText((await page.getTextContent()).items));
    }
    return pages.join('\n');
  } finally {
    await doc.destroy();
  }
}

/** PDF text wraps long paths and hashes anywhere: compare with all whitespace removed. */
export const squash = (s: string): string => s.replace(/\s+/g, '');
