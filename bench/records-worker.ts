import { parentPort, workerData } from 'node:worker_threads';
import { exposureLevel, scanRecordsInFile, sharedRecordMatcher, type RecordMatcher, type SharedRecordSet } from '../src/records/index.js';
import { FingerprintStore } from '../src/store/fingerprint-store.js';

/**
 * One scanning thread of the records benchmark: opens the fingerprint store read-only (for its
 * key), takes the record index the main thread loaded (first message: SharedArrayBuffers, one
 * copy for all threads), then scans the dump files it is sent one at a time (a shared queue, so
 * a thread that drew the slow files does not leave the other idle) and reports each file's
 * exposures. An empty message ends it.
 */
interface Job {
  entry: string;
  fingerprintsDir: string;
  keyFile: string;
}

export interface RecordsWorkerFile {
  file: string;
  rows: number[];
  /** Rows exposed at the `possible` level only (name + date of birth). */
  possible: number[];
  failures: number;
}

const job = workerData as Job;
const port = parentPort;
if (!port) throw new Error('records-worker must run in a worker thread');
const store = FingerprintStore.open(job.fingerprintsDir, { readonly: true, env: {}, keyFile: job.keyFile });
let matcher: RecordMatcher | undefined;
port.on('message', (m: string | null | { sets: SharedRecordSet[] }) => {
  if (m !== null && typeof m === 'object') {
    matcher = sharedRecordMatcher(store, m.sets);
    port.postMessage({ indexed: true });
    return;
  }
  const file = m;
  if (file === null || !matcher) {
    store.close();
    port.close();
    return;
  }
  void scanRecordsInFile(matcher, file, file).then((r) => {
    const possible = r.exposures.filter((e) => exposureLevel(e.fields) === 'possible').map((e) => e.rowNo);
    const out: RecordsWorkerFile = { file, rows: r.exposures.map((e) => e.rowNo), possible, failures: r.failures.length };
    port.postMessage(out);
  });
});
