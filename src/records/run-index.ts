import type { CellIndexArrays } from './cell-index.js';
import { ValueFilter } from './value-filter.js';

/**
 * A record set's cell index laid out for scanning: the sorted keyed hashes, a directory of
 * their top bits, and each cell's row and field packed into one 32-bit word (row × 8 + field),
 * so a run of records holding a value is one stretch of one array. Run intersections (the
 * two-field rule, src/records/match.ts) read only those words: two arrays (rows, fields) were
 * two cache misses where one will do, and a million-row index is far beyond the caches.
 */

/**
 * A value shared by more records than this (a family's phone number, a clinic's address) is
 * still looked up, but only this many of its records are followed: it cannot single anyone
 * out, and an unbounded fan-out would let one hostile sample cost minutes.
 */
const MAX_ROWS_PER_VALUE = 256;

/**
 * Hashes are uniform over 52 bits: their top bits index a directory of start positions, sized
 * so a bucket holds ~4–8 entries (at most 20 bits, 4 MB: a million-row index). A lookup then
 * reads one or two cache lines of the index, where a fixed 16 bits left ~90 entries and a
 * binary search over ~5 lines.
 */
const MAX_DIR_BITS = 20;
/** Candidates are looked up in order of their top bits, so the index is read front to back. */
const ORDER_BITS = 16;
const ORDER_SHIFT = 2 ** (52 - ORDER_BITS);
/** Field codes take the low 3 bits of a packed cell. */
const FIELD_BITS = 3;
const FIELD_MASK = (1 << FIELD_BITS) - 1;
export const MAX_ROWS = 2 ** (31 - FIELD_BITS);

/**
 * The arrays of a RunIndex, each on a SharedArrayBuffer: posted to a worker thread they are
 * shared, not copied, so the scanning threads of one process read one ~70 MB index. A copy
 * each was twice the memory, and each thread spent 0.5–2 s loading and laying out its own.
 */
export interface RunIndexParts {
  hashes: Float64Array;
  cells: Int32Array;
  dir: Uint32Array;
  /** The words of its ValueFilter. */
  filter: Uint32Array;
}

/** `a`, or a copy of it on a SharedArrayBuffer when it is not on one. */
function onShared(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

export class RunIndex {
  readonly hashes: Float64Array;
  /** row × 8 + field of each cell; within a run of equal hashes, ascending. */
  readonly cells: Int32Array;
  private readonly dir: Uint32Array;
  /** Asked first: most values not in the index stop here (src/records/value-filter.ts). */
  private readonly filter: ValueFilter;
  /** 2 ** (52 - directory bits): a hash divided by it is its bucket. */
  private readonly shift: number;

  /** From a loaded index (building the layout), or from another thread's `parts` (sharing it). */
  constructor(index: CellIndexArrays | RunIndexParts) {
    if ('cells' in index) {
      ({ hashes: this.hashes, cells: this.cells, dir: this.dir } = index);
      this.filter = new ValueFilter(index.filter);
      this.shift = 2 ** (52 - Math.log2(this.dir.length - 1));
      return;
    }
    const { rowNos, fields } = index;
    const hashes = onShared(index.hashes);
    const n = hashes.length;
    this.hashes = hashes;
    const cells = new Int32Array(new SharedArrayBuffer(n * 4));
    for (let i = 0; i < n; i++) {
      const row = rowNos[i] as number;
      if (row < 0 || row >= MAX_ROWS) throw new RangeError(`record row number ${row} is out of range (a set holds at most ${MAX_ROWS} rows)`);
      cells[i] = row * (FIELD_MASK + 1) + (fields[i] as number);
    }
    const bits = Math.max(8, Math.min(MAX_DIR_BITS, Math.ceil(Math.log2(Math.max(1, n / 4)))));
    this.shift = 2 ** (52 - bits);
    this.dir = new Uint32Array(new SharedArrayBuffer(((1 << bits) + 1) * 4));
    let b = 0;
    let runStart = 0;
    let ascending = true;
    for (let i = 0; i < n; i++) {
      const h = hashes[i] as number;
      const top = Math.floor(h / this.shift);
      while (b <= top) this.dir[b++] = i;
      if (i > 0 && hashes[i - 1] !== h) {
        if (!ascending) cells.subarray(runStart, i).sort();
        runStart = i;
        ascending = true;
      } else if (i > 0 && (cells[i - 1] as number) > (cells[i] as number)) ascending = false;
    }
    // The index builder's stable sort keeps runs in row order; sorted here if they are not.
    if (!ascending) cells.subarray(runStart, n).sort();
    while (b <= 1 << bits) this.dir[b++] = n;
    this.cells = cells;
    this.filter = ValueFilter.build(hashes);
  }

  /** What another thread needs to use this index (`new RunIndex(parts)`) without a copy. */
  get parts(): RunIndexParts {
    return { hashes: this.hashes, cells: this.cells, dir: this.dir, filter: this.filter.words };
  }

  get size(): number {
    return this.hashes.length;
  }

  /**
   * The run [runLo, runHi) of each keyed hash (runLo -1: not in the index), capped at
   * MAX_ROWS_PER_VALUE records. Looked up in `order` (lookupOrder), front to back.
   */
  runs(keyed: Float64Array, order: Uint32Array, runLo: Int32Array, runHi: Int32Array): void {
    const hashes = this.hashes;
    const n = hashes.length;
    const filter = this.filter;
    for (let j = 0; j < order.length; j++) {
      const i = order[j] as number;
      const h = keyed[i] as number;
      if (!filter.has(h)) {
        runLo[i] = -1;
        continue;
      }
      const top = Math.floor(h / this.shift);
      let lo = this.dir[top] as number;
      let hi = this.dir[top + 1] as number;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((hashes[mid] as number) < h) lo = mid + 1;
        else hi = mid;
      }
      if (hashes[lo] !== h) {
        runLo[i] = -1;
        continue;
      }
      // The run's end, galloping: a date of birth's run is ~30 cells and a common name's
      // hundreds; stepping through them cell by cell was about a third of the lookup time.
      const cap = Math.min(n, lo + MAX_ROWS_PER_VALUE);
      let inRun = lo;
      let step = 1;
      let past = lo + 1;
      while (past < cap && hashes[past] === h) {
        inRun = past;
        step *= 2;
        past = inRun + step;
      }
      if (past > cap) past = cap;
      // hashes[inRun] === h; the end is in (inRun, past].
      let a = inRun + 1;
      while (a < past) {
        const mid = (a + past) >>> 1;
        if (hashes[mid] === h) a = mid + 1;
        else past = mid;
      }
      runLo[i] = lo;
      runHi[i] = a;
    }
  }

  /**
   * Adds `bits` to the mask of each row in both runs [sLo, sHi) (field sField) and [lLo, lHi)
   * (field lField): one forward pass over the larger run, galloping to each row of the smaller one.
   * A pair of runs is intersected for every two nearby candidates (millions in a dump); a
   * binary search of the whole larger run per row was most of that.
   */
  intersect(sLo: number, sHi: number, sField: number, lLo: number, lHi: number, lField: number, bits: number, masks: Map<number, number>): void {
    const cells = this.cells;
    let j = lLo;
    for (let k = sLo; k < sHi && j < lHi; k++) {
      const sc = cells[k] as number;
      if ((sc & FIELD_MASK) !== sField) continue;
      // The first cell of this row in the larger run: any field sorts at or after row × 8.
      const first = sc - sField;
      if ((cells[j] as number) < first) {
        // Gallop: cells[lo] < first, then find the first cell at or past it.
        let lo = j;
        let step = 1;
        let hi = j + 1;
        while (hi < lHi && (cells[hi] as number) < first) {
          lo = hi;
          step *= 2;
          hi = lo + step;
        }
        if (hi > lHi) hi = lHi;
        lo++;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((cells[mid] as number) < first) lo = mid + 1;
          else hi = mid;
        }
        j = lo;
      }
      const want = first + lField;
      for (let t = j; t < lHi && (cells[t] as number) <= first + FIELD_MASK; t++) {
        if (cells[t] === want) {
          const row = first >>> FIELD_BITS;
          masks.set(row, (masks.get(row) ?? 0) | bits);
          break;
        }
      }
    }
  }
}

/**
 * The candidates ordered by the top bits of their hash (a counting sort): looking them up in
 * that order reads the index front to back instead of at random, which made lookups several
 * times faster (an index of a million rows is ~70 MB, far beyond the caches).
 */
export function lookupOrder(keyed: Float64Array): Uint32Array {
  const n = keyed.length;
  const count = new Uint32Array((1 << ORDER_BITS) + 1);
  const tops = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.floor((keyed[i] as number) / ORDER_SHIFT);
    tops[i] = t;
    count[t + 1] = (count[t + 1] as number) + 1;
  }
  for (let b = 0; b < 1 << ORDER_BITS; b++) count[b + 1] = (count[b + 1] as number) + (count[b] as number);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const t = tops[i] as number;
    order[count[t] as number] = i;
    count[t] = (count[t] as number) + 1;
  }
  return order;
}
