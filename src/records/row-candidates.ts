import type { CandidateList } from './candidates.js';
import type { CellMemo } from './cell-memo.js';
import { nameKey, nameTokens, normaliseAddress, normaliseDate, normaliseEmail, normaliseNhi, normalisePhone } from './normalise.js';

/**
 * Candidates of one row of a leaked table (CSV, TSV, SQL INSERT, spreadsheet, JSON object).
 * Column headers cannot be trusted (renamed, translated, absent), so every cell is tried as
 * every kind it could be; the row is one unit, so any two fields of one record in it count.
 */

const PHONE_SHAPE = /^\+?[\d\s().-]{7,24}$/;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const MAX_NAME_CELLS = 8;

/** Excel stores dates as day numbers since 1899-12-30; a numeric cell in range may be one. */
function excelSerialDate(cell: string): string | undefined {
  if (!/^\d{4,5}(?:\.0+)?$/.test(cell)) return undefined;
  const n = Number(cell);
  if (n < 2 || n > 73050) return undefined;
  return new Date(EXCEL_EPOCH_MS + n * 86_400_000).toISOString().slice(0, 10);
}

function addNames(list: CandidateList, tokens: readonly string[], unit: number): void {
  const k = nameKey(tokens);
  if (k) list.add('name', k, unit, 0);
  if (tokens.length >= 3) {
    // Without the middle name: "Given Middle Family", and "Given Middle Van der Merwe".
    const outer = nameKey([tokens[0] as string, tokens[tokens.length - 1] as string]);
    if (outer) list.add('name', outer, unit, 0);
    const noSecond = nameKey([tokens[0] as string, ...tokens.slice(2)]);
    if (noSecond) list.add('name', noSecond, unit, 0);
  }
}

export interface RowCandidateOptions {
  countryCode?: string;
  numericDates?: boolean;
  /** Remembers the candidates of repeated cells, column by column (src/records/cell-memo.ts). */
  memo?: CellMemo;
}

/**
 * Adds the candidates of one cell to `list` (as `unit`); returns the cell's name word when the
 * cell is a single word that may be a given, middle or family name in a column of its own.
 */
function cellCandidates(raw: string, unit: number, list: CandidateList, cc: string, numericDates: boolean): string | undefined {
  const cell = raw.trim();
  if (cell.length < 2 || cell.length > 200) return undefined;
  // One pass tells the kinds a cell can be: an '@' makes it an e-mail address; without a
  // digit it can only be a name (most cells), so the number-shaped kinds are skipped.
  let digit = false;
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c === 64) {
      const e = normaliseEmail(cell);
      if (e) list.add('email', e, unit, 0);
      return undefined;
    }
    if (c >= 48 && c <= 57) digit = true;
  }
  if (!digit) {
    const tokens = nameTokens(cell);
    if (tokens.length === 1) return tokens[0] as string;
    if (tokens.length >= 2 && tokens.length <= 6) addNames(list, tokens, unit);
    return undefined;
  }
  const nhi = cell.length <= 9 ? normaliseNhi(cell) : undefined;
  if (nhi) {
    list.add('nhi', nhi, unit, 0);
    return undefined;
  }
  const dates = normaliseDate(cell, 'both');
  for (const d of dates) list.add('dob', d, unit, 0);
  if (dates.length) return undefined;
  if (numericDates) {
    const d = excelSerialDate(cell);
    if (d) list.add('dob', d, unit, 0);
  }
  if (PHONE_SHAPE.test(cell)) {
    const p = normalisePhone(cell, cc);
    if (p) list.add('phone', p, unit, 0);
    return undefined;
  }
  for (const a of normaliseAddress(cell)) list.add('address', a, unit, 0);
  return undefined;
}

/** Adds the candidates of one row (as `unit`) to `list`. */
export function rowCandidates(row: readonly string[], unit: number, list: CandidateList, options: RowCandidateOptions = {}): void {
  const cc = options.countryCode ?? '64';
  const numericDates = options.numericDates ?? false;
  const memo = options.memo;
  const singleNames: string[] = [];
  for (let c = 0; c < row.length; c++) {
    const raw = row[c] as string;
    const column = memo?.column(c);
    if (column === undefined) {
      const single = cellCandidates(raw, unit, list, cc, numericDates);
      if (single !== undefined) singleNames.push(single);
      continue;
    }
    const known = column.get(raw);
    if (known !== undefined) {
      known.replay(list, unit);
      if (known.single !== undefined) singleNames.push(known.single);
      continue;
    }
    const before = list.length;
    const single = cellCandidates(raw, unit, list, cc, numericDates);
    column.learn(raw, list, before, single);
    if (single !== undefined) singleNames.push(single);
  }
  // Given, middle and family names in columns of their own: every pair and triple of
  // one-word cells (few per row; capped so a wide table of words stays cheap).
  const names = singleNames.slice(0, MAX_NAME_CELLS);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const k = nameKey([names[i] as string, names[j] as string]);
      if (k) list.add('name', k, unit, 0);
      for (let l = j + 1; l < names.length; l++) {
        const k3 = nameKey([names[i] as string, names[j] as string, names[l] as string]);
        if (k3) list.add('name', k3, unit, 0);
      }
    }
  }
}
