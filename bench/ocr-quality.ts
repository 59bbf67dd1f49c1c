/**
 * Benchmark 5: OCR of screenshots and photos of documents. A corpus of synthetic documents is
 * fingerprinted the way a victim's files are (each document as text, and its first page as a
 * scan, which gives the image tier something to find). Samples are first pages of corpus
 * documents turned into pictures by each PICTURE_TRANSFORMS entry and matched twice in the
 * same run: without OCR (the baseline: PDQ perceptual hashes only) and with OCR (text tiers
 * on the recognised text, plus PDQ). Recall = the first match is the document the picture
 * came from. The negative set is unrelated synthetic documents (same templates, other
 * patients) rendered and transformed the same way, plus photos without text: any match is a
 * false match. Also measured: OCR throughput and the text pre-check on text-free photos.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OcrPool, precheckPixels, precheckText } from '../src/extract/ocr/index.js';
import { fingerprintFile } from '../src/ingest/fingerprint-file.js';
import { ingestCorpus } from '../src/ingest/index.js';
import { Matcher } from '../src/match/matcher.js';
import type { FingerprintKeys } from '../src/fingerprint/keys.js';
import { Rng, deriveSeed, generateDocuments, generateUnrelatedDocuments, renderPhoto, renderScan, type SynthDocument } from '../src/synth/index.js';
import { tempStore } from '../test/helpers/store.js';
import { PICTURE_TRANSFORMS } from './ocr-transforms.js';
import { fmt, markdownTable } from './lib/report.js';
import { inParallel } from './lib/parallel.js';

export interface OcrBenchOptions {
  /** Corpus documents (each stored as text and as a first-page scan). */
  documents: number;
  /** Samples per transform. */
  perTransform: number;
  /** Unrelated documents in the negative set (each with one transform). */
  unrelated: number;
  /** Text-free photos in the negative set. */
  photos: number;
  /** OCR workers (default: one per core). */
  workers?: number;
  seed?: number;
  log?: (line: string) => void;
}

interface Sample {
  transform: string;
  file: string;
  /** Corpus document id, or undefined for the negative set. */
  docId: string | undefined;
  kind: string;
}

interface Outcome {
  baseline: string | undefined;
  ocr: string | undefined;
  baselineAny: number;
  ocrAny: number;
  ocrRead: boolean;
  /** For misses: what the OCR pass saw and found. */
  why: string;
}

const docIdOf = (path: string | undefined): string | undefined => path?.replace(/^(?:docs|scans)\//, '').replace(/\.(?:txt|png)$/, '');

export async function ocrBench(o: OcrBenchOptions): Promise<{ markdown: string }> {
  const log = o.log ?? (() => undefined);
  const seed = o.seed ?? 20261122;
  const workers = o.workers ?? availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-ocr-'));
  const store = tempStore(dir);
  const pool = new OcrPool({ workers });
  try {
    // Corpus: each document as text and as a page scan, through the real ingest (no OCR).
    const docs = generateDocuments(seed, o.documents);
    const corpus = join(dir, 'corpus');
    mkdirSync(join(corpus, 'docs'), { recursive: true });
    mkdirSync(join(corpus, 'scans'));
    const pages = new Map<string, Buffer>();
    for (const d of docs) {
      writeFileSync(join(corpus, 'docs', `${d.id}.txt`), d.toText());
      const page = await renderScan(d);
      pages.set(d.id, page);
      writeFileSync(join(corpus, 'scans', `${d.id}.png`), page);
    }
    log(`ocr: corpus of ${docs.length} documents (text + page scan) written; ingesting…`);
    await ingestCorpus({ store, setName: 'clinic', paths: [corpus], workers });
    const matcher = new Matcher(store);

    // Samples: every transform applied to first pages of corpus documents (each document
    // used by several transforms), then the negative set.
    const samplesDir = join(dir, 'samples');
    mkdirSync(samplesDir);
    const samples: Sample[] = [];
    const rng = new Rng(deriveSeed(seed, 'ocr-bench'));
    let k = 0;
    for (const [ti, t] of PICTURE_TRANSFORMS.entries()) {
      for (let i = 0; i < o.perTransform; i++) {
        const d = docs[(ti * o.perTransform + i) % docs.length] as SynthDocument;
        const file = join(samplesDir, `s${k++}.img`);
        writeFileSync(file, await t.apply(pages.get(d.id)!, rng));
        samples.push({ transform: t.name, file, docId: d.id, kind: d.kind });
      }
    }
    const unrelated = generateUnrelatedDocuments(seed + 1, o.unrelated);
    for (const [i, d] of unrelated.entries()) {
      const t = PICTURE_TRANSFORMS[i % PICTURE_TRANSFORMS.length]!;
      const file = join(samplesDir, `n${i}.img`);
      writeFileSync(file, await t.apply(await renderScan(d), rng));
      samples.push({ transform: `unrelated document (${t.name})`, file, docId: undefined, kind: d.kind });
    }
    const photoFiles: string[] = [];
    for (let i = 0; i < o.photos; i++) {
      const file = join(samplesDir, `p${i}.jpg`);
      writeFileSync(file, await renderPhoto(deriveSeed(seed, 'ocr-photo', i), { format: 'jpeg' }));
      photoFiles.push(file);
      samples.push({ transform: 'photo without text', file, docId: undefined, kind: 'photo' });
    }
    log(`ocr: ${samples.length} samples made; matching without and with OCR…`);

    const outcomes = new Map<Sample, Outcome>();
    let recognizeMs = 0;
    let recognized = 0;
    const keys: FingerprintKeys = store.keys;
    const t0 = performance.now();
    await inParallel(samples, workers, async (s) => {
      const plain = await fingerprintFile(s.file, 'sample', keys, { dihedral: true });
      const base = plain.items[0] ? matcher.match(plain.items[0]) : [];
      const t = performance.now();
      const withOcr = await fingerprintFile(s.file, 'sample', keys, { dihedral: true, ocrPool: pool });
      const item = withOcr.items[0];
      if (item?.ocr) {
        recognizeMs += performance.now() - t;
        recognized++;
      }
      const m = item ? matcher.match(item) : [];
      const why = `${s.kind}, ${item?.tokens ?? 0} words read, ${item?.winnowHashes.length ?? 0} passage fingerprints; first match: ${m[0] ? `${m[0].method} ${m[0].document}` : 'none'}`;
      outcomes.set(s, { baseline: docIdOf(base[0]?.document), ocr: docIdOf(m[0]?.document), baselineAny: base.length, ocrAny: m.length, ocrRead: !!item?.ocr, why });
    });
    const wallS = (performance.now() - t0) / 1000;

    // Pre-check cost alone on the text-free photos (decode + downscale + test).
    let precheckMs = 0;
    let skipped = 0;
    for (const f of photoFiles) {
      const t = performance.now();
      const bytes = readFileSync(f);
      const px = await precheckPixels({ label: 'image', kind: 'encoded', bytes }, 1e8, f);
      if (!precheckText(px.grey, px.width, px.height).textLike) skipped++;
      precheckMs += performance.now() - t;
    }

    // Tables.
    const rows: (string | number)[][] = [];
    let posAll = 0;
    let hitBase = 0;
    let hitOcr = 0;
    for (const t of PICTURE_TRANSFORMS) {
      const ss = samples.filter((s) => s.docId && s.transform === t.name);
      const b = ss.filter((s) => outcomes.get(s)?.baseline === s.docId).length;
      const r = ss.filter((s) => outcomes.get(s)?.ocr === s.docId).length;
      posAll += ss.length;
      hitBase += b;
      hitOcr += r;
      rows.push([t.name, ss.length, pct(b, ss.length), pct(r, ss.length), ratio(r, b)]);
    }
    rows.push(['**all transforms**', posAll, pct(hitBase, posAll), pct(hitOcr, posAll), ratio(hitOcr, hitBase)]);
    const neg = samples.filter((s) => !s.docId);
    const negDocs = neg.filter((s) => s.transform !== 'photo without text');
    const falseBase = neg.filter((s) => (outcomes.get(s)?.baselineAny ?? 0) > 0).length;
    const falseOcr = neg.filter((s) => (outcomes.get(s)?.ocrAny ?? 0) > 0).length;
    const photosOcred = neg.filter((s) => s.transform === 'photo without text' && outcomes.get(s)?.ocrRead).length;
    const perCore = recognized / (recognizeMs / 1000) / 1;
    const minRecall = Math.min(...PICTURE_TRANSFORMS.map((t) => {
      const ss = samples.filter((s) => s.docId && s.transform === t.name);
      return ss.filter((s) => outcomes.get(s)?.ocr === s.docId).length / Math.max(1, ss.length);
    }));
    const markdown = [
      '### Benchmark 5 — screenshots and photos of documents (OCR)',
      '',
      `${docs.length} synthetic documents fingerprinted as text plus a scan of their first page (real ingest). Samples: first pages rendered at 1 240 × 1 754 px, then transformed (${o.perTransform} per transform); each is matched without OCR (baseline: PDQ perceptual hashes only) and with OCR (tesseract.js ${workers} worker(s), English model from npm; text tiers on the recognised words, plus PDQ), in the same run. Recall = first match is the right document.`,
      '',
      markdownTable(['transform', 'samples', 'recall without OCR (PDQ only)', 'recall with OCR', 'ratio'], rows),
      '',
      markdownTable(
        ['negative set', 'samples', 'false matches without OCR', 'false matches with OCR'],
        [
          [`unrelated documents, same transforms`, negDocs.length, falseOnes(negDocs, outcomes, 'baselineAny'), falseOnes(negDocs, outcomes, 'ocrAny')],
          [`photos without text`, neg.length - negDocs.length, falseOnes(neg.filter((s) => !negDocs.includes(s)), outcomes, 'baselineAny'), falseOnes(neg.filter((s) => !negDocs.includes(s)), outcomes, 'ocrAny')],
        ],
      ),
      '',
      markdownTable(
        ['cost', 'value'],
        [
          ['OCR throughput, one worker (pages/s per core; prepare + recognise + fingerprint)', fmt(perCore, 2)],
          ['mean time per OCRed page (ms)', fmt(recognizeMs / Math.max(1, recognized), 0)],
          ['pages read by OCR', recognized],
          [`whole matching run, ${workers} worker(s), both passes (s)`, fmt(wallS, 1)],
          ['pre-check: text-free photos skipped', `${skipped} / ${photoFiles.length} (${photosOcred} sent to OCR in the run)`],
          ['pre-check time per photo (decode + downscale + test, ms)', fmt(precheckMs / Math.max(1, photoFiles.length), 1)],
        ],
      ),
      '',
      ...missLines(samples, outcomes),
      `Targets: recall ≥ 90 % for every transform — lowest ${pct(Math.round(minRecall * 1000), 1000)}, ${minRecall >= 0.9 ? 'met' : '**not met**'}; zero false matches — ${falseOcr} with OCR (${falseBase} without), ${falseOcr === 0 ? 'met' : '**not met**'}.`,
    ].join('\n');
    return { markdown };
  } finally {
    await pool.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (n: number, of: number): string => (of ? `${fmt((100 * n) / of, 0)} %` : '—');
const ratio = (a: number, b: number): string => (b ? `${fmt(a / b, 2)}×` : a ? '∞ (baseline found none)' : '—');
function falseOnes(ss: Sample[], out: Map<Sample, Outcome>, key: 'baselineAny' | 'ocrAny'): number {
  return ss.filter((s) => (out.get(s)?.[key] ?? 0) > 0).length;
}

/** One line per miss and per false match, so every number above can be checked. */
function missLines(samples: Sample[], out: Map<Sample, Outcome>): string[] {
  const lines: string[] = [];
  for (const s of samples) {
    const o = out.get(s);
    if (!o) continue;
    if (s.docId && o.ocr !== s.docId) lines.push(`- Missed with OCR — ${s.transform}: ${o.why}.`);
    if (!s.docId && o.ocrAny > 0) lines.push(`- False match with OCR — ${s.transform}: ${o.why}.`);
  }
  return lines.length ? [...lines, ''] : [];
}
