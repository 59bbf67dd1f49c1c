/**
 * RFC 4180 CSV (and TSV) as a push parser: feed it chunks of text as they are read, take the
 * completed rows. Quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF
 * and lone CR all end a row; a leading BOM is dropped. Nothing is kept but the current row,
 * so a table of millions of rows streams in constant memory.
 *
 * Leaked dumps are often sloppy: a quote inside an unquoted field is kept as a character, and
 * text after a closing quote is appended, rather than failing the whole sample.
 */
export class CsvParser {
  private row: string[] = [];
  private field = '';
  private inQuotes = false;
  /** Just saw a quote inside a quoted field: either the closing quote or half of "". */
  private quotePending = false;
  private fieldStarted = false;
  private lastWasCr = false;
  private first = true;

  constructor(private readonly delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') throw new RangeError(`unusable CSV delimiter ${JSON.stringify(delimiter)}`);
  }

  /** Completed rows in `chunk` (the last, unfinished row waits for more input or end()). */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const delim = this.delimiter.charCodeAt(0);
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.lastWasCr) {
        this.lastWasCr = false;
        if (c === 10) {
          i++;
          continue;
        }
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === 34) {
            this.field += '"';
            i++;
            continue;
          }
          this.inQuotes = false;
          // fall through: c is handled as unquoted input (delimiter, newline or stray text)
        } else {
          // Copy a run of ordinary characters at once: far faster than char by char.
          const q = text.indexOf('"', i);
          if (q === -1) {
            this.field += text.slice(i);
            i = n;
            continue;
          }
          this.field += text.slice(i, q);
          this.quotePending = true;
          i = q + 1;
          continue;
        }
      }
      if (c === delim) {
        this.endField();
        i++;
      } else if (c === 10 || c === 13) {
        this.endField();
        out.push(this.row);
        this.row = [];
        this.lastWasCr = c === 13;
        i++;
      } else if (c === 34 && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
        i++;
      } else {
        // An unquoted run up to the next delimiter, quote or line break.
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === delim || d === 10 || d === 13) break;
          j++;
        }
        this.field += text.slice(i, j);
        this.fieldStarted = true;
        i = j;
      }
    }
    return out;
  }

  /** The last row, when the input did not end with a line break. */
  end(): string[][] {
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.fieldStarted || this.row.length > 0 || this.field.length > 0) {
      this.endField();
      const last = this.row;
      this.row = [];
      return [last];
    }
    return [];
  }

  private endField(): void {
    this.row.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }
}

/** A whole CSV/TSV text at once (samples already in memory). Blank lines are dropped. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const p = new CsvParser(delimiter);
  return [...p.push(text), ...p.end()].filter((r) => r.length > 1 || (r[0] ?? '') !== '');
}

/** Tab when the first line has more tabs than commas (a TSV named .csv, or the reverse). */
export function guessDelimiter(text: string): string {
  const nl = text.indexOf('\n');
  const line = nl === -1 ? text.slice(0, 4096) : text.slice(0, Math.min(nl, 4096));
  const count = (ch: string): number => line.split(ch).length - 1;
  const tabs = count('\t');
  const semis = count(';');
  const commas = count(',');
  if (tabs > commas && tabs >= semis) return '\t';
  if (semis > commas) return ';';
  return ',';
}
