import type { ExtractFailure, ExtractLimits } from '../extract/types.js';
import type { FingerprintKeys } from '../fingerprint/keys.js';
import type { ItemFingerprint } from '../fingerprint/types.js';

/** Messages between the pool and its worker threads. */
export interface WorkerSetup {
  entry: string;
  /** Derived keys (structured-cloned; Buffers arrive as Uint8Arrays, which node:crypto accepts). */
  keys: FingerprintKeys;
  limits: Partial<ExtractLimits>;
  dihedral: boolean;
  /** Store centred-crop PDQ variants (corpus ingest). */
  cropVariants?: boolean;
  tempDir?: string;
  /** Read pictures' text by OCR, with this many tesseract workers in this thread. */
  ocr?: { workers: number };
}

export interface WorkerRequest {
  id: number;
  absPath: string;
  displayPath: string;
}

export type WorkerResponse =
  | { id: number; ok: true; items: ItemFingerprint[]; failures: ExtractFailure[] }
  | { id: number; ok: false; code: string; message: string };
