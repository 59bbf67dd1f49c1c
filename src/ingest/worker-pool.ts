import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AbortError, InputError } from '../errors.js';
import type { FileFingerprints } from './fingerprint-file.js';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './worker-protocol.js';

interface Task {
  req: WorkerRequest;
  resolve(r: FileFingerprints): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Worker;
  task?: Task;
  timer?: NodeJS.Timeout;
}

export interface PoolOptions {
  size: number;
  setup: Omit<WorkerSetup, 'entry'>;
  /** A file taking longer than this is abandoned (its worker is killed and replaced). */
  taskTimeoutMs: number;
  /** Heap cap per worker: a memory-hungry file kills its worker, not the process. */
  maxHeapMb?: number;
}

const BOOT = fileURLToPath(new URL('./worker-boot.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));

/**
 * A fixed pool of fingerprinting threads. A worker that crashes, runs out of memory or
 * exceeds the per-file time budget fails only the file it was working on; it is replaced
 * and the run goes on.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < Math.max(1, options.size); i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT, {
      workerData: { ...this.options.setup, entry: ENTRY } satisfies WorkerSetup,
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 2048 },
    });
    const slot: Slot = { worker };
    worker.on('message', (res: WorkerResponse) => {
      const task = slot.task;
      if (!task || task.req.id !== res.id) return;
      this.finish(slot);
      if (res.ok) task.resolve({ items: res.items, failures: res.failures });
      else task.resolve({ items: [], failures: [{ path: task.req.displayPath, code: res.code, message: res.message }] });
      this.pump();
    });
    const lost = (why: string): void => {
      const task = slot.task;
      this.finish(slot);
      this.replace(slot);
      if (task) task.resolve({ items: [], failures: [{ path: task.req.displayPath, code: 'E_CORRUPT_FILE', message: why }] });
      this.pump();
    };
    worker.on('error', (err) => lost(`worker failed on this file: ${err.message}`));
    worker.on('exit', (code) => {
      if (!this.closed && this.slots.includes(slot)) lost(`worker exited (code ${code}) while processing this file`);
    });
    worker.unref();
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.task = undefined;
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0 || this.closed) return;
    this.slots[i] = this.spawn();
    void slot.worker.terminate();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.task) continue;
      const task = this.queue.shift();
      if (!task) return;
      slot.task = task;
      slot.worker.ref();
      slot.timer = setTimeout(() => {
        const t = slot.task;
        this.finish(slot);
        this.replace(slot);
        t?.resolve({
          items: [],
          failures: [{ path: t.req.displayPath, code: 'E_TIMEOUT', message: `gave up after ${this.options.taskTimeoutMs} ms` }],
        });
        this.pump();
      }, this.options.taskTimeoutMs);
      slot.worker.postMessage(task.req);
    }
    for (const slot of this.slots) if (!slot.task) slot.worker.unref();
  }

  /** Fingerprints one file in a worker. Never rejects for bad input; rejects on abort. */
  run(absPath: string, displayPath: string, signal?: AbortSignal): Promise<FileFingerprints> {
    if (this.closed) return Promise.reject(new InputError('E_ABORTED', 'worker pool is closed', { input: displayPath }));
    if (signal?.aborted) return Promise.reject(new AbortError('aborted', { input: displayPath }));
    return new Promise((resolve, reject) => {
      const task: Task = { req: { id: this.nextId++, absPath, displayPath }, resolve, reject };
      const onAbort = (): void => {
        const q = this.queue.indexOf(task);
        if (q >= 0) this.queue.splice(q, 1);
        reject(new AbortError('aborted', { input: displayPath }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      task.resolve = (r) => {
        done();
        resolve(r);
      };
      task.reject = (e) => {
        done();
        reject(e);
      };
      this.queue.push(task);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new AbortError('worker pool closed', { input: t.req.displayPath }));
    await Promise.all(
      this.slots.map(async (s) => {
        this.finish(s);
        await s.worker.terminate();
      }),
    );
  }
}
