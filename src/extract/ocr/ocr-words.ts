/**
 * The text of one OCR result, rebuilt from tesseract's word table (TSV) so that specks are
 * left out. A speck of dust or a scanner mark next to a line is often read as a one- or
 * two-character "word" with low confidence ("… 29/12/2019 8 E Requested by …"); every such
 * inserted word breaks each 8-word passage fingerprint spanning it, so two specks can cost
 * a dozen fingerprints. Real short words ("a", "I", a value "8") are read with high
 * confidence and are kept; longer low-confidence words are kept too (a misread word breaks
 * the same fingerprints whether it is dropped or kept).
 */

/** Words of at most this many letters/digits… */
const SPECK_MAX_ALNUM = 2;
/** …read with less than this confidence (0–100) are dropped as specks. */
const SPECK_MAX_CONFIDENCE = 50;

const WORD_LEVEL = '5';

export interface OcrWordsText {
  text: string;
  /** Words dropped as specks. */
  specks: number;
}

/** Lines of words from tesseract's TSV output (level 5 rows), specks removed. */
export function textFromTsv(tsv: string): OcrWordsText {
  const lines: string[] = [];
  let current = '';
  let words: string[] = [];
  let specks = 0;
  for (const row of tsv.split('\n')) {
    const cols = row.split('\t');
    if (cols[0] !== WORD_LEVEL || cols.length < 12) continue;
    const line = cols.slice(1, 5).join('.');
    if (line !== current) {
      if (words.length) lines.push(words.join(' '));
      words = [];
      current = line;
    }
    const word = cols.slice(11).join('\t').trim();
    if (!word) continue;
    const confidence = Number(cols[10]);
    const alnum = word.replace(/[^\p{L}\p{N}]/gu, '').length;
    if (alnum <= SPECK_MAX_ALNUM && Number.isFinite(confidence) && confidence < SPECK_MAX_CONFIDENCE) {
      specks++;
      continue;
    }
    words.push(word);
  }
  if (words.length) lines.push(words.join(' '));
  return { text: lines.length ? lines.join('\n') + '\n' : '', specks };
}
