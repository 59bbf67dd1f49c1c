import type { CandidateList } from './candidates.js';
import { foldText, nameKey, normaliseDate, normaliseEmail, normaliseNhi, normalisePhone, streetLineAt } from './normalise.js';

/**
 * Candidate identifiers in free text (PDF and DOCX text, OCR output, e-mails, logs), each at its
 * token position: NHIs that pass their check, e-mail addresses, phone numbers, dates, name
 * pairs/triples and street lines. A candidate on its own proves nothing; the matcher needs two
 * fields of one record within a short window (docs/records.md).
 */

const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const UPPER_START = /^\p{Lu}/u;

/** Length of the word character at `i` (letter, mark or apostrophe; 2 for an astral letter), or 0. */
function wordCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39 ? 1 : 0;
  if (c === 0x2019) return 1;
  if (c >= 0xd800 && c <= 0xdbff) return LETTER_OR_MARK.test(text.slice(i, i + 2)) ? 2 : 0;
  return LETTER_OR_MARK.test(text.charAt(i)) ? 1 : 0;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * The word tokens of `text` as [start, end) offsets: runs of letters, marks and apostrophes,
 * and digit runs with at most one ASCII letter after them ("17a"). Hand-rolled rather than
 * a Unicode regex: it runs over every character of every text sample, and a match object
 * per word was a large share of a text scan's garbage.
 */
export function forEachWord(text: string, fn: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    let w = wordCharAt(text, i);
    if (w > 0) {
      const start = i;
      do i += w;
      while (i < n && (w = wordCharAt(text, i)) > 0);
      fn(start, i);
      continue;
    }
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      const start = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const d = text.charCodeAt(i) | 32;
      if (i < n && d >= 97 && d <= 122) i++;
      fn(start, i);
      continue;
    }
    i++;
  }
}
const NHI = /\b[A-Za-z]{3}[ -]?\d{2}[0-9A-Za-z]{2}\b/g;
// Bounded repeats: an unbounded local part would rescan a long run of letters from every
// start position (quadratic on hostile text).
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/y;
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;

/**
 * The matches of the e-mail pattern, as a global regex would find them, but tried only at
 * the '@' signs: a regex scan tries the local part at every character of the text, which was
 * a sizeable share of a letter-text scan. From each '@' it steps back over at most 64
 * local-part characters (the leftmost start a regex would find, never inside the previous
 * match) and matches there; if the domain does not fit, no other start could.
 */
export function forEachEmail(text: string, fn: (start: number, email: string) => void): void {
  let end = 0;
  for (let k = text.indexOf('@'); k >= 0; k = text.indexOf('@', k + 1)) {
    if (k < end) continue;
    let s = k;
    while (s > end && k - s < 64 && LOCAL_CHAR.test(text.charAt(s - 1))) s--;
    if (s === k) continue;
    EMAIL.lastIndex = s;
    const m = EMAIL.exec(text);
    if (!m) continue;
    fn(s, m[0]);
    end = s + m[0].length;
  }
}
const PHONE_RUN = /\+?\(?\d[\d ()-]{5,22}\d/g;
const DATES = [
  /\b\d{4}-\d{1,2}-\d{1,2}\b/g,
  /\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b/g,
  /\b\d{1,2}(?:st|nd|rd|th)?[\s-]+[A-Za-z]{3,9}\.?[\s,-]+\d{4}\b/g,
  // Only words whose first three letters name a month: normaliseDate rejects any other word,
  // and trying this at every word of the text was the costliest of these patterns.
  /\b(?:[Jj][Aa][Nn]|[Ff][Ee][Bb]|[Mm][Aa][RrYy]|[Aa][Pp][Rr]|[Jj][Uu][NnLl]|[Aa][Uu][Gg]|[Ss][Ee][Pp]|[Oo][Cc][Tt]|[Nn][Oo][Vv]|[Dd][Ee][Cc])[A-Za-z]{0,6}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b/g,
];
const NAME_WORD = /^\p{L}{2,}$/u;
/** Folded words kept at once (a power of two, at least the five a street line reads). */
const FOLD_RING = 8;
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame']);

/**
 * Token index of a character offset (the last token starting at or before it; 0 before the
 * first), for offsets asked in ascending order: a cursor that only moves forward, where a
 * binary search per match was a visible share of a text scan.
 */
function tokenCursor(starts: Int32Array, count: number): (offset: number) => number {
  let t = 0;
  return (offset) => {
    while (t + 1 < count && (starts[t + 1] as number) <= offset) t++;
    return t;
  };
}

/** Phone numbers inside a run of digit groups: each contiguous group range of phone length. */
function phonesInRun(run: string, countryCode: string): string[] {
  // The runs between spaces, parentheses and dashes (what split(/[ ()-]+/) keeps, without
  // the regex and its empty strings).
  const groups: string[] = [];
  let g = -1;
  for (let k = 0; k <= run.length; k++) {
    const c = k < run.length ? run.charCodeAt(k) : 32;
    // The leading '+' is not part of the first group: it is put back by `lead` (a '+' kept
    // in the group, and added again, made every international number fail to normalise).
    if (c === 32 || c === 40 || c === 41 || c === 45 || (k === 0 && c === 43)) {
      if (g >= 0) groups.push(run.slice(g, k));
      g = -1;
    } else if (g < 0) g = k;
  }
  const out = new Set<string>();
  const lead = run.startsWith('+') ? '+' : '';
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    for (let j = i; j < groups.length && j < i + 6; j++) {
      digits += groups[j];
      if (digits.length < 7) continue;
      if (digits.length > 15) break;
      const p = normalisePhone((i === 0 ? lead : '') + digits, countryCode);
      if (p) out.add(p);
    }
  }
  return [...out];
}

/** Adds the candidates of `text` to `list` (and returns it). */
export function textCandidates(text: string, list: CandidateList, options: { countryCode?: string; unit?: number } = {}): CandidateList {
  const unit = options.unit ?? 0;
  const cc = options.countryCode ?? '64';
  // Word tokens: positions for every candidate, and the material of names and addresses. Only
  // offsets are kept; a word is cut out and folded when a name or street line could start
  // there (a capital or a digit): slicing and folding every word was most of a text scan's
  // garbage.
  let starts = new Int32Array(1024);
  let ends = new Int32Array(1024);
  let count = 0;
  forEachWord(text, (start, end) => {
    if (count === starts.length) {
      const s = new Int32Array(count * 2);
      s.set(starts);
      starts = s;
      const e = new Int32Array(count * 2);
      e.set(ends);
      ends = e;
    }
    starts[count] = start;
    ends[count++] = end;
  });
  let at = tokenCursor(starts, count);
  for (const m of text.matchAll(NHI)) {
    const v = normaliseNhi(m[0]);
    if (v) list.add('nhi', v, unit, at(m.index));
  }
  at = tokenCursor(starts, count);
  forEachEmail(text, (start, email) => {
    const v = normaliseEmail(email);
    if (v) list.add('email', v, unit, at(start));
  });
  // Characters inside dates: a date is not a phone number, whatever its digits.
  const inDate = new Uint8Array(text.length);
  for (const re of DATES) {
    at = tokenCursor(starts, count);
    for (const m of text.matchAll(re)) {
      const values = normaliseDate(m[0], 'both');
      if (values.length) inDate.fill(1, m.index, m.index + m[0].length);
      for (const v of values) list.add('dob', v, unit, at(m.index));
    }
  }
  at = tokenCursor(starts, count);
  for (const m of text.matchAll(PHONE_RUN)) {
    if (inDate.subarray(m.index, m.index + m[0].length).includes(1)) continue;
    for (const v of phonesInRun(m[0], cc)) list.add('phone', v, unit, at(m.index));
  }
  // Folded words are asked for at the loop's word and up to four after it: a ring of the last
  // eight folds serves them (an array of every word's fold was slow to grow and kept them all).
  const ringAt = new Int32Array(FOLD_RING).fill(-1);
  const ringWord: string[] = new Array<string>(FOLD_RING).fill('');
  /** 1 where the folded word was plain ASCII. */
  const ringAscii = new Uint8Array(FOLD_RING);
  const fold = (i: number): string | undefined => {
    if (i >= count) return undefined;
    const r = i & (FOLD_RING - 1);
    let f: string;
    if (ringAt[r] === i) f = ringWord[r] as string;
    else {
      const start = starts[i] as number;
      const end = ends[i] as number;
      // Only non-ASCII words need the (slow) Unicode fold; an ASCII word is letters, digits
      // and apostrophes, lower-cased only when it has a capital.
      let plain = true;
      let upper = false;
      let quote = false;
      for (let k = start; k < end; k++) {
        const c = text.charCodeAt(k);
        if (c >= 128) plain = false;
        else if (c >= 65 && c <= 90) upper = true;
        else if (c === 39) quote = true;
      }
      const w = text.slice(start, end);
      if (!plain) f = foldText(w).replace(/ /g, '');
      else {
        f = quote ? w.replace(/'/g, '') : w;
        if (upper) f = f.toLowerCase();
      }
      ringAt[r] = i;
      ringWord[r] = f;
      ringAscii[r] = plain ? 1 : 0;
    }
    return f;
  };
  // In running text a name is capitalised (or in capitals): "John Smith", "SMITH John". Lower-
  // case word pairs are ordinary prose, and would multiply lookups for nothing.
  const capital = (i: number): boolean => {
    const start = starts[i] as number;
    const c = text.charCodeAt(start);
    return c < 128 ? c >= 65 && c <= 90 : UPPER_START.test(text.slice(start, ends[i] as number));
  };
  const nameWord = (i: number): string | undefined => {
    if (i >= count || !capital(i)) return undefined;
    const w = fold(i) as string;
    // A folded ASCII word is letters only (words are letter runs): NAME_WORD is its length.
    const ok = ringAscii[i & (FOLD_RING - 1)] === 1 ? w.length >= 2 : NAME_WORD.test(w);
    // Titles are two to four letters long: longer words need no lookup.
    return ok && !(w.length <= 4 && TITLES.has(w)) ? w : undefined;
  };
  for (let i = 0; i < count; i++) {
    if (isDigit(text.charCodeAt(starts[i] as number))) {
      // A house number (at most five digits and a letter) may start a street line, and the
      // street's first word, not a number, must follow (dates and phone numbers are runs of
      // numbers).
      if ((ends[i] as number) - (starts[i] as number) > 6 || i + 1 >= count || isDigit(text.charCodeAt(starts[i + 1] as number))) continue;
      const words: string[] = [];
      for (let k = i; k < i + 5 && k < count; k++) words.push(fold(k) as string);
      const line = streetLineAt(words, 0);
      if (line) list.add('address', line, unit, i);
      continue;
    }
    const w = nameWord(i);
    if (w === undefined) continue;
    const w2 = nameWord(i + 1);
    if (w2 === undefined) continue;
    const pair = nameKey([w, w2]);
    if (pair) list.add('name', pair, unit, i);
    const w3 = nameWord(i + 2);
    if (w3 !== undefined) {
      const triple = nameKey([w, w2, w3]);
      if (triple) list.add('name', triple, unit, i);
      // "Given Middle Family" in the text, stored as given + family.
      const outer = nameKey([w, w3]);
      if (outer) list.add('name', outer, unit, i);
    }
  }
  return list;
}
