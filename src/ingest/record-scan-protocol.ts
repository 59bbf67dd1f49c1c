import type { ExtractFailure, ExtractLimits } from '../extract/index.js';
import type { FingerprintKeys } from '../fingerprint/keys.js';
import type { OcrText, RecordExposure, SharedRecordSet } from '../records/index.js';

/** What a record-scan worker is started with (workerData). */
export interface RecordScanSetup {
  entry: string;
  /** The store's keys (only the text key is used: it keys the sample's values). */
  keys: Pick<FingerprintKeys, 'textKey'>;
  /** The record indexes, on SharedArrayBuffers (RecordMatcher.shared). */
  sets: SharedRecordSet[];
  limits: ExtractLimits;
  tempDir?: string;
}

export interface RecordScanRequest {
  id: number;
  absPath: string;
  displayPath: string;
  ocrTexts?: OcrText[];
}

export type RecordScanResponse =
  | { id: number; ok: true; exposures: RecordExposure[]; failures: ExtractFailure[] }
  | { id: number; ok: false; code: string; message: string };
