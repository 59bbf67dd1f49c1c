/**
 * The extraction stage's entry points: a file (or a buffer) in, ExtractedItems out — one for
 * the input itself and, for archives, one per member, recursively. Every item gets the exact
 * tier (SHA-256 of its bytes) even when its content cannot be read; problems become
 * ExtractFailures naming the path and never stop the walk. Only an abort ends it (AbortError).
 */
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { AbortError, InputError, LimitError, isAbort, throwIfAborted } from '../errors.js';
import { archiveMembers } from './archive.js';
import {
  type ExtractContext,
  type ExtractOutput,
  formatBytes,
  makeContext,
  toFailure,
} from './context.js';
import { extractDocx } from './docx.js';
import { fsInputError } from './fs-errors.js';
import { htmlToText } from './html.js';
import { decodeImage } from './image.js';
import { extractPdf } from './pdf.js';
import { isArchiveType, sniff, sniffFile } from './sniff.js';
import { decodeText } from './text-decode.js';
import type { ContentType, ExtractFailure, ExtractOptions, ExtractedImage, ExtractedItem, OcrSource } from './types.js';

/** An input at any level: a file on disk, bytes in memory, or a member too large to keep. */
type Source =
  | { kind: 'file'; path: string; size: number; sha256?: string }
  | { kind: 'bytes'; bytes: Uint8Array; sha256?: string }
  | { kind: 'oversize'; head: Uint8Array; size: number; sha256: string; reason: string };

/**
 * Items (and failures) for the file at `absPath`, shown as `displayPath`. Large files are
 * hashed as a stream and never read whole; archives are opened from disk.
 */
export async function* extractFile(
  absPath: string,
  displayPath: string,
  options: ExtractOptions = {},
): AsyncGenerator<ExtractedItem | ExtractFailure> {
  const ctx = makeContext(options);
  try {
    throwIfAborted(ctx.signal, displayPath);
    let size: number;
    try {
      const st = await stat(absPath);
      if (!st.isFile()) {
        const what = st.isDirectory() ? 'is a directory' : 'is not a regular file (FIFO, socket or device); not read';
        throw new InputError('E_INPUT_UNREADABLE', what, { input: displayPath });
      }
      size = st.size;
    } catch (err) {
      yield toFailure(displayPath, fsInputError(err, displayPath));
      return;
    }
    yield* extractSource({ kind: 'file', path: absPath, size }, displayPath, ctx, 0);
  } finally {
    await ctx.temp.dispose();
  }
}

/** Items (and failures) for bytes already in memory (e.g. a download), at nesting `depth`. */
export async function* extractBuffer(
  bytes: Uint8Array,
  displayPath: string,
  options: ExtractOptions = {},
  depth = 0,
): AsyncGenerator<ExtractedItem | ExtractFailure> {
  const ctx = makeContext(options);
  try {
    yield* extractSource({ kind: 'bytes', bytes }, displayPath, ctx, depth);
  } finally {
    await ctx.temp.dispose();
  }
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const HASH_CHUNK = 4 * 1024 * 1024;

/**
 * SHA-256 of a file in 4 MiB chunks through two reused buffers: the next read runs in the
 * thread pool while this one is hashed, and memory stays at 8 MiB for files of any size.
 */
async function hashFile(path: string, ctx: ExtractContext, input: string): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(path, 'r');
  const bufs = [Buffer.allocUnsafe(HASH_CHUNK), Buffer.allocUnsafe(HASH_CHUNK)];
  let which = 0;
  let pending = fh.read(bufs[0]!, 0, HASH_CHUNK, null);
  try {
    while (true) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      throwIfAborted(ctx.signal, input);
      which ^= 1;
      pending = fh.read(bufs[which]!, 0, HASH_CHUNK, null);
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await pending.catch(() => undefined);
    await fh.close();
  }
  return hash.digest('hex');
}

function newItem(path: string, sha256: string, size: number, type: ContentType, depth: number): ExtractedItem {
  return { path, sha256, size, type, depth, images: [], warnings: [] };
}

async function* extractSource(src: Source, display: string, ctx: ExtractContext, depth: number): AsyncGenerator<ExtractOutput> {
  throwIfAborted(ctx.signal, display);
  const { limits } = ctx;
  if (src.kind === 'oversize') {
    const item = newItem(display, src.sha256, src.size, sniff(src.head, display, false), depth);
    item.warnings.push(src.reason);
    yield item;
    return;
  }

  // Identify and hash. Files that will be read whole anyway are hashed from memory (one
  // pass); the rest (too large, archives opened from disk) are hashed as a stream.
  let bytes: Uint8Array | undefined;
  let sha256: string;
  let size: number;
  let type: ContentType;
  try {
    if (src.kind === 'bytes') {
      bytes = src.bytes;
      size = bytes.length;
      sha256 = src.sha256 ?? sha256Of(bytes);
      type = sniff(bytes, display);
    } else {
      size = src.size;
      type = await sniffFile(src.path, size, display);
      if (size === 0 || size > limits.maxContentBytes || isArchiveType(type)) {
        sha256 = src.sha256 ?? (await hashFile(src.path, ctx, display));
      } else {
        bytes = await readFile(src.path);
        size = bytes.length;
        sha256 = src.sha256 ?? sha256Of(bytes);
      }
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    yield toFailure(display, fsInputError(err, display));
    return;
  }

  const item = newItem(display, sha256, size, type, depth);
  if (size === 0) {
    item.warnings.push('empty file');
    yield item;
    return;
  }
  if (isArchiveType(type)) {
    yield item;
    // Archives on disk are opened from the file (random access for zip, a stream for tar/gz)
    // and read member by member under the archive caps, so their own size is no limit:
    // leak dumps are often far larger than maxContentBytes.
    const archive = src.kind === 'file' ? { kind: 'file' as const, path: src.path } : { kind: 'bytes' as const, bytes: bytes! };
    yield* archiveMembers(type, archive, display, ctx, depth, (held, path, d) => extractSource(held, path, ctx, d));
    return;
  }
  if (size > limits.maxContentBytes) {
    item.warnings.push(`content not extracted: larger than ${formatBytes(limits.maxContentBytes)} (maxContentBytes)`);
    yield item;
    return;
  }

  try {
    const content = await withTimeout(ctx, display, (signal) => extractContent(type, bytes!, display, ctx, signal));
    Object.assign(item, content, { warnings: [...item.warnings, ...content.warnings] });
  } catch (err) {
    if (isAbort(err)) throw err;
    const failure = toFailure(display, err);
    item.warnings.push(`content not extracted: ${failure.message.replace(`${display}: `, '')}`);
    yield item;
    yield failure;
    return;
  }
  yield item;
}

interface Content {
  text?: string;
  pages?: string[];
  images: ExtractedImage[];
  warnings: string[];
  ocrSources?: OcrSource[];
}

async function extractContent(
  type: ContentType,
  bytes: Uint8Array,
  display: string,
  ctx: ExtractContext,
  signal: AbortSignal,
): Promise<Content> {
  const { limits } = ctx;
  switch (type) {
    case 'text':
    case 'markdown':
    case 'csv':
    case 'json':
      return { text: decodeText(bytes).text, images: [], warnings: [] };
    case 'html':
      return { text: htmlToText(decodeText(bytes).text), images: [], warnings: [] };
    case 'pdf': {
      const pdf = await extractPdf(bytes, { limits, signal, input: display, ocr: ctx.ocr });
      return { text: pdf.pages.join('\n'), pages: pdf.pages, images: pdf.images, warnings: pdf.warnings, ...(pdf.ocrSources.length ? { ocrSources: pdf.ocrSources } : {}) };
    }
    case 'docx':
      return extractDocx({ kind: 'bytes', bytes }, display, { ...ctx, signal });
    case 'image': {
      const luma = await decodeImage(bytes, { maxImagePixels: limits.maxImagePixels, signal, input: display });
      // The encoded bytes are kept for OCR: the 512 px luma made for PDQ is too coarse to read.
      return { images: [{ label: 'image', ...luma }], warnings: [], ...(ctx.ocr ? { ocrSources: [{ label: 'image', kind: 'encoded' as const, bytes }] } : {}) };
    }
    default:
      return { images: [], warnings: [] };
  }
}

/**
 * Runs `fn` under the per-file time budget. The signal handed to `fn` fires on timeout or
 * on the caller's abort, and the result is raced against it, so even a library that ignores
 * signals (mammoth) is abandoned on time. Timeout → LimitError E_TIMEOUT.
 */
async function withTimeout<T>(
  ctx: ExtractContext,
  input: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timer = new AbortController();
  const ms = ctx.limits.timeoutMs;
  const handle = setTimeout(() => timer.abort(new Error('timeout')), ms);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timer.signal]) : timer.signal;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new AbortError('operation aborted', { input, cause: signal.reason }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([fn(signal), aborted]);
  } catch (err) {
    if (timer.signal.aborted && !ctx.signal?.aborted) {
      throw new LimitError('E_TIMEOUT', `content extraction took longer than ${ms} ms (timeoutMs); abandoned`, {
        input,
        cause: err,
      });
    }
    throw err;
  } finally {
    clearTimeout(handle);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
