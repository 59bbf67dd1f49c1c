import { FatalError } from '../errors.js';
import type { FingerprintStore } from './fingerprint-store.js';

/**
 * SQL of the record-level fingerprints (Exact Data Matching), in the fingerprint database.
 * What is stored, and why, is in docs/records.md: keyed cell hashes, the victim's opaque
 * record keys and practice labels — never a name, date, number or address.
 */

export interface RecordSetInfo {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  schema: unknown;
  sources: string[];
  rows: number;
  cells: number;
  rejected: number;
  hasPractice: boolean;
}

/** A set's cell index: hashes ascending, with parallel row numbers and field codes. */
export interface StoredRecordIndex {
  setId: number;
  name: string;
  hashes: Float64Array;
  rowNos: Int32Array;
  fields: Uint8Array;
}

export interface RecordRowInfo {
  rowNo: number;
  recordKey: string;
  practice: string | null;
}

const INDEX_CHUNK = 1 << 20;

/**
 * Writes one record set, replacing any set of that name, in ONE transaction held open while
 * the table streams in: an interrupted run leaves the previous version of the set intact.
 */
export class RecordSetWriter {
  private readonly setId: number;
  private readonly insertRow;
  private open = true;

  constructor(
    private readonly store: FingerprintStore,
    name: string,
    schema: unknown,
    sources: readonly string[],
    now: string,
  ) {
    const db = store.db;
    db.exec('BEGIN IMMEDIATE');
    try {
      const old = db.prepare('SELECT id, created_at FROM record_sets WHERE name = ?').get(name) as { id: number; created_at: string } | undefined;
      if (old) db.prepare('DELETE FROM record_sets WHERE id = ?').run(old.id);
      this.setId = Number(
        db
          .prepare('INSERT INTO record_sets (name, created_at, updated_at, schema, sources, rows, cells, rejected, has_practice) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0)')
          .run(name, old?.created_at ?? now, now, JSON.stringify(schema), JSON.stringify(sources)).lastInsertRowid,
      );
      this.insertRow = db.prepare('INSERT INTO record_rows (set_id, row_no, record_key, practice, fields) VALUES (?, ?, ?, ?, ?)');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new FatalError('E_STORE', `cannot start record set ${name}: ${(err as Error).message}`, { cause: err });
    }
  }

  addRow(rowNo: number, recordKey: string, practice: string | undefined, fields: number): void {
    this.insertRow.run(this.setId, rowNo, recordKey, practice ?? null, fields);
  }

  /** Stores the sorted index and the totals, and commits. */
  finish(index: { hashes: Float64Array; rowNos: Int32Array; fields: Uint8Array }, totals: { rows: number; rejected: number; hasPractice: boolean }): void {
    const db = this.store.db;
    const put = db.prepare('INSERT INTO record_index (set_id, chunk, hashes, row_nos, fields) VALUES (?, ?, ?, ?, ?)');
    const n = index.hashes.length;
    for (let start = 0, chunk = 0; start < n; start += INDEX_CHUNK, chunk++) {
      const end = Math.min(n, start + INDEX_CHUNK);
      const bytes = (a: Float64Array | Int32Array | Uint8Array): Buffer => {
        const s = a.subarray(start, end);
        return Buffer.from(s.buffer, s.byteOffset, s.byteLength);
      };
      put.run(this.setId, chunk, bytes(index.hashes), bytes(index.rowNos), bytes(index.fields));
    }
    db.prepare('UPDATE record_sets SET rows = ?, cells = ?, rejected = ?, has_practice = ? WHERE id = ?').run(totals.rows, n, totals.rejected, totals.hasPractice ? 1 : 0, this.setId);
    db.exec('COMMIT');
    this.open = false;
  }

  /** Rolls back everything written since the constructor. */
  abort(): void {
    if (this.open && this.store.db.inTransaction) this.store.db.exec('ROLLBACK');
    this.open = false;
  }
}

interface SetRow {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  schema: string;
  sources: string;
  rows: number;
  cells: number;
  rejected: number;
  has_practice: number;
}

function toInfo(r: SetRow): RecordSetInfo {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    schema: JSON.parse(r.schema) as unknown,
    sources: JSON.parse(r.sources) as string[],
    rows: r.rows,
    cells: r.cells,
    rejected: r.rejected,
    hasPractice: r.has_practice === 1,
  };
}

export function listRecordSets(store: FingerprintStore): RecordSetInfo[] {
  return (store.db.prepare('SELECT * FROM record_sets ORDER BY name').all() as SetRow[]).map(toInfo);
}

/** Record sets by name (all when none given); an unknown name is an error. */
export function resolveRecordSets(store: FingerprintStore, names?: readonly string[]): RecordSetInfo[] {
  const all = listRecordSets(store);
  if (!names || names.length === 0) return all;
  const missing = names.filter((n) => !all.some((s) => s.name === n));
  if (missing.length) throw new FatalError('E_USAGE', `unknown record set${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (known: ${all.map((s) => s.name).join(', ') || 'none'})`);
  return all.filter((s) => names.includes(s.name));
}

export function removeRecordSet(store: FingerprintStore, name: string): boolean {
  return store.db.prepare('DELETE FROM record_sets WHERE name = ?').run(name).changes > 0;
}

/** The whole cell index of a set, as typed arrays (copied out of SQLite's buffers). */
export function loadRecordIndex(store: FingerprintStore, set: RecordSetInfo): StoredRecordIndex {
  const chunks = store.db.prepare('SELECT hashes, row_nos, fields FROM record_index WHERE set_id = ? ORDER BY chunk').all(set.id) as {
    hashes: Buffer;
    row_nos: Buffer;
    fields: Buffer;
  }[];
  const n = chunks.reduce((s, c) => s + c.fields.length, 0);
  const hashes = new Float64Array(n);
  const rowNos = new Int32Array(n);
  const fields = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    const len = c.fields.length;
    if (c.hashes.length !== len * 8 || c.row_nos.length !== len * 4) throw new FatalError('E_STORE', `record index of set ${set.name} is damaged (chunk sizes disagree)`);
    new Uint8Array(hashes.buffer, at * 8, len * 8).set(c.hashes);
    new Uint8Array(rowNos.buffer, at * 4, len * 4).set(c.row_nos);
    fields.set(c.fields, at);
    at += len;
  }
  return { setId: set.id, name: set.name, hashes, rowNos, fields };
}

/** Record keys and practices of some rows of a set. */
export function recordRows(store: FingerprintStore, setId: number, rowNos: readonly number[]): RecordRowInfo[] {
  const get = store.stmt('SELECT row_no, record_key, practice FROM record_rows WHERE set_id = ? AND row_no = ?');
  const out: RecordRowInfo[] = [];
  for (const no of rowNos) {
    const r = get.get(setId, no) as { row_no: number; record_key: string; practice: string | null } | undefined;
    if (r) out.push({ rowNo: r.row_no, recordKey: r.record_key, practice: r.practice });
  }
  return out;
}
