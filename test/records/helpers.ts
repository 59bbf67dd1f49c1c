import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintRecords, loadRecordSchema, openRecordMatcher, type RecordMatcher } from '../../src/records/index.js';
import type { FingerprintStore } from '../../src/store/fingerprint-store.js';
import { makePatient, PATIENT_TABLE_SCHEMA_YAML, patientTableCsv, type Patient } from '../../src/synth/index.js';
import { tempStore } from '../helpers/store.js';

export const SEED = 11;
export const ROWS = 300;

export interface RecordEnv {
  store: FingerprintStore;
  matcher: RecordMatcher;
  table: string;
  schema: string;
  patient(i: number): Patient;
}

/** A store with the synthetic patient table of SEED fingerprinted as set "patients". */
export async function recordEnv(dir: string, rows = ROWS): Promise<RecordEnv> {
  const table = join(dir, 'patients.csv');
  const schema = join(dir, 'schema.yaml');
  writeFileSync(table, patientTableCsv(SEED, rows));
  writeFileSync(schema, PATIENT_TABLE_SCHEMA_YAML);
  const store = tempStore(dir);
  await fingerprintRecords({ store, setName: 'patients', schema: loadRecordSchema(schema), files: [table] });
  return { store, matcher: openRecordMatcher(store), table, schema, patient: (i) => makePatient(SEED, i) };
}
