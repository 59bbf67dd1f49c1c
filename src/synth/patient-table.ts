import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { formatAddress, makePatient, NHI_SPACE_SIZE, type IdSpace, type Patient } from './patients.js';
import { deriveSeed, Rng } from './rng.js';

/**
 * The victim's patient table as the portal would export it (CSV, header row), for record-level
 * fingerprinting tests, the demo and the benchmark. Same patients as the corpus of the same
 * seed (makePatient), so documents and table agree. Synthetic only (see patients.ts).
 */
export const PATIENT_TABLE_COLUMNS = ['patient_id', 'nhi', 'given_name', 'middle_name', 'family_name', 'date_of_birth', 'email', 'phone', 'address', 'practice'] as const;

/** The schema file (YAML) describing PATIENT_TABLE_COLUMNS, for `fingerprint records --schema`. */
export const PATIENT_TABLE_SCHEMA_YAML = [
  'columns:',
  '  patient_id: record-key',
  '  nhi: nhi',
  '  given_name: given-name',
  '  middle_name: middle-name',
  '  family_name: family-name',
  '  date_of_birth: dob',
  '  email: email',
  '  phone: phone',
  '  address: address',
  '  practice: practice',
  'dateOrder: dmy',
  '',
].join('\n');

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** New Zealand style: day first. */
export function dmy(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

export function patientRow(p: Patient): string[] {
  return [p.recordKey, p.nhi, p.givenName, p.middleName ?? '', p.familyName, dmy(p.dateOfBirth), p.email, p.phone, formatAddress(p.address), p.practice.name];
}

/** sfc32 stream of the people beyond the NHI range: never one of makePatient's (stream 1). */
const BEYOND_NHI_STREAM = 2;

/**
 * Row `i` of a table. The synthetic NHI range (Z…, reserved for testing) holds NHI_SPACE_SIZE
 * patients per seed; rows beyond it (the benchmark's million-row table) are other people with
 * no NHI, since a second Z-range NHI could collide with the first.
 *
 * Their generators are seeded with consecutive numbers on a stream of their own: each of them
 * is a different person, and none is a copy of a person of the NHI range. (Derived 32-bit
 * seeds, as makePatient uses, repeat: a million rows held ~90 pairs of identical people under
 * two record keys, which a dump of one of them "exposed" both — false `confirmed` matches.)
 */
export function tablePatient(seed: number, i: number, space: IdSpace = 'main'): Patient {
  if (i < NHI_SPACE_SIZE) return makePatient(seed, i, space);
  const round = Math.floor(i / NHI_SPACE_SIZE);
  const rng = new Rng((deriveSeed(seed, 'table-patient', space) + i) >>> 0, BEYOND_NHI_STREAM);
  const p = makePatient(seed + 7919 * round, i % NHI_SPACE_SIZE, space, rng);
  return { ...p, nhi: '', recordKey: `${p.recordKey}-${round}` };
}

export function patientTableCsv(seed: number, rows: number, space: IdSpace = 'main', first = 0): string {
  const lines = [PATIENT_TABLE_COLUMNS.join(',')];
  for (let i = first; i < first + rows; i++) lines.push(patientRow(tablePatient(seed, i, space)).map(csvCell).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Streams a large table to `file` (a million rows do not fit comfortably in one string). */
export async function writePatientTable(file: string, seed: number, rows: number, space: IdSpace = 'main'): Promise<void> {
  const out = createWriteStream(file);
  out.write(PATIENT_TABLE_COLUMNS.join(',') + '\r\n');
  let buf: string[] = [];
  for (let i = 0; i < rows; i++) {
    buf.push(patientRow(tablePatient(seed, i, space)).map(csvCell).join(','));
    if (buf.length === 5000) {
      if (!out.write(buf.join('\r\n') + '\r\n')) await once(out, 'drain');
      buf = [];
    }
  }
  if (buf.length) out.write(buf.join('\r\n') + '\r\n');
  out.end();
  await once(out, 'finish');
}
