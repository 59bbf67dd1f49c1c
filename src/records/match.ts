import type { CellIndexArrays } from './cell-index.js';
import { CandidateList } from './candidates.js';
import { FIELD_CODE, fieldOfCode, TEXT_WINDOW_TOKENS, type Field } from './kinds.js';
import type { RecordHasher } from './record-hash.js';

export interface LoadedRecordSet extends CellIndexArrays {
  setId: number;
  name: string;
}

/** One record of a set exposed by a sample member: which fields of it appeared together. */
export interface RecordHit {
  set: string;
  setId: number;
  rowNo: number;
  fields: Field[];
}

/**
 * A value shared by more records than this (a family's phone number, a clinic's address) is
 * still looked up, but only this many of its records are followed: it cannot single anyone
 * out, and an unbounded fan-out would let one hostile sample cost minutes.
 */
const MAX_ROWS_PER_VALUE = 256;

/**
 * Partners looked at for one candidate (values within the window of it): a row of a table or
 * a window of letter text holds a dozen; a hostile sample packing thousands of identifiers
 * into one row must not cost quadratic time.
 */
const MAX_PARTNERS = 64;

/**
 * Name + e-mail is one piece of evidence, not two: most addresses are made of the name
 * ("mere.ngata@…"), so another person of the same name with the same habit matches both.
 * Either of them with any third field counts.
 */
const NAME_EMAIL = (1 << FIELD_CODE.name) | (1 << FIELD_CODE.email);

/** Hashes are uniform over 52 bits: their top 16 bits index a directory of start positions. */
const DIR_BITS = 16;
const DIR_SHIFT = 2 ** (52 - DIR_BITS);

/**
 * Start of each top-16-bit bucket in a sorted hash array: a lookup then binary-searches a
 * bucket of ~100 entries instead of millions (a handful of cache lines, not ~23 misses).
 * Also says whether the rows of every run of equal hashes ascend (the index builder's stable
 * sort gives that), which lets a membership test binary-search a run.
 */
function directory(set: CellIndexArrays): { dir: Uint32Array; runsAscend: boolean } {
  const { hashes, rowNos } = set;
  const dir = new Uint32Array((1 << DIR_BITS) + 1);
  let runsAscend = true;
  let b = 0;
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i] as number;
    const top = Math.floor(h / DIR_SHIFT);
    while (b <= top) dir[b++] = i;
    if (i > 0 && hashes[i - 1] === h && (rowNos[i - 1] as number) > (rowNos[i] as number)) runsAscend = false;
  }
  while (b <= 1 << DIR_BITS) dir[b++] = hashes.length;
  return { dir, runsAscend };
}

function find(hashes: Float64Array, dir: Uint32Array, h: number): number {
  const top = Math.floor(h / DIR_SHIFT);
  let lo = dir[top] as number;
  let hi = dir[top + 1] as number;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((hashes[mid] as number) < h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Position of `row` with field `code` in the run [lo, hi) of equal hashes, or -1. */
function member(set: CellIndexArrays, lo: number, hi: number, row: number, code: number, ascending: boolean): number {
  const rows = set.rowNos;
  if (ascending) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((rows[mid] as number) < row) lo = mid + 1;
      else hi = mid;
    }
    hi = lo + 1;
  }
  for (; lo < hi && lo < rows.length && rows[lo] === row; lo++) if (set.fields[lo] === code) return lo;
  if (!ascending) for (; lo < hi; lo++) if (rows[lo] === row && set.fields[lo] === code) return lo;
  return -1;
}

export class RecordMatcher {
  private readonly dirs: { dir: Uint32Array; runsAscend: boolean }[];

  constructor(
    private readonly hasher: RecordHasher,
    private readonly sets: readonly LoadedRecordSet[],
  ) {
    this.dirs = sets.map((s) => directory(s));
  }

  get empty(): boolean {
    return this.sets.every((s) => s.hashes.length === 0);
  }

  /** A fresh candidate list hashing with this matcher's key. */
  candidates(): CandidateList {
    return new CandidateList(this.hasher);
  }

  /**
   * Exposed records among `list` (all from one sample member): the two-field rule. A record
   * counts when two distinct identifying fields of it (not just name + e-mail) appear
   * together — in one unit (table row) within `windowTokens` of each other.
   *
   * Found by intersecting, for each pair of nearby candidates of different fields, the runs of
   * records their values belong to (the smaller run's rows looked up in the larger run), never
   * by expanding every value to all its records: a date of birth or a common name belongs to
   * dozens of records of a million-row table, and expanding them cost most of a dump scan.
   */
  match(list: CandidateList, windowTokens = TEXT_WINDOW_TOKENS): RecordHit[] {
    const n = list.length;
    if (n === 0 || this.sets.length === 0) return [];
    const keyed = this.hasher.keyAll(list.raw.subarray(0, n));
    const out: RecordHit[] = [];
    this.sets.forEach((set, si) => {
      const { dir, runsAscend } = this.dirs[si] as { dir: Uint32Array; runsAscend: boolean };
      // The candidates whose value is in the index, in place order, with their run.
      let idx: number[] = [];
      const runLo = new Int32Array(n);
      const runHi = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const h = keyed[i] as number;
        const k = find(set.hashes, dir, h);
        if (set.hashes[k] !== h) continue;
        let e = k + 1;
        while (e < set.hashes.length && set.hashes[e] === h && e - k < MAX_ROWS_PER_VALUE) e++;
        idx.push(i);
        runLo[i] = k;
        runHi[i] = e;
      }
      idx = byPlace(list, idx);
      const masks = new Map<number, number>();
      for (let a = 0; a < idx.length; a++) {
        const ia = idx[a] as number;
        const fa = list.field[ia] as number;
        const unit = list.unit[ia] as number;
        const pos = list.pos[ia] as number;
        for (let b = a + 1, partners = 0; b < idx.length && partners < MAX_PARTNERS; b++) {
          const ib = idx[b] as number;
          if (list.unit[ib] !== unit || (list.pos[ib] as number) - pos > windowTokens) break;
          const fb = list.field[ib] as number;
          const bits = (1 << fa) | (1 << fb);
          if (fa === fb || bits === NAME_EMAIL) continue;
          partners++;
          // Rows of the smaller run looked up in the larger one.
          const aSmall = (runHi[ia] as number) - (runLo[ia] as number) <= (runHi[ib] as number) - (runLo[ib] as number);
          const s = aSmall ? ia : ib;
          const l = aSmall ? ib : ia;
          const sField = aSmall ? fa : fb;
          const lField = aSmall ? fb : fa;
          for (let k = runLo[s] as number; k < (runHi[s] as number); k++) {
            if (set.fields[k] !== sField) continue;
            const row = set.rowNos[k] as number;
            if (member(set, runLo[l] as number, runHi[l] as number, row, lField, runsAscend) < 0) continue;
            masks.set(row, (masks.get(row) ?? 0) | bits);
          }
        }
      }
      for (const [rowNo, mask] of masks) {
        const fields: Field[] = [];
        for (let f = 0; f < 8; f++) if (mask & (1 << f)) fields.push(fieldOfCode(f));
        out.push({ set: set.name, setId: set.setId, rowNo, fields });
      }
    });
    return out;
  }
}

/** Candidate indexes ordered by unit, then position (rows arrive in order; text by kind). */
function byPlace(list: CandidateList, order: number[]): number[] {
  let sorted = true;
  for (let j = 1; j < order.length && sorted; j++) {
    const x = order[j - 1] as number;
    const y = order[j] as number;
    const du = (list.unit[y] as number) - (list.unit[x] as number);
    if (du < 0 || (du === 0 && (list.pos[y] as number) < (list.pos[x] as number))) sorted = false;
  }
  if (!sorted) order.sort((x, y) => (list.unit[x] as number) - (list.unit[y] as number) || (list.pos[x] as number) - (list.pos[y] as number));
  return order;
}
