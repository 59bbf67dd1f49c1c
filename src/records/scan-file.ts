import { extractFile, isFailure, type ExtractFailure, type ExtractedItem, type ExtractLimits } from '../extract/index.js';
import { errorCode, errorMessage, isAbort, throwIfAborted } from '../errors.js';
import { CellMemo } from './cell-memo.js';
import { CsvParser, guessDelimiter } from './csv.js';
import { forEachJsonElement } from './json-elements.js';
import { jsonRows } from './json-rows.js';
import type { Field } from './kinds.js';
import type { RecordMatcher } from './match.js';
import { rowCandidates } from './row-candidates.js';
import { sqlRows } from './sql-rows.js';
import { textCandidates } from './text-candidates.js';
import { looksLikeXlsx, xlsxRows } from './xlsx-rows.js';

/** Records of a set exposed by one member of a sample. */
export interface RecordExposure {
  set: string;
  setId: number;
  rowNo: number;
  fields: Field[];
  /** The member (archive path) or file the record was found in. */
  memberPath: string;
  memberSha256: string;
  /** How the member was read: csv, sql, json, xlsx, text, or ocr (text read from its pictures). */
  reader: SampleReader;
}

export type SampleReader = 'csv' | 'sql' | 'json' | 'xlsx' | 'text' | 'ocr';

/**
 * Text the document matcher already read by OCR from a member's pictures (a screenshot, an
 * image-only PDF page): its whole text, OCR included. OCR costs seconds a page, so the record
 * scan takes it from there instead of reading the pictures a second time.
 */
export interface OcrText {
  /** The member's display path, as extraction names it. */
  path: string;
  sha256: string;
  text: string;
}

/** Rows are matched in batches so a million-row dump never holds all its candidates at once. */
const ROW_BATCH = 20_000;
/**
 * Free text is read in slices (with overlap, so a window across a cut is not lost), small
 * enough that a slice's words and folds die young: 4 MB slices' garbage outlived the young
 * generation and made the old generation's collector a fifth of the scan's CPU.
 */
const TEXT_SLICE_CHARS = 256 * 1024;
const TEXT_OVERLAP_CHARS = 4096;
/** Text candidates matched at once (~3 MB of typed arrays). */
const TEXT_BATCH_CANDIDATES = 200_000;
const CSV_SLICE_CHARS = 64 * 1024;

class MemberExposures {
  private readonly byRow = new Map<string, RecordExposure>();

  constructor(
    private readonly memberPath: string,
    private readonly memberSha256: string,
    private readonly reader: SampleReader,
  ) {}

  /**
   * `reader`: how these were found, when not as the member's own kind (a table that is also
   * read as text); a record already found keeps its first reader and gains the new fields.
   */
  add(hits: ReturnType<RecordMatcher['match']>, reader = this.reader): void {
    for (const h of hits) {
      const key = `${h.setId}:${h.rowNo}`;
      const e = this.byRow.get(key);
      if (!e) this.byRow.set(key, { set: h.set, setId: h.setId, rowNo: h.rowNo, fields: [...h.fields], memberPath: this.memberPath, memberSha256: this.memberSha256, reader });
      else for (const f of h.fields) if (!e.fields.includes(f)) e.fields.push(f);
    }
  }

  list(): RecordExposure[] {
    return [...this.byRow.values()];
  }
}

/** Matches a stream of table rows, batch by batch. */
export class RowBatcher {
  private readonly list: ReturnType<RecordMatcher['candidates']>;
  private readonly memo: CellMemo;
  private unit = 0;
  private inBatch = 0;

  constructor(
    private readonly matcher: RecordMatcher,
    private readonly out: MemberExposures | { add(h: ReturnType<RecordMatcher['match']>): void },
    private readonly numericDates = false,
  ) {
    this.list = matcher.candidates();
    this.memo = new CellMemo((raws) => matcher.present(raws));
  }

  row(cells: readonly string[]): void {
    rowCandidates(cells, this.unit++, this.list, { numericDates: this.numericDates, memo: this.memo });
    if (++this.inBatch >= ROW_BATCH) this.flush();
  }

  flush(): void {
    if (this.list.length) this.out.add(this.matcher.match(this.list, 0));
    this.list.clear();
    this.inBatch = 0;
  }
}

/** Names that say "text", whatever the content looks like (a letter with commas sniffs as CSV). */
const TEXT_NAMES = /\.(txt|text|log|md|markdown|eml|msg|html?|pdf|docx?|rtf|png|jpe?g|tiff?|gif|bmp|webp)$/;

export function readerFor(item: Pick<ExtractedItem, 'path' | 'type' | 'text'>): SampleReader {
  const p = item.path.toLowerCase();
  const head = (item.text ?? '').slice(0, 65536);
  if (/\.(csv|tsv)$/.test(p)) return 'csv';
  // Before the sniffed type: one INSERT per line has regular commas and sniffs as CSV.
  if (/\.sql$/.test(p) || /\bINSERT\s+INTO\b[^;]{0,2000}?\bVALUES\b|^COPY\s[^\n]{0,2000}FROM\s+stdin;/im.test(head)) return 'sql';
  if (TEXT_NAMES.test(p)) return 'text';
  if (/\.(json|jsonl|ndjson)$/.test(p) || item.type === 'json') return 'json';
  if (item.type === 'csv') return 'csv';
  return 'text';
}

/** Exposed records in one item's text, by the reader its name and content call for. */
export function scanText(matcher: RecordMatcher, item: Pick<ExtractedItem, 'path' | 'type' | 'text' | 'sha256'>, forced?: SampleReader): RecordExposure[] {
  const text = item.text ?? '';
  let reader = forced ?? readerFor(item);
  const out = new MemberExposures(item.path, item.sha256, reader);
  if (reader === 'csv') {
    // Fed in slices: the rows of a large dump are never all in memory at once.
    const b = new RowBatcher(matcher, out);
    const parser = new CsvParser(guessDelimiter(text));
    const take = (rows: string[][]): void => {
      for (const row of rows) b.row(row);
    };
    for (let at = 0; at < text.length; at += CSV_SLICE_CHARS) take(parser.push(text.slice(at, at + CSV_SLICE_CHARS)));
    take(parser.end());
    b.flush();
    // Sniffed as CSV but not named so: a letter or log with regular commas may be prose, so
    // it is read as text too.
    if (!/\.(csv|tsv)$/i.test(item.path)) reader = 'text';
  } else if (reader === 'sql') {
    const b = new RowBatcher(matcher, out);
    sqlRows(text, (r) => b.row(r));
    b.flush();
  } else if (reader === 'json') {
    const b = new RowBatcher(matcher, out);
    const row = (r: string[]): void => b.row(r);
    try {
      // An array of records (the usual export) element by element; anything else whole. A
      // broken array is read line by line (parsing it whole would only fail again): rows of
      // the elements before the break were already counted, and are counted once.
      const streamed = forEachJsonElement(text, (v) => jsonRows([v], row));
      if (streamed === 'broken') throw new SyntaxError('JSON array does not parse');
      if (streamed === 'not-array') jsonRows(JSON.parse(text) as unknown, row);
    } catch {
      // JSON Lines, or damaged JSON: line by line, and whatever is not JSON as text.
      for (const line of text.split(/\r?\n/)) {
        if (!line.trim()) continue;
        try {
          jsonRows(JSON.parse(line) as unknown, row);
        } catch {
          reader = 'text';
          break;
        }
      }
    }
    b.flush();
  }
  // Free text, or a table that may also be prose (sniffed, not named, as CSV; JSON that did
  // not parse): what the rows already showed is not listed twice.
  if (reader === 'text') {
    // Each slice is a unit of its own (a window never spans two: the overlap covers those),
    // and the candidates of several are matched together: the index is read in hash order,
    // which pays off with many lookups at once.
    const list = matcher.candidates();
    let unit = 0;
    for (let start = 0; start < text.length; start += TEXT_SLICE_CHARS) {
      const slice = text.slice(Math.max(0, start - TEXT_OVERLAP_CHARS), start + TEXT_SLICE_CHARS);
      textCandidates(slice, list, { unit: unit++ });
      if (list.length >= TEXT_BATCH_CANDIDATES) {
        out.add(matcher.match(list), 'text');
        list.clear();
      }
    }
    if (list.length) out.add(matcher.match(list), 'text');
  }
  return out.list();
}

export interface ScanRecordsResult {
  exposures: RecordExposure[];
  failures: ExtractFailure[];
}

/**
 * Every record the file at `absPath` exposes: the file and each archive member, read as a
 * table (CSV/TSV, SQL dump, JSON, XLSX) or as free text (PDF, DOCX, HTML, OCR text, plain
 * text). A member that cannot be read fails alone.
 */
export async function scanRecordsInFile(
  matcher: RecordMatcher,
  absPath: string,
  displayPath: string,
  options: { limits?: Partial<ExtractLimits>; signal?: AbortSignal; tempDir?: string; ocrTexts?: readonly OcrText[] } = {},
): Promise<ScanRecordsResult> {
  const exposures: RecordExposure[] = [];
  const failures: ExtractFailure[] = [];
  if (matcher.empty) return { exposures, failures };
  const ocr = new Map((options.ocrTexts ?? []).map((o) => [`${o.path}\u0000${o.sha256}`, o.text]));
  // A workbook read as rows: its XML parts would only repeat the same records as text.
  let workbookPrefix: string | undefined;
  for await (const item of extractFile(absPath, displayPath, { ...(options.limits ? { limits: options.limits } : {}), ...(options.signal ? { signal: options.signal } : {}), ...(options.tempDir ? { tempDir: options.tempDir } : {}) })) {
    throwIfAborted(options.signal, displayPath);
    if (isFailure(item)) {
      failures.push(item);
      continue;
    }
    try {
      if (item.depth === 0 && item.type === 'zip' && looksLikeXlsx(displayPath)) {
        workbookPrefix = `${item.path}!/xl/`;
        const out = new MemberExposures(item.path, item.sha256, 'xlsx');
        const b = new RowBatcher(matcher, out, true);
        await xlsxRows(absPath, (r) => b.row(r));
        b.flush();
        exposures.push(...out.list());
      } else if (workbookPrefix && item.path.startsWith(workbookPrefix)) {
        continue;
      } else {
        // A picture has no text of its own; an image-only PDF page's OCR text extends its text.
        const ocrText = ocr.get(`${item.path}\u0000${item.sha256}`);
        if (ocrText !== undefined) exposures.push(...scanText(matcher, { ...item, text: ocrText }, 'text').map((e) => ({ ...e, reader: 'ocr' as const })));
        else if (item.text) exposures.push(...scanText(matcher, item));
      }
    } catch (err) {
      if (isAbort(err)) throw err;
      failures.push({ path: item.path, code: errorCode(err), message: `records not read: ${errorMessage(err)}` });
    }
  }
  return { exposures, failures };
}
