import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fingerprintRecords, loadRecordSchema, nameExposures, openRecordMatcher, type NamedExposure, type OcrText } from '../../records/index.js';
import { walkInputs } from '../../extract/index.js';
import { scanRecordsInParallel, type RecordScanJob } from '../../ingest/record-scan-pool.js';
import type { FingerprintStore } from '../../store/fingerprint-store.js';
import { listRecordSets } from '../../store/record-store.js';
import type { CliIO } from '../io.js';
import type { RegisterCommand } from '../context.js';
import { addStoreOptions, openStore, type StoreOptions } from '../store-options.js';
import { json, table } from '../table.js';

/**
 * `leakwatch fingerprint records`: the victim's patient table into a record set (keyed cell
 * hashes; docs/records.md). Registered as a subcommand of `fingerprint`, after it.
 */
export const registerRecords: RegisterCommand = (program, ctx) => {
  const { io } = ctx;
  const fp = program.commands.find((c) => c.name() === 'fingerprint') ?? program.command('fingerprint');
  addStoreOptions(
    fp
      .command('records')
      .description('fingerprint a patient table (CSV/TSV) record by record: keyed cell hashes, never the values')
      .requiredOption('--set <name>', 'record set to create or replace')
      .requiredOption('--schema <file>', 'YAML or JSON file naming each column\'s kind (docs/records.md)')
      .option('--json', 'print the summary as JSON')
      .argument('<table...>', 'CSV or TSV files with a header row'),
  ).action(async (tables: string[], o: StoreOptions & { set: string; schema: string; json?: boolean }) => {
    const schema = loadRecordSchema(resolve(io.cwd, o.schema));
    const store = openStore(io, o, true);
    try {
      const s = await fingerprintRecords({ store, setName: o.set, schema, files: tables.map((t) => resolve(io.cwd, t)), ...(io.signal ? { signal: io.signal } : {}) });
      if (o.json) io.out(json(s));
      else {
        const secs = s.elapsedMs / 1000;
        io.out(
          `Done: record set "${s.set}" — ${s.rows} records from ${s.files} table${s.files === 1 ? '' : 's'}, ${s.cells} keyed cells` +
            (s.practices ? `, ${s.practices} practices` : '') +
            ` in ${secs.toFixed(1)} s${secs > 0 ? ` (${Math.round(s.rows / secs)} rows/s)` : ''}` +
            (s.rejectedCells ? `; ${s.rejectedCells} cells not valid for their kind (not stored)` : '') +
            (s.rowsWithoutKey ? `; ${s.rowsWithoutKey} rows without a record key skipped` : '') +
            '\n',
        );
      }
    } finally {
      store.close();
    }
  });
};

/**
 * For `match`: the records the inputs expose, when the store has record sets. `ocrTexts` is
 * what the document scan read by OCR (pictures are not OCRed a second time).
 */
export async function matchRecords(io: CliIO, store: FingerprintStore, paths: readonly string[], ocrTexts: readonly OcrText[] = []): Promise<{ exposures: NamedExposure[]; failures: { path: string; message: string; code: string }[] } | undefined> {
  if (listRecordSets(store).length === 0) return undefined;
  const matcher = openRecordMatcher(store);
  const jobs: RecordScanJob[] = [];
  for await (const f of walkInputs(paths.map((p) => resolve(io.cwd, p)), { ...(io.signal ? { signal: io.signal } : {}) })) {
    if (!('absPath' in f)) continue;
    const mine = ocrTexts.filter((t) => t.path === f.displayPath || t.path.startsWith(`${f.displayPath}!/`));
    jobs.push({ absPath: f.absPath, displayPath: f.displayPath, ...(mine.length ? { ocrTexts: mine } : {}) });
  }
  // Several files: one thread per core, sharing the one index loaded here. One file: here.
  const results = await scanRecordsInParallel(jobs, { keys: store.keys, sets: matcher.shared(), threads: availableParallelism(), fallback: matcher, ...(io.signal ? { signal: io.signal } : {}) });
  const exposures = results.flatMap((r) => r.exposures);
  const failures = results.flatMap((r) => r.failures.filter((x) => x.message.startsWith('records not read')));
  return { exposures: nameExposures(store, exposures), failures };
}

export function printRecordExposures(io: CliIO, exposures: readonly NamedExposure[]): void {
  if (exposures.length === 0) return;
  io.out(table(['sample', 'record set', 'record key', 'fields exposed', 'read as'], exposures.map((e) => [e.memberPath, e.set, e.recordKey, e.fields.join('+'), e.reader])));
  const people = new Set(exposures.map((e) => `${e.set}\u0000${e.recordKey}`)).size;
  io.out(`${people} record${people === 1 ? '' : 's'} exposed (two or more identifying fields of one record together)\n`);
}
