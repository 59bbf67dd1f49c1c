import { availableParallelism } from 'node:os';
import type { ExtractFailure, ExtractLimits } from '../extract/types.js';
import { walkInputs } from '../extract/walk.js';
import type { FingerprintKeys } from '../fingerprint/keys.js';
import type { Matcher } from '../match/matcher.js';
import type { SampleResult } from '../match/types.js';
import { SampleMatcher } from './sample-matcher.js';
import type { OcrText } from '../records/scan-file.js';

export interface ScanOptions {
  matcher: Matcher;
  keys: FingerprintKeys;
  paths: string[];
  workers?: number;
  limits?: Partial<ExtractLimits>;
  signal?: AbortSignal;
  /** OCR of pictures (default on; false turns it off). */
  ocr?: boolean;
}

export interface ScanResult {
  samples: SampleResult[];
  failures: ExtractFailure[];
  /** Text read by OCR, per item, for the record scan (see SampleMatcher.matchFile). */
  ocrTexts: OcrText[];
}

/**
 * `match`: fingerprint every input file and archive member on worker threads (with the 8
 * PDQ rotations/flips), then match each against the store. Results keep input order.
 */
export async function scanSamples(o: ScanOptions): Promise<ScanResult> {
  const files: { absPath: string; displayPath: string }[] = [];
  const failures: ExtractFailure[] = [];
  for await (const f of walkInputs(o.paths, { signal: o.signal })) {
    if ('absPath' in f) files.push(f);
    else failures.push(f);
  }
  if (files.length === 0) return { samples: [], failures, ocrTexts: [] };
  const sm = new SampleMatcher(o.keys, o.matcher, {
    workers: Math.min(o.workers ?? availableParallelism(), files.length),
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.ocr === false ? { ocr: false } : {}),
  });
  const samples: SampleResult[][] = [];
  const ocrTexts: OcrText[] = [];
  try {
    await Promise.all(
      files.map(async (f, i) => {
        const r = await sm.matchFile(f.absPath, f.displayPath, o.signal);
        failures.push(...r.failures);
        ocrTexts.push(...r.ocrTexts);
        samples[i] = r.results;
      }),
    );
  } finally {
    await sm.close();
  }
  return { samples: samples.flat(), failures, ocrTexts };
}
