import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { affectedCsv, affectedReport, exposureLevel, fingerprintRecords, loadRecordSchema, openRecordMatcher, scanText } from '../../src/records/index.js';
import type { RecordAppearanceRow } from '../../src/store/sample-records.js';
import { dmy, PATIENT_TABLE_COLUMNS, PATIENT_TABLE_SCHEMA_YAML } from '../../src/synth/index.js';
import { tempStore } from '../helpers/store.js';
import { useTempDir } from '../helpers/tmp.js';
import { recordEnv } from './helpers.js';

const tmp = useTempDir();

function appearance(recordKey: string, fields: string, alertId = 1): RecordAppearanceRow {
  return {
    recordSet: 'patients', recordKey, practice: 'Kauri Medical', fields, memberPath: 'dump.csv', memberSha256: 'a'.repeat(64), alertId, siteId: 'site',
    sampleSha256: 'b'.repeat(64), sampleUrl: 'http://x.onion/s', mirrorUrl: '', postTitle: null, postUrl: null, firstSeenAt: '2026-01-01T00:00:00Z', lastSeenAt: '2026-01-01T00:00:00Z',
  };
}

describe('exposure levels', () => {
  it('is confirmed with a unique identifier among the fields, possible for name + date of birth only', () => {
    expect(exposureLevel(['name', 'dob'])).toBe('possible');
    expect(exposureLevel(['dob', 'name'])).toBe('possible');
    for (const f of ['nhi', 'email', 'phone', 'address']) expect(exposureLevel(['name', f])).toBe('confirmed');
    expect(exposureLevel(['dob', 'nhi'])).toBe('confirmed');
    expect(exposureLevel(['dob', 'email', 'name'])).toBe('confirmed');
  });

  it('affected reports each record\'s level over all its appearances, and counts per level', () => {
    const r = affectedReport(7, [appearance('P1', 'name,dob'), appearance('P2', 'name,dob'), appearance('P2', 'nhi,dob', 2), appearance('P3', 'phone,address')]);
    expect(r.records.map((x) => [x.recordKey, x.level])).toEqual([
      ['P1', 'possible'],
      ['P2', 'confirmed'],
      ['P3', 'confirmed'],
    ]);
    expect(r.perLevel).toEqual({ confirmed: 2, possible: 1 });
    const csv = affectedCsv(r).split('\r\n');
    expect(csv[0]!.endsWith(',exposure')).toBe(true);
    expect(csv[1]!.endsWith(',possible')).toBe(true);
  });

  it('a letter naming a patient with only their date of birth is a possible exposure; with their NHI a confirmed one', async () => {
    const env = await recordEnv(tmp());
    const p = env.patient(5);
    const scan = (text: string) => scanText(env.matcher, { path: 'letter.txt', type: 'text', text, sha256: 'c'.repeat(64) });
    const possible = scan(`Dear ${p.givenName} ${p.familyName}, born ${dmy(p.dateOfBirth)}.`);
    expect(possible.map((e) => exposureLevel(e.fields))).toEqual(['possible']);
    const confirmed = scan(`Dear ${p.givenName} ${p.familyName}, born ${dmy(p.dateOfBirth)}, NHI ${p.nhi}.`);
    expect(confirmed.map((e) => [e.fields.sort(), exposureLevel(e.fields)])).toEqual([[['dob', 'name', 'nhi'], 'confirmed']]);
    env.store.close();
  });
});

describe('matching values many records share', () => {
  it('finds exactly the records holding both values when each value belongs to hundreds of records', async () => {
    const dir = tmp();
    // 600 people born on one day; 300 of them named Ana Smith, the others Ana Jones; and
    // Ana Smith born on other days. Rows 0..599 alternate Smith/Jones.
    const lines = [PATIENT_TABLE_COLUMNS.join(',')];
    for (let i = 0; i < 900; i++) {
      const family = i % 2 === 0 ? 'Smith' : 'Jones';
      const dob = i < 600 ? '01/02/1980' : `0${(i % 9) + 1}/03/1981`;
      lines.push([`P${i}`, '', 'Ana', '', family, dob, '', '', '', 'Kauri'].join(','));
    }
    writeFileSync(join(dir, 't.csv'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 's.yaml'), PATIENT_TABLE_SCHEMA_YAML);
    const store = tempStore(dir);
    await fingerprintRecords({ store, setName: 'patients', schema: loadRecordSchema(join(dir, 's.yaml')), files: [join(dir, 't.csv')] });
    const m = openRecordMatcher(store);
    const hits = scanText(m, { path: 'x.csv', type: 'csv', text: 'name,born\nAna Smith,1980-02-01\n', sha256: 'd'.repeat(64) });
    // Each value is followed for at most 256 of its records (docs/records.md), so the rows
    // found are Smiths born that day among the first 256 of each run — never a Jones, never
    // a Smith born on another day.
    const rows = hits.map((h) => h.rowNo).sort((a, b) => a - b);
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r % 2).toBe(0);
      expect(r).toBeLessThan(600);
    }
    expect(hits.every((h) => exposureLevel(h.fields) === 'possible')).toBe(true);
    store.close();
  });
});
