import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '../src/extract/image.js';
import { extractBuffer, extractFile } from '../src/extract/extract-file.js';
import { DEFAULT_LIMITS } from '../src/extract/types.js';
import { fingerprintItem, type FingerprintOptions } from '../src/fingerprint/fingerprint-item.js';
import { deriveKeys } from '../src/fingerprint/keys.js';
import { pdqHash } from '../src/fingerprint/pdq.js';
import { ingestCorpus, type IngestSummary } from '../src/ingest/index.js';
import { generateCorpus, type ManifestEntry } from '../src/synth/index.js';
import { tempStore } from '../test/helpers/store.js';
import { coresText, cpuWindow, type CpuWindow } from './lib/machine.js';
import { fmt, markdownTable } from './lib/report.js';
import { textSpeed } from './text-speed.js';

/**
 * Benchmark 1: ingest throughput on a generated clinical corpus (notes, lab reports, letters,
 * prescriptions as TXT/PDF/DOCX and page scans; photos and passport scans), next to raw
 * SHA-256 of the same bytes measured in the same run:
 *  (a) read + SHA-256 of every file, one core: the ceiling of the exact tier;
 *  (b) the text tiers alone on the extracted texts, one core (text-speed.ts);
 *  (c) images: decodeImage + pdqHash, one image at a time, and what ingest really does per
 *      image (sniff, SHA-256, decode, PDQ of the image and of its centred crops);
 *  (d) the whole `ingestCorpus` pipeline (walk, extract, fingerprint, store) with 1 and 2
 *      worker threads into a temp store, with CPU time / wall time of the process.
 */
export interface IngestBenchOptions {
  files: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface IngestBenchResult {
  markdown: string;
  /** MB/s of the text tiers per core, images per core-second, 2-worker cores in use. */
  headline: { textTiersMbPerS: number; imagesPerCoreS: number; twoWorkerCores: number; speedup: number };
}

const MB = 1024 * 1024;
const TEXT_FORMATS = new Set(['txt', 'pdf', 'pdfkit', 'docx']);
const IMAGE_FORMATS = new Set(['png', 'jpeg']);

const met = (ok: boolean): string => (ok ? 'met' : '**not met**');

interface Rate {
  what: string;
  bytes: number;
  items: number;
  cpu: CpuWindow;
}

/** Runs fn repeatedly (at least once) until minMs have passed; returns total bytes/items and the CPU window. */
function repeat(fn: () => { bytes: number; items: number }, minMs: number): { bytes: number; items: number; cpu: CpuWindow } {
  let bytes = 0;
  let items = 0;
  const stop = cpuWindow();
  const t0 = performance.now();
  do {
    const r = fn();
    bytes += r.bytes;
    items += r.items;
  } while (performance.now() - t0 < minMs);
  return { bytes, items, cpu: stop() };
}

async function imageRate(what: string, buffers: Buffer[]): Promise<Rate> {
  const opts = { maxImagePixels: DEFAULT_LIMITS.maxImagePixels };
  // Warm-up: sharp's first call loads libvips codecs.
  for (const b of buffers.slice(0, 3)) pdqHash(await decodeImage(b, opts));
  const stop = cpuWindow();
  let bytes = 0;
  for (const b of buffers) {
    pdqHash(await decodeImage(b, opts));
    bytes += b.length;
  }
  return { what, bytes, items: buffers.length, cpu: stop() };
}

/**
 * What ingest does per image file, on one thread: sniff, SHA-256, decode, then fingerprintItem
 * with the options ingestCorpus uses for the corpus (PDQ of the image and of its centred crops).
 */
async function imagePipelineRate(what: string, buffers: Buffer[], options: FingerprintOptions = { cropVariants: true }): Promise<Rate> {
  const keys = deriveKeys(Buffer.alloc(32, 5));
  const one = async (b: Buffer): Promise<void> => {
    for await (const x of extractBuffer(b, 'image')) if ('sha256' in x) fingerprintItem(x, keys, options);
  };
  for (const b of buffers.slice(0, 3)) await one(b);
  const stop = cpuWindow();
  let bytes = 0;
  for (const b of buffers) {
    await one(b);
    bytes += b.length;
  }
  return { what, bytes, items: buffers.length, cpu: stop() };
}

async function ingestRun(corpus: string, workers: number): Promise<{ summary: IngestSummary; cpu: CpuWindow }> {
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-ingest-'));
  const store = tempStore(dir);
  try {
    const stop = cpuWindow();
    const summary = await ingestCorpus({ store, setName: 'bench', paths: [corpus], workers });
    return { summary, cpu: stop() };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function ingestBench(o: IngestBenchOptions): Promise<IngestBenchResult> {
  const log = o.log ?? (() => {});
  const seed = o.seed ?? 20_240_601;
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-corpus-'));
  try {
    const corpus = join(dir, 'corpus');
    log(`ingest: generating a corpus of ${o.files} files…`);
    const t0 = performance.now();
    const manifest = await generateCorpus(corpus, { seed, documents: o.files });
    const genS = (performance.now() - t0) / 1000;
    const entries = manifest.entries;
    const totalBytes = entries.reduce((s, e) => s + e.bytes, 0);
    const abs = (e: ManifestEntry): string => join(corpus, ...e.path.split('/'));

    // (a) read + SHA-256, one core, files in the page cache (they were just written).
    log('ingest: (a) SHA-256 of the file bytes…');
    const sha = repeat(() => {
      let bytes = 0;
      for (const e of entries) {
        const b = readFileSync(abs(e));
        createHash('sha256').update(b).digest();
        bytes += b.length;
      }
      return { bytes, items: entries.length };
    }, 1500);

    // Text extraction, one core (information: it is the bulk of the pipeline for PDFs).
    log('ingest: extracting texts…');
    const textEntries = entries.filter((e) => TEXT_FORMATS.has(e.format));
    const texts: string[] = [];
    const extractStop = cpuWindow();
    let textFileBytes = 0;
    for (const e of textEntries) {
      textFileBytes += e.bytes;
      for await (const x of extractFile(abs(e), e.path)) if ('sha256' in x && x.text) texts.push(x.text);
    }
    const extract = extractStop();

    // (b) the text tiers on those texts, one core.
    log(`ingest: (b) text tiers on ${texts.length} extracted texts…`);
    const speedStop = cpuWindow();
    const speed = textSpeed(texts);
    const speedCpu = speedStop();
    const textBytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
    const avgTextBytes = textBytes / Math.max(1, texts.length);

    // (c) images: decode + PDQ, one image at a time.
    log('ingest: (c) images…');
    const isPicture = (e: ManifestEntry): boolean => e.kind === 'photo' || e.kind === 'passport';
    const imageEntries = entries.filter((e) => IMAGE_FORMATS.has(e.format));
    const load = (list: ManifestEntry[]): Buffer[] => list.map((e) => readFileSync(abs(e)));
    const imageRates: Rate[] = [
      await imageRate('photos and passport scans', load(imageEntries.filter(isPicture))),
      await imageRate('document page scans (PNG/JPEG)', load(imageEntries.filter((e) => !isPicture(e)))),
    ];
    const allImages = imageRates.reduce(
      (s, r) => ({ bytes: s.bytes + r.bytes, items: s.items + r.items, wall: s.wall + r.cpu.wallMs, cpu: s.cpu + r.cpu.cpuMs }),
      { bytes: 0, items: 0, wall: 0, cpu: 0 },
    );
    const imagesPerCoreS = allImages.items / (allImages.cpu / 1000);
    const allImageBuffers = load(imageEntries);
    const pipeline = await imagePipelineRate(`all images (${allImageBuffers.length}) as ingest fingerprints them: extractBuffer + fingerprintItem({ cropVariants: true })`, allImageBuffers);
    const pipelinePerCoreS = pipeline.items / (pipeline.cpu.cpuMs / 1000);
    // Sample side (match, crawls): 8 dihedral hashes from one DCT, plus the off-centre crop grid.
    // Baseline in the same run: the same without the grid.
    log('ingest: (c) sample-side image fingerprints…');
    const pictures = load(imageEntries.filter(isPicture));
    const sampleNoGrid = await imagePipelineRate('pictures as samples, dihedral only (baseline)', pictures, { dihedral: true, cropGrid: false });
    const sampleGrid = await imagePipelineRate('pictures as samples, dihedral + off-centre crop grid (18 sub-crops)', pictures, { dihedral: true });

    // (d) the whole pipeline. A small untimed run first, so that both timed runs find tsx's
    // transform cache warm and neither pays for compiling the worker's modules.
    log('ingest: (d) warm-up run…');
    const warm = join(dir, 'warm');
    await generateCorpus(warm, { seed: seed + 1, documents: 20 });
    await ingestRun(warm, 2);
    const runs: { workers: number; summary: IngestSummary; cpu: CpuWindow }[] = [];
    for (const workers of [1, 2]) {
      log(`ingest: (d) ingestCorpus with ${workers} worker${workers > 1 ? 's' : ''}…`);
      runs.push({ workers, ...(await ingestRun(corpus, workers)) });
    }
    const one = runs[0] as (typeof runs)[number];
    const two = runs[1] as (typeof runs)[number];
    const speedup = one.cpu.wallMs / two.cpu.wallMs;

    const counts = new Map<string, number>();
    for (const e of entries) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    const fmtCounts = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
    const byFormat = new Map<string, number>();
    for (const e of entries) byFormat.set(e.format, (byFormat.get(e.format) ?? 0) + 1);

    const textTiers = speed[2];
    const textTiersMbPerS = textTiers?.mbPerCpuS ?? NaN;
    // Per-core figures are given per CPU-second of this process as well as per wall-clock
    // second: on a shared machine a single-threaded loop may wait for a core another process
    // holds, which lowers the wall-clock rate but not the work done per CPU-second.
    const perCpu = (n: number, cpuMs: number, digits = 1): string => fmt(n / (cpuMs / 1000), digits);
    const rows: (string | number)[][] = [
      [
        '(a) read + SHA-256 of the file bytes, one core',
        fmt(sha.bytes / MB / (sha.cpu.wallMs / 1000)),
        fmt(sha.items / (sha.cpu.wallMs / 1000), 0),
        `${perCpu(sha.bytes / MB, sha.cpu.cpuMs)} MB`,
        coresText(sha.cpu),
        '',
        '',
      ],
      [
        'text extraction of TXT/PDF/DOCX files (decode, pdfjs, mammoth), one core — for reference',
        fmt(textFileBytes / MB / (extract.wallMs / 1000), 2),
        fmt(textEntries.length / (extract.wallMs / 1000), 0),
        `${perCpu(textEntries.length, extract.cpuMs, 0)} documents`,
        coresText(extract),
        '',
        '',
      ],
      ...speed.map((r, i) => [
        `(b) ${r.what}, one thread, on the extracted texts`,
        fmt(r.mbPerS),
        fmt((r.mbPerS * MB) / avgTextBytes, 0),
        `${fmt(r.mbPerCpuS)} MB`,
        i === 0 ? `${coresText(speedCpu)} over the four rows` : '',
        i === 2 ? '≥ 20 MB/s per core' : '',
        i === 2 ? met(r.mbPerCpuS >= 20) : '',
      ]),
      ...imageRates.map((r) => [
        `(c) decodeImage + pdqHash: ${r.what} (${r.items}), one at a time`,
        fmt(r.bytes / MB / (r.cpu.wallMs / 1000)),
        fmt(r.items / (r.cpu.wallMs / 1000), 1),
        `${perCpu(r.items, r.cpu.cpuMs)} images`,
        coresText(r.cpu),
        '',
        '',
      ]),
      [
        `(c) decodeImage + pdqHash: all images (${allImages.items})`,
        fmt(allImages.bytes / MB / (allImages.wall / 1000)),
        fmt(allImages.items / (allImages.wall / 1000), 1),
        `${fmt(imagesPerCoreS, 1)} images`,
        fmt(allImages.cpu / allImages.wall, 2),
        '≥ 30 images/s per core',
        met(imagesPerCoreS >= 30),
      ],
      [
        `(c) ${pipeline.what}, one at a time`,
        fmt(pipeline.bytes / MB / (pipeline.cpu.wallMs / 1000)),
        fmt(pipeline.items / (pipeline.cpu.wallMs / 1000), 1),
        `${fmt(pipelinePerCoreS, 1)} images`,
        coresText(pipeline.cpu),
        '≥ 30 images/s per core',
        met(pipelinePerCoreS >= 30),
      ],
      ...[sampleNoGrid, sampleGrid].map((r) => [
        `(c) ${r.what}`,
        fmt(r.bytes / MB / (r.cpu.wallMs / 1000)),
        fmt(r.items / (r.cpu.wallMs / 1000), 1),
        `${perCpu(r.items, r.cpu.cpuMs)} images`,
        coresText(r.cpu),
        r === sampleGrid ? `${fmt(sampleGrid.cpu.cpuMs / sampleNoGrid.cpu.cpuMs, 2)}× the baseline's CPU` : '',
        '',
      ]),
      ...runs.map((r) => [
        `(d) ingestCorpus, ${r.workers} worker thread${r.workers > 1 ? 's' : ''} (walk, extract, fingerprint, SQLite)`,
        fmt(r.summary.bytes / MB / (r.cpu.wallMs / 1000)),
        fmt(r.summary.documents / (r.cpu.wallMs / 1000), 1),
        `${perCpu(r.summary.documents, r.cpu.cpuMs)} documents`,
        coresText(r.cpu),
        r.workers === 2 ? 'both cores used (≥ 1.8 cores busy)' : '',
        r.workers === 2 ? met(r.cpu.cores >= 1.8) : '',
      ]),
      ['(d) speed-up, 2 workers vs 1 (wall clock)', `${fmt(speedup, 2)}×`, '', '', '', '', ''],
    ];
    const failed = runs.map((r) => r.summary.filesFailed + r.summary.failures).reduce((a, b) => a + b, 0);
    const md = [
      '### Benchmark 1 — ingest throughput',
      '',
      `Corpus: ${entries.length.toLocaleString('en')} files, ${fmt(totalBytes / MB)} MB (${fmtCounts}; formats: ${[...byFormat].map(([f, n]) => `${n} ${f}`).join(', ')}), generated in ${fmt(genS)} s. ` +
        `Extracted text: ${texts.length} texts, ${fmt(textBytes / MB, 2)} MB, ${fmt(avgTextBytes / 1024, 1)} KB on average. ` +
        `Files are in the page cache. "cores busy" = CPU time of this process (all threads: main, workers, libvips, GC) ÷ wall time; "machine" = cores kept busy by all processes on the machine in the same interval (/proc/stat). ` +
        `Per-core targets are judged on the per-CPU-second figure, which does not count time a thread spent waiting for a core held by another process; on an idle machine it equals the wall-clock rate.`,
      '',
      markdownTable(['measurement', 'MB/s', 'documents/s', 'per CPU-second', 'cores busy', 'target', 'met'], rows),
      '',
      `ingestCorpus stored ${one.summary.documents} / ${two.summary.documents} documents (1 / 2 workers); ${failed} failures.`,
    ].join('\n');
    return { markdown: md, headline: { textTiersMbPerS, imagesPerCoreS: pipelinePerCoreS, twoWorkerCores: two.cpu.cores, speedup } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
