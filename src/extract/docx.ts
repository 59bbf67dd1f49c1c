/**
 * DOCX → raw text (tables included) via mammoth, plus word/media/* images. mammoth would
 * unzip with JSZip, which inflates whatever the headers promise with no caps; so the zip is
 * read here with the archive reader's checks (counted bytes, ratio, entry and total caps)
 * and mammoth gets an in-memory view of the parts through its `file` input.
 */
import { readFile } from 'node:fs/promises';
import mammoth from 'mammoth';
import { InputError, LimitError, isAbort, throwIfAborted } from '../errors.js';
import { type ExtractContext, newBudget } from './context.js';
import { decodeImage } from './image.js';
import { type Held, releaseHeld } from './member.js';
import { sniff } from './sniff.js';
import type { ExtractedImage } from './types.js';
import { type ZipSource, isZipDirectory, openZip, readZipMember, zipEntries } from './zip.js';

export interface DocxContent {
  text: string;
  images: ExtractedImage[];
  warnings: string[];
}

/** The subset of mammoth's internal zip interface that extractRawText uses. */
interface MammothZip {
  exists(name: string): boolean;
  read(name: string, encoding?: string): Promise<string | Uint8Array>;
}

/** Parts mammoth reads: XML and relationship files. Media, embedded objects and fonts are not. */
function isTextPart(name: string): boolean {
  return /\.(xml|rels)$/i.test(name) && !/^word\/(media|embeddings|fonts)\//i.test(name);
}

/** Text and embedded images of a DOCX. InputError E_CORRUPT_FILE when it cannot be read. */
export async function extractDocx(src: ZipSource, display: string, ctx: ExtractContext): Promise<DocxContent> {
  const { limits, signal } = ctx;
  const warnings: string[] = [];
  const parts = new Map<string, Buffer>();
  const images: ExtractedImage[] = [];
  // The XML parts are held until mammoth runs: cap their sum like a single file's content.
  let partBytes = 0;

  // Inside an archive the parts count against that archive's budget; on its own, the DOCX
  // gets a budget of its own so the same caps apply.
  const ownBudget = ctx.budget === undefined;
  if (ownBudget) ctx.budget = newBudget(display);
  try {
    const zip = await openZip(src, display).catch((err: unknown) => {
      throw asCorrupt(err, display, 'not a readable DOCX (zip)');
    });
    try {
      for await (const m of zipEntries(zip, display, ctx)) {
        if (isZipDirectory(m)) continue;
        const name = m.name.replace(/^\/+/, '');
        const isMedia = name.startsWith('word/media/');
        if (isMedia ? images.length >= limits.maxImagesPerItem : !isTextPart(name)) continue;
        let held: Held;
        try {
          held = await readZipMember(zip, m, ctx);
        } catch (err) {
          if (isAbort(err) || (err instanceof LimitError && ctx.budget?.exhausted)) throw err;
          warnings.push(`${name}: not read (${msgOf(err)})`);
          continue;
        }
        try {
          const bytes = await heldBytes(held);
          if (!bytes) {
            warnings.push(`${name}: not read (larger than the member size limit)`);
          } else if (isMedia) {
            // Decoded now, one at a time: only the ≤ 512 px luma is kept, never all the media.
            const image = await mediaImage(name, bytes, display, ctx, warnings);
            if (image) images.push(image);
          } else {
            partBytes += bytes.length;
            if (partBytes > limits.maxContentBytes) {
              throw new LimitError('E_TOO_LARGE', `DOCX text parts exceed ${limits.maxContentBytes} bytes (maxContentBytes)`, {
                input: display,
              });
            }
            parts.set(name, bytes);
          }
        } finally {
          await releaseHeld(held);
        }
      }
    } finally {
      zip.close();
    }
  } finally {
    if (ownBudget) ctx.budget = undefined;
  }
  throwIfAborted(signal, display);
  if (!parts.has('word/document.xml')) {
    throw new InputError('E_CORRUPT_FILE', 'not a valid DOCX: word/document.xml missing or unreadable', {
      input: display,
    });
  }

  const file: MammothZip = {
    exists: (name) => parts.has(name.replace(/^\/+/, '')),
    read: (name, encoding) => {
      const bytes = parts.get(name.replace(/^\/+/, ''));
      if (!bytes) return Promise.reject(new Error(`part ${name} not found`));
      if (encoding === 'base64') return Promise.resolve(bytes.toString('base64'));
      if (encoding) return Promise.resolve(new TextDecoder(encoding).decode(bytes));
      return Promise.resolve(new Uint8Array(bytes));
    },
  };
  let text: string;
  try {
    // mammoth accepts a pre-opened zip as `{ file }`; its typings only list path/buffer.
    const result = await mammoth.extractRawText({ file } as unknown as { buffer: Buffer });
    text = result.value;
  } catch (err) {
    throw asCorrupt(err, display, 'not a valid DOCX');
  }
  return { text: text.replace(/\n{3,}/g, '\n\n').trim(), images, warnings };
}

/** An embedded picture as luma, or undefined (with a warning) when it is not a decodable raster. */
async function mediaImage(
  name: string,
  bytes: Buffer,
  display: string,
  ctx: ExtractContext,
  warnings: string[],
): Promise<ExtractedImage | undefined> {
  const label = name.replace(/^word\//, '');
  if (sniff(bytes, name) !== 'image') {
    warnings.push(`${label}: not a raster image format; not hashed`);
    return undefined;
  }
  try {
    const luma = await decodeImage(bytes, {
      maxImagePixels: ctx.limits.maxImagePixels,
      signal: ctx.signal,
      input: `${display}:${label}`,
    });
    return { label, ...luma };
  } catch (err) {
    if (isAbort(err)) throw err;
    warnings.push(`${label}: image not decoded (${msgOf(err)})`);
    return undefined;
  }
}

async function heldBytes(held: Held): Promise<Buffer | undefined> {
  if (held.kind === 'bytes') return held.bytes;
  if (held.kind === 'file') return readFile(held.path);
  return undefined;
}

function asCorrupt(err: unknown, input: string, what: string): Error {
  if (isAbort(err) || err instanceof LimitError) return err as Error;
  if (err instanceof InputError && err.code !== 'E_CORRUPT_FILE') return err;
  const msg = err instanceof InputError ? err.message.replace(`${input}: `, '') : msgOf(err);
  return new InputError('E_CORRUPT_FILE', `${what}: ${msg}`, { input, cause: err });
}

function msgOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
