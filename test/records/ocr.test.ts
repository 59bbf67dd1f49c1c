import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { dmy, makePatient, PATIENT_TABLE_SCHEMA_YAML, patientTableCsv, renderScan, SynthDocument } from '../../src/synth/index.js';
import { TEST_KEY_HEX } from '../helpers/store.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();
const SEED = 23;

/** A one-page letter about `p`, as a leak site's screenshot shows it: pixels only, no text layer. */
async function letterScreenshot(i: number): Promise<Buffer> {
  const p = makePatient(SEED, i);
  const doc = new SynthDocument({
    id: `letter-${i}`,
    kind: 'letter',
    subtype: 'recall',
    patient: p,
    title: 'Recall letter',
    date: '2026-03-02',
    author: 'Practice nurse',
    blocks: [
      { type: 'letterhead', lines: [p.practice.name], template: true },
      { type: 'title', text: 'Recall letter', template: true },
      { type: 'paragraph', text: `Dear ${p.givenName} ${p.familyName},`, template: false },
      { type: 'paragraph', text: `Our records (NHI ${p.nhi}, date of birth ${dmy(p.dateOfBirth)}) show that your annual review is due. Please call the practice to book a time.`, template: false },
      { type: 'paragraph', text: 'Kind regards, the practice team.', template: true },
    ],
  });
  return renderScan(doc);
}

describe('record scanning of text read by OCR', () => {
  it('match finds the patient a PNG screenshot of a letter names, from the OCR text the document scan read', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'table.csv'), patientTableCsv(SEED, 60));
    writeFileSync(join(dir, 'schema.yaml'), PATIENT_TABLE_SCHEMA_YAML);
    const env = { ...process.env, LEAKWATCH_FINGERPRINT_KEY: TEST_KEY_HEX, XDG_CONFIG_HOME: join(dir, 'config') };
    const fp = await run(['fingerprint', 'records', '--set', 'patients', '--schema', 'schema.yaml', 'table.csv'], { cwd: dir, env });
    expect(fp.exitCode, fp.stderr).toBe(0);
    const p = makePatient(SEED, 17);
    writeFileSync(join(dir, 'proof.png'), await letterScreenshot(17));

    const m = await run(['match', '--json', 'proof.png'], { cwd: dir, env });
    expect(m.exitCode, m.stderr).toBe(1);
    const out = JSON.parse(m.stdout) as { records: { recordKey: string; fields: string[]; reader: string }[] };
    expect(out.records).toEqual([expect.objectContaining({ recordKey: p.recordKey, reader: 'ocr', fields: expect.arrayContaining(['nhi', 'dob']) })]);
    expect(m.stdout).not.toContain(p.nhi);

    // Without OCR the picture has no text: nothing to find.
    const off = await run(['match', '--json', '--no-ocr', 'proof.png'], { cwd: dir, env });
    expect(JSON.parse(off.stdout).records).toEqual([]);
  }, 120_000);
});
