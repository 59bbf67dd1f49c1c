import type { ContentType } from '../extract/types.js';

/** A PDQ hash of one image of an item. */
export interface PdqFingerprint {
  /** Where in the item: "image", "page 3", "page 2 image 1", "media/image1.png". */
  label: string;
  /** 256-bit PDQ hash, 64 hex digits. */
  hash: string;
  /** PDQ quality 0..100; hashes under the matcher's quality gate are stored but never matched. */
  quality: number;
  /** The 8 dihedral variants (original first); computed for samples only. */
  dihedral?: string[];
  /**
   * Samples only: hashes of the picture's sub-crops on a grid of offsets (pdq-crop-grid.ts),
   * tried when nothing is near the picture itself — for crops cut unevenly from a known one.
   */
  cropGrid?: string[];
  /** True for renders of whole PDF pages, which need a tighter distance (text pages look alike). */
  pageRender: boolean;
}

/**
 * Everything leakwatch keeps about one file or archive member. Holds no text: text-derived
 * values are keyed hashes. Plain data (typed arrays, strings) so it crosses worker threads.
 */
export interface ItemFingerprint {
  path: string;
  sha256: string;
  size: number;
  type: ContentType;
  depth: number;
  /** Normalised characters and words of the extracted text (0 when there is none). */
  textChars: number;
  tokens: number;
  /** Keyed hash of the whole normalised text (absent for texts under the minimum). */
  textHash?: string;
  /** Keyed hash per page (PDF), null for pages under the minimum. */
  pageHashes?: (string | null)[];
  /** 64-bit simhash, 16 hex digits (absent for short texts). */
  simhash?: string;
  /** Keyed winnowing fingerprints and the word positions of their k-grams. */
  winnowHashes: Float64Array;
  winnowPositions: Uint32Array;
  pdq: PdqFingerprint[];
  warnings: string[];
  /** Pictures ("image", "page 2") whose OCR text is part of the text tiers' input. */
  ocr?: string[];
  /**
   * With `ocr`: the item's whole text, OCR included, so the record scan (src/records) reads
   * it without OCRing the pictures again. Never stored.
   */
  ocrText?: string;
}
