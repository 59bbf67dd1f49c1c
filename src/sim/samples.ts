import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { deriveSeed, extensionFor, generateUnrelatedDocuments, Rng, renderDocument, renderPhoto, type SynthDocument } from '../synth/index.js';
import { hugeFileStream, zipBomb } from './hostile-files.js';
import type { StolenCorpus } from './stolen-corpus.js';
import type { SimFileContent, SimFileSource } from './types.js';
import { buildZip, zipEntry } from './zip-writer.js';

/**
 * Turns a published file's source into servable bytes, lazily and once: rendering a PDF or a
 * scan takes tens of milliseconds, so nothing is made until a crawler asks for it. Huge files
 * and disk files are streams with a known size (Range requests read any slice).
 */

export interface ServedBody {
  size: number;
  /** Small bodies are kept; large ones are streamed. */
  bytes?: Buffer;
  stream?: (start: number, endInclusive: number) => Readable;
}

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
};

export function contentTypeFor(name: string): string {
  const ext = (/\.([a-z0-9]+)$/i.exec(name)?.[1] ?? '').toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/** Filler files of a proof pack: what real packs carry beside the documents. */
const FILLER = ['README.txt', 'logo.png', 'desktop.ini', 'Thumbs.db'] as const;

function lastTwo(path: string): string {
  return path.split('/').slice(-2).join('/');
}

/** Member names of a proof pack, in archive order (used for the answer key and the file tree). */
export function proofPackContents(source: Extract<SimFileSource, { kind: 'proof-pack' }>): SimFileContent[] {
  const out: SimFileContent[] = source.stolen.map((p) => ({ name: `proof/${lastTwo(p)}`, origin: 'stolen', corpusPath: p, transform: 'exact' }));
  for (const u of source.unrelated) out.push({ name: `proof/misc/document-${u.index}.${extensionFor(u.format)}`, origin: 'unrelated' });
  for (const f of FILLER.slice(0, source.filler)) out.push({ name: f, origin: 'filler' });
  return out;
}

/** What a file of this source contains (the answer key). */
export function contentsOf(name: string, source: SimFileSource): SimFileContent[] {
  switch (source.kind) {
    case 'stolen': return [{ name, origin: 'stolen', corpusPath: source.path, transform: 'exact' }];
    case 'stolen-screenshot': return [{ name, origin: 'stolen', corpusPath: source.path, transform: 'screenshot' }];
    case 'unrelated':
    case 'unrelated-photo': return [{ name, origin: 'unrelated' }];
    case 'proof-pack': return proofPackContents(source);
    case 'huge':
    case 'zip-bomb': return [{ name, origin: 'hostile' }];
    case 'bytes':
    case 'disk': return [{ name, origin: 'external' }];
  }
}

export class SampleStore {
  private readonly cache = new Map<string, Promise<ServedBody>>();
  private unrelatedDocs: SynthDocument[] = [];

  constructor(
    private readonly seed: number,
    private readonly corpus: StolenCorpus,
  ) {}

  /** The servable body of a source (made on first use, then cached). */
  body(source: SimFileSource): Promise<ServedBody> {
    if (source.kind === 'bytes') return Promise.resolve({ size: source.bytes.byteLength, bytes: Buffer.from(source.bytes) });
    if (source.kind === 'huge') {
      const seed = this.seed;
      return Promise.resolve({ size: source.sizeBytes, stream: (start, end) => hugeFileStream(seed, start, end) });
    }
    const key = JSON.stringify(source);
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.make(source);
      // A failed render is not cached: the next request retries (and reports) it.
      hit.catch(() => this.cache.delete(key));
      this.cache.set(key, hit);
    }
    return hit;
  }

  private async make(source: Exclude<SimFileSource, { kind: 'bytes' | 'huge' }>): Promise<ServedBody> {
    switch (source.kind) {
      case 'disk': {
        const { size } = await stat(source.path);
        return { size, stream: (start, end) => createReadStream(source.path, { start, end }) };
      }
      case 'zip-bomb': return buffered(await zipBomb(source));
      default: return buffered(await this.bytesOf(source));
    }
  }

  private async bytesOf(source: Extract<SimFileSource, { kind: 'stolen' | 'stolen-screenshot' | 'unrelated' | 'unrelated-photo' | 'proof-pack' }>): Promise<Buffer> {
    switch (source.kind) {
      case 'stolen': return this.corpus.read(source.path);
      case 'stolen-screenshot': return screenshotOf(await this.corpus.read(source.path));
      case 'unrelated': return renderDocument(this.unrelatedDoc(source.index), source.format);
      case 'unrelated-photo': return renderPhoto(deriveSeed(this.seed, 'sim-unrelated-photo', source.index), { format: source.format ?? 'jpeg' });
      case 'proof-pack': return this.proofPack(source);
    }
  }

  private unrelatedDoc(index: number): SynthDocument {
    if (index >= this.unrelatedDocs.length) {
      // Documents only from the unrelated id space: same templates, other patients and text.
      this.unrelatedDocs = generateUnrelatedDocuments(deriveSeed(this.seed, 'sim-unrelated'), Math.max(index + 1, 16));
    }
    const doc = this.unrelatedDocs[index];
    if (!doc) throw new RangeError(`no unrelated document ${index}`);
    return doc;
  }

  private async proofPack(source: Extract<SimFileSource, { kind: 'proof-pack' }>): Promise<Buffer> {
    const names = proofPackContents(source);
    const data: Buffer[] = [];
    for (const p of source.stolen) data.push(await this.corpus.read(p));
    for (const u of source.unrelated) data.push(await renderDocument(this.unrelatedDoc(u.index), u.format));
    for (const f of FILLER.slice(0, source.filler)) data.push(await this.filler(f));
    return buildZip(names.map((n, i) => zipEntry(n.name, data[i] as Buffer)));
  }

  private async filler(name: (typeof FILLER)[number]): Promise<Buffer> {
    switch (name) {
      case 'README.txt':
        return Buffer.from('Proof pack.\r\nThis is a small part of the downloaded data. The full archive will be published if the company does not contact us.\r\n');
      case 'logo.png': return renderPhoto(deriveSeed(this.seed, 'sim-filler-logo'), { format: 'png' });
      case 'desktop.ini': return Buffer.from('[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-3\r\n');
      case 'Thumbs.db': {
        const rng = new Rng(deriveSeed(this.seed, 'sim-filler-thumbs'));
        const b = Buffer.alloc(4096);
        for (let i = 0; i < b.length; i += 4) b.writeUInt32LE(rng.uint32(), i);
        return b;
      }
    }
  }
}

function buffered(bytes: Buffer): ServedBody {
  return { size: bytes.length, bytes };
}

/**
 * A screenshot-like derivative: downscaled to 70 %, 3 % cropped off the edges, saved as PNG.
 * A perceptual hash still matches it; a byte hash does not.
 */
async function screenshotOf(image: Buffer): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  const w = Math.max(8, Math.round((meta.width ?? 8) * 0.7));
  const h = Math.max(8, Math.round((meta.height ?? 8) * 0.7));
  const cutW = Math.round(w * 0.03);
  const cutH = Math.round(h * 0.03);
  const resized = await sharp(image).resize(w, h, { fit: 'fill' }).toBuffer();
  return sharp(resized).extract({ left: Math.floor(cutW / 2), top: Math.floor(cutH / 2), width: w - cutW, height: h - cutH }).png().toBuffer();
}
