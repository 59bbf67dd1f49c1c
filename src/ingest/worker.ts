import { parentPort, workerData } from 'node:worker_threads';
import { errorCode, errorMessage } from '../errors.js';
import { OcrPool } from '../extract/ocr/index.js';
import { fingerprintFile, ocrImageTimeoutMs } from './fingerprint-file.js';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './worker-protocol.js';

// Runs in a worker thread: extraction and fingerprinting are CPU-bound, so the pool gives
// each core its own thread while the main thread only walks folders and writes SQLite.
const setup = workerData as WorkerSetup;
const keys = setup.keys;
const port = parentPort;
// Started lazily by the pool on the first picture with text; dies with this thread.
const ocrPool = setup.ocr ? new OcrPool({ workers: setup.ocr.workers, timeoutMs: ocrImageTimeoutMs(setup.limits.timeoutMs) }) : undefined;
if (!port) throw new Error('worker.ts must run in a worker thread');

port.on('message', (req: WorkerRequest) => {
  void (async () => {
    let res: WorkerResponse;
    try {
      const r = await fingerprintFile(req.absPath, req.displayPath, keys, { limits: setup.limits, dihedral: setup.dihedral, cropVariants: setup.cropVariants ?? false, tempDir: setup.tempDir, ...(ocrPool ? { ocrPool } : {}) });
      res = { id: req.id, ok: true, items: r.items, failures: r.failures };
    } catch (err) {
      res = { id: req.id, ok: false, code: errorCode(err), message: errorMessage(err) };
    }
    const transfer = res.ok ? res.items.flatMap((i) => [i.winnowHashes.buffer, i.winnowPositions.buffer]) : [];
    port.postMessage(res, transfer as ArrayBuffer[]);
  })();
});
