/**
 * Structured synthetic documents. A document is an ordered list of blocks (letterhead,
 * title, label/value fields, headings, paragraphs, tables) so that every renderer (TXT, two
 * PDF producers, DOCX, PNG scan) lays out the same content its own way. Each block says
 * whether it is template text (identical across every document of its template) or
 * patient-specific, which lets tests and benchmarks separate boilerplate from evidence.
 */
import * as B from './boilerplate.js';
import { formatDateLong, formatDateNz, addDays, ageOn, formatAddress, REFERENCE_DATE, type Patient } from './patients.js';
import { generateNoteSections, generateProse, makeFiller, pickTheme } from './clinical-text.js';
import { FAMILY, GIVEN_FEMALE, GIVEN_MALE } from './names.js';
import { type Rng, deriveSeed } from './rng.js';
import { PANELS, analyteProse, drawValue, formatRange } from './vocab-lab.js';

export const DOC_KINDS = ['clinical-note', 'lab-report', 'letter', 'prescription'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export interface Field {
  label: string;
  value: string;
}

export type Block =
  | { type: 'letterhead'; lines: string[]; template: boolean }
  | { type: 'title'; text: string; template: boolean }
  | { type: 'fields'; fields: Field[]; template: boolean }
  | { type: 'heading'; text: string; template: boolean }
  | { type: 'paragraph'; text: string; template: boolean }
  | { type: 'table'; columns: string[]; rows: string[][]; template: boolean };

export interface DocumentInit {
  id: string;
  kind: DocKind;
  /** Finer kind: "referral" or "discharge" for letters, "gp" for notes, etc. */
  subtype: string;
  patient: Patient;
  title: string;
  /** ISO date of the document. */
  date: string;
  author: string;
  blocks: Block[];
}

export class SynthDocument implements DocumentInit {
  readonly id: string;
  readonly kind: DocKind;
  readonly subtype: string;
  readonly patient: Patient;
  readonly title: string;
  readonly date: string;
  readonly author: string;
  readonly blocks: Block[];

  constructor(init: DocumentInit) {
    this.id = init.id;
    this.kind = init.kind;
    this.subtype = init.subtype;
    this.patient = init.patient;
    this.title = init.title;
    this.date = init.date;
    this.author = init.author;
    this.blocks = init.blocks;
  }

  /** Plain text: blocks separated by blank lines, tables as aligned columns. */
  toText(): string {
    return this.blocks.map(blockText).join('\n\n') + '\n';
  }

  /** Only the template blocks, as text: what every document of this template shares. */
  templateText(): string {
    return this.blocks.filter((b) => b.template).map(blockText).join('\n\n') + '\n';
  }

  /** Only the patient-specific blocks, as text. */
  specificText(): string {
    return this.blocks.filter((b) => !b.template).map(blockText).join('\n\n') + '\n';
  }

  /** The rows of the document's tables (lab results), for callers that need them directly. */
  tableRows(): string[][] {
    return this.blocks.flatMap((b) => (b.type === 'table' ? b.rows : []));
  }
}

export function tableText(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [columns, ...rows];
  const widths = columns.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

function blockText(b: Block): string {
  switch (b.type) {
    case 'letterhead': return b.lines.join('\n');
    case 'title': return b.text;
    case 'fields': return b.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
    case 'heading': return b.text;
    case 'paragraph': return b.text;
    case 'table': return tableText(b.columns, b.rows);
  }
}

const T = true;
const P = false;
const para = (text: string, template = P): Block => ({ type: 'paragraph', text, template });
const heading = (text: string, template = T): Block => ({ type: 'heading', text, template });

/** A document date after the patient's birth, up to the reference date (2015 onwards). */
export function drawDocDate(rng: Rng, patient: Patient): string {
  const from = patient.dateOfBirth > '2015-01-01' ? patient.dateOfBirth : '2015-01-01';
  const span = Math.max(1, Math.round((Date.parse(REFERENCE_DATE) - Date.parse(from)) / 86_400_000));
  return addDays(from, rng.int(Math.min(span, 14), span));
}

function patientFields(p: Patient, extra: Field[] = []): Field[] {
  return [
    { label: 'Patient', value: p.fullName },
    { label: 'NHI', value: p.nhi },
    { label: 'DOB', value: formatDateNz(p.dateOfBirth) },
    ...extra,
  ];
}

export function clinicalNote(rng: Rng, id: string, patient: Patient, date: string): SynthDocument {
  const author = patient.gp;
  const blocks: Block[] = [
    { type: 'letterhead', lines: [patient.practice.name], template: T },
    { type: 'title', text: 'Consultation Note', template: T },
    {
      type: 'fields',
      fields: patientFields(patient, [
        { label: 'Date', value: formatDateNz(date) },
        { label: 'Clinician', value: author },
      ]),
      template: P,
    },
  ];
  for (const s of generateNoteSections(rng, patient, date)) {
    blocks.push(heading(s.heading, P));
    for (const p of s.paragraphs) blocks.push(para(p));
  }
  blocks.push(para(`Electronically signed by ${author} on ${formatDateNz(date)} at ${rng.int(8, 18)}:${String(rng.int(0, 59)).padStart(2, '0')}.`));
  return new SynthDocument({ id, kind: 'clinical-note', subtype: 'gp', patient, title: 'Consultation Note', date, author, blocks });
}

export function labReport(rng: Rng, id: string, patient: Patient, date: string): SynthDocument {
  const collected = date;
  const reported = addDays(date, rng.int(0, 2));
  const panels = rng.sample(PANELS, rng.int(1, 4));
  const flagged: string[] = [];
  const blocks: Block[] = [
    { type: 'letterhead', lines: [...B.LAB_LETTERHEAD], template: T },
    { type: 'title', text: B.LAB_TITLE, template: T },
    {
      type: 'fields',
      fields: patientFields(patient, [
        { label: 'Sex', value: patient.sex },
        { label: 'Address', value: formatAddress(patient.address) },
        { label: 'Lab number', value: `KV${rng.int(10_000_000, 99_999_999)}` },
        { label: 'Collected', value: `${formatDateNz(collected)} ${rng.int(7, 16)}:${String(rng.int(0, 59)).padStart(2, '0')}` },
        { label: 'Reported', value: formatDateNz(reported) },
        { label: 'Requested by', value: `${patient.gp}, ${patient.practice.name}` },
      ]),
      template: P,
    },
  ];
  for (const panel of panels) {
    const rows = panel.analytes.map((x) => {
      const v = drawValue(rng, x);
            if (v.flag) flagged.push(`${analyteProse(x.name)} ${v.flag === 'H' ? 'raised' : 'low'} at ${v.value}`);
      return [x.name, v.value, x.unit, formatRange(x), v.flag];
    });
        // Panel names come from a fixed list but vary per report, so they are not template text.
    blocks.push(heading(panel.name, P), { type: 'table', columns: ['Test', 'Result', 'Units', 'Reference', 'Flag'], rows, template: P });
  }
  // The patient-specific comment: flags plus a little clinical context from the request.
  const comment = [
    flagged.length ? `Note ${flagged.slice(0, 3).join(', ')}.` : 'All results within reference intervals.',
    `Clinical details: ${generateProse(rng, patient, date, rng.int(1, 2))}`,
  ].join(' ');
  blocks.push(heading('Comment'), para(comment));
  for (const text of B.LAB_BOILERPLATE) blocks.push(para(text, T));
    blocks.push(para(`Authorised by ${rng.pick(B.LAB_SIGNATORIES)}`, P), para(B.LAB_END, T));
  return new SynthDocument({ id, kind: 'lab-report', subtype: 'lab', patient, title: B.LAB_TITLE, date, author: B.LAB_NAME, blocks });
}

/** The hospital department a referral about each theme goes to. */
const SPECIALTY: Readonly<Record<string, string>> = {
  respiratory: 'Respiratory Medicine', cardiovascular: 'Cardiology', musculoskeletal: 'Orthopaedics',
  gastrointestinal: 'Gastroenterology', 'mental-health': 'Mental Health Services', dermatology: 'Dermatology',
  metabolic: 'Endocrinology', 'ent-infection': 'ENT', genitourinary: 'Urology', neurology: 'Neurology',
  'womens-health': 'Gynaecology', injury: 'General Surgery',
};

function consultant(rng: Rng): string {
  return `Dr ${rng.pick(rng.chance(0.5) ? GIVEN_FEMALE : GIVEN_MALE)} ${rng.pick(FAMILY)}`;
}

export function referralLetter(rng: Rng, id: string, patient: Patient, date: string): SynthDocument {
  const theme = pickTheme(rng, patient, date);
  const f = makeFiller(rng, patient, date, theme);
  const to = consultant(rng);
    const specialty = SPECIALTY[theme.name] ?? 'General Medicine';
  const age = Math.max(0, ageOn(patient.dateOfBirth, date));
  const blocks: Block[] = [
    { type: 'letterhead', lines: B.practiceLetterhead(patient.practice), template: T },
    para(formatDateLong(date)),
    para(`${to}\n${specialty}\n${B.HOSPITAL_NAME}`),
        para(`Dear Dr ${to.split(' ').slice(-1)[0] ?? ''},`),
    { type: 'fields', fields: patientFields(patient, [{ label: 'Address', value: formatAddress(patient.address) }]), template: P },
    para(f.fill(`Thank you for seeing this ${age}-year-old with {complaint} for {duration}. `) + generateProse(rng, patient, date, rng.int(3, 6), theme)),
    para(generateProse(rng, patient, date, rng.int(2, 5), theme)),
    para(f.fill('Current medicines: {anymed}; {anymed}. Past history of {chronic} and {chronic}.')),
    para(f.fill('I would value your opinion regarding {dx} and whether {test} is indicated.')),
  ];
  for (const text of B.REFERRAL_CLOSING) blocks.push(para(text, T));
  blocks.push(para(`Yours sincerely,\n${patient.gp}\n${patient.practice.name}`));
  return new SynthDocument({ id, kind: 'letter', subtype: 'referral', patient, title: `Referral to ${specialty}`, date, author: patient.gp, blocks });
}

export function dischargeSummary(rng: Rng, id: string, patient: Patient, date: string): SynthDocument {
  const theme = pickTheme(rng, patient, date);
  const f = makeFiller(rng, patient, date, theme);
  const admitted = addDays(date, -rng.int(1, 12));
  const meds = Array.from({ length: rng.int(1, 5) }, () => f.medLine());
  const blocks: Block[] = [
    { type: 'letterhead', lines: [...B.HOSPITAL_LETTERHEAD], template: T },
    { type: 'title', text: B.DISCHARGE_TITLE, template: T },
    {
      type: 'fields',
      fields: patientFields(patient, [
        { label: 'Admitted', value: formatDateNz(admitted) },
        { label: 'Discharged', value: formatDateNz(date) },
        { label: 'Ward', value: `Ward ${rng.int(10, 29)}${rng.pick(['', 'A', 'B'])}` },
        { label: 'Consultant', value: consultant(rng) },
        { label: 'GP', value: `${patient.gp}, ${patient.practice.name}` },
      ]),
      template: P,
    },
    heading('Principal diagnosis'), para(f.fill('{dx}')),
    heading('Clinical course'), para(generateProse(rng, patient, date, rng.int(4, 9), theme)),
    para(generateProse(rng, patient, date, rng.int(2, 6), theme)),
    heading('Medicines on discharge'), ...meds.map((m) => para(m.charAt(0).toUpperCase() + m.slice(1))),
    heading('Follow-up'), para(f.fill('Review with {gp} on {futuredate}. {safetynet} {safety}.')),
  ];
  for (const text of B.DISCHARGE_CLOSING) blocks.push(para(text, T));
  return new SynthDocument({ id, kind: 'letter', subtype: 'discharge', patient, title: B.DISCHARGE_TITLE, date, author: B.HOSPITAL_NAME, blocks });
}

/** A stable (per clinician name) Medical Council registration number. */
function registration(name: string): string {
  return String(10_000 + (deriveSeed(name) % 89_999));
}

export function prescription(rng: Rng, id: string, patient: Patient, date: string): SynthDocument {
  const f = makeFiller(rng, patient, date);
  const blocks: Block[] = [
    { type: 'letterhead', lines: B.practiceLetterhead(patient.practice), template: T },
    { type: 'title', text: B.PRESCRIPTION_TITLE, template: T },
    {
      type: 'fields',
      fields: patientFields(patient, [
        { label: 'Address', value: formatAddress(patient.address) },
        { label: 'Date', value: formatDateNz(date) },
      ]),
      template: P,
    },
  ];
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    const line = f.fill('{anymed}');
    blocks.push(para(`${line}. Quantity: ${rng.int(1, 12) * 7}. Repeats: ${rng.int(0, 2)}.`));
  }
  blocks.push(para(`Prescriber: ${patient.gp}, MCNZ ${registration(patient.gp)}`));
  for (const text of B.PRESCRIPTION_FOOTER) blocks.push(para(text, T));
  return new SynthDocument({ id, kind: 'prescription', subtype: 'gp', patient, title: B.PRESCRIPTION_TITLE, date, author: patient.gp, blocks });
}

/** Builds document `id` of `kind`; all randomness comes from `rng`. */
export function makeDocument(rng: Rng, kind: DocKind, id: string, patient: Patient, date?: string): SynthDocument {
  const d = date ?? drawDocDate(rng, patient);
  switch (kind) {
    case 'clinical-note': return clinicalNote(rng, id, patient, d);
    case 'lab-report': return labReport(rng, id, patient, d);
    case 'letter': return rng.chance(0.5) ? referralLetter(rng, id, patient, d) : dischargeSummary(rng, id, patient, d);
    case 'prescription': return prescription(rng, id, patient, d);
  }
}



