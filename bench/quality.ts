import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { SimHash } from 'simhash-js';
import yazl from 'yazl';
import { extractBuffer } from '../src/extract/extract-file.js';
import { OcrPool, applyOcr } from '../src/extract/ocr/index.js';
import type { ExtractedItem } from '../src/extract/types.js';
import { fingerprintItem } from '../src/fingerprint/fingerprint-item.js';
import { pdqHammingHex } from '../src/fingerprint/pdq.js';
import { simhashDistance, simhashFromHex } from '../src/fingerprint/simhash.js';
import type { ItemFingerprint } from '../src/fingerprint/types.js';
import { ingestCorpus } from '../src/ingest/index.js';
import { Matcher } from '../src/match/matcher.js';
import { separatePassages } from '../src/match/partial.js';
import type { Match } from '../src/match/types.js';
import type { FingerprintStore } from '../src/store/fingerprint-store.js';
import {
  Rng,
  cropImage,
  deriveSeed,
  documentFor,
  editWords,
  excerpt,
  generateCorpus,
  generateUnrelatedDocuments,
  makePatient,
  planCorpus,
  reencodeJpeg,
  reflow,
  renderDocument,
  renderPassport,
  renderPdfKit,
  renderPdfLib,
  renderPhoto,
  renderScan,
  resizeImage,
  rotateImage,
  wordCount,
  type ManifestEntry,
  type SynthDocument,
} from '../src/synth/index.js';
import { tempStore, textItem } from '../test/helpers/store.js';
import { fmt, markdownTable } from './lib/report.js';
import { inParallel } from './lib/parallel.js';

/**
 * Benchmark 3: detection quality. A generated corpus (notes, lab reports, letters,
 * prescriptions as TXT/PDF/DOCX/page scans; photos; passport scans) is fingerprinted into a
 * temp store with the real ingest pipeline. For each transformation a leak might apply,
 * samples are made from corpus documents and matched with the library API; recall is the
 * share of samples whose FIRST match is the document they came from (and, less strictly,
 * the share where it is anywhere among the matches). Then documents, photos and scans that
 * are NOT in the corpus (same templates, other patients) are matched: any match is a false
 * match. simhash-js (32-bit, Hamming ≤ 3, brute force over the corpus texts) is measured on
 * the same samples as the baseline.
 */
export interface QualityOptions {
  /** Files in the corpus (mixed kinds and formats). */
  documents: number;
  /** Samples per transformation (fewer when not enough corpus documents qualify). */
  perTransform: number;
  /** Unrelated text documents matched for false matches (≥ 10,000 in the full run). */
  unrelated: number;
  /** Document page scans per image transformation matched with OCR (0: none). */
  ocrScans: number;
  /** Unrelated documents of which 50- and 100-word excerpts are matched. */
  unrelatedExcerpts: number;
  /** Unrelated documents rendered as (often multi-page) PDFs by the corpus's producer. */
  unrelatedPdfs: number;
  /** Unrelated photos and passport scans. */
  unrelatedPictures: number;
  /** Unrelated document page scans. */
  unrelatedScans: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface QualityResult {
  markdown: string;
  rows: RowResult[];
  falseRows: FalseRow[];
}

export interface RowResult {
  name: string;
  target?: number;
  samples: number;
  first: number;
  anywhere: number;
  /** Samples for which some other known document was also reported. */
  othersToo: number;
  methods: Record<string, number>;
  baseline?: { samples: number; first: number; anywhere: number };
  /** Excerpts made only of template text (no patient-specific word): no method can attribute them. */
  templateOnly?: { samples: number; first: number };
  /** Examples of other documents reported next to (or instead of) the right one. */
  othersExamples: string[];
  /** Misses per document kind. */
  missKinds: Record<string, number>;
  /** Why samples missed: cause → count. */
  causes: Record<string, number>;
  failures: string[];
}

export interface FalseRow {
  name: string;
  samples: number;
  falseMatches: number;
  byMethod: Record<string, number>;
  examples: string[];
  baseline?: { samples: number; falseMatches: number };
}

const BASELINE_MAX_DISTANCE = 3;

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** simhash-js over the corpus texts, compared by brute force as the design notes describe. */
class Baseline {
  private readonly sj = new SimHash();
  private readonly hashes: number[] = [];
  private readonly docs: string[] = [];

  add(doc: string, text: string): void {
    this.hashes.push(this.sj.hash(text) >>> 0);
    this.docs.push(doc);
  }

  get size(): number {
    return this.docs.length;
  }

  /** Corpus documents within 3 bits, nearest first (ties by path, as leakwatch breaks ties). */
  match(text: string): string[] {
    const h = this.sj.hash(text) >>> 0;
    const hits: { d: number; doc: string }[] = [];
    for (let i = 0; i < this.hashes.length; i++) {
      const d = popcount32((h ^ (this.hashes[i] as number)) >>> 0);
      if (d <= BASELINE_MAX_DISTANCE) hits.push({ d, doc: this.docs[i] as string });
    }
    hits.sort((a, b) => a.d - b.d || a.doc.localeCompare(b.doc));
    return hits.map((x) => x.doc);
  }
}

const hasText = (t: string | undefined): t is string => t !== undefined && /\S/.test(t);

function describe(m: Match | undefined): string {
  if (!m) return 'no match';
  const d = m.details;
  const how =
    m.method === 'text' && d.text ? (d.text.scope === 'page' ? `same text as page ${d.text.documentPage ?? '?'} of the document${d.text.samplePage ? `, sample page ${d.text.samplePage}` : ''}` : 'same text') :
    m.method === 'near' && d.near ? `distance ${d.near.distance}` :
    m.method === 'partial' && d.partial ? `${d.partial.matchedFingerprints}/${d.partial.sampleFingerprints} fp, containment ${fmt(d.partial.containment, 2)}` :
    m.method === 'image' && d.image ? `distance ${d.image.distance}${d.image.transform !== 'as is' ? `, ${d.image.transform}` : ''}` : '';
  return `${m.method}${how ? ` (${how})` : ''} → ${m.document}`;
}

function zip(files: { name: string; data: Buffer }[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const f of files) z.addBuffer(f.data, f.name, { mtime: new Date('2024-05-01T00:00:00Z') });
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

async function itemsOf(bytes: Buffer, name: string, ocr = false): Promise<ExtractedItem[]> {
  const out: ExtractedItem[] = [];
  for await (const x of extractBuffer(bytes, name, ocr ? { ocr: true } : {})) if ('sha256' in x) out.push(x);
  return out;
}

/** A one-page PDF holding page `k` (0-based) of `pdf`, as "page 3 of the report" posted alone. */
async function onePage(pdf: Buffer, k: number): Promise<Buffer> {
  const src = await PDFDocument.load(pdf);
  const out = await PDFDocument.create({ updateMetadata: false });
  const [page] = await out.copyPages(src, [k]);
  if (!page) throw new Error(`no page ${k}`);
  out.addPage(page);
  return Buffer.from(await out.save());
}

const norm = (s: string): string => s.toLowerCase().split(/\s+/).filter(Boolean).join(' ');

class Evaluator {
  readonly rows: RowResult[] = [];
  readonly falseRows: FalseRow[] = [];

  constructor(
    private readonly store: FingerprintStore,
    private readonly matcher: Matcher,
    private readonly baseline: Baseline,
  ) {}

  row(name: string, target?: number): RowResult {
    const r: RowResult = { name, samples: 0, first: 0, anywhere: 0, othersToo: 0, methods: {}, causes: {}, missKinds: {}, othersExamples: [], failures: [], ...(target !== undefined ? { target } : {}) };
    this.rows.push(r);
    return r;
  }

  falseRow(name: string): FalseRow {
    const r: FalseRow = { name, samples: 0, falseMatches: 0, byMethod: {}, examples: [] };
    this.falseRows.push(r);
    return r;
  }

  matchItem(item: ExtractedItem): { fp: ItemFingerprint; matches: Match[] } {
    const fp = fingerprintItem(item, this.store.keys, { dihedral: true });
    return { fp, matches: this.matcher.match(fp) };
  }

  /**
   * Why a sample missed its document: for text, how many of the sample's winnowing
   * fingerprints the right document holds and how common they are in the store, and the
   * simhash distance; for images, the nearest PDQ distance to the right document's hashes.
   */
  diagnose(fp: ItemFingerprint, expected: string): { cause: string; detail: string } {
    const o = this.matcher.options;
    const doc = this.store.db.prepare('SELECT id, simhash FROM documents WHERE path = ?').get(expected) as { id: number; simhash: string | null } | undefined;
    if (!doc) return { cause: 'right document not in the store', detail: '' };
    const out: string[] = [];
    let cause = 'other';
    if (fp.winnowHashes.length > 0) {
      const postings = this.store.db.prepare('SELECT doc_id, pos FROM winnow WHERE hash = ? LIMIT 1000');
      const distinct = new Set(fp.winnowHashes);
      let inRight = 0;
      let unique = 0;
      const uniqueAt: number[] = [];
      let shared = 0;
      let common = 0;
      for (const h of distinct) {
        const rows = postings.all(h) as { doc_id: number; pos: number }[];
        const holders = new Set(rows.map((r) => r.doc_id));
        if (!holders.has(doc.id)) continue;
        inRight++;
        if (holders.size === 1) {
          unique++;
          uniqueAt.push((rows[0] as { pos: number }).pos);
        } else if (holders.size <= o.dfMax) shared++;
        else common++;
      }
      const passages = separatePassages(uniqueAt);
      out.push(`${fp.tokens} words, ${distinct.size} fingerprints, ${inRight} in the right document (${unique} only there, in ${passages} separate passage${passages === 1 ? '' : 's'}; ${shared} in 2–${o.dfMax} documents, ${common} in more: boilerplate)`);
      if (fp.simhash && doc.simhash) out.push(`simhash distance ${simhashDistance(simhashFromHex(fp.simhash), simhashFromHex(doc.simhash))}`);
      if (unique === 0) cause = `no fingerprint only in the right document (all shared with other documents or boilerplate in > ${o.dfMax})`;
      else if (passages < o.minUnique && unique + shared < o.minMatched) cause = `one passage only in the right document (${o.minUnique} separate ones, or ${o.minMatched} fingerprints in all, are needed)`;
      else if (unique + shared < o.minMatched) cause = `fewer than ${o.minMatched} usable fingerprints in the right document`;
      else cause = 'usable fingerprints below the containment / coverage thresholds';
    }
    if (fp.pdq.length > 0) {
      const stored = this.store.db.prepare('SELECT pdq, quality FROM images WHERE doc_id = ?').all(doc.id) as { pdq: string; quality: number }[];
      let best = 256;
      for (const img of fp.pdq) for (const h of img.dihedral ?? [img.hash]) for (const s of stored) best = Math.min(best, pdqHammingHex(h, s.pdq));
      if (stored.length === 0) out.push('right document has no image hash');
      else {
        out.push(`nearest PDQ distance to the right image ${best} (limit ${o.pdqMaxDistance}), quality ${fp.pdq.map((p) => p.quality).join('/')}`);
        if (fp.winnowHashes.length === 0) cause = fp.pdq.every((p) => p.quality < o.pdqMinQuality) ? `image quality under ${o.pdqMinQuality}` : best <= o.pdqMaxDistance ? 'PDQ within the limit but not reported' : `PDQ distance over ${o.pdqMaxDistance} (${best > 2 * o.pdqMaxDistance ? 'over 2× the limit' : 'within 2× the limit'})`;
      }
    }
    return { cause, detail: out.join('; ') };
  }

  /** One sample whose right answer is `expected`. */
  sample(row: RowResult, expected: string, item: ExtractedItem | undefined, label: string, templateOnly = false, kind = ''): void {
    row.samples++;
    const r = item ? this.matchItem(item) : undefined;
    const matches = r?.matches ?? [];
    const first = matches[0];
    const ok = first?.document === expected;
    if (ok) row.first++;
    const at = matches.findIndex((m) => m.document === expected);
    if (at >= 0) row.anywhere++;
    const others = matches.filter((m) => m.document !== expected);
    if (others.length > 0) {
      row.othersToo++;
      if (row.othersExamples.length < 4) row.othersExamples.push(`${label}: ${others.slice(0, 3).map(describe).join('; ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''}`);
    }
    const method = first ? (ok ? first.method : `wrong: ${first.method}`) : 'none';
    row.methods[method] = (row.methods[method] ?? 0) + 1;
    if (templateOnly) {
      row.templateOnly ??= { samples: 0, first: 0 };
      row.templateOnly.samples++;
      if (ok) row.templateOnly.first++;
    }
    if (!ok) {
      const d = r ? this.diagnose(r.fp, expected) : { cause: 'sample could not be extracted', detail: '' };
      const cause = first ? `another document ranked first (${first.method})` : d.cause;
      row.causes[cause] = (row.causes[cause] ?? 0) + 1;
      if (kind) row.missKinds[kind] = (row.missKinds[kind] ?? 0) + 1;
      const words = item?.text?.split(/\s+/).filter(Boolean) ?? [];
      const quote = words.length ? ` “${words.slice(0, 12).join(' ')}${words.length > 12 ? ' …' : ''}”` : '';
      row.failures.push(`${label}${templateOnly ? ' [template text only]' : ''}${quote}: ${describe(first)}${at > 0 ? ` (right document at position ${at + 1})` : ''}${d.detail ? ` — ${d.detail}` : ''}`);
    }
    if (item && hasText(item.text)) {
      row.baseline ??= { samples: 0, first: 0, anywhere: 0 };
      row.baseline.samples++;
      const b = this.baseline.match(item.text);
      if (b[0] === expected) row.baseline.first++;
      if (b.includes(expected)) row.baseline.anywhere++;
    }
  }

  /** One item that is in no way part of the corpus: every match is a false match. */
  unrelated(row: FalseRow, item: ExtractedItem, withBaseline: boolean): void {
    row.samples++;
    const { matches } = this.matchItem(item);
    if (matches.length > 0) {
      row.falseMatches++;
      for (const m of matches) row.byMethod[m.method] = (row.byMethod[m.method] ?? 0) + 1;
      if (row.examples.length < 8) row.examples.push(`${item.path}: ${matches.map(describe).join('; ')}`);
    }
    if (withBaseline && hasText(item.text)) {
      row.baseline ??= { samples: 0, falseMatches: 0 };
      row.baseline.samples++;
      if (this.baseline.match(item.text).length > 0) row.baseline.falseMatches++;
    }
  }
}

function pick<T>(items: readonly T[], n: number, rng: Rng): T[] {
  return rng.shuffle([...items]).slice(0, n);
}

export async function qualityBench(o: QualityOptions): Promise<QualityResult> {
  const log = o.log ?? (() => {});
  const seed = o.seed ?? 31_337;
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-quality-'));
  const stage = (what: string): void => log(`quality: ${what} (${fmt((performance.now() - started) / 1000, 0)} s)`);
  try {
    const corpus = join(dir, 'corpus');
    stage(`generating a corpus of ${o.documents} files`);
    const manifest = await generateCorpus(corpus, { seed, documents: o.documents });
    const plan = new Map(planCorpus({ seed, documents: o.documents }).map((p) => [p.path, p]));
    const docOf = (e: ManifestEntry): SynthDocument | undefined => {
      const p = plan.get(e.path);
      return p && documentFor(seed, p);
    };
    const bytesOf = (e: ManifestEntry): Buffer => readFileSync(join(corpus, ...e.path.split('/')));

    stage(`fingerprinting the corpus (ingestCorpus, 2 workers${o.ocrScans > 0 ? ', OCR of page scans' : ''})`);
    const store = tempStore(join(dir, 'store'));
    const failures: string[] = [];
    // With OCR rows, the corpus is fingerprinted as `fingerprint add --ocr` does (page scans read).
    const summary = await ingestCorpus({ store, setName: 'corpus', paths: [corpus], workers: 2, ocr: o.ocrScans > 0, onFailure: (f) => failures.push(`${f.path}: ${f.message}`) });
    const matcher = new Matcher(store);

    stage('simhash-js baseline over the corpus texts');
    const baseline = new Baseline();
    for (const e of manifest.entries) {
      if (e.format === 'png' || e.format === 'jpeg') continue;
      const [item] = await itemsOf(bytesOf(e), basename(e.path));
      if (item && hasText(item.text)) baseline.add(e.path, item.text);
    }

    const ev = new Evaluator(store, matcher, baseline);
    const rng = new Rng(deriveSeed(seed, 'quality-samples'));
    const P = o.perTransform;
    const entries = manifest.entries;
    const textEntries = entries.filter((e) => e.format === 'txt' || e.format === 'pdf' || e.format === 'docx');
    const isPicture = (e: ManifestEntry): boolean => e.kind === 'photo' || e.kind === 'passport';
    const pictures = entries.filter(isPicture);
    const scans = entries.filter((e) => !isPicture(e) && (e.format === 'png' || e.format === 'jpeg'));
    const label = (e: ManifestEntry, extra = ''): string => `${e.path} (${e.kind}${e.subtype !== e.kind && e.subtype !== 'gp' && e.subtype !== 'lab' && e.subtype !== 'image' ? `/${e.subtype}` : ''}, ${e.format})${extra}`;

    // Unrelated documents: used inside dump archives and for false matches.
    const unrelatedDocs = generateUnrelatedDocuments(deriveSeed(seed, 'unrelated'), o.unrelated);

    stage('exact copies');
    {
      const row = ev.row('exact copy of the file (all kinds)', 1);
      for (const e of pick(entries, P, rng)) ev.sample(row, e.path, (await itemsOf(bytesOf(e), basename(e.path)))[0], label(e), false, e.kind);
    }

    stage('PDFs re-generated by another producer');
    {
      const row = ev.row('PDF re-generated by another producer (pdf-lib → pdfkit)', 1);
      for (const e of pick(entries.filter((x) => x.format === 'pdf'), P, rng)) {
        const doc = docOf(e);
        if (!doc) continue;
        ev.sample(row, e.path, (await itemsOf(await renderPdfKit(doc), 'regenerated.pdf'))[0], label(e), false, e.kind);
      }
    }

    stage('text transformations');
    const textSamples = pick(textEntries, P, rng);
    {
      const row = ev.row('text reflowed, case and whitespace changed', 1);
      for (const e of textSamples) {
        const doc = docOf(e);
        if (doc) ev.sample(row, e.path, textItem('reflowed.txt', reflow(doc.toText(), rng.fork('reflow', e.path))), label(e), false, e.kind);
      }
    }
    {
      const row = ev.row('1 % of words edited (replaced, deleted or inserted)');
      for (const e of textSamples) {
        const doc = docOf(e);
        if (doc) ev.sample(row, e.path, textItem('edited.txt', editWords(doc.toText(), 0.01, rng.fork('edit', e.path))), label(e), false, e.kind);
      }
    }
    for (const words of [50, 100, 500]) {
      const row = ev.row(`excerpt of ${words} words${words === 500 ? ' (documents over 500 words)' : ''}`, 0.99);
      const long = textEntries.filter((e) => {
        const doc = docOf(e);
        return doc !== undefined && wordCount(doc.toText()) > words;
      });
      for (const e of pick(long, P, rng)) {
        const doc = docOf(e);
        if (!doc) continue;
        const text = excerpt(doc.toText(), words, rng.fork('excerpt', words, e.path));
        const templateOnly = norm(doc.templateText()).includes(norm(text));
        ev.sample(row, e.path, textItem('excerpt.txt', text), label(e), templateOnly, e.kind);
      }
    }

    stage('one page of multi-page documents');
    {
      const row = ev.row('one page of a multi-page document (one-page PDF)');
      let taken = 0;
      for (const e of rng.shuffle([...textEntries])) {
        if (taken >= P) break;
        const doc = docOf(e);
        if (!doc) continue;
        const pdf = e.format === 'pdf' ? bytesOf(e) : await renderPdfLib(doc);
        const pages = (await PDFDocument.load(pdf)).getPageCount();
        if (pages < 2) continue;
        taken++;
        const k = rng.int(0, pages - 1);
        ev.sample(row, e.path, (await itemsOf(await onePage(pdf, k), 'page.pdf'))[0], label(e, ` page ${k + 1} of ${pages}`), false, e.kind);
      }
    }

    stage('documents inside dump archives');
    {
      const row = ev.row('document inside a zip dump with 3 unrelated files');
      const others = ev.falseRow('unrelated files inside the same zip dumps');
      let u = 0;
      for (const [i, e] of pick(entries, P, rng).entries()) {
        const files: { name: string; data: Buffer }[] = [
          { name: `export/${basename(e.path)}`, data: bytesOf(e) },
          { name: 'README.txt', data: Buffer.from(`Data exfiltrated from the network. Sample ${i + 1} of the archive. Pay or we publish everything within 72 hours.\n`) },
        ];
        for (let j = 0; j < 3 && unrelatedDocs.length > 0; j++) {
          const doc = unrelatedDocs[u++ % unrelatedDocs.length] as SynthDocument;
          const format = (['txt', 'pdf', 'docx'] as const)[j] ?? 'txt';
          files.push({ name: `export/other-${j}.${format}`, data: await renderDocument(doc, format) });
        }
        const name = `dump-${i + 1}.zip`;
        const items = await itemsOf(await zip(rng.shuffle(files)), name);
        const member = `${name}!/export/${basename(e.path)}`;
        ev.sample(row, e.path, items.find((x) => x.path === member), label(e), false, e.kind);
        for (const x of items) if (x.path !== member && x.depth > 0) ev.unrelated(others, x, false);
      }
    }

    const imageTransforms: { name: string; fn: (img: Buffer, r: Rng) => Promise<Buffer> }[] = [
      { name: 're-encoded as JPEG q50', fn: (img) => reencodeJpeg(img, 50) },
      { name: 'resized to 50 %', fn: (img) => resizeImage(img, 0.5) },
      { name: 'cropped by 5 % of the area', fn: (img, r) => cropImage(img, 1 - Math.sqrt(0.95), r) },
      { name: 'cropped by 5 % off each dimension', fn: (img, r) => cropImage(img, 0.05, r) },
      { name: 'rotated 90°', fn: (img) => rotateImage(img, 90) },
    ];
    let pickedPictures: ManifestEntry[] = [];
    for (const [group, list] of [['photo / passport scan', pictures], ['document page scan', scans]] as const) {
      stage(`image transformations: ${group}s`);
      const chosen = pick(list, P, rng);
      if (group === 'photo / passport scan') pickedPictures = chosen;
      for (const t of imageTransforms) {
        const row = ev.row(`${group}: ${t.name}`, 0.95);
        for (const e of chosen) {
          const out = await t.fn(bytesOf(e), rng.fork('image', t.name, e.path));
          ev.sample(row, e.path, (await itemsOf(out, 'image'))[0], label(e), false, e.kind);
        }
      }
    }

    if (o.ocrScans > 0) {
      // `match` and the crawler OCR pictures by default, so the product's answer for page scans,
      // and for crops PDQ misses, is the one with OCR (the rows above are PDQ alone).
      const pool = new OcrPool({ workers: 2 });
      const withOcr = async (group: string, chosen: ManifestEntry[], transforms: typeof imageTransforms): Promise<void> => {
        for (const t of transforms) {
          const row = ev.row(`${group}: ${t.name} — with OCR, as match does by default`, 0.95);
          const items: (ExtractedItem | undefined)[] = [];
          const jobs = await Promise.all(chosen.map(async (e, i) => ({ i, bytes: await t.fn(bytesOf(e), rng.fork('image-ocr', t.name, e.path)) })));
          await inParallel(jobs, 2, async (job) => {
            const item = (await itemsOf(job.bytes, 'picture', true))[0];
            if (item) await applyOcr(item, { pool, maxImagePixels: 100_000_000, budgetMs: 300_000 });
            items[job.i] = item;
          });
          chosen.forEach((e, i) => ev.sample(row, e.path, items[i], label(e), false, e.kind));
        }
      };
      try {
        stage(`image transformations: document page scans with OCR (${o.ocrScans} per transform)`);
        await withOcr('document page scan', pick(scans, o.ocrScans, rng), imageTransforms);
        stage('image transformations: off-centre crops of photos and passport scans with OCR');
        await withOcr('photo / passport scan', pickedPictures, imageTransforms.filter((t) => t.name.startsWith('cropped')));
      } finally {
        await pool.close();
      }
    }

    stage(`false matches: ${unrelatedDocs.length} unrelated documents`);
    {
      const row = ev.falseRow('unrelated documents (same templates, other patients), as text');
      for (const [i, doc] of unrelatedDocs.entries()) {
        ev.unrelated(row, textItem(`unrelated/${doc.kind}-${i}.txt`, doc.toText()), true);
        if ((i + 1) % 2000 === 0) stage(`  ${i + 1} / ${unrelatedDocs.length}`);
      }
    }
    stage(`false matches: excerpts of ${o.unrelatedExcerpts} unrelated documents`);
    {
      // The hardest negative for the partial tier: a short passage of another patient's
      // document from the same templates, where a chance 10–14-word overlap weighs most.
      const row = ev.falseRow('excerpts of 50 and 100 words of unrelated documents (same templates, other patients), as text');
      const n = Math.min(o.unrelatedExcerpts, unrelatedDocs.length);
      for (let i = 0; i < n; i++) {
        const doc = unrelatedDocs[i] as SynthDocument;
        for (const words of [50, 100]) {
          if (wordCount(doc.toText()) <= words) continue;
          ev.unrelated(row, textItem(`unrelated-excerpt/${doc.kind}-${i}-${words}.txt`, excerpt(doc.toText(), words, rng.fork('unrelated-excerpt', words, i))), true);
        }
      }
    }
    stage(`false matches: ${o.unrelatedPdfs} unrelated documents as PDF`);
    {
      const row = ev.falseRow('unrelated documents rendered as PDF by the corpus producer (pdf-lib)');
      const n = Math.min(o.unrelatedPdfs, unrelatedDocs.length);
      for (let i = 0; i < n; i++) {
        const doc = unrelatedDocs[Math.floor((i * unrelatedDocs.length) / n)] as SynthDocument;
        const item = (await itemsOf(await renderPdfLib(doc), `unrelated-pdf/${doc.kind}-${i}.pdf`))[0];
        if (item) ev.unrelated(row, item, true);
      }
    }
    stage(`false matches: ${o.unrelatedPictures} unrelated photos and passport scans`);
    {
      const row = ev.falseRow('unrelated photos and passport scans');
      const useed = deriveSeed(seed, 'unrelated-images');
      for (let i = 0; i < o.unrelatedPictures; i++) {
        const format = i % 3 === 0 ? 'png' : 'jpeg';
        const bytes = i % 2 === 0 ? await renderPhoto(deriveSeed(useed, 'photo', i), { format }) : await renderPassport(makePatient(useed, i, 'unrelated'), useed, { format }, i);
        const item = (await itemsOf(bytes, `unrelated-${i % 2 === 0 ? 'photo' : 'passport'}-${i}.${format}`))[0];
        if (item) ev.unrelated(row, item, false);
      }
    }
    stage(`false matches: ${o.unrelatedScans} unrelated document page scans`);
    {
      const row = ev.falseRow('unrelated document page scans (same templates, other patients)');
      for (let i = 0; i < o.unrelatedScans && i < unrelatedDocs.length; i++) {
        const doc = unrelatedDocs[unrelatedDocs.length - 1 - i] as SynthDocument;
        const format = i % 3 === 0 ? 'jpeg' : 'png';
        const item = (await itemsOf(await renderScan(doc, { format }), `unrelated-scan-${doc.kind}-${i}.${format}`))[0];
        if (item) ev.unrelated(row, item, false);
      }
    }
    store.close();
    stage('done');
    const seconds = (performance.now() - started) / 1000;
    return { markdown: qualityMarkdown(ev, { entries, summaryDocs: summary.documents, ingestFailures: failures, baselineDocs: baseline.size, seconds }), rows: ev.rows, falseRows: ev.falseRows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (n: number, d: number): string => (d > 0 ? `${fmt((100 * n) / d, 1)} %` : '—');

function qualityMarkdown(
  ev: Evaluator,
  info: { entries: ManifestEntry[]; summaryDocs: number; ingestFailures: string[]; baselineDocs: number; seconds: number },
): string {
  const counts = new Map<string, number>();
  for (const e of info.entries) counts.set(`${e.kind} ${e.format}`, (counts.get(`${e.kind} ${e.format}`) ?? 0) + 1);
  const recallRows = ev.rows.map((r) => {
    const ok = r.target === undefined ? '' : r.first / Math.max(1, r.samples) >= r.target ? 'met' : '**not met**';
    const methods = Object.entries(r.methods)
      .sort((a, b) => b[1] - a[1])
      .map(([m, n]) => `${m} ${n}`)
      .join(', ');
    const base = r.baseline ? `${pct(r.baseline.first, r.baseline.samples)}${r.baseline.samples !== r.samples ? ` (of ${r.baseline.samples} with text)` : ''}` : 'n/a (no text)';
    const baseAny = r.baseline ? pct(r.baseline.anywhere, r.baseline.samples) : 'n/a';
    return [
      r.name,
      r.samples,
      pct(r.first, r.samples),
      pct(r.anywhere, r.samples),
      r.othersToo,
      methods,
      base,
      baseAny,
      r.target === undefined ? '—' : `${fmt(r.target * 100, 0)} %`,
      ok,
    ];
  });
  const falseRows = ev.falseRows.map((r) => [
    r.name,
    r.samples.toLocaleString('en'),
    r.falseMatches,
    pct(r.falseMatches, r.samples),
    Object.entries(r.byMethod).map(([m, n]) => `${m} ${n}`).join(', ') || '—',
    r.baseline ? `${r.baseline.falseMatches.toLocaleString('en')} (${pct(r.baseline.falseMatches, r.baseline.samples)})` : 'n/a',
    'zero',
    r.falseMatches === 0 ? 'met' : '**not met**',
  ]);
  const lines = [
    '### Benchmark 3 — detection quality',
    '',
    `Corpus: ${info.entries.length} files (${[...counts].sort().map(([k, n]) => `${n} ${k}`).join(', ')}), fingerprinted with ingestCorpus into ${info.summaryDocs} documents` +
      `${info.ingestFailures.length ? ` (${info.ingestFailures.length} failures)` : ''}. Samples are fingerprinted with extractBuffer + fingerprintItem({ dihedral: true }) and matched with Matcher.match. ` +
      `"Right first" = the first match is the document the sample was made from; "anywhere" = it is among the matches; "others" = samples for which some other known document was reported too. ` +
      `Baseline: simhash-js 32-bit over the extracted text of the ${info.baselineDocs} corpus documents that have text, a match = Hamming distance ≤ 3 (brute force), nearest first; it cannot see images. Run time ${fmt(info.seconds, 0)} s.`,
    '',
    markdownTable(
      ['transformation', 'samples', 'leakwatch: right first', 'anywhere', 'others', 'first-match methods', 'simhash-js: right first', 'anywhere', 'target', 'met'],
      recallRows,
    ),
    '',
    'False matches (every match of an item that is not in the corpus):',
    '',
    markdownTable(['unrelated items', 'items', 'leakwatch: items with a false match', 'rate', 'methods (per matched document)', 'simhash-js: items with a false match', 'target', 'met'], falseRows),
  ];
  const templ = ev.rows.filter((r) => r.templateOnly && r.templateOnly.samples > 0);
  if (templ.length) {
    lines.push('', 'Excerpts made only of template text (letterhead, disclaimers; no patient-specific word) cannot be attributed to one patient by any method; they are counted above as they are:');
    for (const r of templ) {
      const t = r.templateOnly as { samples: number; first: number };
      lines.push(`- ${r.name}: ${t.samples} of ${r.samples} samples are template text only; recall without them ${pct(r.first - t.first, r.samples - t.samples)}.`);
    }
  }
  const failing = ev.rows.filter((r) => r.failures.length > 0);
  if (failing.length || ev.rows.some((r) => r.othersToo > 0) || ev.falseRows.some((r) => r.examples.length)) {
    lines.push('', 'Misses, other known documents reported next to the right one, and false matches (first few of each):');
    for (const r of failing) {
      const causes = Object.entries(r.causes).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${n} × ${c}`).join('; ');
      const kinds = Object.entries(r.missKinds).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
      lines.push(`- **${r.name}**: ${r.samples - r.first} of ${r.samples} not right first (by kind: ${kinds}) — ${causes}`);
      for (const f of r.failures.slice(0, 6)) lines.push(`  - ${f}`);
    }
    for (const r of ev.rows.filter((x) => x.othersToo > 0)) {
      lines.push(`- **${r.name}**: ${r.othersToo} of ${r.samples} samples also reported other known documents`);
      for (const f of r.othersExamples) lines.push(`  - ${f}`);
    }
    for (const r of ev.falseRows.filter((x) => x.examples.length)) {
      lines.push(`- **${r.name}**: ${r.falseMatches} false`);
      for (const f of r.examples.slice(0, 6)) lines.push(`  - ${f}`);
    }
  }
  if (info.ingestFailures.length) lines.push('', `Ingest failures: ${info.ingestFailures.slice(0, 5).join('; ')}`);
  return lines.join('\n');
}
