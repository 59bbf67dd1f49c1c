import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { makePatient, PATIENT_TABLE_SCHEMA_YAML, patientTableCsv } from '../../src/synth/index.js';
import { loadWebSettings, startDashboard } from '../../src/web/index.js';
import { SIM_SEED, startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();
let env: CrawlEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('crawl → exposed records → alert → affected', () => {
  it('a leaked patient-table dump raises an alert with the exposed count, and affected lists the records by key', async () => {
    const dump = patientTableCsv(SIM_SEED, 12, 'main', 200);
    env = await startCrawlEnv(tmp(), {
      sites: [{ id: 'sim-blog', style: 'blog', samplePosts: false, posts: [{ title: 'Clinic patient DB', files: [{ name: 'patients_export.csv', source: { kind: 'bytes', bytes: Buffer.from(dump) } }] }] }],
      extraConfig: ['alerts:', '  channels:', '    - { name: audit, type: log }'].join('\n'),
    });
    const e = env.env;
    // The victim's whole table (the dump is 12 of its 400 rows).
    writeFileSync(join(env.dir, 'table.csv'), patientTableCsv(SIM_SEED, 400));
    writeFileSync(join(env.dir, 'schema.yaml'), PATIENT_TABLE_SCHEMA_YAML);
    const fp = await run(['fingerprint', 'records', '--set', 'patients', '--schema', 'schema.yaml', '--fingerprints', 'fingerprints', 'table.csv'], { cwd: env.dir, env: e });
    expect(fp.exitCode, fp.stderr).toBe(0);
    expect(fp.stdout).toContain('400 records');

    const crawl = await run(['crawl', '--config', env.configFile, '--site', 'sim-blog'], { cwd: env.dir, env: e });
    expect(crawl.exitCode, crawl.stderr).toBe(0);

    const db = new Database(join(env.dir, 'data', 'leakwatch.db'), { readonly: true });
    const alerts = db.prepare('SELECT id, case_id, severity FROM alerts').all() as { id: number; case_id: number; severity: string }[];
    const payloads = (db.prepare('SELECT payload FROM alert_notifications').all() as { payload: string }[]).map((r) => JSON.parse(r.payload));
    db.close();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.severity).toBe('high');
    expect(payloads).toHaveLength(1);
    expect(payloads[0].alert.documentCount).toBe(0);
    expect(payloads[0].alert.exposedRecords.count).toBe(12);
    expect(payloads[0].alert.exposedRecords.fields.nhi).toBe(12);
    // The payload names no patient: no NHI, name or e-mail from the dump.
    const body = JSON.stringify(payloads[0]);
    for (let i = 200; i < 212; i++) {
      const p = makePatient(SIM_SEED, i);
      expect(body).not.toContain(p.nhi);
      expect(body).not.toContain(p.email);
    }

    const caseId = String(alerts[0]?.case_id);
    const csv = await run(['affected', '--case', caseId, '--config', env.configFile], { cwd: env.dir, env: e });
    expect(csv.exitCode, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^record_set,record_key,practice,fields_exposed/);
    expect(lines).toHaveLength(13);
    const keys = lines.slice(1).map((l) => l.split(',')[1]).sort();
    expect(keys).toEqual(Array.from({ length: 12 }, (_, i) => makePatient(SIM_SEED, 200 + i).recordKey).sort());
    expect(csv.stderr).toMatch(/12 records exposed across \d+ practice/);

    const js = await run(['affected', '--case', caseId, '--format', 'json', '--config', env.configFile], { cwd: env.dir, env: e });
    const report = JSON.parse(js.stdout);
    expect(report.records).toHaveLength(12);
    expect(report.records[0].appearances[0]).toMatchObject({ site: 'sim-blog', memberPath: 'patients_export.csv' });
    expect(report.records[0].appearances[0].sampleUrl).toMatch(/patients_export\.csv$/);
    expect(report.perPractice.reduce((s: number, p: { records: number }) => s + p.records, 0)).toBe(12);
    expect(report.perField.dob).toBe(12);

    // The legal report counts the people exposed, per practice, and names none of them.
    const rep = await run(['report', '--case', caseId, '--format', 'html', '--out', 'report.html', '--config', env.configFile], { cwd: env.dir, env: e });
    expect(rep.exitCode, rep.stderr).toBe(0);
    const html = readFileSync(join(env.dir, 'report.html'), 'utf8');
    expect(html).toContain('People exposed');
    expect(html).toContain('12 patient records');
    for (let i = 200; i < 212; i++) {
      const p = makePatient(SIM_SEED, i);
      expect(html).not.toContain(p.nhi);
      expect(html).not.toContain(p.familyName + ',');
    }

    // The dashboard's case page shows the same counts (loopback, no users: the local user).
    const web = loadWebSettings(env.configFile, e);
    if (!web.ok) throw new Error(JSON.stringify(web.problems));
    const dash = await startDashboard({ config: web.config, web: web.web, port: 0, log: () => undefined });
    try {
      const page = await (await fetch(`${dash.url}/cases/${caseId}`)).text();
      expect(page).toContain('People exposed');
      expect(page).toContain('12 patient records');
      expect(page).toMatch(/people exposed<\/dt><dd><b>12<\/b> patient record/);
      for (let i = 200; i < 212; i++) expect(page).not.toContain(makePatient(SIM_SEED, i).nhi);
    } finally {
      await dash.close();
    }
  }, 120_000);
});
