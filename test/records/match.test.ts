import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { Document, Packer, Paragraph } from 'docx';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { nameExposures, scanRecordsInFile, scanText } from '../../src/records/index.js';
import { readerFor } from '../../src/records/scan-file.js';
import { formatAddress, makePatient, patientTableCsv } from '../../src/synth/index.js';
import { useTempDir } from '../helpers/tmp.js';
import { recordEnv, SEED } from './helpers.js';

const tmp = useTempDir();

function item(path: string, text: string): { path: string; type: 'text'; text: string; sha256: string } {
  return { path, type: 'text', text, sha256: '0'.repeat(64) };
}

async function pdfWith(lines: string[]): Promise<Buffer> {
  const doc = new PDFDocument({ compress: false });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((r) => doc.on('end', () => r()));
  for (const l of lines) doc.text(l);
  doc.end();
  await done;
  return Buffer.concat(parts);
}

async function xlsxWith(rows: string[][]): Promise<Buffer> {
  const shared: string[] = [];
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const sheetRows = rows
    .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => {
      shared.push(v);
      return `<c r="${String.fromCharCode(65 + j)}${i + 1}" t="s"><v>${shared.length - 1}</v></c>`;
    }).join('')}</row>`)
    .join('');
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from('<?xml version="1.0"?><Types/>'), '[Content_Types].xml');
  zip.addBuffer(Buffer.from(`<sst>${shared.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`), 'xl/sharedStrings.xml');
  zip.addBuffer(Buffer.from(`<worksheet><sheetData>${sheetRows}</sheetData></worksheet>`), 'xl/worksheets/sheet1.xml');
  zip.end();
  const parts: Buffer[] = [];
  for await (const b of zip.outputStream) parts.push(b as Buffer);
  return Buffer.concat(parts);
}

describe('record matching in samples of every kind', () => {
  it('a CSV dump of the table exposes every record, named by record key', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const dump = join(dir, 'dump.csv');
    writeFileSync(dump, patientTableCsv(SEED, 40, 'main', 100));
    const r = await scanRecordsInFile(env.matcher, dump, 'dump.csv');
    const named = nameExposures(env.store, r.exposures);
    expect(named.map((e) => e.recordKey).sort()).toEqual(Array.from({ length: 40 }, (_, i) => makePatient(SEED, 100 + i).recordKey).sort());
    expect(named[0]?.fields.length).toBeGreaterThanOrEqual(5);
    env.store.close();
  });

  it('TSV with other column names, order and formats still matches', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const p = env.patient(7);
    const q = env.patient(8);
    const lines = ['Phone\tBirth\tSurname\tFirst', ...[p, q].map((x) => [`+64 ${x.phone.slice(1)}`, x.dateOfBirth, x.familyName.toUpperCase(), x.givenName].join('\t'))];
    const file = join(dir, 'leak.tsv');
    writeFileSync(file, lines.join('\n'));
    const named = nameExposures(env.store, (await scanRecordsInFile(env.matcher, file, 'leak.tsv')).exposures);
    expect(named.map((e) => e.recordKey).sort()).toEqual([p.recordKey, q.recordKey].sort());
    expect(named.find((e) => e.recordKey === p.recordKey)?.fields.sort()).toEqual(['dob', 'name', 'phone']);
    env.store.close();
  });

  it('SQL dumps: multi-row INSERT with quotes and escapes, and COPY blocks', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const [a, b, c] = [env.patient(1), env.patient(2), env.patient(3)];
    const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
    const sql = [
      'CREATE TABLE p (id int, nhi text, name text, dob date, note text);',
      `INSERT INTO \`p\` (id, nhi, name, dob, note) VALUES (1, ${q(a.nhi)}, ${q(a.fullName)}, '${a.dateOfBirth}', 'it\\'s, (odd)'),`,
      `  (2, ${q(b.nhi)}, ${q(b.fullName)}, NULL, 'x');`,
      'COPY public.p (email, phone) FROM stdin;',
      `${c.email}\t${c.phone}`,
      '\\.',
    ].join('\n');
    const file = join(dir, 'dump.sql');
    writeFileSync(file, sql);
    const named = nameExposures(env.store, (await scanRecordsInFile(env.matcher, file, 'dump.sql')).exposures);
    expect(named.map((e) => e.recordKey).sort()).toEqual([a.recordKey, b.recordKey, c.recordKey].sort());
    expect(named.every((e) => e.reader === 'sql')).toBe(true);
    env.store.close();
  });

  it('XLSX workbooks are read sheet by sheet', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const p = env.patient(20);
    const file = join(dir, 'export.xlsx');
    writeFileSync(file, await xlsxWith([['NHI', 'Email'], [p.nhi, p.email], ['ZZZ0016', 'nobody@example.com']]));
    const named = nameExposures(env.store, (await scanRecordsInFile(env.matcher, file, 'export.xlsx')).exposures);
    expect(named.map((e) => [e.recordKey, e.reader])).toEqual([[p.recordKey, 'xlsx']]);
    // Inline strings, and a date of birth stored as an Excel day number.
    const { sheetRows } = await import('../../src/records/xlsx-rows.js');
    const q = env.patient(21);
    const serial = String(Math.round((Date.parse(q.dateOfBirth) - Date.UTC(1899, 11, 30)) / 86_400_000));
    const rows: string[][] = [];
    sheetRows(`<sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>${q.fullName}</t></is></c><c r="C2"><v>${serial}</v></c></row></sheetData>`, [], (r) => rows.push(r));
    expect(rows).toEqual([['', q.fullName, serial]]);
    env.store.close();
  });

  it('JSON: arrays of nested objects and JSON Lines', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const [a, b] = [env.patient(30), env.patient(31)];
    const file = join(dir, 'api.json');
    writeFileSync(file, JSON.stringify({ data: [{ id: 1, person: { name: { given: a.givenName, family: a.familyName } }, contact: { phone: a.phone } }] }));
    const lines = join(dir, 'log.jsonl');
    writeFileSync(lines, `{"nhi":"${b.nhi}"}\n{"nhi":"${b.nhi}","dob":"${b.dateOfBirth}"}\n`);
    const r1 = nameExposures(env.store, (await scanRecordsInFile(env.matcher, file, 'api.json')).exposures);
    expect(r1.map((e) => e.recordKey)).toEqual([a.recordKey]);
    const r2 = nameExposures(env.store, (await scanRecordsInFile(env.matcher, lines, 'log.jsonl')).exposures);
    expect(r2.map((e) => e.recordKey)).toEqual([b.recordKey]);
    env.store.close();
  });

  it('PDF and DOCX text: two fields within the window count', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const [a, b] = [env.patient(40), env.patient(41)];
    const pdf = join(dir, 'letter.pdf');
    writeFileSync(pdf, await pdfWith(['Referral letter', `Patient: ${a.fullName}`, `NHI: ${a.nhi}`, 'Please see the attached results.']));
    const named = nameExposures(env.store, (await scanRecordsInFile(env.matcher, pdf, 'letter.pdf')).exposures);
    expect(named.map((e) => e.recordKey)).toEqual([a.recordKey]);
    expect(named[0]?.fields.sort()).toEqual(['name', 'nhi']);

    const docx = join(dir, 'note.docx');
    const d = new Document({ sections: [{ children: [new Paragraph(`Dear ${b.givenName} ${b.familyName},`), new Paragraph(`we will call you on ${b.phone} about your appointment at ${formatAddress(b.address)}.`)] }] });
    writeFileSync(docx, await Packer.toBuffer(d));
    const nd = nameExposures(env.store, (await scanRecordsInFile(env.matcher, docx, 'note.docx')).exposures);
    expect(nd.map((e) => e.recordKey)).toEqual([b.recordKey]);
    expect(nd[0]?.fields.sort()).toEqual(['address', 'name', 'phone']);
    env.store.close();
  });

  it('plain text (e.g. OCR output): fields far apart do not count; together they do', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const p = env.patient(50);
    const filler = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    expect(scanText(env.matcher, item('far.txt', `Name ${p.fullName}. ${filler} Born ${p.dateOfBirth}.`))).toEqual([]);
    const near = scanText(env.matcher, item('near.txt', `Name ${p.fullName}, born ${p.dateOfBirth.split('-').reverse().join('/')}.`));
    expect(near.map((e) => e.fields.sort())).toEqual([['dob', 'name']]);
    env.store.close();
  });
});

describe('choosing the reader', () => {
  it('SQL and letters are not read as CSV because their commas are regular', () => {
    const inserts = Array.from({ length: 50 }, (_, i) => `INSERT INTO p VALUES (${i}, 'a', 'b');`).join('\n');
    expect(readerFor({ path: 'dump.dat', type: 'csv', text: inserts })).toBe('sql');
    const letters = Array.from({ length: 50 }, () => 'Dear Mere Ngata, your results, as promised, are attached.').join('\n');
    expect(readerFor({ path: 'letters.txt', type: 'csv', text: letters })).toBe('text');
    expect(readerFor({ path: 'export', type: 'csv', text: 'a,b\n1,2\n' })).toBe('csv');
    expect(readerFor({ path: 'x.tsv', type: 'text', text: 'a\tb\n' })).toBe('csv');
    expect(readerFor({ path: 'api.ndjson', type: 'text', text: '{}' })).toBe('json');
  });
});

describe('hostile samples', () => {
  it('long runs without structure, unclosed sheet tags and broken SQL/JSON finish and expose nobody', async () => {
    const dir = tmp();
    const env = await recordEnv(dir, 20);
    const blob = 'a'.repeat(2_000_000) + '.b'.repeat(100_000) + ' 1' + ' '.repeat(100_000);
    expect(scanText(env.matcher, item('run.txt', blob))).toEqual([]);
    expect(scanText(env.matcher, { path: 'x.sql', type: 'text', text: "INSERT INTO t VALUES ('unterminated, (1, 2".repeat(1000), sha256: '' })).toEqual([]);
    expect(scanText(env.matcher, { path: 'x.json', type: 'json' as 'text', text: '['.repeat(100_000), sha256: '' })).toEqual([]);
    const { sheetRows } = await import('../../src/records/xlsx-rows.js');
    let n = 0;
    expect(sheetRows('<row r="1"><c r="A1">'.repeat(50_000), [], () => n++)).toBe(0);
    env.store.close();
  });
});

describe('the two-field rule', () => {
  it('one field alone never counts, however often it appears', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const ps = [0, 1, 2, 3].map((i) => env.patient(i));
    for (const text of [
      ps.map((p) => p.nhi).join('\n'),
      ps.map((p) => p.email).join(', '),
      ps.map((p) => p.fullName).join(' and '),
      ps.map((p) => p.phone).join(' / '),
      `${ps[0]?.nhi} ${ps[1]?.fullName} ${ps[2]?.phone}`, // fields of different records
    ]) {
      expect(scanText(env.matcher, item('one.txt', text))).toEqual([]);
    }
    env.store.close();
  });

  it('bare dates, short numbers, single letters and given names alone never count', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const p = env.patient(5);
    const rows = [[p.dateOfBirth, '42', 'A'], [p.givenName, p.dateOfBirth], [p.practice.name, p.dateOfBirth], [p.familyName, '7', p.dateOfBirth]];
    const csv = ['a,b,c', ...rows.map((r) => r.join(','))].join('\n');
    expect(scanText(env.matcher, { path: 't.csv', type: 'text', text: csv, sha256: '' })).toEqual([]);
    env.store.close();
  });

  it('name + e-mail alone is one piece of evidence (addresses are made of names); with a third field it counts', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const p = env.patient(9);
    const row = (cells: string[]): string => ['a,b,c,d', cells.join(',')].join('\n');
    expect(scanText(env.matcher, { path: 'n.csv', type: 'text', text: row([p.givenName, p.familyName, p.email, 'x']), sha256: '' })).toEqual([]);
    const three = scanText(env.matcher, { path: 'n.csv', type: 'text', text: row([p.givenName, p.familyName, p.email, p.dateOfBirth]), sha256: '' });
    expect(three.map((e) => e.fields.sort())).toEqual([['dob', 'email', 'name']]);
    env.store.close();
  });

  it('a table of unrelated synthetic people exposes nobody', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const text = patientTableCsv(SEED, 300, 'unrelated');
    expect(scanText(env.matcher, { path: 'other.csv', type: 'text', text, sha256: '' })).toEqual([]);
    env.store.close();
  });
});

describe('what is stored', () => {
  it('no identifying value of the table is in the database file', async () => {
    const dir = tmp();
    const env = await recordEnv(dir, 50);
    env.store.db.pragma('wal_checkpoint(TRUNCATE)');
    env.store.close();
    const db = readFileSync(join(dir, 'fingerprints', 'fingerprints.db')).toString('latin1');
    for (let i = 0; i < 50; i++) {
      const p = makePatient(SEED, i);
      for (const v of [p.nhi, p.email, p.phone, p.phone.replace(/\D/g, ''), p.familyName, p.dateOfBirth, p.address.street, p.dateOfBirth.split('-').reverse().join('/')]) {
        expect(db.includes(v), `${v} found in the database`).toBe(false);
      }
      // The record key is stored on purpose (docs/records.md).
      expect(db.includes(p.recordKey)).toBe(true);
    }
  });
});
