/**
 * Reads the text of an item's pictures (ExtractedItem.ocrSources) and makes it the item's
 * text, so the text tiers (normalised-text hash, simhash, winnowing) see a screenshot of a
 * letter the way they see the letter. A whole image's text becomes the item's text; a PDF
 * page render's text replaces that page's (near-empty) text layer. Pictures the pre-check
 * judges text-free are not OCRed. A picture that fails is reported by the item's path and
 * label and the rest go on; only an abort ends the call.
 */
import { FatalError, errorCode, errorMessage, isAbort, throwIfAborted } from '../../errors.js';
import type { ExtractFailure, ExtractedItem, OcrInfo } from '../types.js';
import { ocrImage, precheckPixels } from './ocr-input.js';
import type { OcrPool } from './ocr-pool.js';
import { precheckText, type TextPrecheck } from './precheck.js';

/** OCR output with fewer letters and digits than this is noise (a logo, a stamp), not text. */
const MIN_OCR_ALNUM = 20;
/**
 * Under this mean word confidence the picture may be a page turned on its side, and is read
 * again turned by 90° and 270°. Measured on synthetic pages: upright pages read at 80–92 in
 * every bench transform (crops, rotation by 1–3°, half pages, phone photos), pages turned by
 * 90° at 37–44.
 */
const UPRIGHT_MIN_CONFIDENCE = 60;

export interface ApplyOcrOptions {
  pool: OcrPool;
  maxImagePixels: number;
  /** Time budget for all of one item's pictures; the rest are skipped with a warning. */
  budgetMs: number;
  signal?: AbortSignal;
  /** Called with each pre-check verdict (benchmarks and tests report them). */
  onPrecheck?: (label: string, verdict: TextPrecheck) => void;
}

const alnum = (s: string): number => (s.match(/[\p{L}\p{N}]/gu) ?? []).length;

/**
 * Runs OCR over `item.ocrSources`, updates item.text / item.pages / item.ocr in place and
 * drops the sources (their pixels are large). Returns failures for pictures that could not
 * be read.
 */
export async function applyOcr(item: ExtractedItem, opts: ApplyOcrOptions): Promise<ExtractFailure[]> {
  const sources = item.ocrSources ?? [];
  delete item.ocrSources;
  if (sources.length === 0) return [];
  const info: OcrInfo = { read: [], skippedNoText: [] };
  const failures: ExtractFailure[] = [];
  const started = performance.now();
  for (const [i, src] of sources.entries()) {
    throwIfAborted(opts.signal, item.path);
    if (performance.now() - started > opts.budgetMs) {
      item.warnings.push(`OCR stopped after ${Math.round(opts.budgetMs)} ms; ${sources.length - i} picture(s) not read`);
      break;
    }
    const where = src.label === 'image' ? item.path : `${item.path} (${src.label})`;
    try {
      const small = await precheckPixels(src, opts.maxImagePixels, where);
      const verdict = precheckText(small.grey, small.width, small.height);
      opts.onPrecheck?.(src.label, verdict);
      if (!verdict.textLike) {
        info.skippedNoText.push(src.label);
        continue;
      }
      let r = await opts.pool.recognize(await ocrImage(src, opts.maxImagePixels, where), where, opts.signal);
      if (r.confidence < UPRIGHT_MIN_CONFIDENCE) {
        // A page photographed sideways reads as garbage: try it turned both ways, keep the best.
        let turned = 0;
        for (const deg of [90, 270]) {
          const t = await opts.pool.recognize(await ocrImage(src, opts.maxImagePixels, where, deg), where, opts.signal);
          if (t.confidence > Math.max(r.confidence, UPRIGHT_MIN_CONFIDENCE)) [r, turned] = [t, deg];
        }
        if (turned) item.warnings.push(`${src.label}: text runs sideways; read turned by ${turned}°`);
      }
      if (alnum(r.text) < MIN_OCR_ALNUM) continue;
      if (mergeText(item, src.label, r.text)) info.read.push(src.label);
    } catch (err) {
      if (isAbort(err)) throw err;
      const message = errorMessage(err);
      item.warnings.push(`${src.label}: not read by OCR (${message.replace(`${where}: `, '')})`);
      failures.push({ path: item.path, code: errorCode(err), message: message.includes(item.path) ? message : `${where}: ${message}` });
      // Missing language data fails every picture the same way: say it once.
      if (err instanceof FatalError) break;
    }
  }
  if (info.read.length > 0 && item.pages) item.text = item.pages.join('\n');
  item.ocr = info;
  return failures;
}

/** Puts OCR text where the item's text for that picture belongs; false when it adds nothing. */
function mergeText(item: ExtractedItem, label: string, text: string): boolean {
  const page = /^page (\d+)$/.exec(label);
  if (page && item.pages) {
    const n = Number(page[1]) - 1;
    if (n < 0 || n >= item.pages.length) return false;
    // A page with a little real text (a header) and a scanned body: OCR reads both.
    if (alnum(item.pages[n] ?? '') >= alnum(text)) return false;
    item.pages[n] = text;
    return true;
  }
  if (label === 'image' && !item.text) {
    item.text = text;
    return true;
  }
  return false;
}
