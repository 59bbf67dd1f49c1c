import type { CandidateList } from './candidates.js';

/**
 * What the cells of a leaked table's repetitive columns give, remembered column by column.
 *
 * Real tables have columns of few distinct values (practice, city, doctor, sex, status) beside
 * the identifying ones; each of their cells was normalised, hashed and looked up on every row,
 * and a clinic name ("Wainuiomata Primary Care") is three name candidates that never match: in
 * the benchmark's CSV that column alone was 30–40 % of the scan. A repeated cell is now taken
 * from here, and only with the candidates the record indexes hold (a value in no index can
 * never be part of a match, so dropping it changes no result).
 *
 * Whether a column repeats is measured, not guessed from its header: a column is remembered
 * while its cells mostly repeat; one whose cells are mostly new (names of people, numbers,
 * addresses) is dropped after PROBATION_CELLS and costs nothing more.
 */

/** Distinct cells remembered per column (a column with more is not repetitive). */
const MAX_VALUES = 512;
/** Cells looked at before a column's hit rate decides whether it stays. */
const PROBATION_CELLS = 2048;
/** A column stays remembered while at least this share of its cells were repeats. */
const MIN_HIT_RATE = 0.5;

/** A remembered cell: its single name word (if any) and the candidates that can match. */
export class KnownCell {
  constructor(
    readonly single: string | undefined,
    private readonly fields: Uint8Array,
    private readonly raws: Float64Array,
  ) {}

  replay(list: CandidateList, unit: number): void {
    for (let k = 0; k < this.raws.length; k++) list.addRaw(this.fields[k] as number, this.raws[k] as number, unit, 0);
  }
}

export class ColumnMemo {
  private readonly cells = new Map<string, KnownCell>();
  private seen = 0;
  private hits = 0;
  /** Set when the column proved not repetitive: the memo stops asking it. */
  dropped = false;

  constructor(private readonly present: (raws: Float64Array) => Uint8Array) {}

  get(cell: string): KnownCell | undefined {
    this.seen++;
    const known = this.cells.get(cell);
    if (known !== undefined) this.hits++;
    else if (this.seen >= PROBATION_CELLS && this.hits < this.seen * MIN_HIT_RATE) {
      this.dropped = true;
      this.cells.clear();
    }
    return known;
  }

  /**
   * Remembers `cell`, whose candidates are those `list` holds from `before` on, and keeps in
   * `list` only those an index holds (exactly what replaying it later adds).
   */
  learn(cell: string, list: CandidateList, before: number, single: string | undefined): void {
    if (this.dropped || this.cells.size >= MAX_VALUES) return;
    if (list.length > before) list.keepWhere(before, this.present(list.raw.slice(before, list.length)));
    this.cells.set(cell, new KnownCell(single, list.field.slice(before, list.length), list.raw.slice(before, list.length)));
  }
}

/** The column memos of one table (one per column position). */
export class CellMemo {
  private readonly columns: ColumnMemo[] = [];

  /** `present`: for raw (unkeyed-step) hashes, 1 where a record index holds the value. */
  constructor(private readonly present: (raws: Float64Array) => Uint8Array) {}

  /** The memo of column `c`, or undefined once that column proved not repetitive. */
  column(c: number): ColumnMemo | undefined {
    while (this.columns.length <= c) this.columns.push(new ColumnMemo(this.present));
    const m = this.columns[c] as ColumnMemo;
    return m.dropped ? undefined : m;
  }
}
