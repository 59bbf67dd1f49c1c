/**
 * Text normalisation shared by every text tier. Two renderings of the same document (PDF from
 * another producer, text re-flowed, case or whitespace changed, punctuation spaced differently
 * by a PDF text extractor) must normalise to the same string; so we keep only the sequence of
 * words: NFKC, lower case, invisible characters removed, every run of non-word characters
 * turned into one space.
 */

// Zero-width and soft-hyphen characters hide inside words ("pa\u200Btient"); removing them
// (rather than treating them as separators) keeps the word whole.
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
// Letters, marks and digits form words; everything else (punctuation, symbols, controls,
// whitespace) separates them.
const NON_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
// Fast path: pure ASCII needs no NFKC and a simpler separator class.
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7F]/;
const ASCII_NON_WORD = /[^a-z0-9]+/g;

export function normaliseText(text: string): string {
  let s: string;
  if (!NON_ASCII.test(text)) {
    s = text.toLowerCase().replace(ASCII_NON_WORD, ' ');
  } else {
    s = text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().replace(NON_WORD, ' ');
  }
  // Trim the single leading/trailing separator, if any, without another regex pass.
  const start = s.charCodeAt(0) === 32 ? 1 : 0;
  const end = s.length > start && s.charCodeAt(s.length - 1) === 32 ? s.length - 1 : s.length;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}
