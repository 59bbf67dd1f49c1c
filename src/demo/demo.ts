import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingestCorpus } from '../ingest/ingest.js';
import { createProgress } from '../ingest/progress.js';
import { scanSamples } from '../ingest/scan.js';
import { Matcher } from '../match/matcher.js';
import type { SampleResult } from '../match/types.js';
import { FingerprintStore } from '../store/fingerprint-store.js';
import { generateCorpus } from '../synth/index.js';
import { makeLeakSamples, type DemoSample } from './leak-samples.js';

export interface DemoOptions {
  /** Where to put everything; a throwaway temp dir when absent. */
  dir?: string;
  /** Keep the throwaway dir afterwards (always kept when `dir` is given). */
  keep?: boolean;
  documents?: number;
  seed?: number;
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  signal?: AbortSignal;
}

export interface DemoResult {
  dir: string;
  kept: boolean;
  samples: (DemoSample & { found: string[]; missed: string[]; unexpected: string[] })[];
  ok: boolean;
  elapsedMs: number;
}

/**
 * `leakwatch demo`: the pipeline end to end on embedded defaults, offline. A synthetic
 * "stolen" corpus is generated and fingerprinted, leak samples are made from it the way
 * ransomware groups publish proof, and every sample is matched and explained.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const dir = o.dir ? resolve(o.dir) : mkdtempSync(join(tmpdir(), 'leakwatch-demo-'));
  const kept = Boolean(o.dir) || Boolean(o.keep);
  const seed = o.seed ?? 2024;
  const documents = o.documents ?? 300;
  const step = (n: number, text: string): void => o.out(`\n[${n}/4] ${text}\n`);
  try {
    mkdirSync(dir, { recursive: true });
    const corpusDir = join(dir, 'stolen-corpus');
    const corpusOpts = { seed, documents, formats: ['txt', 'pdf', 'docx', 'png', 'jpeg'] as const };
    step(1, `Generating a synthetic "stolen" corpus of ${documents} patient documents (no real data)`);
    const manifest = await generateCorpus(corpusDir, { ...corpusOpts, formats: [...corpusOpts.formats], ...(o.signal ? { signal: o.signal } : {}) });
    o.out(`      ${manifest.entries.length} files for ${manifest.patients.length} patients in ${corpusDir}\n`);

    step(2, 'Fingerprinting the corpus (keyed hashes only: no document text is stored)');
    const store = FingerprintStore.open(join(dir, 'fingerprints'), { create: true, env: {}, keyFile: join(dir, 'keys', 'fingerprint.key') });
    try {
      const summary = await ingestCorpus({
        store,
        setName: 'demo-clinic',
        paths: [corpusDir],
        progress: createProgress(o.err, o.isTTY),
        onFailure: (f) => o.err(`      skipped ${f.path}: ${f.message}\n`),
        ...(o.signal ? { signal: o.signal } : {}),
      });
      o.out(`      ${summary.documents} documents fingerprinted in ${(summary.elapsedMs / 1000).toFixed(1)} s into ${join(dir, 'fingerprints')}\n`);

      step(3, 'Making leak samples the way ransomware groups post "proof"');
      const samplesDir = join(dir, 'leak-samples');
      const samples = await makeLeakSamples(corpusDir, corpusOpts, samplesDir);
      for (const s of samples) o.out(`      ${s.file}: ${s.description}\n`);

      step(4, 'Matching every sample (and every file inside archives) against the fingerprints');
      const matcher = new Matcher(store);
      const scan = await scanSamples({ matcher, keys: store.keys, paths: [samplesDir], ...(o.signal ? { signal: o.signal } : {}) });
      const results = samples.map((s) => judge(s, scan.samples));
      for (const r of scan.samples) printSample(o, r);
      const ok = results.every((r) => r.missed.length === 0 && r.unexpected.length === 0) && scan.failures.length === 0;
      o.out(
        `\n${ok ? 'All' : 'Not all'} samples traced as expected: ${results.filter((r) => r.found.length).length} of ${results.filter((r) => r.expected.length).length} leaked samples matched their stolen documents, ` +
          `${results.filter((r) => !r.expected.length && !r.unexpected.length).length} unrelated sample(s) matched nothing.\n` +
          `Time: ${((performance.now() - started) / 1000).toFixed(1)} s. ${kept ? `Everything is in ${dir}` : `Temporary files removed (use --keep or --dir to keep them).`}\n`,
      );
      return { dir, kept, samples: results, ok, elapsedMs: performance.now() - started };
    } finally {
      store.close();
    }
  } finally {
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

function judge(s: DemoSample, results: SampleResult[]): DemoResult['samples'][number] {
  const mine = results.filter((r) => r.path === s.file || r.path.startsWith(`${s.file}!/`));
  const matched = new Set(mine.flatMap((r) => r.matches.map((m) => m.document)));
  return {
    ...s,
    found: s.expected.filter((e) => matched.has(e)),
    missed: s.expected.filter((e) => !matched.has(e)),
    unexpected: [...matched].filter((m) => !s.expected.includes(m)),
  };
}

function printSample(o: Pick<DemoOptions, 'out'>, r: SampleResult): void {
  if (r.matches.length === 0) {
    o.out(`  ${r.path}: no match\n`);
    return;
  }
  const best = r.matches[0]!;
  o.out(`  ${r.path}\n    → ${best.document} (${best.method}, score ${best.score.toFixed(2)}): ${best.explanation}\n`);
  if (r.matches.length > 1) o.out(`    (+${r.matches.length - 1} more)\n`);
}
