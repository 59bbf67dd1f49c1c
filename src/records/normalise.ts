import { asciiWords } from './ascii-words.js';
import { isValidNhi } from './nhi.js';

/**
 * Per-kind normalisation: the same person's value written differently in the victim's table
 * and in a leaked sample ("Ngāti", "NGATI"; "021 555 0101", "+64 21 555 0101"; "02/03/1985",
 * "1985-03-02") becomes one canonical string, which is what gets keyed and hashed. Every
 * function returns undefined for a value that is not plausible for its kind, so junk never
 * reaches the index.
 */

/** Lowercase, diacritics removed, apostrophes dropped, everything else not a letter/digit a space. */
export function foldText(value: string): string {
  // Plain ASCII (nearly every cell) needs no Unicode decomposition, which is slow.
  if (/^[ -~]*$/.test(value)) {
    return value
      .toLowerCase()
      .replace(/['`]/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame']);

/** Name tokens: letters only, at least two of them (an initial never identifies anyone). */
export function nameTokens(value: string): string[] {
  const ascii = asciiWords(value);
  if (ascii) return ascii.filter((t) => t.length >= 2 && isAsciiLetters(t) && !TITLES.has(t));
  return foldText(value)
    .split(' ')
    .filter((t) => t.length >= 2 && /^\p{L}+$/u.test(t) && !TITLES.has(t));
}

/** A folded ASCII word of letters only (what /^\p{L}+$/u says of it). */
function isAsciiLetters(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/**
 * The canonical form of a person's name: its distinct tokens, sorted, so "Smith, John" and
 * "John Smith" agree. Fewer than two tokens is not a name we can count on.
 */
export function nameKey(tokens: readonly string[]): string | undefined {
  if (tokens.length === 2) {
    // The common case, without allocating a set and an array.
    const [a, b] = tokens as [string, string];
    return a === b ? undefined : a < b ? `${a} ${b}` : `${b} ${a}`;
  }
  if (tokens.length === 3) {
    // Three words (given middle family) are the other common case: sorted by hand.
    let [a, b, c] = tokens as [string, string, string];
    if (a > b) [a, b] = [b, a];
    if (b > c) [b, c] = [c, b];
    if (a > b) [a, b] = [b, a];
    if (a === b) return b === c ? undefined : `${a} ${c}`;
    return b === c ? `${a} ${b}` : `${a} ${b} ${c}`;
  }
  const distinct = [...new Set(tokens)].sort();
  return distinct.length >= 2 ? distinct.join(' ') : undefined;
}

export function normaliseNhi(value: string): string | undefined {
  // Most cells tried are not NHIs: an NHI has exactly seven characters besides spaces and
  // dashes, which a count tells without the replace (non-ASCII values take the full path).
  let chars = 0;
  for (let i = 0; i < value.length && chars >= 0; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) chars = -1;
    else if (c !== 32 && c !== 45 && (c < 9 || c > 13)) chars++;
  }
  if (chars >= 0 && chars !== 7) return undefined;
  const v = value.replace(/[\s-]+/g, '').toUpperCase();
  return isValidNhi(v) ? v : undefined;
}

const EMAIL = /^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/;

export function normaliseEmail(value: string): string | undefined {
  const v = value.trim().toLowerCase().replace(/^mailto:/, '');
  return EMAIL.test(v) && v.length <= 254 ? v : undefined;
}

/**
 * E.164-like digits: "+64 21 555 0101", "0064 21…", "021 555 0101" and "(021) 555-0101" all give
 * "64215550101" (national numbers get `countryCode`). Fewer than 9 or more than 15 digits in
 * the result is not a phone number (a short number alone never identifies anyone).
 */
export function normalisePhone(value: string, countryCode = '64'): string | undefined {
  const v = value.trim().replace(/\(0\)/g, '');
  if (!/^\+?[\d\s().-]+$/.test(v)) return undefined;
  let digits = v.replace(/\D/g, '');
  if (v.startsWith('+')) {
    /* already international */
  } else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = countryCode + digits.slice(1);
  else if (digits.length <= 9) digits = countryCode + digits;
  return digits.length >= 9 && digits.length <= 15 ? digits : undefined;
}

export type DateOrder = 'dmy' | 'mdy';

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

function monthOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  return MONTHS[w.length > 3 && w !== 'sept' ? w.slice(0, 3) : w];
}

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in month `m` of year `y` (Gregorian): a table, where a Date per call was a hot spot. */
export function daysInMonth(y: number, m: number): number {
  if (m !== 2) return MONTH_DAYS[m] as number;
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
}

function iso(y: number, m: number, d: number): string | undefined {
  if (y < 1880 || y > 2100 || m < 1 || m > 12 || d < 1 || !Number.isInteger(d) || !Number.isInteger(m)) return undefined;
  if (d > daysInMonth(y, m)) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function fullYear(y: string): number {
  // Two-digit years in a date of birth: 00–29 is this century, the rest the last one.
  const n = Number(y);
  return y.length === 2 ? (n < 30 ? 2000 + n : 1900 + n) : n;
}

/**
 * A date in any common form, as ISO. Numeric day/month dates are ambiguous: `order` says how
 * to read them (New Zealand writes day first); `both` returns each valid reading, which is
 * what sample matching uses (a leaked US-style export still matches).
 */
export function normaliseDate(value: string, order: DateOrder | 'both' = 'dmy'): string[] {
  const shape = dateShape(value);
  if (shape === 'numeric') return numericDate(value, order);
  if (shape === 'none') return [];
  const v = value.trim().replace(/(\d)(st|nd|rd|th)\b/gi, '$1').replace(/T\d.*$/, '');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
  if (m) return maybe(iso(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (m) return maybe(iso(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$/.exec(v);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = fullYear(m[3] as string);
    const dmy = iso(y, b, a);
    const mdy = iso(y, a, b);
    if (order === 'dmy') return maybe(dmy);
    if (order === 'mdy') return maybe(mdy);
    return readings(dmy, mdy);
  }
  m = /^(\d{1,2})[\s-]+([A-Za-z]{3,9}\.?)[\s,-]+(\d{4})$/.exec(v);
  if (m) return maybe(iso(Number(m[3]), monthOf(m[2] as string) ?? 0, Number(m[1])));
  m = /^([A-Za-z]{3,9}\.?)\s+(\d{1,2}),?\s+(\d{4})$/.exec(v);
  if (m) return maybe(iso(Number(m[3]), monthOf(m[1] as string) ?? 0, Number(m[2])));
  return [];
}

/**
 * What kind of value `normaliseDate` has in front of it, told in one pass (it is tried on
 * every cell with a digit in it, and most are not dates):
 * - `numeric`: ASCII digits and - / . only, the numeric forms, parsed without regexes;
 * - `none`: cannot be a date in any form: fewer than 4 or more than 8 digits, a letter run
 *   that is neither a month name (3–9 letters, at most one) nor an ordinal suffix after a
 *   digit, or another character no form allows;
 * - `other`: anything else (month names, ordinals, a time after the date, non-ASCII spaces),
 *   left to the regexes.
 */
function dateShape(value: string): 'numeric' | 'none' | 'other' {
  let digits = 0;
  let numeric = true;
  let months = 0;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      continue;
    }
    if (c === 45 || c === 47 || c === 46) continue;
    numeric = false;
    if (c >= 128 || c === 84) return 'other'; // non-ASCII space; 'T' of a date-time
    const letter = (c | 32) >= 97 && (c | 32) <= 122;
    if (letter) {
      let j = i + 1;
      while (j < n && ((value.charCodeAt(j) | 32) >= 97 && (value.charCodeAt(j) | 32) <= 122)) j++;
      const run = value.slice(i, j).toLowerCase();
      const afterDigit = i > 0 && value.charCodeAt(i - 1) >= 48 && value.charCodeAt(i - 1) <= 57;
      if (!(afterDigit && (run === 'st' || run === 'nd' || run === 'rd' || run === 'th'))) {
        if (run.length < 3 || run.length > 9 || ++months > 1) return 'none';
      }
      i = j - 1;
      continue;
    }
    // Whitespace and commas separate the parts of the written-out forms; nothing else occurs.
    if (c !== 32 && c !== 44 && (c < 9 || c > 13)) return 'none';
  }
  if (digits < 4 || digits > 8) return 'none';
  return numeric ? 'numeric' : 'other';
}

/** The numeric forms of normaliseDate (yyyy-m-d, yyyymmdd, d/m/yyyy, d/m/yy), by hand. */
function numericDate(value: string, order: DateOrder | 'both'): string[] {
  // Up to three digit groups split by single separators.
  const groups: string[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    const c = i < value.length ? value.charCodeAt(i) : 47;
    if (c >= 48 && c <= 57) continue;
    if (i === start || groups.length === 3) return [];
    groups.push(value.slice(start, i));
    start = i + 1;
  }
  if (groups.length === 1) {
    const g = groups[0] as string;
    return g.length === 8 ? maybe(iso(Number(g.slice(0, 4)), Number(g.slice(4, 6)), Number(g.slice(6, 8)))) : [];
  }
  if (groups.length !== 3) return [];
  const [a, b, c] = groups as [string, string, string];
  if (a.length === 4 && b.length <= 2 && c.length <= 2) return maybe(iso(Number(a), Number(b), Number(c)));
  if (a.length > 2 || b.length > 2 || (c.length !== 4 && c.length !== 2)) return [];
  const x = Number(a);
  const y = Number(b);
  const year = fullYear(c);
  const dmy = iso(year, y, x);
  const mdy = iso(year, x, y);
  if (order === 'dmy') return maybe(dmy);
  if (order === 'mdy') return maybe(mdy);
  return readings(dmy, mdy);
}

/** Both readings of a day/month date, each once. */
function readings(dmy: string | undefined, mdy: string | undefined): string[] {
  if (dmy === undefined) return mdy === undefined ? [] : [mdy];
  return mdy === undefined || mdy === dmy ? [dmy] : [dmy, mdy];
}

function maybe(x: string | undefined): string[] {
  return x === undefined ? [] : [x];
}

const STREET_TYPE_NAMES: Record<string, string> = {
  st: 'street', street: 'street', rd: 'road', road: 'road', ave: 'avenue', av: 'avenue', avenue: 'avenue',
  cres: 'crescent', crescent: 'crescent', pl: 'place', place: 'place', tce: 'terrace', terrace: 'terrace',
  dr: 'drive', drive: 'drive', ln: 'lane', lane: 'lane', way: 'way', gr: 'grove', grove: 'grove',
  cl: 'close', close: 'close', pde: 'parade', parade: 'parade', rise: 'rise', hwy: 'highway', highway: 'highway',
  ct: 'court', court: 'court', sq: 'square', square: 'square', blvd: 'boulevard', boulevard: 'boulevard',
};

/** A Map, not the object: looked up with every word after a house number, mostly misses. */
const STREET_TYPES = new Map(Object.entries(STREET_TYPE_NAMES));

const HOUSE_NUMBER = /^\d{1,5}[a-z]?$/;

/** The street type a folded token stands for ("st" → "street"), if any. */
export function streetType(token: string): string | undefined {
  return STREET_TYPES.get(token);
}

const STREET_WORD = /^\p{L}{2,}$/u;

/** A street-name word: two or more letters (what STREET_WORD says, by hand for ASCII words). */
function isStreetWord(w: string): boolean {
  if (w.length < 2) return false;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 128) return STREET_WORD.test(w);
    if ((c | 32) < 97 || (c | 32) > 122) return false;
  }
  return true;
}

/**
 * The street line of an address at token `i` of folded tokens: house number, one to three
 * street-name words, a street type ("17a kauri street"). The street line, not the whole
 * address, is the key: suburbs, cities and postcodes are written in too many ways (or left
 * out) to compare, while "number + street" is what makes an address someone's.
 */
export function streetLineAt(tokens: readonly string[], i: number): string | undefined {
  const num = tokens[i];
  if (num === undefined) return undefined;
  const c = num.charCodeAt(0);
  if (c < 48 || c > 57 || !HOUSE_NUMBER.test(num)) return undefined;
  for (let len = 1; len <= 3; len++) {
    const typeToken = tokens[i + len + 1];
    if (typeToken === undefined) return undefined;
    // The words before the type must all be street-name words; the new one is checked here.
    if (!isStreetWord(tokens[i + len] as string)) return undefined;
    const type = streetType(typeToken);
    if (type) return [num, ...tokens.slice(i + 1, i + len + 1), type].join(' ');
  }
  return undefined;
}

/** Every street line in an address cell (a cell may hold "Flat 2, 17 Kauri St, Ponsonby"). */
export function normaliseAddress(value: string): string[] {
  const tokens = asciiWords(value) ?? foldText(value).split(' ');
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const line = streetLineAt(tokens, i);
    if (line) out.add(line);
  }
  return [...out];
}
