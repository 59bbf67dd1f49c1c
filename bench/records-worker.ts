import { parentPort, workerData } from 'node:worker_threads';
import { openRecordMatcher, scanRecordsInFile } from '../src/records/index.js';
import { FingerprintStore } from '../src/store/fingerprint-store.js';

/**
 * One scanning thread of the records benchmark: opens the fingerprint store read-only, loads
 * the record index, scans its share of the dump files and reports exposures per file.
 */
interface Job {
  entry: string;
  fingerprintsDir: string;
  keyFile: string;
  files: string[];
}

const job = workerData as Job;
const port = parentPort;
if (!port) throw new Error('records-worker must run in a worker thread');
const store = FingerprintStore.open(job.fingerprintsDir, { readonly: true, env: {}, keyFile: job.keyFile });
const loadStart = performance.now();
const matcher = openRecordMatcher(store);
const loadMs = performance.now() - loadStart;
const perFile: { file: string; rows: number[]; failures: number }[] = [];
for (const file of job.files) {
  const r = await scanRecordsInFile(matcher, file, file);
  perFile.push({ file, rows: r.exposures.map((e) => e.rowNo), failures: r.failures.length });
}
store.close();
port.postMessage({ loadMs, perFile });
