/**
 * Whole synthetic corpora: a plan (which patient, kind, format and path each file gets),
 * then rendering and writing. Everything about item i depends only on (seed, space, i), so
 * output is byte-identical across runs and independent of concurrency, and the first N
 * documents of a larger corpus are the same as those of a corpus of N.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LeakwatchError, throwIfAborted } from '../errors.js';
import { DOC_KINDS, type DocKind, type SynthDocument, drawDocDate, makeDocument } from './documents.js';
import { renderPassport, renderPhoto } from './images.js';
import { makePatient, type IdSpace, type Patient } from './patients.js';
import { extensionFor, renderDocument, type DocFormat } from './render.js';
import { deriveSeed, rngFor } from './rng.js';

export const KINDS = [...DOC_KINDS, 'photo', 'passport'] as const;
export type Kind = (typeof KINDS)[number];
export type FileFormat = DocFormat;

/** Share of each kind in a default corpus. */
export const DEFAULT_MIX: Readonly<Record<Kind, number>> = {
  'clinical-note': 35, 'lab-report': 20, letter: 15, prescription: 10, photo: 12, passport: 8,
};

/** Formats each kind is saved in, by weight. pdfkit is off unless asked for (see weights()). */
const FORMAT_WEIGHTS: Readonly<Record<Kind, Partial<Record<FileFormat, number>>>> = {
  'clinical-note': { txt: 30, pdf: 35, docx: 30, png: 5 },
  'lab-report': { pdf: 65, docx: 10, txt: 10, png: 10, jpeg: 5 },
  letter: { pdf: 50, docx: 40, txt: 5, jpeg: 5 },
  prescription: { pdf: 55, png: 20, jpeg: 15, txt: 10 },
  photo: { jpeg: 75, png: 25 },
  passport: { jpeg: 60, png: 40 },
};

export const DEFAULT_FORMATS: readonly FileFormat[] = ['txt', 'pdf', 'docx', 'png', 'jpeg'];

export interface CorpusOptions {
  seed: number;
  /** Number of files. */
  documents: number;
  /** Relative weights per kind; kinds left out keep their default weight, 0 disables a kind. */
  mix?: Partial<Record<Kind, number>>;
  /** Formats allowed (default: all but pdfkit). With 'pdfkit', PDFs are split between producers. */
  formats?: readonly FileFormat[];
  /** 'main' (default) or 'unrelated': disjoint patient identities, different text. */
  space?: IdSpace;
  /** Folder layout: patients/<recordKey>/... (default) or practices/<practice>/<recordKey>/... */
  layout?: 'patient' | 'practice';
  /** Also write the manifest as JSON here; must be outside `dir`. */
  manifestPath?: string;
  /** Files rendered at once (default 4); output does not depend on it. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface ManifestEntry {
  /** Path relative to the corpus directory, '/'-separated. */
  path: string;
  kind: Kind;
  /** "referral"/"discharge" for letters, "gp"/"lab" for others, "image" for images. */
  subtype: string;
  format: FileFormat;
  recordKey: string;
  nhi: string;
  docId: string;
  date: string;
  bytes: number;
  sha256: string;
}

export interface CorpusManifest {
  generator: 'leakwatch-synth';
  version: 1;
  seed: number;
  space: IdSpace;
  documents: number;
  entries: ManifestEntry[];
  patients: Array<{ recordKey: string; nhi: string; fullName: string; dateOfBirth: string }>;
}

export interface PlannedItem {
  index: number;
  kind: Kind;
  format: FileFormat;
  patient: Patient;
  docId: string;
  date: string;
  path: string;
}

function weights(kind: Kind, allowed: ReadonlySet<FileFormat>): Array<readonly [FileFormat, number]> {
  const base = FORMAT_WEIGHTS[kind];
  const out: Array<readonly [FileFormat, number]> = [];
    for (const [f, w] of Object.entries(base) as Array<[FileFormat, number]>) {
    if (f === 'pdf' && allowed.has('pdfkit')) {
      // PDFs come from either producer when both are allowed, from pdfkit when only it is.
      if (allowed.has('pdf')) out.push(['pdf', w / 2]);
      out.push(['pdfkit', allowed.has('pdf') ? w / 2 : w]);
    } else if (allowed.has(f)) {
      out.push([f, w]);
    }
  }
  return out;
}

/** Documents per patient: mostly a few, sometimes many (a long-standing patient's record). */
function docsForPatient(seed: number, space: IdSpace, patientIndex: number): number {
  const r = rngFor(seed, space, 'docs-per-patient', patientIndex);
  return r.chance(0.1) ? r.int(8, 20) : r.int(1, 6);
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The corpus plan: one item per file, with its patient, kind, format and relative path. */
export function planCorpus(opts: Pick<CorpusOptions, 'seed' | 'documents' | 'mix' | 'formats' | 'space' | 'layout'>): PlannedItem[] {
  const { seed, documents } = opts;
  const space = opts.space ?? 'main';
  const allowed = new Set(opts.formats ?? DEFAULT_FORMATS);
  const mix = KINDS.map((k) => [k, weights(k, allowed).length ? (opts.mix?.[k] ?? DEFAULT_MIX[k]) : 0] as const).filter(([, w]) => w > 0);
  if (mix.length === 0) throw new LeakwatchError('E_USAGE', 'no document kind can be produced in the allowed formats');
  const items: PlannedItem[] = [];
  const used = new Set<string>();
  let patientIndex = 0;
  let left = docsForPatient(seed, space, 0);
  let patient = makePatient(seed, 0, space);
  for (let i = 0; i < documents; i++) {
    if (left === 0) {
      patientIndex++;
      left = docsForPatient(seed, space, patientIndex);
      patient = makePatient(seed, patientIndex, space);
    }
    left--;
    const r = rngFor(seed, space, 'item', i);
    const kind = r.weighted(mix);
    const format = r.weighted(weights(kind, allowed));
    const date = drawDocDate(r, patient);
    const folder = opts.layout === 'practice' ? `practices/${slug(patient.practice.name)}/${patient.recordKey}` : `patients/${patient.recordKey}`;
    let path = `${folder}/${kind}-${date}.${extensionFor(format)}`;
    for (let n = 2; used.has(path); n++) path = `${folder}/${kind}-${date}-${n}.${extensionFor(format)}`;
    used.add(path);
    items.push({ index: i, kind, format, patient, docId: `${space}-${seed}-${i}`, date, path });
  }
  return items;
}

/** The structured document of a planned text item (undefined for images). */
export function documentFor(seed: number, item: PlannedItem): SynthDocument | undefined {
  if (item.kind === 'photo' || item.kind === 'passport') return undefined;
  const rng = rngFor(seed, item.patient.space, 'doc', item.index);
  return makeDocument(rng, item.kind, item.docId, item.patient, item.date);
}

async function renderItem(seed: number, item: PlannedItem): Promise<{ bytes: Buffer; subtype: string }> {
  if (item.kind === 'photo') {
    const format = item.format === 'png' ? 'png' : 'jpeg';
    return { bytes: await renderPhoto(deriveSeed(seed, item.patient.space, 'photo', item.index), { format }), subtype: 'image' };
  }
  if (item.kind === 'passport') {
    const format = item.format === 'png' ? 'png' : 'jpeg';
    return { bytes: await renderPassport(item.patient, seed, { format }, item.index), subtype: 'image' };
  }
  const doc = documentFor(seed, item);
  if (!doc) throw new Error('unreachable: text item without a document');
  return { bytes: await renderDocument(doc, item.format), subtype: doc.subtype };
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

/**
 * Writes a corpus under `dir` and returns its manifest (entries sorted by path). The manifest
 * is written only when `manifestPath` is given, and never inside the corpus, so that
 * ingesting the corpus does not ingest its answer key.
 */
export async function generateCorpus(dir: string, opts: CorpusOptions): Promise<CorpusManifest> {
  if (!Number.isInteger(opts.documents) || opts.documents < 0) throw new LeakwatchError('E_USAGE', `documents must be a non-negative integer, got ${opts.documents}`);
  if (opts.manifestPath && isInside(dir, opts.manifestPath)) {
    throw new LeakwatchError('E_USAGE', 'the manifest must be written outside the corpus directory', { input: opts.manifestPath });
  }
  throwIfAborted(opts.signal);
  const space = opts.space ?? 'main';
  const items = planCorpus(opts);
  const entries: ManifestEntry[] = new Array<ManifestEntry>(items.length);
  const made = new Set<string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (!item) break;
      throwIfAborted(opts.signal);
      const { bytes, subtype } = await renderItem(opts.seed, item);
      const file = join(dir, ...item.path.split('/'));
      const folder = dirname(file);
      if (!made.has(folder)) {
        await mkdir(folder, { recursive: true });
        made.add(folder);
      }
      await writeFile(file, bytes);
      entries[item.index] = {
        path: item.path,
        kind: item.kind,
        subtype,
        format: item.format,
        recordKey: item.patient.recordKey,
        nhi: item.patient.nhi,
        docId: item.docId,
        date: item.date,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 4, 32));
  await Promise.all(Array.from({ length: n }, worker));
  const patients = new Map<string, Patient>();
  for (const it of items) patients.set(it.patient.recordKey, it.patient);
  const manifest: CorpusManifest = {
    generator: 'leakwatch-synth',
    version: 1,
    seed: opts.seed,
    space,
    documents: items.length,
    entries: entries.slice().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    patients: [...patients.values()]
      .map((p) => ({ recordKey: p.recordKey, nhi: p.nhi, fullName: p.fullName, dateOfBirth: p.dateOfBirth }))
      .sort((a, b) => (a.recordKey < b.recordKey ? -1 : 1)),
  };
  if (opts.manifestPath) {
    await mkdir(dirname(opts.manifestPath), { recursive: true });
    await writeFile(opts.manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  }
  return manifest;
}

/** The same as generateCorpus with space 'unrelated': a corpus for false-match tests. */
export function generateUnrelatedCorpus(dir: string, opts: Omit<CorpusOptions, 'space'>): Promise<CorpusManifest> {
  return generateCorpus(dir, { ...opts, space: 'unrelated' });
}

export interface GenerateDocumentsOptions {
  space?: IdSpace;
  /** Relative weights of the text kinds (images are never produced here). */
  mix?: Partial<Record<DocKind, number>>;
}

/**
 * `count` structured text documents, without writing anything: for benchmarks that need the
 * text itself or want to render one document in several formats. Document i is the same as
 * the text document at plan position i of a TXT-only corpus with the same seed and mix.
 */
export function generateDocuments(seed: number, count: number, opts: GenerateDocumentsOptions = {}): SynthDocument[] {
  const mix: Partial<Record<Kind, number>> = { photo: 0, passport: 0, ...opts.mix };
  const items = planCorpus({ seed, documents: count, mix, formats: ['txt'], space: opts.space ?? 'main' });
  return items.map((it) => documentFor(seed, it)).filter((d): d is SynthDocument => d !== undefined);
}

/** Documents from the unrelated space: same kinds and templates, other patients and text. */
export function generateUnrelatedDocuments(seed: number, count: number, opts: Omit<GenerateDocumentsOptions, 'space'> = {}): SynthDocument[] {
  return generateDocuments(seed, count, { ...opts, space: 'unrelated' });
}
