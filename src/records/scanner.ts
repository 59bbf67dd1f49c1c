import type { ExtractFailure } from '../extract/types.js';
import type { FingerprintStore } from '../store/fingerprint-store.js';
import { listRecordSets } from '../store/record-store.js';
import { openRecordMatcher } from './load.js';
import { nameExposures, type NamedExposure } from './resolve.js';
import { scanRecordsInFile, type OcrText } from './scan-file.js';

/** What the crawler calls on each downloaded sample when record sets exist. */
export interface RecordScanner {
  /** `ocrTexts`: what the document matcher read by OCR from this sample (SampleMatcher.matchFile). */
  scan(absPath: string, displayPath: string, signal?: AbortSignal, ocrTexts?: readonly OcrText[]): Promise<{ exposures: NamedExposure[]; failures: ExtractFailure[] }>;
}

/** A scanner over every record set of the store, or undefined when it has none. */
export function createRecordScanner(store: FingerprintStore, options: { tempDir?: string } = {}): RecordScanner | undefined {
  if (listRecordSets(store).length === 0) return undefined;
  const matcher = openRecordMatcher(store);
  return {
    async scan(absPath, displayPath, signal, ocrTexts) {
      const r = await scanRecordsInFile(matcher, absPath, displayPath, { ...(signal ? { signal } : {}), ...(options.tempDir ? { tempDir: options.tempDir } : {}), ...(ocrTexts?.length ? { ocrTexts } : {}) });
      // Extraction problems are already reported by the document matcher; only ours here.
      return { exposures: nameExposures(store, r.exposures), failures: r.failures.filter((f) => f.message.startsWith('records not read')) };
    },
  };
}
