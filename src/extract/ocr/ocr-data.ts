/**
 * Where the English recognition model comes from: the @tesseract.js-data/eng npm package,
 * installed with the project. tesseract.js would otherwise download it from a CDN on first
 * use; leakwatch never fetches anything at run time, so the path is resolved here, checked
 * on disk, and handed to tesseract.js as a local directory (which it reads with fs, never
 * fetch), with its download cache switched off.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FatalError } from '../../errors.js';

export const OCR_LANGUAGE = 'eng';
/** The LSTM "best, integer" model: the one tesseract.js picks for its default LSTM engine. */
const MODEL_DIR = '4.0.0_best_int';

export interface OcrDataLocation {
  /** Directory holding `<lang>.traineddata.gz`. */
  langPath: string;
  file: string;
}

/** The installed model's directory. @throws FatalError E_OCR_UNAVAILABLE when it is missing. */
export function locateOcrData(langPath?: string): OcrDataLocation {
  let dir = langPath;
  if (dir === undefined) {
    try {
      dir = join(dirname(createRequire(import.meta.url).resolve(`@tesseract.js-data/${OCR_LANGUAGE}/package.json`)), MODEL_DIR);
    } catch (err) {
      throw new FatalError('E_OCR_UNAVAILABLE', `OCR language data @tesseract.js-data/${OCR_LANGUAGE} is not installed (run npm install)`, { cause: err });
    }
  }
  const file = join(dir, `${OCR_LANGUAGE}.traineddata.gz`);
  if (!existsSync(file)) {
    throw new FatalError('E_OCR_UNAVAILABLE', `OCR language data not found at ${file}; it is installed from npm, never downloaded`);
  }
  return { langPath: dir, file };
}
