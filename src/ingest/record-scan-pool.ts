import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AbortError } from '../errors.js';
import { DEFAULT_LIMITS, type ExtractFailure, type ExtractLimits } from '../extract/index.js';
import type { FingerprintKeys } from '../fingerprint/keys.js';
import { scanRecordsInFile, type OcrText, type RecordExposure, type RecordMatcher, type ScanRecordsResult, type SharedRecordSet } from '../records/index.js';
import type { RecordScanRequest, RecordScanResponse, RecordScanSetup } from './record-scan-protocol.js';

const BOOT = fileURLToPath(new URL('./worker-boot.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL('./record-scan-worker.ts', import.meta.url));

/**
 * Old-generation heap cap of a scanning thread. V8 grows a heap lazily toward its limit, so
 * uncapped threads sat at gigabytes of RSS (and at 1 GB caps the benchmark's peak came within
 * 60 MB of its 1 GB target); a 32 MB file of any kind scans within 256 MB. A larger member
 * that does not fit is read again on the calling thread (`fallback`), uncapped.
 */
export const RECORD_SCAN_HEAP_MB = 384;

export interface RecordScanJob {
  absPath: string;
  displayPath: string;
  /** What the document scan read by OCR from this file (never read twice). */
  ocrTexts?: readonly OcrText[];
}

export interface RecordScanPoolOptions {
  /** The store's keys: the text key keys the samples' values, as at ingest. */
  keys: Pick<FingerprintKeys, 'textKey'>;
  /** The record indexes to scan against (`openRecordMatcher(store).shared()`): shared, not copied. */
  sets: SharedRecordSet[];
  threads: number;
  maxHeapMb?: number;
  limits?: Partial<ExtractLimits>;
  tempDir?: string;
  signal?: AbortSignal;
  /**
   * The calling thread's matcher: a file whose thread crashed or ran out of memory is scanned
   * again with it, here (without the threads' heap cap), after the others, and with one file
   * or one thread everything is scanned here. Without it, such a file is reported as not read.
   */
  fallback?: RecordMatcher;
}

interface Slot {
  worker: Worker;
  job?: number;
  ready?: boolean;
}

/** Threads that die before they are ready, in a row, before the scan gives up. */
const MAX_BOOT_FAILURES = 3;

/**
 * The record scan of many files on several threads at once, one index shared by all: a
 * leaked dump is often thousands of files, and one thread does ~12 MB per CPU-second.
 * Results come back in the order of `jobs`. A thread that crashes or runs out of memory fails
 * only the file it had (reported as a failure of that file, like a file that cannot be read)
 * and is replaced; an abort stops every thread and rejects with AbortError.
 */
export async function scanRecordsInParallel(jobs: readonly RecordScanJob[], o: RecordScanPoolOptions): Promise<ScanRecordsResult[]> {
  const here = (matcher: RecordMatcher, j: RecordScanJob): Promise<ScanRecordsResult> =>
    scanRecordsInFile(matcher, j.absPath, j.displayPath, { ...(o.limits ? { limits: o.limits } : {}), ...(o.signal ? { signal: o.signal } : {}), ...(o.tempDir ? { tempDir: o.tempDir } : {}), ...(j.ocrTexts?.length ? { ocrTexts: j.ocrTexts } : {}) });
  // One file or one core: a thread would only add its start-up.
  if (o.fallback && Math.min(o.threads, jobs.length) <= 1) {
    const results: ScanRecordsResult[] = [];
    for (const j of jobs) results.push(await here(o.fallback, j));
    return results;
  }
  const lost = new Set<number>();
  const results = await onThreads(jobs, o, lost);
  if (o.fallback) for (const k of [...lost].sort((a, b) => a - b)) results[k] = await here(o.fallback, jobs[k] as RecordScanJob);
  return results;
}

/** The pool itself; the indexes of files whose thread was lost are added to `lostJobs`. */
function onThreads(jobs: readonly RecordScanJob[], o: RecordScanPoolOptions, lostJobs: Set<number>): Promise<ScanRecordsResult[]> {
  const results: (ScanRecordsResult | undefined)[] = new Array<ScanRecordsResult | undefined>(jobs.length).fill(undefined);
  if (o.signal?.aborted) return Promise.reject(new AbortError('record scan aborted'));
  if (jobs.length === 0) return Promise.resolve([]);
  const setup: RecordScanSetup = { entry: ENTRY, keys: { textKey: o.keys.textKey }, sets: o.sets, limits: { ...DEFAULT_LIMITS, ...o.limits }, ...(o.tempDir ? { tempDir: o.tempDir } : {}) };
  const slots: Slot[] = [];
  let next = 0;
  let done = 0;
  let stopped = false;
  let bootFailures = 0;
  return new Promise<ScanRecordsResult[]>((resolve, reject) => {
    const stop = (): void => {
      stopped = true;
      o.signal?.removeEventListener('abort', onAbort);
      for (const s of slots) void s.worker.terminate();
    };
    const onAbort = (): void => {
      stop();
      reject(new AbortError('record scan aborted'));
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (job: number, r: ScanRecordsResult): void => {
      results[job] = r;
      if (++done === jobs.length) {
        stop();
        resolve(results as ScanRecordsResult[]);
      }
    };
    const failed = (job: number, code: string, message: string): ExtractFailure[] => [{ path: (jobs[job] as RecordScanJob).displayPath, code, message: `records not read: ${message}` }];
    const feed = (slot: Slot): void => {
      if (stopped) return;
      if (next >= jobs.length) {
        slot.job = undefined;
        void slot.worker.terminate();
        return;
      }
      const job = next++;
      slot.job = job;
      const j = jobs[job] as RecordScanJob;
      const req: RecordScanRequest = { id: job, absPath: j.absPath, displayPath: j.displayPath, ...(j.ocrTexts?.length ? { ocrTexts: [...j.ocrTexts] } : {}) };
      slot.worker.postMessage(req);
    };
    const spawn = (): Slot => {
      const worker = new Worker(BOOT, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: o.maxHeapMb ?? RECORD_SCAN_HEAP_MB } });
      const slot: Slot = { worker };
      slots.push(slot);
      worker.on('message', (m: RecordScanResponse | { ready: true }) => {
        if ('ready' in m) {
          slot.ready = true;
          bootFailures = 0;
          return feed(slot);
        }
        if (slot.job !== m.id) return;
        settle(m.id, m.ok ? { exposures: m.exposures as RecordExposure[], failures: m.failures } : { exposures: [], failures: failed(m.id, m.code, m.message) });
        feed(slot);
      });
      const lost = (why: string): void => {
        const i = slots.indexOf(slot);
        if (i < 0 || stopped) return;
        slots.splice(i, 1);
        const job = slot.job;
        slot.job = undefined;
        if (job !== undefined) {
          lostJobs.add(job);
          settle(job, { exposures: [], failures: failed(job, 'E_CORRUPT_FILE', why) });
        }
        if (!slot.ready && ++bootFailures >= MAX_BOOT_FAILURES) {
          stop();
          reject(new Error(`record scan threads could not start: ${why}`));
          return;
        }
        // The files left still get a thread.
        if (!stopped && next < jobs.length) spawn();
        else if (!stopped && slots.length === 0 && done < jobs.length) {
          stop();
          reject(new Error('record scan threads all stopped with files left'));
        }
      };
      worker.on('error', (err) => lost(`the scanning thread failed on this file: ${err.message}`));
      worker.on('exit', (code) => lost(`the scanning thread exited (code ${code}) while reading this file`));
      return slot;
    };
    for (let t = 0; t < Math.max(1, Math.min(o.threads, jobs.length)); t++) spawn();
  });
}
