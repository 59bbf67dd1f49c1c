/**
 * The elements of a top-level JSON array, parsed one at a time. A leaked table exported as
 * JSON is one array of millions of records; `JSON.parse` of the whole text builds every one of
 * them at once (a 32 MB file is ~200 MB of objects, all promoted to the old generation and
 * marked by the garbage collector), where an element at a time stays small and dies young.
 *
 * Calls `onElement` with each element in order and returns `done` when the text was a
 * well-formed array of well-formed elements, exactly when `JSON.parse(text)` would have
 * returned an array; `not-array` when it does not start as one (an object, JSON Lines), with
 * nothing delivered; `broken` when it stopped at an element that does not parse or an array
 * that is cut off (a truncated dump): `JSON.parse(text)` would throw, and the elements before
 * that point have been delivered.
 */
export type JsonElementsResult = 'done' | 'not-array' | 'broken';

export function forEachJsonElement(text: string, onElement: (value: unknown) => void): JsonElementsResult {
  const n = text.length;
  let i = skipBlank(text, 0);
  if (text.charCodeAt(i) !== 0x5b /* [ */) return 'not-array';
  i = skipBlank(text, i + 1);
  if (text.charCodeAt(i) === 0x5d /* ] */) return skipBlank(text, i + 1) === n ? 'done' : 'broken';
  for (;;) {
    // One element: up to the comma or bracket that closes it at depth 0 (outside strings).
    const start = i;
    let depth = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22 /* " */) {
        i = stringEnd(text, i + 1);
        if (i < 0) return 'broken';
      } else if (c === 0x5b || c === 0x7b /* [ { */) depth++;
      else if (c === 0x5d || c === 0x7d /* ] } */) {
        if (depth === 0) break;
        depth--;
      } else if (c === 0x2c /* , */ && depth === 0) break;
    }
    if (i >= n) return 'broken';
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, i));
    } catch {
      return 'broken';
    }
    onElement(value);
    const c = text.charCodeAt(i);
    if (c === 0x2c) {
      i++;
      continue;
    }
    // The closing bracket of the array (a '}' here is not well-formed).
    return c === 0x5d && skipBlank(text, i + 1) === n ? 'done' : 'broken';
  }
}

/** The index of the closing quote of the string whose content starts at `i`, or -1. */
function stringEnd(text: string, i: number): number {
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return -1;
    // A quote is escaped when an odd number of backslashes precede it.
    let b = q - 1;
    while (b >= i && text.charCodeAt(b) === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    i = q + 1;
  }
}

/** JSON's whitespace: space, tab, line feed, carriage return (what JSON.parse skips). */
function skipBlank(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}
