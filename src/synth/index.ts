/**
 * Deterministic synthetic corpus generator: the public surface used by tests, benchmarks and
 * `leakwatch demo`. Everything here is synthetic; no real patient data exists in this module.
 */
export { Rng, deriveSeed, rngFor } from './rng.js';
export { NHI_ALPHABET, isValidNhi, nhiCheckChar, nhiFormat, type NhiFormat } from './nhi.js';
export {
  REFERENCE_DATE,
  addDays,
  ageOn,
  formatAddress,
  formatDateLong,
  formatDateNz,
  makePatient,
  makePractice,
  syntheticNhi,
  syntheticRecordKey,
  type Address,
  type IdSpace,
  type Patient,
  type Practice,
  type Sex,
} from './patients.js';
export { drawNoteLength, generateNoteSections, generateProse, wordCount, type TextSection } from './clinical-text.js';
export {
  DOC_KINDS,
  SynthDocument,
  makeDocument,
  tableText,
  type Block,
  type DocKind,
  type DocumentInit,
  type Field,
} from './documents.js';
export * as boilerplate from './boilerplate.js';
export {
  DOC_FORMATS,
  extensionFor,
  renderDocument,
  renderDocx,
  renderPdfKit,
  renderPdfLib,
  renderScan,
  renderScanPages,
  renderText,
  type DocFormat,
} from './render.js';
export { mrzCheckDigit, passportData, renderPassport, renderPhoto, type ImageFormat, type ImageOptions, type PassportData } from './images.js';
export {
  DEFAULT_FORMATS,
  DEFAULT_MIX,
  KINDS,
  documentFor,
  generateCorpus,
  generateDocuments,
  generateUnrelatedCorpus,
  generateUnrelatedDocuments,
  planCorpus,
  type CorpusManifest,
  type CorpusOptions,
  type FileFormat,
  type GenerateDocumentsOptions,
  type Kind,
  type ManifestEntry,
  type PlannedItem,
} from './corpus.js';
export { cropImage, editWords, excerpt, reencodeJpeg, reflow, resizeImage, rotateImage, type ReflowOptions } from './transforms.js';
export { containment, pairStats, shingleSet, words, type PairStats } from './measure.js';
export { dmy, PATIENT_TABLE_COLUMNS, PATIENT_TABLE_SCHEMA_YAML, patientRow, patientTableCsv, tablePatient, writePatientTable } from './patient-table.js';
