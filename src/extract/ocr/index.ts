/**
 * OCR of pictures (images, renders of image-only PDF pages): a fast text pre-check, a
 * bounded pool of tesseract.js workers with the English model installed from npm, and the
 * step that turns what they read into the item's text for the text tiers.
 */
export { applyOcr, type ApplyOcrOptions } from './ocr-item.js';
export { OcrPool, DEFAULT_OCR_TIMEOUT_MS, type OcrPoolOptions, type OcrResult } from './ocr-pool.js';
export { locateOcrData, type OcrDataLocation } from './ocr-data.js';
export { precheckText, PRECHECK_SIDE, type TextPrecheck } from './precheck.js';
export { ocrImage, precheckPixels, OCR_LONG_SIDE } from './ocr-input.js';
