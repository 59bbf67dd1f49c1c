export { ingestCorpus, type IngestOptions, type IngestSummary } from './ingest.js';
export { fingerprintFile, type FileFingerprints } from './fingerprint-file.js';
export { WorkerPool } from './worker-pool.js';
export { scanSamples, type ScanOptions, type ScanResult } from './scan.js';
export { SampleMatcher } from './sample-matcher.js';
export { createProgress, formatBytes, type ProgressSink, type ProgressState } from './progress.js';
export { RECORD_SCAN_HEAP_MB, scanRecordsInParallel, type RecordScanJob, type RecordScanPoolOptions } from './record-scan-pool.js';
