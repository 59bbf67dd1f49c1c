import type { ExtractedItem } from '../extract/types.js';
import type { FingerprintKeys } from './keys.js';
import { normaliseText } from './normalize.js';
import { pdqDihedral, pdqHash } from './pdq.js';
import { simhash64, simhashToHex } from './simhash.js';
import { textHash } from './text-hash.js';
import { hashTokens } from './tokens.js';
import type { ItemFingerprint, PdqFingerprint } from './types.js';
import { winnow } from './winnow.js';

export interface FingerprintOptions {
  /** Also compute the 8 rotations/flips of every PDQ hash (samples, not the stored corpus). */
  dihedral?: boolean;
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
  const pdq: PdqFingerprint[] = item.images.map((img) => {
    const pageRender = /^page \d+$/.test(img.label);
    if (options.dihedral) {
      const d = pdqDihedral(img);
      return { label: img.label, hash: d.hashes[0] as string, quality: d.quality, dihedral: d.hashes, pageRender };
    }
    const h = pdqHash(img);
    return { label: img.label, hash: h.hash, quality: h.quality, pageRender };
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
  };
}
