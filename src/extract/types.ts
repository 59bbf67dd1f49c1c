/**
 * What extraction hands to fingerprinting: one item per file or archive member, with its
 * bytes' hash, its text (whole and per page) and its images as luma pixels. No file names of
 * archive members are ever used to write to disk.
 */

export type ContentType =
  | 'text'
  | 'markdown'
  | 'csv'
  | 'json'
  | 'html'
  | 'pdf'
  | 'docx'
  | 'zip'
  | 'tar'
  | 'gzip'
  | 'image'
  | 'binary';

/** A decoded image, EXIF-oriented, scaled so neither side exceeds 512 px (PDQ's input). */
export interface LumaImage {
  width: number;
  height: number;
  /** Row-major luma 0.299R + 0.587G + 0.114B, values 0..255. */
  luma: Float32Array;
}

export interface ExtractedImage extends LumaImage {
  /** Where the image came from inside the item: "image", "page 3", "media/image1.png". */
  label: string;
}

/** An image whose text may be read by OCR: an encoded file, or grey pixels (a PDF page render). */
export type OcrSource =
  | { label: string; kind: 'encoded'; bytes: Uint8Array }
  | { label: string; kind: 'grey'; width: number; height: number; pixels: Uint8Array };

/** What OCR contributed to an item (see extract/ocr). */
export interface OcrInfo {
  /** Labels ("image", "page 2") whose OCR text entered the item's text. */
  read: string[];
  /** Images the text pre-check judged to hold no text (not OCRed). */
  skippedNoText: string[];
}

export interface ExtractedItem {
  /** Display path: root-relative file path, archive members as `dump.zip!/dir/file.pdf`. */
  path: string;
  /** SHA-256 (hex) of the item's raw bytes. */
  sha256: string;
  size: number;
  type: ContentType;
  /** Archive nesting depth: 0 for a file on disk. */
  depth: number;
  /** All extracted text, pages joined by newlines. Absent for images and binaries. */
  text?: string;
  /** For paged formats (PDF): text per page, in order. */
  pages?: string[];
  /** Images to PDQ-hash: the image itself, embedded images, renders of pages with little text. */
  images: ExtractedImage[];
  /** Non-fatal problems: content partly unreadable, caps reached, etc. */
  warnings: string[];
  /** Images to read by OCR (only when extraction was asked for them); consumed by extract/ocr. */
  ocrSources?: OcrSource[];
  /** Set once OCR has run over ocrSources. */
  ocr?: OcrInfo;
}

/** An input that could not be processed; reported by path, never stops the run. */
export interface ExtractFailure {
  path: string;
  code: string;
  message: string;
}

export interface ExtractLimits {
  /** Largest file whose content is extracted; larger files get the exact (SHA-256) tier only. */
  maxContentBytes: number;
  /** Largest single archive member kept (in memory or temp file). */
  maxMemberBytes: number;
  /** Total uncompressed bytes read out of one top-level archive, all levels together. */
  maxArchiveTotalBytes: number;
  /** Largest compression ratio (uncompressed / compressed) accepted for a member. */
  maxCompressionRatio: number;
  /** Deepest archive nesting followed. */
  maxArchiveDepth: number;
  /** Most entries read from one top-level archive, all levels together. */
  maxArchiveEntries: number;
  /** Most PDF pages read per document. */
  maxPdfPages: number;
  /** Most images hashed per item (embedded images and page renders). */
  maxImagesPerItem: number;
  /** Largest decoded image in pixels (width × height) before refusing it. */
  maxImagePixels: number;
  /** A PDF page with fewer normalised characters than this is rendered and PDQ-hashed. */
  pdfRenderTextThreshold: number;
  /** Per-file time budget for content extraction. */
  timeoutMs: number;
  /** Most images per item read by OCR (whole images, renders of text-poor PDF pages). */
  maxOcrImagesPerItem: number;
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxContentBytes: 256 * 1024 * 1024,
  maxMemberBytes: 256 * 1024 * 1024,
  maxArchiveTotalBytes: 2 * 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxArchiveDepth: 4,
  maxArchiveEntries: 100_000,
  maxPdfPages: 500,
  maxImagesPerItem: 64,
  maxImagePixels: 100_000_000,
  pdfRenderTextThreshold: 200,
  timeoutMs: 120_000,
  maxOcrImagesPerItem: 20,
};

export interface ExtractOptions {
  limits?: Partial<ExtractLimits>;
  signal?: AbortSignal;
  /** Directory the caller owns for spilling large members; created and removed by the caller. */
  tempDir?: string;
  /** Keep images (and renders of text-poor PDF pages) for OCR in ExtractedItem.ocrSources. */
  ocr?: boolean;
}
