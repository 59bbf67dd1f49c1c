import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError, isAbort, throwIfAborted } from '../errors.js';
import type { FingerprintStore } from '../store/fingerprint-store.js';
import { RecordSetWriter } from '../store/record-store.js';
import { CellIndexBuilder } from './cell-index.js';
import { CsvParser } from './csv.js';
import { FIELD_CODE } from './kinds.js';
import { RecordHasher } from './record-hash.js';
import { VictimRowReader } from './row-values.js';
import type { RecordSchema } from './schema.js';

export interface RecordIngestOptions {
  store: FingerprintStore;
  setName: string;
  schema: RecordSchema;
  /** CSV/TSV files of the patient table, each with a header row. */
  files: readonly string[];
  signal?: AbortSignal;
  now?: () => Date;
}

export interface RecordIngestSummary {
  set: string;
  files: number;
  rows: number;
  /** Rows without a record key: nothing to name them by, so not stored. */
  rowsWithoutKey: number;
  cells: number;
  /** Identifying cells not valid for their kind (e.g. an NHI failing its check): not stored. */
  rejectedCells: number;
  practices: number;
  elapsedMs: number;
}

const BATCH = 1 << 16;

/**
 * `fingerprint records`: streams the victim's patient table(s), normalises each identifying
 * cell by its kind, keys and hashes it, and stores the sorted cell index plus each row's record
 * key and practice. The set is replaced as a whole, in one transaction.
 */
export async function fingerprintRecords(o: RecordIngestOptions): Promise<RecordIngestSummary> {
  const started = Date.now();
  const now = o.now ?? (() => new Date());
  const hasher = new RecordHasher(o.store.keys);
  const builder = new CellIndexBuilder();
  const writer = new RecordSetWriter(o.store, o.setName, o.schema, o.files.map((f) => basename(f)), now().toISOString());
  const raw = new Float64Array(BATCH);
  const rowNos = new Int32Array(BATCH);
  const fields = new Uint8Array(BATCH);
  let pending = 0;
  const flush = (): void => {
    if (pending === 0) return;
    builder.add(hasher.keyAll(raw.subarray(0, pending)), rowNos.subarray(0, pending), fields.subarray(0, pending));
    pending = 0;
  };
  let rows = 0;
  let withoutKey = 0;
  let rejected = 0;
  const practices = new Set<string>();
  try {
    for (const file of o.files) {
      const delimiter = o.schema.delimiter ?? (extname(file).toLowerCase() === '.tsv' ? '\t' : ',');
      const parser = new CsvParser(delimiter);
      let reader: VictimRowReader | undefined;
      const take = (batch: string[][]): void => {
        for (const row of batch) {
          if (!reader) {
            reader = new VictimRowReader(o.schema, row, file);
            continue;
          }
          if (row.length === 1 && row[0] === '') continue;
          const r = reader.read(row);
          if (!r) {
            withoutKey++;
            continue;
          }
          const rowNo = rows++;
          rejected += r.rejected;
          let mask = 0;
          for (const v of r.values) {
            if (pending === BATCH) flush();
            const code = FIELD_CODE[v.field];
            raw[pending] = hasher.raw(v.field, v.value);
            rowNos[pending] = rowNo;
            fields[pending] = code;
            pending++;
            mask |= 1 << code;
          }
          if (r.practice) practices.add(r.practice);
          writer.addRow(rowNo, r.recordKey, r.practice, mask);
        }
      };
      try {
        const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
        for await (const chunk of stream) {
          throwIfAborted(o.signal, file);
          take(parser.push(chunk as string));
        }
        take(parser.end());
      } catch (err) {
        if (isAbort(err) || err instanceof InputError) throw err;
        const e = err as NodeJS.ErrnoException;
        throw new InputError(e.code === 'ENOENT' ? 'E_INPUT_NOT_FOUND' : 'E_INPUT_UNREADABLE', `cannot read ${file}: ${e.message}`, { input: file, cause: err });
      }
      if (!reader) throw new InputError('E_CORRUPT_FILE', `${file} is empty (no header row)`, { input: file });
    }
    flush();
    const index = builder.sorted();
    writer.finish(index, { rows, rejected, hasPractice: practices.size > 0 });
    return { set: o.setName, files: o.files.length, rows, rowsWithoutKey: withoutKey, cells: index.hashes.length, rejectedCells: rejected, practices: practices.size, elapsedMs: Date.now() - started };
  } catch (err) {
    writer.abort();
    throw err;
  }
}
