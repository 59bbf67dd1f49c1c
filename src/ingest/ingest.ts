import { availableParallelism } from 'node:os';
import { errorMessage, FatalError, isAbort } from '../errors.js';
import type { ExtractFailure, ExtractLimits } from '../extract/types.js';
import { DEFAULT_LIMITS } from '../extract/types.js';
import { walkInputs } from '../extract/walk.js';
import type { FingerprintStore } from '../store/fingerprint-store.js';
import type { ProgressSink, ProgressState } from './progress.js';
import { WorkerPool } from './worker-pool.js';

export interface IngestOptions {
  store: FingerprintStore;
  setName: string;
  paths: string[];
  /** Worker threads (default: one per core). */
  workers?: number;
  limits?: Partial<ExtractLimits>;
  signal?: AbortSignal;
  progress?: ProgressSink;
  /** Called for every file or member that could not be fingerprinted. */
  onFailure?: (f: ExtractFailure) => void;
  /** Read the text of corpus pictures by OCR (one tesseract worker per thread). */
  ocr?: boolean;
}

export interface IngestSummary {
  set: string;
  filesSeen: number;
  filesFingerprinted: number;
  filesUnchanged: number;
  filesFailed: number;
  documents: number;
  failures: number;
  bytes: number;
  elapsedMs: number;
  interrupted: boolean;
}

interface PendingFile {
  absPath: string;
  displayPath: string;
  size: number;
  mtimeMs: number;
}

/**
 * `fingerprint add`: walk the inputs, skip files already fingerprinted unchanged (resume and
 * incremental adds), fingerprint the rest on worker threads, store each file atomically.
 */
export async function ingestCorpus(o: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const setId = o.store.ensureSet(o.setName);
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const todo: PendingFile[] = [];
  const summary: IngestSummary = {
    set: o.setName,
    filesSeen: 0,
    filesFingerprinted: 0,
    filesUnchanged: 0,
    filesFailed: 0,
    documents: 0,
    failures: 0,
    bytes: 0,
    elapsedMs: 0,
    interrupted: false,
  };
  let bytesUnchanged = 0;
  const seen = new Map<string, string>();
  for await (const f of walkInputs(o.paths, { signal: o.signal })) {
    if (!('absPath' in f)) {
      summary.failures++;
      o.onFailure?.(f);
      continue;
    }
    summary.filesSeen++;
    // Documents are named relative to each argument, so two arguments can name different
    // files alike; storing both under one name would silently replace one with the other.
    const first = seen.get(f.displayPath);
    if (first !== undefined) {
      summary.failures++;
      summary.filesFailed++;
      o.onFailure?.({
        path: f.displayPath,
        code: 'E_USAGE',
        message: `${f.absPath} has the same relative path as ${first}; fingerprint the two folders in separate sets or give their common parent`,
      });
      continue;
    }
    seen.set(f.displayPath, f.absPath);
    const known = o.store.sourceState(setId, f.displayPath);
    if (known && known.status === 'done' && known.size === f.size && known.mtimeMs === Math.trunc(f.mtimeMs)) {
      summary.filesUnchanged++;
      bytesUnchanged += f.size;
      continue;
    }
    todo.push(f);
  }
  const state: ProgressState = {
    filesDone: summary.filesUnchanged,
    filesTotal: summary.filesSeen,
    bytesDone: bytesUnchanged,
    bytesTotal: bytesUnchanged + todo.reduce((s, f) => s + f.size, 0),
    documents: 0,
    failed: 0,
    skipped: summary.filesUnchanged,
  };
  if (todo.length === 0) {
    summary.elapsedMs = performance.now() - started;
    return summary;
  }
  const pool = new WorkerPool({
    size: Math.min(o.workers ?? availableParallelism(), todo.length),
    setup: { keys: o.store.keys, limits, dihedral: false, cropVariants: true, ...(o.ocr ? { ocr: { workers: 1 } } : {}) },
    // The extractor has its own per-file budget; the pool's is the backstop for a hung worker.
    taskTimeoutMs: Math.ceil(limits.timeoutMs * 1.5) + 5_000,
  });
  // Keep every worker busy with one file queued behind it, no more: memory stays flat.
  const inFlight = new Set<Promise<void>>();
  const maxInFlight = pool.size * 2;
  let storeError: unknown;
  try {
    for (const f of todo) {
      if (o.signal?.aborted || storeError) break;
      const p = pool
        .run(f.absPath, f.displayPath, o.signal)
        .then((r) => {
          try {
            o.store.writeSource(setId, { path: f.displayPath, size: f.size, mtimeMs: f.mtimeMs }, r.items, r.failures);
          } catch (err) {
            storeError = err;
            return;
          }
          for (const x of r.failures) o.onFailure?.(x);
          summary.failures += r.failures.length;
          if (r.items.length === 0 && r.failures.length > 0) summary.filesFailed++;
          else summary.filesFingerprinted++;
          summary.documents += r.items.length;
          summary.bytes += f.size;
          state.filesDone++;
          state.bytesDone += f.size;
          state.documents = summary.documents;
          state.failed = summary.filesFailed;
          o.progress?.update(state);
        })
        .catch((err: unknown) => {
          if (!isAbort(err)) storeError = err;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
    o.progress?.done();
  }
  if (storeError) throw new FatalError('E_STORE', `cannot write to the fingerprint store: ${errorMessage(storeError)}`, { cause: storeError });
  summary.interrupted = Boolean(o.signal?.aborted);
  summary.elapsedMs = performance.now() - started;
  return summary;
}
