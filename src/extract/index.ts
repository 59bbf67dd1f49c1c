/**
 * Public surface of the extraction stage: files and folders in, ExtractedItems (hash, text,
 * pages, luma images) out. Everything else in this folder is internal.
 */
export * from './types.js';
export { extractBuffer, extractFile } from './extract-file.js';
export { walkInputs, type WalkOptions, type WalkedFile } from './walk.js';
export { isArchiveType, sniff, sniffFile } from './sniff.js';
export { decodeText } from './text-decode.js';
export { isFailure, type ExtractOutput } from './context.js';
export { decodeImage, lumaFromRaw } from './image.js';
export { applyOcr, OcrPool, type OcrPoolOptions } from './ocr/index.js';
