/**
 * Rows of an SQL dump: every tuple of `INSERT INTO … VALUES (…), (…);` (MySQL and PostgreSQL
 * quoting: '' and backslash escapes, "double" and `back` quoted names) and the tab-separated
 * rows of PostgreSQL `COPY … FROM stdin;` blocks. Values come back as text; NULL as ''.
 * Anything else in the dump (DDL, comments) is skipped, and a truncated dump yields the rows
 * it completed.
 */
export function sqlRows(text: string, onRow: (row: string[]) => void): number {
  let rows = 0;
  const cursor = { backslash: -1 };
  const insert = /\bINSERT\s+(?:IGNORE\s+)?INTO\b/gi;
  let m: RegExpExecArray | null;
  while ((m = insert.exec(text)) !== null) {
    const v = /\bVALUES\b/i.exec(text.slice(m.index, m.index + 4096));
    if (!v) continue;
    let i = m.index + v.index + v[0].length;
    i = parseTuples(
      text,
      i,
      (row) => {
        rows++;
        onRow(row);
      },
      cursor,
    );
    insert.lastIndex = Math.max(i, insert.lastIndex);
  }
  const copy = /^COPY\s[^\n]{0,2000}FROM\s+stdin;\r?\n/gim;
  while ((m = copy.exec(text)) !== null) {
    let at = m.index + m[0].length;
    for (;;) {
      const nl = text.indexOf('\n', at);
      const line = (nl === -1 ? text.slice(at) : text.slice(at, nl)).replace(/\r$/, '');
      if (line === '\\.' || (nl === -1 && line === '')) break;
      const row = line.split('\t').map((c) => (c === '\\N' ? '' : c.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\\\/g, '\\')));
      rows++;
      onRow(row);
      if (nl === -1) break;
      at = nl + 1;
    }
    copy.lastIndex = at;
  }
  return rows;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '' };

function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Parses `(…), (…) ;` from `start`; returns the index after the statement. Runs of ordinary
 * characters are sliced out whole (indexOf), never appended one character at a time: a dump
 * is mostly long runs of quoted text.
 */
function parseTuples(text: string, start: number, onRow: (row: string[]) => void, cursor: { backslash: number }): number {
  const n = text.length;
  let i = start;
  // Next backslash at or after i (n: none left), kept across statements and moved only when
  // passed, so a dump without backslashes is not searched to its end for every string.
  let backslash = cursor.backslash;
  for (;;) {
    while (i < n && (isBlank(text.charCodeAt(i)) || text.charCodeAt(i) === 44)) i++;
    if (i >= n || text.charCodeAt(i) !== 40) {
      cursor.backslash = backslash;
      return i;
    }
    i++;
    const row: string[] = [];
    for (;;) {
      while (i < n && isBlank(text.charCodeAt(i))) i++;
      if (i >= n) break;
      if (text.charCodeAt(i) === 39) {
        // A quoted string: '' and \x escapes.
        i++;
        let s = '';
        for (;;) {
          const q = text.indexOf("'", i);
          if (backslash < i && backslash !== n) {
            const b = text.indexOf('\\', i);
            backslash = b === -1 ? n : b;
          }
          if (q === -1) {
            s += text.slice(i);
            i = n;
            break;
          }
          if (backslash < q) {
            const e = text.charAt(backslash + 1);
            s += text.slice(i, backslash) + (ESCAPES[e] ?? e);
            i = backslash + 2;
            continue;
          }
          s += text.slice(i, q);
          if (text.charCodeAt(q + 1) === 39) {
            s += "'";
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        row.push(s);
        // Anything between the closing quote and the next separator (a cast, …) is dropped.
        while (i < n && text.charCodeAt(i) !== 44 && text.charCodeAt(i) !== 41) i++;
      } else {
        let j = i;
        while (j < n && text.charCodeAt(j) !== 44 && text.charCodeAt(j) !== 41) j++;
        const v = text.slice(i, j).trim();
        row.push(/^null$/i.test(v) ? '' : v);
        i = j;
      }
      if (i >= n) break;
      const sep = text.charCodeAt(i);
      i++;
      if (sep === 41) break;
    }
    // A tuple cut off by the end of the dump is not a row.
    if (i >= n && text.charCodeAt(n - 1) !== 41) return n;
    onRow(row);
  }
}
