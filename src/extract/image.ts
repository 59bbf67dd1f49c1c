/**
 * Image decoding for PDQ: bytes → EXIF-oriented luma, at most 512 px a side, the way the PDQ
 * reference CLI (ThreatExchange pdq/cpp/io/pdqio.cpp) prepares images, so our hashes agree
 * with hashes made elsewhere. sharp (libvips) decodes; luma is computed here.
 *
 * What the reference does, and how we match it:
 * - It decodes to 8-bit RGB (or grey) and drops any alpha channel without compositing.
 * - When either side exceeds 512 px it resizes to exactly 512×512 (aspect ratio is not kept:
 *   PDQ squashes to 64×64 anyway) with CImg's default nearest-neighbour sampling, which takes
 *   source pixel ⌊x·W/512⌋. libvips' nearest resize samples cell centres instead, which shifts
 *   the grid by half a source step; its affine transform with the nearest interpolator samples
 *   exactly ⌊x·W/512⌋, so we use that (verified for every width 5..3000).
 * - Luma is 0.299R + 0.587G + 0.114B in 32-bit float arithmetic.
 * Unlike the reference we apply EXIF orientation first: a phone photo and its upright re-save
 * should hash alike.
 */
import sharp, { type Metadata, type OutputInfo, type SharpOptions } from 'sharp';
import { AbortError, InputError, LimitError, throwIfAborted } from '../errors.js';
import type { LumaImage } from './types.js';

/** PDQ's working size: larger images are resampled to PDQ_SIDE × PDQ_SIDE first. */
export const PDQ_SIDE = 512;

/**
 * Above this many pixels the exact (affine) resample is replaced by libvips' streaming nearest
 * resize: the affine transform needs random access, so libvips holds the whole decoded image
 * (3 bytes a pixel), whereas resize streams a few rows at a time. The two differ by half a
 * source pixel in where they sample, a few bits of hash at most.
 */
const EXACT_RESAMPLE_MAX_PIXELS = 40_000_000;

/** Raster formats we decode. SVG (and anything else libvips might load) is refused: rendering
 * untrusted vector documents adds attack surface and is not what PDQ is for. */
const RASTER_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif', 'jp2k', 'jxl', 'ppm']);

export interface DecodeImageOptions {
  /** Refuse images with more pixels than this (width × height), before decoding pixels. */
  maxImagePixels: number;
  signal?: AbortSignal;
  /** Name of the input for error messages (path or archive member). */
  input?: string;
}

export interface LumaFromRawOptions {
  signal?: AbortSignal;
  input?: string;
}

// Luma tables: each entry is float(coeff) × v rounded to float, the reference's float products.
const LUMA_R = lumaTable(0.299);
const LUMA_G = lumaTable(0.587);
const LUMA_B = lumaTable(0.114);

function lumaTable(coeff: number): Float64Array {
  const c = Math.fround(coeff);
  const t = new Float64Array(256);
  for (let v = 0; v < 256; v++) t[v] = Math.fround(c * v);
  return t;
}

/**
 * Decodes an image (format sniffed by libvips from the bytes), orients it by EXIF, scales it as
 * the PDQ reference does and returns its luma.
 * @throws LimitError E_TOO_LARGE when width × height exceeds maxImagePixels (from the header,
 *   before any pixel is decoded); InputError E_CORRUPT_FILE for empty, truncated or undecodable
 *   data; InputError E_UNSUPPORTED for non-raster formats; AbortError when signal fires.
 */
export async function decodeImage(bytes: Uint8Array, opts: DecodeImageOptions): Promise<LumaImage> {
  const { input, signal } = opts;
  throwIfAborted(signal, input);
  if (bytes.length === 0) throw new InputError('E_CORRUPT_FILE', 'empty file is not an image', { input });

  const limit = Math.max(1, Math.floor(opts.maxImagePixels));
  // failOn 'error' refuses truncated or corrupt pixel data (a half-decoded image padded with
  // grey hashes as something else) but accepts files with benign libjpeg warnings such as
  // "extraneous bytes before marker", common in real-world JPEGs, which 'warning' would refuse.
  const sharpOpts: SharpOptions = { limitInputPixels: limit, failOn: 'error' };

  let meta: Metadata;
  try {
    // The header alone is read here (no pixels), without sharp's pixel limit so that an
    // oversized image is reported with its size by our own check below.
    meta = await withAbort(sharp(bytes, { ...sharpOpts, limitInputPixels: false }).metadata(), signal, input);
  } catch (err) {
    const known = knownUnsupportedFormat(bytes);
    if (known) throw new InputError('E_UNSUPPORTED', `${known} images are not decoded`, { input, cause: err });
    throw mapSharpError(err, input, limit);
  }
  const { width, height, format } = meta;
  if (!format || !RASTER_FORMATS.has(format)) {
    throw new InputError('E_UNSUPPORTED', `image format ${format ?? 'unknown'} is not decoded for hashing`, {
      input,
    });
  }
  if (!width || !height) throw new InputError('E_CORRUPT_FILE', 'image has no dimensions', { input });
  if (width * height > limit) {
    throw new LimitError('E_TOO_LARGE', `image is ${width}×${height} pixels, over the limit of ${limit}`, {
      input,
    });
  }
  throwIfAborted(signal, input);

  // EXIF orientations 5–8 swap width and height.
  const swap = (meta.orientation ?? 1) >= 5;
  const w = swap ? height : width;
  const h = swap ? width : height;

  let pipeline = sharp(bytes, sharpOpts).autoOrient();
  // Ask libvips for 8-bit sRGB (grey stays one channel, as the reference reads it): this
  // converts CMYK through its ICC profile and 16-bit samples to 8 bits.
  const grey = meta.channels !== undefined && meta.channels <= 2 && meta.space !== 'cmyk';
  pipeline = pipeline.toColourspace(grey ? 'b-w' : 'srgb');
  if (w > PDQ_SIDE || h > PDQ_SIDE) {
    if (w * h <= EXACT_RESAMPLE_MAX_PIXELS) {
      // The 1e-4 nudge keeps libvips' inverse scale from landing a hair below an exact integer
      // source coordinate (which would pick the pixel to the left); too small to reach the next.
      pipeline = pipeline.affine([PDQ_SIDE / (w + 1e-4), 0, 0, PDQ_SIDE / (h + 1e-4)], {
        interpolator: sharp.interpolators.nearest,
      });
    } else {
      pipeline = pipeline.resize(PDQ_SIDE, PDQ_SIDE, { fit: 'fill', kernel: 'nearest', fastShrinkOnLoad: false });
    }
  }

  let data: Buffer;
  let info: OutputInfo;
  try {
    ({ data, info } = await withAbort(pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }), signal, input));
  } catch (err) {
    throw mapSharpError(err, input, limit);
  }
  throwIfAborted(signal, input);
  return rawToLuma(data, info.width, info.height, info.channels, input);
}

/**
 * Luma of raw 8-bit pixels a caller already has (PDF page renders, embedded images): 1 = grey,
 * 2 = grey + alpha, 3 = RGB, 4 = RGBA; alpha is ignored. Scaled as decodeImage does.
 */
export async function lumaFromRaw(
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  opts: LumaFromRawOptions = {},
): Promise<LumaImage> {
  throwIfAborted(opts.signal, opts.input);
  return rawToLuma(data, width, height, channels, opts.input);
}

function rawToLuma(data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number, input?: string): LumaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError('E_CORRUPT_FILE', `invalid image size ${width}×${height}`, { input });
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) {
    throw new InputError('E_UNSUPPORTED', `unsupported channel count ${channels}`, { input });
  }
  if (data.length < width * height * channels) {
    throw new InputError('E_CORRUPT_FILE', `pixel data too short for ${width}×${height}×${channels}`, { input });
  }
  // Same rule as the reference: only when a side exceeds 512, both sides become 512.
  const scale = width > PDQ_SIDE || height > PDQ_SIDE;
  const outW = scale ? PDQ_SIDE : width;
  const outH = scale ? PDQ_SIDE : height;
  const luma = new Float32Array(outW * outH);
  // Nearest-neighbour source column/row for each output column/row: ⌊x·W/512⌋, as CImg. Exact
  // in doubles since 512 is a power of two.
  const srcCol = new Int32Array(outW);
  for (let x = 0; x < outW; x++) srcCol[x] = scale ? Math.floor((x * width) / outW) * channels : x * channels;
  const grey = channels <= 2;
  let o = 0;
  for (let y = 0; y < outH; y++) {
    const row = (scale ? Math.floor((y * height) / outH) : y) * width * channels;
    if (grey) {
      for (let x = 0; x < outW; x++) luma[o++] = data[row + srcCol[x]!]!;
    } else {
      for (let x = 0; x < outW; x++) {
        const p = row + srcCol[x]!;
        // Two float additions in the reference's order; the Float32Array store rounds the last.
        luma[o++] = Math.fround(LUMA_R[data[p]!]! + LUMA_G[data[p + 1]!]!) + LUMA_B[data[p + 2]!]!;
      }
    }
  }
  return { width: outW, height: outH, luma };
}

/** Rejects with AbortError when the signal fires; libvips work already started runs to its end. */
function withAbort<T>(p: Promise<T>, signal: AbortSignal | undefined, input: string | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError('operation aborted', { input, cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Real image formats the bundled libvips cannot read, so they are reported as unsupported
 * rather than corrupt (an operator can convert them; a corrupt file is a different story).
 */
function knownUnsupportedFormat(b: Uint8Array): string | undefined {
  if (b.length >= 14 && b[0] === 0x42 && b[1] === 0x4d) return 'BMP';
  if (b.length >= 4 && b[0] === 0x38 && b[1] === 0x42 && b[2] === 0x50 && b[3] === 0x53) return 'PSD';
  if (b.length >= 6 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0 && b[4]! > 0) return 'ICO';
  return undefined;
}

function mapSharpError(err: unknown, input: string | undefined, limit: number): Error {
  if (err instanceof AbortError || err instanceof InputError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(msg)) {
    return new LimitError('E_TOO_LARGE', `image exceeds the limit of ${limit} pixels`, { input, cause: err });
  }
  const detail = msg.split('\n')[0]?.trim() || 'unknown error';
  return new InputError('E_CORRUPT_FILE', `cannot decode image: ${detail}`, { input, cause: err });
}
