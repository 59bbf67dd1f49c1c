/**
 * The folded words of a plain-ASCII value, without regexes: what `foldText(value).split(' ')`
 * gives (lower case, apostrophes and backticks dropped, every other character that is not a
 * letter or digit a separator), minus empty words. Every cell of a leaked table that could be
 * a name or an address is folded, so this runs millions of times a dump; the regex chain it
 * replaces (test, lower-case, two replaces, trim, split) was a large share of a table scan.
 *
 * Returns undefined for a value with any character outside ASCII: those need the Unicode fold
 * (diacritics, other scripts), which stays in foldText.
 */
export function asciiWords(value: string): string[] | undefined {
  const out: string[] = [];
  const n = value.length;
  let start = -1;
  let upper = false;
  let quote = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? value.charCodeAt(i) : 32;
    if (c >= 128) return undefined;
    const lower = c >= 97 && c <= 122;
    const cap = c >= 65 && c <= 90;
    if (lower || cap || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
      if (cap) upper = true;
      continue;
    }
    if (c === 39 || c === 96) {
      // Dropped, not a separator: "O'Brien" is one word.
      if (start < 0) start = i;
      quote = true;
      continue;
    }
    if (start >= 0) {
      let w = value.slice(start, i);
      if (quote) w = w.replace(/['`]/g, '');
      if (upper) w = w.toLowerCase();
      if (w) out.push(w);
      start = -1;
      upper = false;
      quote = false;
    }
  }
  return out;
}
