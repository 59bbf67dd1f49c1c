import { errorCode, errorMessage, isAbort } from '../errors.js';
import { extractFile } from '../extract/extract-file.js';
import { applyOcr, type OcrPool } from '../extract/ocr/index.js';
import { DEFAULT_LIMITS, type ExtractFailure, type ExtractOptions } from '../extract/types.js';
import { fingerprintItem, type FingerprintOptions } from '../fingerprint/fingerprint-item.js';
import type { FingerprintKeys } from '../fingerprint/keys.js';
import type { ItemFingerprint } from '../fingerprint/types.js';

/**
 * OCR's share of the per-file time budget (limits.timeoutMs): a quarter for all pictures of
 * an item, and at most that for one picture, so extraction + OCR stay inside the worker
 * pool's backstop (1.5 × timeoutMs).
 */
export const ocrBudgetMs = (timeoutMs = DEFAULT_LIMITS.timeoutMs): number => Math.max(1_000, timeoutMs / 4);
export const ocrImageTimeoutMs = (timeoutMs = DEFAULT_LIMITS.timeoutMs): number => Math.min(30_000, ocrBudgetMs(timeoutMs));

export interface OcrFileOptions {
  /** Read pictures' text with this pool (see extract/ocr); without it no OCR runs. */
  ocrPool?: OcrPool;
}

export interface FileFingerprints {
  items: ItemFingerprint[];
  failures: ExtractFailure[];
}

/**
 * One file on disk → fingerprints of it and of every archive member inside it. A member that
 * cannot be read becomes a failure next to the others' fingerprints; nothing here throws for
 * bad input, only for an abort.
 */
export async function fingerprintFile(
  absPath: string,
  displayPath: string,
  keys: FingerprintKeys,
  options: ExtractOptions & FingerprintOptions & OcrFileOptions = {},
): Promise<FileFingerprints> {
  const items: ItemFingerprint[] = [];
  const failures: ExtractFailure[] = [];
  const { ocrPool } = options;
  try {
    for await (const x of extractFile(absPath, displayPath, { ...options, ocr: ocrPool !== undefined })) {
      if ('sha256' in x) {
        if (ocrPool) {
          const maxImagePixels = options.limits?.maxImagePixels ?? DEFAULT_LIMITS.maxImagePixels;
          const budgetMs = ocrBudgetMs(options.limits?.timeoutMs);
          failures.push(...(await applyOcr(x, { pool: ocrPool, maxImagePixels, budgetMs, ...(options.signal ? { signal: options.signal } : {}) })));
        }
        try {
          items.push(fingerprintItem(x, keys, options));
        } catch (err) {
          failures.push({ path: x.path, code: errorCode(err), message: errorMessage(err) });
        }
      } else failures.push(x);
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    failures.push({ path: displayPath, code: errorCode(err), message: errorMessage(err) });
  }
  return { items, failures };
}
