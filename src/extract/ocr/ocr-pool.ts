/**
 * A bounded pool of tesseract.js workers (each a thread running the WebAssembly engine).
 * Workers are started on first use, not when the pool is made, so a run without images
 * never loads the 3 MB model. We keep our own queue instead of tesseract.js's scheduler
 * because a scheduler cannot cancel a job that is running: here a job that exceeds its time
 * budget, or whose signal fires, has its worker terminated (the only way to stop tesseract)
 * and a fresh one started for the next job.
 */
import { availableParallelism } from 'node:os';
import Tesseract from 'tesseract.js';
import { AbortError, FatalError, LimitError } from '../../errors.js';
import { OCR_LANGUAGE, locateOcrData } from './ocr-data.js';
import { textFromTsv } from './ocr-words.js';

export interface OcrPoolOptions {
  /** Most tesseract workers running at once (default: 1; never more than the cores). */
  workers?: number;
  /** Per-image time budget; an image taking longer is abandoned (E_TIMEOUT). */
  timeoutMs?: number;
  /** Directory of the language data (default: the installed @tesseract.js-data/eng). */
  langPath?: string;
}

export interface OcrResult {
  text: string;
  /** tesseract's mean word confidence, 0..100. */
  confidence: number;
  /** Low-confidence one- or two-character words left out as specks (ocr-words.ts). */
  specks: number;
  ms: number;
}

interface Job {
  image: Buffer;
  input: string;
  signal: AbortSignal | undefined;
  resolve(r: OcrResult): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Promise<Tesseract.Worker> | undefined;
  busy: boolean;
}

export const DEFAULT_OCR_TIMEOUT_MS = 30_000;

export class OcrPool {
  readonly size: number;
  readonly timeoutMs: number;
  private readonly langPath: string | undefined;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;
  private started = 0;

  constructor(options: OcrPoolOptions = {}) {
    this.size = Math.max(1, Math.min(Math.floor(options.workers ?? 1), availableParallelism()));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_OCR_TIMEOUT_MS;
    this.langPath = options.langPath;
  }

  /** Workers started so far (lazily, and again after a timeout or abort killed one). */
  get workersStarted(): number {
    return this.started;
  }

  /**
   * Recognises the text of one encoded image (PNG/JPEG bytes).
   * @throws FatalError E_OCR_UNAVAILABLE (no language data), LimitError E_TIMEOUT, AbortError.
   */
  recognize(image: Buffer, input: string, signal?: AbortSignal): Promise<OcrResult> {
    if (this.closed) return Promise.reject(new AbortError('OCR pool is closed', { input }));
    if (signal?.aborted) return Promise.reject(new AbortError('operation aborted', { input, cause: signal.reason }));
    return new Promise<OcrResult>((resolve, reject) => {
      const job: Job = { image, input, signal, resolve, reject };
      // While queued, an abort drops the job at once (a running job is stopped in runJob).
      const onQueuedAbort = (): void => {
        const i = this.queue.indexOf(job);
        if (i < 0) return;
        this.queue.splice(i, 1);
        reject(new AbortError('operation aborted', { input, cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onQueuedAbort, { once: true });
      const settle = (): void => signal?.removeEventListener('abort', onQueuedAbort);
      job.resolve = (r) => {
        settle();
        resolve(r);
      };
      job.reject = (e) => {
        settle();
        reject(e);
      };
      this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) {
        slot = { worker: undefined, busy: false };
        this.slots.push(slot);
      }
      if (!slot) return;
      const job = this.queue.shift()!;
      if (job.signal?.aborted) {
        job.reject(new AbortError('operation aborted', { input: job.input, cause: job.signal.reason }));
        continue;
      }
      slot.busy = true;
      void this.runJob(slot, job).finally(() => {
        slot.busy = false;
        this.pump();
      });
    }
  }

  private startWorker(): Promise<Tesseract.Worker> {
    const { langPath } = locateOcrData(this.langPath);
    this.started++;
    // cacheMethod 'none': no cached copy is read or written (tesseract.js would otherwise
    // write eng.traineddata into the current directory). A local langPath is read with fs.
    return Tesseract.createWorker(OCR_LANGUAGE, Tesseract.OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true }).catch((err: unknown) => {
      throw new FatalError('E_OCR_UNAVAILABLE', `OCR engine failed to start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
  }

  private async runJob(slot: Slot, job: Job): Promise<void> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      slot.worker ??= this.startWorker();
      const stop = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LimitError('E_TIMEOUT', `OCR took longer than ${this.timeoutMs} ms; abandoned`, { input: job.input })), this.timeoutMs);
        onAbort = () => reject(new AbortError('operation aborted', { input: job.input, cause: job.signal?.reason }));
        job.signal?.addEventListener('abort', onAbort, { once: true });
      });
      const work = slot.worker.then((w) => w.recognize(job.image, {}, { text: true, tsv: true }));
      work.catch(() => undefined);
      const r = await Promise.race([work, stop]);
      // The word table lets specks be left out (ocr-words.ts); the plain text is the fallback.
      const words = r.data.tsv ? textFromTsv(r.data.tsv) : undefined;
      job.resolve({ text: words?.text ?? r.data.text, confidence: r.data.confidence, specks: words?.specks ?? 0, ms: performance.now() - started });
    } catch (err) {
      // A timed-out or aborted job is still running inside its worker, and a worker that
      // failed to start is useless: terminate it; the slot starts a new one when next used.
      this.discard(slot);
      job.reject(err);
    } finally {
      clearTimeout(timer);
      if (onAbort) job.signal?.removeEventListener('abort', onAbort);
    }
  }

  private discard(slot: Slot): void {
    const w = slot.worker;
    slot.worker = undefined;
    if (w) void w.then((x) => x.terminate()).catch(() => undefined);
  }

  /** Rejects queued jobs and terminates every worker; the process can then exit. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new AbortError('OCR pool closed', { input: job.input }));
    await Promise.all(
      this.slots.map(async (s) => {
        const w = s.worker;
        s.worker = undefined;
        if (w) await w.then((x) => x.terminate()).catch(() => undefined);
      }),
    );
  }
}
