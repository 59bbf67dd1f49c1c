import yauzl from 'yauzl';
import { InputError, LimitError } from '../errors.js';

/**
 * Rows of every worksheet of an XLSX workbook, read straight from the sheet XML in the zip
 * (shared strings resolved, inline strings kept, numbers as written — dates are day numbers,
 * which the row matcher also reads as dates). Caps guard against zip bombs: a sheet or the
 * shared strings may not inflate beyond `maxEntryBytes`.
 */

const OPTIONS: yauzl.Options = { lazyEntries: true, autoClose: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false };

async function readEntries(file: string, wanted: (name: string) => boolean, maxEntryBytes: number): Promise<Map<string, string>> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, OPTIONS);
  } catch (err) {
    throw new InputError('E_CORRUPT_FILE', `not a readable XLSX (zip): ${(err as Error).message}`, { input: file, cause: err });
  }
  zip.on('error', () => undefined);
  const out = new Map<string, string>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!wanted(entry.fileName)) {
          zip.readEntry();
          return;
        }
        if (entry.uncompressedSize > maxEntryBytes) {
          reject(new LimitError('E_TOO_LARGE', `${entry.fileName} would inflate to ${entry.uncompressedSize} bytes, above ${maxEntryBytes}`, { input: file }));
          return;
        }
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const parts: Buffer[] = [];
          let bytes = 0;
          stream.on('data', (b: Buffer) => {
            bytes += b.length;
            if (bytes > maxEntryBytes) stream.destroy(new LimitError('E_TOO_LARGE', `${entry.fileName} inflates beyond ${maxEntryBytes} bytes`, { input: file }));
            else parts.push(b);
          });
          stream.on('error', reject);
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(parts).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    if (err instanceof InputError) throw err;
    throw new InputError('E_CORRUPT_FILE', `damaged XLSX: ${(err as Error).message}`, { input: file, cause: err });
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e] ?? '';
  });
}

/** Text of all <t> runs inside a fragment (a shared string item, an inline string). */
function textRuns(xml: string): string {
  let s = '';
  for (const m of xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)) s += m[1] ?? '';
  return unescapeXml(s);
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/**
 * Rows of one sheet. Found with indexOf rather than one regular expression over the sheet: a
 * hostile sheet of unclosed <row> or <c> tags would make a lazy regex rescan to the end from
 * every tag (quadratic); here each tag is looked at once.
 */
export function sheetRows(sheetXml: string, shared: readonly string[], onRow: (row: string[]) => void): number {
  let rows = 0;
  let at = 0;
  for (;;) {
    const open = sheetXml.indexOf('<row', at);
    if (open === -1) break;
    const close = sheetXml.indexOf('</row>', open);
    const selfClosed = sheetXml.indexOf('/>', open);
    const tagEnd = sheetXml.indexOf('>', open);
    if (tagEnd === -1) break;
    if (selfClosed !== -1 && selfClosed + 1 === tagEnd) {
      at = tagEnd + 1;
      continue;
    }
    if (close === -1) break;
    onRow(cellsOf(sheetXml.slice(tagEnd + 1, close), shared));
    rows++;
    at = close + 6;
  }
  return rows;
}

function cellsOf(body: string, shared: readonly string[]): string[] {
  const row: string[] = [];
  let at = 0;
  for (;;) {
    const open = body.indexOf('<c', at);
    if (open === -1) break;
    const tagEnd = body.indexOf('>', open);
    if (tagEnd === -1) break;
    const attrs = body.slice(open + 2, tagEnd);
    let inner = '';
    if (attrs.endsWith('/')) at = tagEnd + 1;
    else {
      const close = body.indexOf('</c>', tagEnd);
      if (close === -1) break;
      inner = body.slice(tagEnd + 1, close);
      at = close + 4;
    }
    const ref = /\br="([A-Z]+\d+)"/.exec(attrs)?.[1];
    const type = /\bt="(\w+)"/.exec(attrs)?.[1];
    let value: string;
    if (type === 'inlineStr') value = textRuns(inner);
    else {
      const v = unescapeXml(/<v>([^<]*)<\/v>/.exec(inner)?.[1] ?? '');
      value = type === 's' ? (shared[Number(v)] ?? '') : v;
    }
    const col = ref ? columnIndex(ref) : row.length;
    if (col >= 0 && col < 16384) row[col] = value;
  }
  return Array.from(row, (v) => v ?? '');
}

/** Every row of every sheet of the workbook at `file`. */
export async function xlsxRows(file: string, onRow: (row: string[]) => void, maxEntryBytes = 256 * 1024 * 1024): Promise<number> {
  const entries = await readEntries(file, (n) => n === 'xl/sharedStrings.xml' || /^xl\/worksheets\/[^/]+\.xml$/.test(n), maxEntryBytes);
  const sharedXml = entries.get('xl/sharedStrings.xml') ?? '';
  const shared = sharedXml
    .split('<si>')
    .slice(1)
    .map((part) => {
      const end = part.indexOf('</si>');
      return textRuns(end === -1 ? part : part.slice(0, end));
    });
  let rows = 0;
  for (const [name, xml] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    if (name === 'xl/sharedStrings.xml') continue;
    rows += sheetRows(xml, shared, onRow);
  }
  return rows;
}

/** Whether a zip file is an XLSX workbook (by name; the caller checked it is a zip). */
export function looksLikeXlsx(displayPath: string): boolean {
  return /\.xlsx$/i.test(displayPath);
}
