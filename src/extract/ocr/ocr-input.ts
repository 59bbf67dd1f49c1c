/**
 * Pictures handed to OCR, and their preparation: EXIF-oriented, grey, scaled so text is
 * near the size tesseract reads best, PNG-encoded for tesseract.js. Also the small grey copy
 * the text pre-check looks at. sharp (libvips) does the pixel work.
 */
import sharp, { type Sharp } from 'sharp';
import { InputError, LimitError } from '../../errors.js';
import type { OcrSource } from '../types.js';
import { PRECHECK_SIDE } from './precheck.js';

/**
 * Long side of the picture given to tesseract. An A4 page then has ~15 px high letters
 * (measured: 1 240 × 1 754 scans read as well at 900 px wide as at full size, in 40 % of
 * the time, and clearly worse at 620 px wide).
 */
export const OCR_LONG_SIDE = 1400;
const OCR_DPI = 120;
/** Small images (a cropped screenshot) are enlarged at most this much: more invents nothing. */
const MAX_UPSCALE = 2;

function pipeline(src: OcrSource, maxPixels: number): Sharp {
  if (src.kind === 'grey') return sharp(src.pixels, { raw: { width: src.width, height: src.height, channels: 1 } });
  return sharp(src.bytes, { limitInputPixels: maxPixels, failOn: 'error' }).autoOrient();
}

function mapError(err: unknown, input: string): Error {
  if (err instanceof InputError) return err;
  const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
  if (/pixel limit/i.test(msg ?? '')) return new LimitError('E_TOO_LARGE', `image too large for OCR: ${msg}`, { input, cause: err });
  return new InputError('E_CORRUPT_FILE', `cannot decode image for OCR: ${msg}`, { input, cause: err });
}

async function size(src: OcrSource, maxPixels: number, input: string): Promise<{ width: number; height: number }> {
  if (src.kind === 'grey') return { width: src.width, height: src.height };
  try {
    const m = await sharp(src.bytes, { limitInputPixels: false }).metadata();
    if (!m.width || !m.height) throw new InputError('E_CORRUPT_FILE', 'image has no dimensions', { input });
    if (m.width * m.height > maxPixels) throw new LimitError('E_TOO_LARGE', `image is ${m.width}×${m.height} pixels, over the limit of ${maxPixels}`, { input });
    const swap = (m.orientation ?? 1) >= 5;
    return swap ? { width: m.height, height: m.width } : { width: m.width, height: m.height };
  } catch (err) {
    throw mapError(err, input);
  }
}

/** The small grey copy (long side ≤ PRECHECK_SIDE) for precheckText. */
export async function precheckPixels(src: OcrSource, maxPixels: number, input: string): Promise<{ grey: Uint8Array; width: number; height: number }> {
  await size(src, maxPixels, input);
  try {
    const { data, info } = await pipeline(src, maxPixels)
      .greyscale()
      .resize(PRECHECK_SIDE, PRECHECK_SIDE, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { grey: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    throw mapError(err, input);
  }
}

/** PNG of the grey picture scaled for OCR; `rotateDeg` (90 or 270) turns a sideways page upright. */
export async function ocrImage(src: OcrSource, maxPixels: number, input: string, rotateDeg = 0): Promise<Buffer> {
  const { width, height } = await size(src, maxPixels, input);
  const scale = Math.min(MAX_UPSCALE, OCR_LONG_SIDE / Math.max(width, height));
  try {
    let p = pipeline(src, maxPixels).greyscale();
    if (Math.abs(scale - 1) > 0.05) p = p.resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { fit: 'fill' });
    if (rotateDeg) p = sharp(await p.png({ compressionLevel: 1 }).toBuffer()).rotate(rotateDeg);
    // A fixed nominal density: tesseract otherwise trusts (or warns about) whatever the file
    // claims, which for screenshots is meaningless. 120 dpi ≈ an A4 page at OCR_LONG_SIDE.
    return await p.withDensity(OCR_DPI).png({ compressionLevel: 1 }).toBuffer();
  } catch (err) {
    throw mapError(err, input);
  }
}
