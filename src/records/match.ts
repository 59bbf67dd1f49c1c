import type { CellIndexArrays } from './cell-index.js';
import { CandidateList } from './candidates.js';
import { FIELD_CODE, fieldOfCode, MIN_FIELDS, TEXT_WINDOW_TOKENS, type Field } from './kinds.js';
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
 * Name + e-mail is one piece of evidence, not two: most addresses are made of the name
 * ("mere.ngata@…"), so another person of the same name with the same habit matches both.
 * Either of them with any third field counts.
 */
const NAME_EMAIL = (1 << FIELD_CODE.name) + (1 << FIELD_CODE.email);

interface Hit {
  field: number;
  unit: number;
  pos: number;
}

/**
 * The two-field rule: a record counts as exposed when at least MIN_FIELDS distinct identifying
 * fields of that one record appear together — in one table row (same unit), or within
 * `windowTokens` of each other in free text. Returns the fields that did.
 */
function exposedFields(hits: readonly Hit[], windowTokens: number): number {
  let mask = 0;
  for (let i = 0; i < hits.length; i++) {
    const a = hits[i] as Hit;
    for (let j = i + 1; j < hits.length; j++) {
      const b = hits[j] as Hit;
      if (a.field === b.field || a.unit !== b.unit || Math.abs(a.pos - b.pos) > windowTokens) continue;
      if ((1 << a.field) + (1 << b.field) === NAME_EMAIL) continue;
      mask |= (1 << a.field) | (1 << b.field);
    }
  }
  return mask;
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}

/** Hashes are uniform over 52 bits: their top 16 bits index a directory of start positions. */
const DIR_BITS = 16;
const DIR_SHIFT = 2 ** (52 - DIR_BITS);

/**
 * Start of each top-16-bit bucket in a sorted hash array: a lookup then binary-searches a
 * bucket of ~100 entries instead of millions (a handful of cache lines, not ~23 misses).
 */
function directory(hashes: Float64Array): Uint32Array {
  const dir = new Uint32Array((1 << DIR_BITS) + 1);
  let b = 0;
  for (let i = 0; i < hashes.length; i++) {
    const top = Math.floor((hashes[i] as number) / DIR_SHIFT);
    while (b <= top) dir[b++] = i;
  }
  while (b <= 1 << DIR_BITS) dir[b++] = hashes.length;
  return dir;
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

export class RecordMatcher {
  private readonly dirs: Uint32Array[];

  constructor(
    private readonly hasher: RecordHasher,
    private readonly sets: readonly LoadedRecordSet[],
  ) {
    this.dirs = sets.map((s) => directory(s.hashes));
  }

  get empty(): boolean {
    return this.sets.every((s) => s.hashes.length === 0);
  }

  /** A fresh candidate list hashing with this matcher's key. */
  candidates(): CandidateList {
    return new CandidateList(this.hasher);
  }

  /** Exposed records among `list` (all from one sample member). */
  match(list: CandidateList, windowTokens = TEXT_WINDOW_TOKENS): RecordHit[] {
    const n = list.length;
    if (n === 0 || this.sets.length === 0) return [];
    const keyed = this.hasher.keyAll(list.raw.subarray(0, n));
    const out: RecordHit[] = [];
    this.sets.forEach((set, si) => {
      const dir = this.dirs[si] as Uint32Array;
      const perRow = new Map<number, Hit[]>();
      for (let i = 0; i < n; i++) {
        const h = keyed[i] as number;
        const code = list.field[i] as number;
        let k = find(set.hashes, dir, h);
        for (let seen = 0; k < set.hashes.length && set.hashes[k] === h && seen < MAX_ROWS_PER_VALUE; k++, seen++) {
          // The hash covers the field, so this only guards against a stored collision.
          if (set.fields[k] !== code) continue;
          const row = set.rowNos[k] as number;
          let hits = perRow.get(row);
          if (!hits) perRow.set(row, (hits = []));
          hits.push({ field: code, unit: list.unit[i] as number, pos: list.pos[i] as number });
        }
      }
      for (const [rowNo, hits] of perRow) {
        if (hits.length < MIN_FIELDS) continue;
        const mask = exposedFields(hits.length > 64 ? hits.slice(0, 64) : hits, windowTokens);
        if (popcount(mask) < MIN_FIELDS) continue;
        const fields: Field[] = [];
        for (let f = 0; f < 8; f++) if (mask & (1 << f)) fields.push(fieldOfCode(f));
        out.push({ set: set.name, setId: set.setId, rowNo, fields });
      }
    });
    return out;
  }
}
