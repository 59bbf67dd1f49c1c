import { parentPort, workerData } from 'node:worker_threads';
import { errorCode, errorMessage } from '../errors.js';
import { scanRecordsInFile, sharedRecordMatcher } from '../records/index.js';
import type { RecordScanRequest, RecordScanResponse, RecordScanSetup } from './record-scan-protocol.js';

// Runs in a worker thread of the record-scan pool: the record index arrives on
// SharedArrayBuffers (one copy for every thread); only the store's key is needed here.
const setup = workerData as RecordScanSetup;
const port = parentPort;
if (!port) throw new Error('record-scan-worker.ts must run in a worker thread');
const matcher = sharedRecordMatcher(setup, setup.sets);

port.on('message', (req: RecordScanRequest) => {
  void (async () => {
    let res: RecordScanResponse;
    try {
      const r = await scanRecordsInFile(matcher, req.absPath, req.displayPath, { limits: setup.limits, ...(setup.tempDir ? { tempDir: setup.tempDir } : {}), ...(req.ocrTexts?.length ? { ocrTexts: req.ocrTexts } : {}) });
      res = { id: req.id, ok: true, exposures: r.exposures, failures: r.failures };
    } catch (err) {
      res = { id: req.id, ok: false, code: errorCode(err), message: errorMessage(err) };
    }
    port.postMessage(res);
  })();
});
port.postMessage({ ready: true });
