import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORD_SCAN_HEAP_MB, scanRecordsInParallel } from '../src/ingest/record-scan-pool.js';
import { CsvParser, exposureLevel, fingerprintRecords, loadRecordSchema, openRecordMatcher } from '../src/records/index.js';
import { FingerprintStore } from '../src/store/fingerprint-store.js';
import { dmy, formatAddress, makePatient, PATIENT_TABLE_SCHEMA_YAML, patientRow, tablePatient, writePatientTable, type Patient } from '../src/synth/index.js';
import { tempStore } from '../test/helpers/store.js';
import { coresText, cpuWindow } from './lib/machine.js';
import { fmt, markdownTable, rssMb } from './lib/report.js';

/**
 * Benchmark: record-level fingerprints (Exact Data Matching, docs/records.md).
 *  (a) baseline: the streaming CSV parser alone over the patient table (the I/O + parse floor);
 *  (b) `fingerprint records` of a synthetic patient table (default 1M rows): rows/s, peak RSS;
 *  (c) a mixed dump (default 1 GiB of CSV, SQL INSERT, JSON and letter-style text files, about
 *      half of its people from the table) scanned on worker threads (one per core): MB/s, peak
 *      RSS, and recall / false matches against the answer key.
 */
export interface RecordsBenchOptions {
  rows: number;
  dumpMb: number;
  workers?: number;
  /** Heap cap of each scanning thread (default: production's, RECORD_SCAN_HEAP_MB). */
  workerHeapMb?: number;
  log?: (line: string) => void;
}

const SEED = 5;
const POOL = 20_000;
export const FILE_MB = 32;

/** Samples RSS every 50 ms while `fn` runs; returns its result and the peak (MB). */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = rssMb();
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb());
  }, 50);
  try {
    const value = await fn();
    peak = Math.max(peak, rssMb());
    return { value, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

async function parseOnly(file: string): Promise<number> {
  const p = new CsvParser();
  let rows = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) rows += p.push(chunk as string).length;
  return rows + p.end().length;
}

export type Entry = { p: Patient; victimRow?: number };

function sqlQuote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function letter(p: Patient): string {
  return `Dear ${p.givenName} ${p.familyName},\nYour appointment (NHI ${p.nhi}, born ${dmy(p.dateOfBirth)}) is confirmed. We will call ${p.phone}.\nKind regards, the practice team.\n\n`;
}

/** One dump file of `kind`, ~FILE_MB, cycling through the pool from `offset`; returns the victim rows it holds. */
export function dumpFile(path: string, kind: string, pool: readonly Entry[], offset: number, fileMb = FILE_MB): Set<number> {
  const parts: string[] = [];
  const rows = new Set<number>();
  let bytes = 0;
  let i = offset;
  const target = fileMb * 1024 * 1024;
  if (kind === 'csv') parts.push('id,nhi,first,middle,last,dob,email,phone,address,practice\n');
  if (kind === 'sql') parts.push('CREATE TABLE patients (id int, nhi varchar(7), name text, dob date, email text, phone text, address text);\n');
  if (kind === 'json') parts.push('[');
  while (bytes < target) {
    const e = pool[i % pool.length] as Entry;
    i++;
    if (e.victimRow !== undefined) rows.add(e.victimRow);
    const p = e.p;
    let s: string;
    if (kind === 'csv') s = patientRow(p).map((v) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',') + '\n';
    else if (kind === 'sql') {
      s = `INSERT INTO patients VALUES (${i}, ${sqlQuote(p.nhi)}, ${sqlQuote(p.fullName)}, '${p.dateOfBirth}', ${sqlQuote(p.email)}, ${sqlQuote(p.phone)}, ${sqlQuote(formatAddress(p.address))});\n`;
    } else if (kind === 'json') s = `${bytes > 1 ? ',' : ''}${JSON.stringify({ id: i, patient: { nhi: p.nhi, name: { given: p.givenName, family: p.familyName } }, born: p.dateOfBirth, contact: { email: p.email, phone: p.phone } })}\n`;
    else s = letter(p);
    parts.push(s);
    bytes += s.length;
  }
  if (kind === 'json') parts.push(']');
  writeFileSync(path, parts.join(''));
  return rows;
}

export async function recordsBench(o: RecordsBenchOptions): Promise<{ markdown: string }> {
  const log = o.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-records-'));
  try {
    log(`records: generating a ${o.rows.toLocaleString('en')}-row patient table…`);
    const table = join(dir, 'patients.csv');
    await writePatientTable(table, SEED, o.rows);
    const tableMb = statSync(table).size / 1024 / 1024;
    writeFileSync(join(dir, 'schema.yaml'), PATIENT_TABLE_SCHEMA_YAML);

    log('records: baseline CSV parse…');
    const t0 = performance.now();
    const parsed = await parseOnly(table);
    const parseS = (performance.now() - t0) / 1000;

    log('records: fingerprint records…');
    const store = tempStore(dir);
    const cpu1 = cpuWindow();
    const ingest = await withPeakRss(() => fingerprintRecords({ store, setName: 'patients', schema: loadRecordSchema(join(dir, 'schema.yaml')), files: [table] }));
    const ingestCpu = cpu1();
    store.close();
    const ingestS = ingest.value.elapsedMs / 1000;

    log(`records: generating a ${o.dumpMb} MB mixed dump…`);
    const pool: Entry[] = [];
    const victims = Math.min(POOL / 2, o.rows);
    for (let k = 0; k < POOL; k++) {
      // Half the pool are people of the table (spread over it), half unrelated people.
      if (k % 2 === 0) {
        const row = Math.floor(((k / 2) * o.rows) / victims) % o.rows;
        pool.push({ p: tablePatient(SEED, row), victimRow: row });
      } else pool.push({ p: makePatient(SEED, k, 'unrelated') });
    }
    const kinds = ['csv', 'sql', 'json', 'txt'];
    const files: { path: string; rows: Set<number> }[] = [];
    const fileCount = Math.max(1, Math.round(o.dumpMb / FILE_MB));
    for (let f = 0; f < fileCount; f++) {
      const kind = kinds[f % kinds.length] as string;
      const path = join(dir, `dump-${f}.${kind}`);
      files.push({ path, rows: dumpFile(path, kind, pool, f * 7919) });
    }
    const dumpBytes = files.reduce((s, f) => s + statSync(f.path).size, 0);

    const workers = Math.max(1, Math.min(o.workers ?? 2, files.length));
    log(`records: scanning ${files.length} files on ${workers} worker threads (the record-scan pool of match)…`);
    // The dump's generation garbage is not the scan's memory.
    (globalThis as { gc?: () => void }).gc?.();
    const rssBeforeScanMb = rssMb();
    const cpu2 = cpuWindow();
    const t1 = performance.now();
    const fingerprintsDir = join(dir, 'fingerprints');
    const keyFile = join(dir, 'keys', 'fp.key');
    let loadMs = 0;
    // The production path (`match` on several files): the index loaded once here and shared
    // with one scanning thread per core (src/ingest/record-scan-pool.ts).
    const scan = await withPeakRss(async () => {
      const loadStart = performance.now();
      const readStore = FingerprintStore.open(fingerprintsDir, { readonly: true, env: {}, keyFile });
      const sets = openRecordMatcher(readStore).shared();
      const keys = readStore.keys;
      readStore.close();
      loadMs = performance.now() - loadStart;
      return scanRecordsInParallel(
        files.map((f) => ({ absPath: f.path, displayPath: f.path })),
        { keys, sets, threads: workers, ...(o.workerHeapMb ? { maxHeapMb: o.workerHeapMb } : {}) },
      );
    });
    const scanS = (performance.now() - t1) / 1000;
    const scanCpu = cpu2();
    let expected = 0;
    let found = 0;
    let falseHits = 0;
    let falsePossible = 0;
    let foundPossible = 0;
    for (const [k, result] of scan.value.entries()) {
      const want = files[k]?.rows ?? new Set<number>();
      const got = new Set(result.exposures.map((e) => e.rowNo));
      const possible = new Set(result.exposures.filter((e) => exposureLevel(e.fields) === 'possible').map((e) => e.rowNo));
      expected += want.size;
      for (const r of want) if (got.has(r)) found++;
      for (const r of got) {
        if (!want.has(r)) {
          falseHits++;
          if (possible.has(r)) falsePossible++;
        } else if (possible.has(r)) foundPossible++;
      }
    }
    const dumpMb = dumpBytes / 1024 / 1024;
    const rowsPerS = ingest.value.rows / ingestS;
    const mbPerS = dumpMb / scanS;
    const markdown = [
      '### Benchmark — record-level fingerprints (Exact Data Matching)',
      '',
      `A synthetic patient table (${o.rows.toLocaleString('en')} rows, ${fmt(tableMb, 0)} MB CSV: NHI, given/middle/family name, date of birth, e-mail, phone, address, practice; rows beyond 288,000, the synthetic NHI range, have no NHI) fingerprinted with \`fingerprint records\`; then a ${fmt(dumpMb, 0)} MB mixed dump (${FILE_MB} MB files, CSV / SQL INSERT / JSON / letter text in turn; half of the people in it are from the table, half unrelated) scanned against the whole set on ${workers} worker thread${workers === 1 ? '' : 's'} (the record-scan pool \`match\` uses for several files: src/ingest/record-scan-pool.ts). Peak RSS is the whole bench process, sampled every 50 ms.`,
      '',
      markdownTable(
        ['step', 'size', 'time (s)', 'throughput', 'peak RSS (MB)', 'CPU'],
        [
          ['baseline: CSV parse only (1 core)', `${parsed.toLocaleString('en')} rows`, fmt(parseS, 1), `${fmt(parsed / parseS / 1000, 0)}k rows/s, ${fmt(tableMb / parseS, 0)} MB/s`, '—', '—'],
          ['fingerprint records', `${ingest.value.rows.toLocaleString('en')} rows, ${ingest.value.cells.toLocaleString('en')} cells`, fmt(ingestS, 1), `${fmt(rowsPerS / 1000, 0)}k rows/s`, fmt(ingest.peakMb, 0), coresText(ingestCpu)],
          ['scan mixed dump', `${fmt(dumpMb, 0)} MB, ${files.length} files`, fmt(scanS, 1), `${fmt(mbPerS, 1)} MB/s`, fmt(scan.peakMb, 0), coresText(scanCpu)],
        ],
      ),
      '',
      `Scan answer key: ${found.toLocaleString('en')} of ${expected.toLocaleString('en')} (file, record) exposures found — recall ${fmt((100 * found) / Math.max(1, expected), 2)} %; false matches (records reported that the file does not hold): ${falseHits}, of which ${falsePossible} \`possible\` (name + date of birth only) and ${falseHits - falsePossible} \`confirmed\`; true exposures reported as \`possible\` only: ${foundPossible} (docs/records.md, exposure levels). Worker heaps capped at ${o.workerHeapMb ?? RECORD_SCAN_HEAP_MB} MB${o.workerHeapMb ? '' : ' (the production default)'}; the bench process held ${fmt(rssBeforeScanMb, 0)} MB RSS before the scan started. Index loaded once by the main thread and shared with the scanning threads (SharedArrayBuffers): ${fmt(loadMs / 1000, 1)} s.`,
      '',
      `Targets: ≥ 50k rows/s ingest — ${fmt(rowsPerS / 1000, 0)}k, ${rowsPerS >= 50_000 ? 'met' : '**not met**'}; scan ≥ 20 MB/s — ${fmt(mbPerS, 1)}, ${mbPerS >= 20 ? 'met' : '**not met**'}; memory ≤ 1 GB for ${o.rows.toLocaleString('en')} rows — ${fmt(ingest.peakMb, 0)} MB ingest, ${fmt(scan.peakMb, 0)} MB scan, ${Math.max(ingest.peakMb, scan.peakMb) <= 1024 ? 'met' : '**not met**'}${o.rows < 1_000_000 || o.dumpMb < 1024 ? ' (reduced sizes: the targets are set for 1M rows and 1 GB)' : ''}.`,
    ].join('\n');
    return { markdown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
