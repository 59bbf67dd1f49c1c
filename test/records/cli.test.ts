import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { makePatient, PATIENT_TABLE_SCHEMA_YAML, patientTableCsv } from '../../src/synth/index.js';
import { TEST_KEY_HEX } from '../helpers/store.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();
const SEED = 21;

function setup(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tmp();
  writeFileSync(join(dir, 'table.csv'), patientTableCsv(SEED, 100));
  writeFileSync(join(dir, 'schema.yaml'), PATIENT_TABLE_SCHEMA_YAML);
  return { dir, env: { ...process.env, LEAKWATCH_FINGERPRINT_KEY: TEST_KEY_HEX, XDG_CONFIG_HOME: join(dir, 'config') } };
}

describe('leakwatch fingerprint records / match', () => {
  it('fingerprints a table, then match prints the exposed records by key and exits 1', async () => {
    const { dir, env } = setup();
    const fp = await run(['fingerprint', 'records', '--set', 'patients', '--schema', 'schema.yaml', '--json', 'table.csv'], { cwd: dir, env });
    expect(fp.exitCode, fp.stderr).toBe(0);
    const summary = JSON.parse(fp.stdout);
    expect(summary).toMatchObject({ set: 'patients', rows: 100, rowsWithoutKey: 0, rejectedCells: 0 });
    expect(summary.practices).toBeGreaterThan(0);

    const p = makePatient(SEED, 42);
    writeFileSync(join(dir, 'post.txt'), `Sample of the patient DB:\n${p.fullName} — NHI ${p.nhi}\n`);
    writeFileSync(join(dir, 'clean.txt'), 'Nothing to see here. Call 0800 123 456 on 01/02/2024.\n');
    const m = await run(['match', 'post.txt', 'clean.txt'], { cwd: dir, env });
    expect(m.exitCode, m.stderr).toBe(1);
    expect(m.stdout).toContain(p.recordKey);
    expect(m.stdout).toContain('1 record exposed');
    expect(m.stdout).not.toContain(p.nhi);

    const mj = await run(['match', '--json', 'post.txt'], { cwd: dir, env });
    const out = JSON.parse(mj.stdout);
    expect(out.records).toEqual([expect.objectContaining({ set: 'patients', recordKey: p.recordKey, fields: expect.arrayContaining(['name', 'nhi']) })]);

    const clean = await run(['match', 'clean.txt'], { cwd: dir, env });
    expect(clean.exitCode).toBe(0);
  });

  it('re-running replaces the set', async () => {
    const { dir, env } = setup();
    await run(['fingerprint', 'records', '--set', 'patients', '--schema', 'schema.yaml', 'table.csv'], { cwd: dir, env });
    writeFileSync(join(dir, 'small.csv'), patientTableCsv(SEED, 10));
    const again = await run(['fingerprint', 'records', '--set', 'patients', '--schema', 'schema.yaml', '--json', 'small.csv'], { cwd: dir, env });
    expect(JSON.parse(again.stdout).rows).toBe(10);
    const p = makePatient(SEED, 42);
    writeFileSync(join(dir, 'post.txt'), `${p.fullName} NHI ${p.nhi}\n`);
    expect((await run(['match', 'post.txt'], { cwd: dir, env })).exitCode).toBe(0);
  });

  it('a bad schema file lists every problem with its path; a missing column names it', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'bad.yaml'), 'columns:\n  nhi: nhi\n  dob: birthday\ndateOrder: ymd\nextra: 1\n');
    const bad = await run(['fingerprint', 'records', '--set', 's', '--schema', 'bad.yaml', 'table.csv'], { cwd: dir, env });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('columns.dob');
    expect(bad.stderr).toContain('dateOrder');
    expect(bad.stderr).toContain('extra');

    writeFileSync(join(dir, 'other.json'), JSON.stringify({ columns: { id: 'record-key', NHI_NUMBER: 'nhi', dob: 'dob' } }));
    writeFileSync(join(dir, 't.csv'), 'id,nhi,dob\n1,ZAC5361,01/01/1970\n');
    const missing = await run(['fingerprint', 'records', '--set', 's', '--schema', 'other.json', 't.csv'], { cwd: dir, env });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('"NHI_NUMBER"');
  });
});
