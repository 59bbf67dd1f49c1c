import type { ExtractedItem, LumaImage } from '../extract/types.js';
import type { FingerprintKeys } from './keys.js';
import { normaliseText } from './normalize.js';
import { cropLuma, pdqCropGrid } from './pdq-crop-grid.js';
import { pdqDihedral, pdqHash } from './pdq.js';
import { simhash64, simhashToHex } from './simhash.js';
import { textHash } from './text-hash.js';
import { hashTokens } from './tokens.js';
import type { ItemFingerprint, PdqFingerprint } from './types.js';
import { winnow } from './winnow.js';

export interface FingerprintOptions {
  /** Also compute the 8 rotations/flips of every PDQ hash (samples, not the stored corpus). */
  dihedral?: boolean;
  /**
   * Also hash centred crops of every image (the stored corpus): PDQ moves 30–60 bits when a
   * few per cent are cut off the edges, which is what screenshots and re-posted photos do.
   */
  cropVariants?: boolean;
  /**
   * With `dihedral` (samples): also hash sub-crops of each picture on a grid of offsets, for
   * pictures cut unevenly from a known one (pdq-crop-grid.ts). Default true; 18 PDQ hashes of a
   * half-size copy per picture.
   */
  cropGrid?: boolean;
}

/** Centred crops stored besides each corpus image (share of width and height kept). */
export const CROP_VARIANTS = [0.97, 0.94, 0.9] as const;

function centreCrop(img: LumaImage, keep: number): LumaImage {
  const w = Math.max(1, Math.round(img.width * keep));
  const h = Math.max(1, Math.round(img.height * keep));
  return cropLuma(img, Math.floor((img.width - w) / 2), Math.floor((img.height - h) / 2), w, h);
}

/** Computes every tier for one extracted item. Pure: data in, data out. */
export function fingerprintItem(item: ExtractedItem, keys: FingerprintKeys, options: FingerprintOptions = {}): ItemFingerprint {
  let normalised = '';
  let pageHashes: (string | null)[] | undefined;
  if (item.pages && item.pages.length > 0) {
    const pages = item.pages.map(normaliseText);
    pageHashes = pages.map((p) => textHash(p, keys.textKey) ?? null);
    normalised = pages.filter((p) => p.length > 0).join(' ');
  } else if (item.text) {
    normalised = normaliseText(item.text);
  }
  const tokens = hashTokens(normalised, keys.tokenSeeds);
  const sim = simhash64(tokens);
  const win = winnow(tokens, keys.winnowKey);
  const pdq: PdqFingerprint[] = item.images.flatMap((img) => {
    const pageRender = /^page \d+$/.test(img.label);
    if (options.dihedral) {
      const d = pdqDihedral(img);
      // Whole pages are matched only within a tight distance; the grid is for pictures.
      const grid = pageRender || options.cropGrid === false ? [] : pdqCropGrid(img);
      return [{ label: img.label, hash: d.hashes[0] as string, quality: d.quality, dihedral: d.hashes, pageRender, ...(grid.length ? { cropGrid: grid } : {}) }];
    }
    const h = pdqHash(img);
    const out: PdqFingerprint[] = [{ label: img.label, hash: h.hash, quality: h.quality, pageRender }];
    // Whole rendered pages are matched only within a tight distance anyway; crops are for pictures.
    if (options.cropVariants && !pageRender && img.width >= 64 && img.height >= 64) {
      for (const keep of CROP_VARIANTS) {
        const c = pdqHash(centreCrop(img, keep));
        out.push({ label: `${img.label} (centre ${Math.round(keep * 100)} %)`, hash: c.hash, quality: c.quality, pageRender });
      }
    }
    return out;
  });
  const th = textHash(normalised, keys.textKey);
  return {
    path: item.path,
    sha256: item.sha256,
    size: item.size,
    type: item.type,
    depth: item.depth,
    textChars: normalised.length,
    tokens: tokens.count,
    ...(th ? { textHash: th } : {}),
    ...(pageHashes && pageHashes.length > 1 ? { pageHashes } : {}),
    ...(sim ? { simhash: simhashToHex(sim) } : {}),
    winnowHashes: win.hashes,
    winnowPositions: win.positions,
    pdq,
    warnings: item.warnings,
    ...(item.ocr?.read.length ? { ocr: item.ocr.read, ...(item.text ? { ocrText: item.text } : {}) } : {}),
  };
}
