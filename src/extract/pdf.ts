/**
 * PDF → text per page, embedded raster images, and renders of pages that carry (almost) no
 * text (scans, photos of documents) for the image tier. pdfjs-dist's legacy build runs in this
 * thread (its "fake worker"); it parses in time slices, so destroying the loading task on
 * abort/timeout does stop a document that makes it spin. No script evaluation, no system
 * fonts, images above maxImagePixels are not decoded by pdfjs at all.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AbortError, InputError, isAbort, throwIfAborted } from '../errors.js';
import { lumaFromRaw } from './image.js';
import { layoutPageText, normalisedLength } from './pdf-text.js';
import type * as PdfjsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ExtractLimits, ExtractedImage, OcrSource } from './types.js';

type Pdfjs = typeof PdfjsModule;
type PdfDocument = Awaited<ReturnType<Pdfjs['getDocument']>['promise']>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/** Longest side of a page render, in pixels: PDQ's input size, so no resampling follows. */
const RENDER_SIDE = 512;
/** Longest side of a page render for OCR (OCR_LONG_SIDE in ocr/ocr-input.ts: no resampling). */
const OCR_RENDER_SIDE = 1400;
/** Embedded images smaller than this on either side (rules, bullets, spacers) are ignored. */
const MIN_IMAGE_SIDE = 16;
/** How long to wait for an image object pdfjs has not delivered yet. */
const IMAGE_OBJECT_WAIT_MS = 5_000;

export interface PdfContent {
  pages: string[];
  images: ExtractedImage[];
  warnings: string[];
  /** Grey renders of text-poor pages for OCR (only with PdfOptions.ocr). */
  ocrSources: OcrSource[];
}

export interface PdfOptions {
  limits: ExtractLimits;
  signal?: AbortSignal;
  /** Display path, for errors and warnings. */
  input: string;
  /** Also render text-poor pages at reading resolution for OCR. */
  ocr?: boolean;
}

let pdfjsPromise: Promise<Pdfjs> | undefined;
/** pdfjs is large: load it on first use, not when the CLI starts. */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsPromise;
}

const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
/** pdfjs in Node reads these "URLs" as filesystem paths; the trailing slash is required. */
const resourceDir = (name: string): string => join(PDFJS_DIR, name) + '/';

/** Races promises against the abort signal; on abort runs `onAbort` (destroys pdfjs work). */
class AbortGuard {
  private readonly aborted: Promise<never>;
  private readonly listener: (() => void) | undefined;

  constructor(
    private readonly signal: AbortSignal | undefined,
    input: string,
    onAbort: () => void,
  ) {
    let reject!: (e: unknown) => void;
    this.aborted = new Promise<never>((_, r) => {
      reject = r;
    });
    this.aborted.catch(() => undefined);
    if (signal) {
      this.listener = () => {
        onAbort();
        reject(new AbortError('operation aborted', { input, cause: signal.reason }));
      };
      if (signal.aborted) this.listener();
      else signal.addEventListener('abort', this.listener, { once: true });
    }
  }

  race<T>(p: Promise<T>): Promise<T> {
    return this.signal ? Promise.race([p, this.aborted]) : p;
  }

  dispose(): void {
    if (this.signal && this.listener) this.signal.removeEventListener('abort', this.listener);
  }
}

function pdfError(err: unknown, input: string): Error {
  if (isAbort(err) || err instanceof InputError) return err as Error;
  const name = err instanceof Error ? err.name : '';
  const msg = err instanceof Error ? err.message : String(err);
  if (name === 'PasswordException') {
    return new InputError('E_UNSUPPORTED', 'PDF is encrypted with a user password; content not readable', {
      input,
      cause: err,
    });
  }
  return new InputError('E_CORRUPT_FILE', `damaged or invalid PDF: ${msg}`, { input, cause: err });
}

/** Text per page, embedded images and renders of text-poor pages. */
export async function extractPdf(bytes: Uint8Array, opts: PdfOptions): Promise<PdfContent> {
  const { limits, signal, input } = opts;
  throwIfAborted(signal, input);
  const pdfjs = await loadPdfjs();
  throwIfAborted(signal, input);
  const task = pdfjs.getDocument({
    // pdfjs transfers (detaches) the buffer it is given: hand it a private copy.
    data: new Uint8Array(bytes),
    standardFontDataUrl: resourceDir('standard_fonts'),
    cMapUrl: resourceDir('cmaps'),
    cMapPacked: true,
    wasmUrl: resourceDir('wasm'),
    iccUrl: resourceDir('iccs'),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    enableXfa: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    maxImageSize: Math.max(1, Math.floor(limits.maxImagePixels)),
    stopAtErrors: false,
    verbosity: 0,
  });
  const guard = new AbortGuard(signal, input, () => void task.destroy().catch(() => undefined));
  try {
    let doc: PdfDocument;
    try {
      doc = await guard.race(task.promise);
    } catch (err) {
      throw pdfError(err, input);
    }
    return await readDocument(pdfjs, doc, opts, guard);
  } finally {
    guard.dispose();
    await task.destroy().catch(() => undefined);
  }
}

async function readDocument(pdfjs: Pdfjs, doc: PdfDocument, opts: PdfOptions, guard: AbortGuard): Promise<PdfContent> {
  const { limits, signal, input } = opts;
  const out: PdfContent = { pages: [], images: [], warnings: [], ocrSources: [] };
  const pageCount = Math.min(doc.numPages, limits.maxPdfPages);
  if (doc.numPages > pageCount) {
    out.warnings.push(`only the first ${pageCount} of ${doc.numPages} pages read (maxPdfPages)`);
  }
  const seen = new Set<string>();
  let imageCapWarned = false;
  const roomForImage = (): boolean => {
    if (out.images.length < limits.maxImagesPerItem) return true;
    if (!imageCapWarned) out.warnings.push(`more than ${limits.maxImagesPerItem} images; rest skipped (maxImagesPerItem)`);
    imageCapWarned = true;
    return false;
  };

  for (let n = 1; n <= pageCount; n++) {
    throwIfAborted(signal, input);
    let page: PdfPage;
    try {
      page = await guard.race(doc.getPage(n));
    } catch (err) {
      if (isAbort(err)) throw err;
      out.warnings.push(`page ${n}: unreadable (${msgOf(err)})`);
      out.pages.push('');
      continue;
    }
    try {
      let text = '';
      try {
        const content = await guard.race(page.getTextContent());
        text = layoutPageText(content.items);
      } catch (err) {
        if (isAbort(err)) throw err;
        out.warnings.push(`page ${n}: text not extracted (${msgOf(err)})`);
      }
      out.pages.push(text);

      if (normalisedLength(text) < limits.pdfRenderTextThreshold && roomForImage()) {
        try {
          out.images.push({ label: `page ${n}`, ...(await renderPage(doc, page, opts, guard)) });
        } catch (err) {
          if (isAbort(err)) throw err;
          out.warnings.push(`page ${n}: not rendered (${msgOf(err)})`);
        }
      }
      if (opts.ocr && normalisedLength(text) < limits.pdfRenderTextThreshold) {
        if (out.ocrSources.length < limits.maxOcrImagesPerItem) {
          try {
            const r = await renderGrey(doc, page, OCR_RENDER_SIDE, guard);
            out.ocrSources.push({ label: `page ${n}`, kind: 'grey', ...r });
          } catch (err) {
            if (isAbort(err)) throw err;
            out.warnings.push(`page ${n}: not rendered for OCR (${msgOf(err)})`);
          }
        } else if (out.ocrSources.length === limits.maxOcrImagesPerItem) {
          out.warnings.push(`page ${n}: not read by OCR; only ${limits.maxOcrImagesPerItem} pages are (maxOcrImagesPerItem)`);
        }
      }
      if (out.images.length < limits.maxImagesPerItem) {
        try {
          await embeddedImages(pdfjs, page, n, opts, guard, seen, out, roomForImage);
        } catch (err) {
          if (isAbort(err)) throw err;
          out.warnings.push(`page ${n}: images not extracted (${msgOf(err)})`);
        }
      }
    } finally {
      page.cleanup();
    }
  }
  return out;
}

interface CanvasLike {
  width: number;
  height: number;
}
interface ContextLike {
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}
interface CanvasFactoryLike {
  create(w: number, h: number): { canvas: CanvasLike; context: ContextLike };
  destroy?(c: { canvas: CanvasLike; context: ContextLike }): void;
}

/**
 * Renders a page with its longest side `side` px and hands its RGBA pixels to `use` while the
 * canvas is alive (the canvas is released afterwards, whatever happens).
 */
async function withRenderedPage<T>(
  doc: PdfDocument,
  page: PdfPage,
  side: number,
  guard: AbortGuard,
  use: (rgba: Uint8ClampedArray | Uint8Array, width: number, height: number) => Promise<T> | T,
): Promise<T> {
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: side / Math.max(base.width, base.height, 1) });
  const width = Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));
  const factory = doc.canvasFactory as CanvasFactoryLike;
  const surface = factory.create(width, height);
  try {
    const task = page.render({ canvas: surface.canvas as never, viewport });
    try {
      await guard.race(task.promise);
    } catch (err) {
      task.cancel();
      throw err;
    }
    return await use(surface.context.getImageData(0, 0, width, height).data, width, height);
  } finally {
    factory.destroy?.(surface);
  }
}

/** Renders a page with its longest side RENDER_SIDE px (on white) and returns its luma. */
function renderPage(doc: PdfDocument, page: PdfPage, opts: PdfOptions, guard: AbortGuard) {
  return withRenderedPage(doc, page, RENDER_SIDE, guard, (data, w, h) => lumaFromRaw(asBytes(data), w, h, 4, { signal: opts.signal, input: opts.input }));
}

/** Renders a page with its longest side `side` px (on white) as one grey byte a pixel. */
function renderGrey(doc: PdfDocument, page: PdfPage, side: number, guard: AbortGuard): Promise<{ width: number; height: number; pixels: Uint8Array }> {
  return withRenderedPage(doc, page, side, guard, (data, width, height) => {
    // Transparent (unpainted) pixels are paper: composite on white, then take luma.
    const pixels = new Uint8Array(width * height);
    for (let p = 0, q = 0; p < pixels.length; p++, q += 4) {
      const a = data[q + 3]! / 255;
      const y = 0.299 * data[q]! + 0.587 * data[q + 1]! + 0.114 * data[q + 2]!;
      pixels[p] = Math.round(y * a + 255 * (1 - a));
    }
    return { width, height, pixels };
  });
}

/** The decoded-image object pdfjs hands over for paintImageXObject (kind: pdfjs ImageKind). */
interface PdfImageObject {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
  ref?: string | null;
}

/** Embedded raster images of a page, from its operator list, deduplicated across the document. */
async function embeddedImages(
  pdfjs: Pdfjs,
  page: PdfPage,
  n: number,
  opts: PdfOptions,
  guard: AbortGuard,
  seen: Set<string>,
  out: PdfContent,
  roomForImage: () => boolean,
): Promise<void> {
  const { OPS } = pdfjs;
  const ops = await guard.race(page.getOperatorList());
  let k = 0;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    let obj: PdfImageObject | undefined;
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.paintImageXObject || fn === OPS.paintImageXObjectRepeat) {
      const id = args[0];
      if (typeof id !== 'string' || seen.has(`id:${id}`)) continue;
      seen.add(`id:${id}`);
      obj = await imageObject(page, id, guard);
    } else if (fn === OPS.paintInlineImageXObject) {
      obj = args[0] as PdfImageObject;
    } else {
      continue;
    }
    if (!obj?.data || obj.width < MIN_IMAGE_SIDE || obj.height < MIN_IMAGE_SIDE) continue;
    if (obj.ref) {
      if (seen.has(`ref:${obj.ref}`)) continue;
      seen.add(`ref:${obj.ref}`);
    }
    const pixels = toPixels(pdfjs, obj);
    if (!pixels) continue;
    // The same picture stored twice (e.g. a letterhead logo per page) is hashed once.
    const digest = createHash('sha1').update(pixels.data).digest('hex');
    if (seen.has(`px:${digest}`)) continue;
    seen.add(`px:${digest}`);
    if (!roomForImage()) return;
    k += 1;
    const luma = await lumaFromRaw(pixels.data, obj.width, obj.height, pixels.channels, {
      signal: opts.signal,
      input: opts.input,
    });
    out.images.push({ label: `page ${n} image ${k}`, ...luma });
  }
}

/** Waits (bounded) for pdfjs to deliver a decoded image object. */
async function imageObject(page: PdfPage, id: string, guard: AbortGuard): Promise<PdfImageObject | undefined> {
  const store = id.startsWith('g_') ? page.commonObjs : page.objs;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await guard.race(
      new Promise<PdfImageObject | undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), IMAGE_OBJECT_WAIT_MS);
        store.get(id, (o: unknown) => resolve((o ?? undefined) as PdfImageObject | undefined));
      }),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** pdfjs ImageKind → raw pixels with a channel count lumaFromRaw accepts. */
function toPixels(pdfjs: Pdfjs, obj: PdfImageObject): { data: Uint8Array; channels: 1 | 3 | 4 } | undefined {
  const { ImageKind } = pdfjs;
  const data = asBytes(obj.data!);
  const px = obj.width * obj.height;
  if (obj.kind === ImageKind.RGB_24BPP && data.length >= px * 3) return { data, channels: 3 };
  if (obj.kind === ImageKind.RGBA_32BPP && data.length >= px * 4) return { data, channels: 4 };
  if (obj.kind === ImageKind.GRAYSCALE_1BPP) {
    // 1 bit per pixel, rows padded to whole bytes; a set bit is white (as pdfjs paints it).
    const rowBytes = (obj.width + 7) >> 3;
    if (data.length < rowBytes * obj.height) return undefined;
    const grey = new Uint8Array(px);
    for (let y = 0; y < obj.height; y++) {
      for (let x = 0; x < obj.width; x++) {
        grey[y * obj.width + x] = data[y * rowBytes + (x >> 3)]! & (0x80 >> (x & 7)) ? 255 : 0;
      }
    }
    return { data: grey, channels: 1 };
  }
  return undefined;
}

/** A Uint8Array view of the same memory (pdfjs and canvas hand out Uint8ClampedArray). */
function asBytes(a: Uint8Array | Uint8ClampedArray): Uint8Array {
  return a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function msgOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
