export type MatchMethod = 'exact' | 'text' | 'near' | 'partial' | 'image';

/** Order of strength, strongest first: used to pick a match's headline method. */
export const METHOD_RANK: Record<MatchMethod, number> = { exact: 0, text: 1, near: 2, partial: 3, image: 4 };

export interface PartialDetails {
  /** Distinct sample fingerprints attributed to this document. */
  matchedFingerprints: number;
  /** Of those, the ones found in this document (or exact copies) and nowhere else. */
  uniqueFingerprints: number;
  /** Of those, how many are separate passages (k-grams that do not overlap in the document). */
  uniquePassages: number;
  /** Distinct sample fingerprints that could count (all, less common/template ones). */
  sampleFingerprints: number;
  /** Fingerprints stored for the document. */
  documentFingerprints: number;
  /** matched / sample: how much of the sample comes from this document. */
  containment: number;
  /** matched / document: how much of the document the sample reproduces. */
  coverage: number;
  /** Sample fingerprints ignored as boilerplate (in many documents, or in several different ones). */
  ignoredCommon: number;
  /** Word span of the document the matched fingerprints cover (0-based, inclusive). */
  documentWords: [number, number];
}

export interface MatchDetails {
  exact?: { sha256: string };
  text?: { scope: 'whole' | 'page'; samplePage?: number; documentPage?: number };
  near?: { distance: number; bits: 64; maxDistance: number };
  partial?: PartialDetails;
  /** The sample's text (or part of it) was read by OCR from these pictures of the sample. */
  ocr?: { sampleImages: string[] };
  image?: {
    distance: number;
    bits: 256;
    maxDistance: number;
    sampleImage: string;
    documentImage: string;
    quality: number;
    transform: string;
    /** For a hit that needed the ratio test: the nearest picture of any other document (at least this far). */
    nextOtherDistance?: number;
  };
}

export interface Match {
  set: string;
  document: string;
  /** SHA-256 of the known document. */
  documentSha256: string;
  method: MatchMethod;
  /** Confidence 0..1, comparable across methods (exact 1.0; partial up to 0.9). */
  score: number;
  /** One line a lawyer can read: why this is a match. */
  explanation: string;
  details: MatchDetails;
}

export interface SampleResult {
  path: string;
  sha256: string;
  size: number;
  type: string;
  matches: Match[];
  warnings: string[];
}

export interface MatchOptions {
  /** Fingerprints in more than this many documents are boilerplate (letterheads, templates). */
  dfMax: number;
  /** Fewest distinct matching fingerprints for a partial match… */
  minMatched: number;
  /** …or this many found in the document and in no other. */
  minUnique: number;
  /** Share of the sample's fingerprints that must come from one document. */
  minContainment: number;
  /** …when fewer than `thinEvidenceFingerprints` fingerprints are attributed to it. */
  minContainmentThin: number;
  thinEvidenceFingerprints: number;
  /** …unless the sample's simhash is within this many bits of the document's (an edited copy). */
  thinSimhashMaxDistance: number;
  /**
   * The same share when the sample's text was read by OCR: misread words (a phone photo of a
   * page gets about every tenth word wrong) make fingerprints that match nothing, so phone
   * photos of whole lab reports measured 42–48 % where their text layer gives 100 % (bench/ocr-quality.ts).
   */
  ocrMinContainment: number;
  /**
   * Or, for OCR text: this many passages found in the document and in no other, whatever the
   * share. A phone photo of a lab report can misread most numbers of its results table and
   * keep only its patient block; three 8-word runs unique to one document are still proof.
   */
  ocrMinUnique: number;
  /** Or: share of the document's fingerprints the sample reproduces. */
  minCoverage: number;
  /** Or: this many matched fingerprints (dumps that hold many documents) is a match by itself. */
  minMatchedAbsolute: number;
  /** PDQ: most bits apart for photos and embedded images. */
  pdqMaxDistance: number;
  /** PDQ: most bits apart when a whole rendered page is involved (text pages look alike). */
  pdqPageMaxDistance: number;
  /** PDQ: images under this quality are not matched. */
  pdqMinQuality: number;
  /**
   * PDQ: hits up to this many bits apart are sure; hits further apart (up to pdqMaxDistance)
   * stand only when no other document's picture is nearly as close (pdqRatio).
   */
  pdqSureDistance: number;
  /** PDQ ratio test: a doubtful hit at d needs every other document's pictures at ≥ d / ratio. */
  pdqRatio: number;
  /**
   * PDQ: most bits apart for a hit found through the sample's off-centre sub-crops (tried only
   * when nothing is near the picture itself); hits over pdqCropSureDistance must pass the ratio
   * test with pdqCropRatio: with 18 sub-crops tried, unrelated passports of the same template
   * came to 22–28 bits of stored ones (bench quality, two corpus seeds), with other stored
   * passports nearly as close.
   */
  pdqCropMaxDistance: number;
  pdqCropSureDistance: number;
  pdqCropRatio: number;
  /** An image matching more documents than this is boilerplate (a logo). */
  imageDfMax: number;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
  dfMax: 5,
  minMatched: 3,
  minUnique: 2,
  minContainment: 0.5,
  minContainmentThin: 0.8,
  thinEvidenceFingerprints: 10,
  thinSimhashMaxDistance: 12,
  ocrMinContainment: 0.3,
  ocrMinUnique: 3,
  minCoverage: 0.5,
  minMatchedAbsolute: 25,
  pdqMaxDistance: 31,
  pdqPageMaxDistance: 16,
  pdqMinQuality: 50,
  pdqSureDistance: 24,
  pdqRatio: 0.5,
  pdqCropMaxDistance: 31,
  pdqCropSureDistance: 20,
  pdqCropRatio: 0.5,
  imageDfMax: 20,
};
