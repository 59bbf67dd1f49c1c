import type { CellIndexArrays } from './cell-index.js';
import { CandidateList } from './candidates.js';
import { FIELD_CODE, fieldOfCode, TEXT_WINDOW_TOKENS, type Field } from './kinds.js';
import type { RecordHasher } from './record-hash.js';
import { lookupOrder, RunIndex, type RunIndexParts } from './run-index.js';

export interface LoadedRecordSet extends CellIndexArrays {
  setId: number;
  name: string;
}

/**
 * A record set's index as built by one thread, to be used by others (RecordMatcher.shared):
 * its arrays are on SharedArrayBuffers, so posting it to a worker shares them.
 */
export interface SharedRecordSet {
  setId: number;
  name: string;
  index: RunIndexParts;
}

/** One record of a set exposed by a sample member: which fields of it appeared together. */
export interface RecordHit {
  set: string;
  setId: number;
  rowNo: number;
  fields: Field[];
}

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

export class RecordMatcher {
  private readonly indexes: { setId: number; name: string; index: RunIndex }[];

  constructor(
    private readonly hasher: RecordHasher,
    sets: readonly (LoadedRecordSet | SharedRecordSet)[],
  ) {
    // Only the run layout is kept: the loaded row and field arrays can go.
    this.indexes = sets.map((s) => ({ setId: s.setId, name: s.name, index: new RunIndex('index' in s ? s.index : s) }));
  }

  /**
   * This matcher's indexes, for matchers on other threads (post it to a worker, then
   * `sharedRecordMatcher` there): one copy in memory however many threads scan.
   */
  shared(): SharedRecordSet[] {
    return this.indexes.map((s) => ({ setId: s.setId, name: s.name, index: s.index.parts }));
  }

  get empty(): boolean {
    return this.indexes.every((s) => s.index.size === 0);
  }

  /** A fresh candidate list hashing with this matcher's key. */
  candidates(): CandidateList {
    return new CandidateList(this.hasher);
  }

  /**
   * For raw (first-step) hashes of candidate values, 1 where some record set's index holds the
   * value: what the cell memo keeps (src/records/cell-memo.ts). A value no index holds can never
   * be part of a match.
   */
  present(raws: Float64Array): Uint8Array {
    const n = raws.length;
    const out = new Uint8Array(n);
    if (n === 0) return out;
    const keyed = this.hasher.keyAll(raws);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const runLo = new Int32Array(n);
    const runHi = new Int32Array(n);
    for (const { index } of this.indexes) {
      index.runs(keyed, order, runLo, runHi);
      for (let i = 0; i < n; i++) if ((runLo[i] as number) >= 0) out[i] = 1;
    }
    return out;
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
    if (n === 0 || this.indexes.length === 0) return [];
    const keyed = this.hasher.keyAll(list.raw.subarray(0, n));
    const order = lookupOrder(keyed);
    const out: RecordHit[] = [];
    const runLo = new Int32Array(n);
    const runHi = new Int32Array(n);
    for (const { setId, name, index } of this.indexes) {
      index.runs(keyed, order, runLo, runHi);
      // The candidates whose value is in the index, in place order.
      let idx: number[] = [];
      for (let i = 0; i < n; i++) if ((runLo[i] as number) >= 0) idx.push(i);
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
          index.intersect(runLo[s] as number, runHi[s] as number, sField, runLo[l] as number, runHi[l] as number, lField, bits, masks);
        }
      }
      for (const [rowNo, mask] of masks) {
        const fields: Field[] = [];
        for (let f = 0; f < 8; f++) if (mask & (1 << f)) fields.push(fieldOfCode(f));
        out.push({ set: name, setId, rowNo, fields });
      }
    }
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
  if (sorted) return order;
  // Sorted as numbers (unit, position and index packed in one double, ties kept in index
  // order as the stable comparator sort kept them): a comparator call per comparison was a
  // visible share of a text scan, whose candidates arrive kind by kind.
  let minUnit = Infinity;
  let maxUnit = -Infinity;
  let maxPos = 0;
  let maxIdx = 0;
  for (const i of order) {
    const u = list.unit[i] as number;
    if (u < minUnit) minUnit = u;
    if (u > maxUnit) maxUnit = u;
    maxPos = Math.max(maxPos, list.pos[i] as number);
    maxIdx = Math.max(maxIdx, i);
  }
  const idxSpan = maxIdx + 1;
  const posSpan = (maxPos + 1) * idxSpan;
  if ((maxUnit - minUnit + 1) * posSpan > Number.MAX_SAFE_INTEGER) {
    return order.sort((x, y) => (list.unit[x] as number) - (list.unit[y] as number) || (list.pos[x] as number) - (list.pos[y] as number));
  }
  const keys = new Float64Array(order.length);
  for (let j = 0; j < order.length; j++) {
    const i = order[j] as number;
    keys[j] = ((list.unit[i] as number) - minUnit) * posSpan + (list.pos[i] as number) * idxSpan + i;
  }
  keys.sort();
  for (let j = 0; j < keys.length; j++) order[j] = (keys[j] as number) % idxSpan;
  return order;
}
