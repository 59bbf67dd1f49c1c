import { availableParallelism } from 'node:os';
import type { ExtractFailure, ExtractLimits } from '../extract/types.js';
import { DEFAULT_LIMITS } from '../extract/types.js';
import type { Matcher } from '../match/matcher.js';
import type { SampleResult } from '../match/types.js';
import type { FingerprintKeys } from '../fingerprint/keys.js';
import { WorkerPool } from './worker-pool.js';
import type { OcrText } from '../records/scan-file.js';

/**
 * Long-lived matching of downloaded samples, for the crawler: the fingerprint indexes are
 * loaded once and files are fingerprinted on worker threads (archives member by member, PDQ
 * with rotations), so a hostile sample can only fail itself.
 */
export class SampleMatcher {
  private readonly pool: WorkerPool;

  constructor(
    keys: FingerprintKeys,
    private readonly matcher: Matcher,
    options: { workers?: number; limits?: Partial<ExtractLimits>; ocr?: boolean } = {},
  ) {
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.pool = new WorkerPool({
      size: options.workers ?? availableParallelism(),
      // Leak-site "proof" is mostly screenshots: samples' pictures are read by OCR (one
      // tesseract worker per thread, so OCR threads ≤ pool size), unless switched off.
      setup: { keys, limits, dihedral: true, ...(options.ocr === false ? {} : { ocr: { workers: 1 } }) },
      taskTimeoutMs: Math.ceil(limits.timeoutMs * 1.5) + 5_000,
    });
  }

  /**
   * Matches one file; `displayPath` names it in results (archive members as `name!/member`).
   * `ocrTexts`: the text of items whose pictures were read by OCR, for the record scan.
   */
  async matchFile(absPath: string, displayPath: string, signal?: AbortSignal): Promise<{ results: SampleResult[]; failures: ExtractFailure[]; ocrTexts: OcrText[] }> {
    const r = await this.pool.run(absPath, displayPath, signal);
    const ocrTexts = r.items.flatMap((i) => (i.ocrText !== undefined ? [{ path: i.path, sha256: i.sha256, text: i.ocrText }] : []));
    const results = r.items.map((item) => {
      const warnings = [...item.warnings];
      const matches = this.matcher.match(item, warnings);
      return { path: item.path, sha256: item.sha256, size: item.size, type: item.type, matches, warnings };
    });
    return { results, failures: r.failures, ocrTexts };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
