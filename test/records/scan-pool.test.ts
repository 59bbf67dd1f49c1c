import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRecordsInParallel, type RecordScanJob } from '../../src/ingest/record-scan-pool.js';
import { scanRecordsInFile, type ScanRecordsResult } from '../../src/records/index.js';
import { patientTableCsv } from '../../src/synth/index.js';
import { recordEnv, SEED, type RecordEnv } from './helpers.js';

/**
 * `match` scans several files' records on one thread per core, all sharing the index the main
 * thread loaded. The threads must find exactly what one thread finds, file by file, and a
 * file that kills its thread must fail alone.
 */
let dir: string;
let env: RecordEnv;
let jobs: RecordScanJob[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leakwatch-scan-pool-'));
  env = await recordEnv(dir);
  const p = (i: number): ReturnType<RecordEnv['patient']> => env.patient(i);
  const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  const files: Record<string, string> = {
    'table.csv': patientTableCsv(SEED, 30, 'main', 10),
    'dump.sql': [1, 2, 3].map((i) => `INSERT INTO p VALUES (${i}, ${q(p(i).nhi)}, ${q(p(i).fullName)}, '${p(i).dateOfBirth}');`).join('\n'),
    'export.json': JSON.stringify([50, 51].map((i) => ({ nhi: p(i).nhi, name: { given: p(i).givenName, family: p(i).familyName }, born: p(i).dateOfBirth }))),
    // An array cut off in the middle of its third record: the two whole ones still count.
    'cut.json': JSON.stringify([60, 61, 62].map((i) => ({ nhi: p(i).nhi, email: p(i).email }))).slice(0, -25),
    'letter.txt': `Dear ${p(70).fullName},\nyour NHI is ${p(70).nhi} and we have your birth date as ${p(70).dateOfBirth}.\n`,
    'nobody.txt': 'Nothing to see here. Call 021 000 0000.',
  };
  jobs = Object.entries(files).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return { absPath: join(dir, name), displayPath: name };
  });
  jobs.push({ absPath: join(dir, 'missing.csv'), displayPath: 'missing.csv' });
});
afterAll(() => {
  env.store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (r: ScanRecordsResult): string[] => r.exposures.map((e) => `${e.rowNo}:${[...e.fields].sort().join('+')}:${e.reader}`).sort();

describe('record scan on several threads', () => {
  it('finds, file by file and in the files order, what one thread finds', async () => {
    const one: ScanRecordsResult[] = [];
    for (const j of jobs) one.push(await scanRecordsInFile(env.matcher, j.absPath, j.displayPath));
    const many = await scanRecordsInParallel(jobs, { keys: env.store.keys, sets: env.matcher.shared(), threads: 3 });
    expect(many.map(rows)).toEqual(one.map(rows));
    expect(many.map((r) => r.exposures.length)).toEqual([30, 3, 2, 2, 1, 0, 0]);
    expect(many[6]?.failures.map((f) => f.path)).toEqual(one[6]?.failures.map((f) => f.path));
  }, 60_000);

  it('a file that exhausts its thread fails alone, and the others are still scanned', async () => {
    // A JSON object (not an array: parsed whole) far larger than the threads' heap cap.
    const big = join(dir, 'huge.json');
    writeFileSync(big, `{"rows":[${Array.from({ length: 400_000 }, (_, i) => `{"id":${i},"name":"person number ${i}","note":"${'x'.repeat(40)}"}`).join(',')}]}`);
    const list = [jobs[1] as RecordScanJob, { absPath: big, displayPath: 'huge.json' }, jobs[0] as RecordScanJob, jobs[4] as RecordScanJob];
    const r = await scanRecordsInParallel(list, { keys: env.store.keys, sets: env.matcher.shared(), threads: 2, maxHeapMb: 64 });
    expect(r.map((x) => x.exposures.length)).toEqual([3, 0, 30, 1]);
    expect(r[1]?.failures).toEqual([expect.objectContaining({ path: 'huge.json', message: expect.stringMatching(/^records not read: the scanning thread/) })]);
    // With the calling thread's matcher as fallback (what match does), it is read here instead.
    const again = await scanRecordsInParallel(list, { keys: env.store.keys, sets: env.matcher.shared(), threads: 2, maxHeapMb: 64, fallback: env.matcher });
    expect(again.map((x) => x.exposures.length)).toEqual([3, 0, 30, 1]);
    expect(again[1]?.failures).toEqual([]);
  }, 60_000);

  it('stops every thread when aborted', async () => {
    const ac = new AbortController();
    const run = scanRecordsInParallel([...jobs, ...jobs, ...jobs], { keys: env.store.keys, sets: env.matcher.shared(), threads: 2, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(run).rejects.toMatchObject({ code: 'E_ABORTED' });
  }, 60_000);
});
