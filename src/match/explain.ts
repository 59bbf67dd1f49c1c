import type { Match, MatchDetails, MatchMethod } from './types.js';

/**
 * Plain words for the dihedral variants, in the order of DIHEDRAL_NAMES in pdq.ts (the
 * variant is what the sample is, relative to the known image).
 */
export const PDQ_TRANSFORMS = [
  'as is',
  'rotated 90° anticlockwise',
  'rotated 180°',
  'rotated 90° clockwise',
  'mirrored top to bottom',
  'mirrored left to right',
  'mirrored about the diagonal',
  'mirrored about the anti-diagonal',
];

/**
 * Marks a match whose text evidence rests on OCR of the sample's pictures, so a reader knows
 * the words were read off a screenshot or scan rather than taken from a text layer.
 */
export function withOcrNote(m: Match, sampleImages: readonly string[]): Match {
  const textual = m.details.text || m.details.near || m.details.partial;
  if (!textual || sampleImages.length === 0) return m;
  const what = sampleImages.length === 1 && sampleImages[0] === 'image' ? 'the image' : sampleImages.join(', ');
  return { ...m, explanation: `${m.explanation}; matched via OCR of ${what} (text read from the picture)`, details: { ...m.details, ocr: { sampleImages: [...sampleImages] } } };
}

const pct = (x: number): string => `${Math.round(x * 100)} %`;

/** A plain-language sentence for one piece of evidence. */
export function explainMethod(method: MatchMethod, d: MatchDetails): string {
  switch (method) {
    case 'exact':
      return 'byte-for-byte identical (same SHA-256)';
    case 'text':
      if (d.text?.scope === 'page') {
        const s = d.text.samplePage ? `page ${d.text.samplePage} of the sample` : 'the sample';
        const k = d.text.documentPage ? `page ${d.text.documentPage} of the document` : 'the document';
        return `same text: ${s} has exactly the words of ${k} (layout, case and punctuation ignored)`;
      }
      return 'same text: identical words in the same order (layout, case and punctuation ignored)';
    case 'near':
      return `near-duplicate: text signatures differ in ${d.near?.distance ?? '?'} of 64 bits (≤ ${d.near?.maxDistance ?? 3} means the same document with small edits)`;
    case 'partial': {
      const p = d.partial;
      if (!p) return 'shares text passages';
      return (
        `shares passages: ${p.matchedFingerprints} of the sample's ${p.sampleFingerprints} text fingerprints (${pct(p.containment)}) ` +
        `are attributed to this document (${p.uniqueFingerprints} occur in no other, in ${p.uniquePassages} separate passage${p.uniquePassages === 1 ? '' : 's'}), covering words ${p.documentWords[0] + 1}–${p.documentWords[1] + 1} ` +
        `(${pct(p.coverage)} of the document's fingerprints)` +
        (p.ignoredCommon ? `; ${p.ignoredCommon} template/boilerplate fingerprints ignored` : '')
      );
    }
    case 'image': {
      const i = d.image;
      if (!i) return 'same image';
      const of = (label: string, whose: string): string => (label === 'image' ? `the ${whose}` : `${label} of the ${whose}`);
      const rival = i.nextOtherDistance !== undefined ? `; every other known document's picture is at least ${i.nextOtherDistance} bits away` : '';
      return `same image: ${of(i.sampleImage, 'sample')} and ${of(i.documentImage, 'document')} differ in ${i.distance} of 256 perceptual-hash bits (≤ ${i.maxDistance}), ${i.transform}${rival}`;
    }
  }
}
