/**
 * Synthetic fixtures for the OCR tests: a small corpus of synthetic documents stored as text
 * fingerprints, and their pages rendered as pictures the way leak sites post them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { FingerprintStore } from '../../src/store/fingerprint-store.js';
import { generateDocuments, renderScan, type SynthDocument } from '../../src/synth/index.js';
import { addTexts } from '../helpers/store.js';

export const DOCS: SynthDocument[] = generateDocuments(20261122, 6);

/** Stores every document of DOCS as text under set "clinic"; path = `docs/<id>.txt`. */
export function addCorpus(store: FingerprintStore): void {
  addTexts(store, 'clinic', Object.fromEntries(DOCS.map((d) => [`docs/${d.id}.txt`, d.toText()])));
}

/** A "proof" screenshot: the first page, turned 2°, saved as a JPEG of quality 50. */
export async function screenshotOf(doc: SynthDocument): Promise<Buffer> {
  const png = await renderScan(doc);
  return sharp(png).rotate(2, { background: '#ffffff' }).jpeg({ quality: 50 }).toBuffer();
}

/** A PDF whose single page is only a picture of the document (no text layer). */
export async function imageOnlyPdf(doc: SynthDocument): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const png = await pdf.embedPng(await renderScan(doc));
  const page = pdf.addPage([595, 842]);
  page.drawImage(png, { x: 0, y: 0, width: 595, height: 842 });
  return Buffer.from(await pdf.save());
}

export function writeTo(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}
