/**
 * Record-level fingerprints (Exact Data Matching): the victim's patient table in, keyed cell
 * hashes out; samples of any kind in, exposed records (by record key) out. docs/records.md.
 */
export { COLUMN_KINDS, exposureLevel, FIELDS, MIN_FIELDS, TEXT_WINDOW_TOKENS, UNIQUE_FIELDS, type ColumnKind, type ExposureLevel, type Field } from './kinds.js';
export { isValidNhi, nhiCheckChar, nhiFormat, NHI_ALPHABET, type NhiFormat } from './nhi.js';
export { loadRecordSchema, validateRecordSchema, type RecordSchema } from './schema.js';
export { fingerprintRecords, type RecordIngestOptions, type RecordIngestSummary } from './fingerprint-records.js';
export { openRecordMatcher, sharedRecordMatcher } from './load.js';
export { RecordMatcher, type RecordHit, type SharedRecordSet } from './match.js';
export { RecordHasher } from './record-hash.js';
export { scanRecordsInFile, scanText, type OcrText, type RecordExposure, type SampleReader, type ScanRecordsResult } from './scan-file.js';
export { textCandidates } from './text-candidates.js';
export { rowCandidates } from './row-candidates.js';
export { CsvParser, parseCsv } from './csv.js';
export { nameExposures, type NamedExposure } from './resolve.js';
export { affectedCsv, affectedReport, AFFECTED_CSV_COLUMNS, type AffectedRecord, type AffectedReport } from './affected.js';
export { createRecordScanner, type RecordScanner } from './scanner.js';
export { CandidateList } from './candidates.js';
