/**
 * `npm run bench`: runs the benchmarks in order, prints each as a markdown table under a
 * header naming the machine, and writes the whole report to bench/out/results.md.
 *
 *   npm run bench                              ingest, scale (10k, 100k, 1M), quality, ocr, records, crawl, dashboard
 *   npm run bench -- --quick                   small sizes, about a minute: a smoke run
 *   npm run bench -- --only ingest,quality     a subset, in the usual order
 *   npm run bench -- --only scale --sizes 10k,100k
 *   npm run bench -- --only records --records-rows 1M --records-mb 1024   (the defaults)
 *
 * Figures are printed, never asserted. Progress goes to stderr, tables to stdout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBench } from './ingest.js';
import { machineHeader, machineInfo, parallelHeadroom } from './lib/machine.js';
import { fmt } from './lib/report.js';
import { crawlBench } from './crawl.js';
import { matchScale, scaleTable } from './match-scale.js';
import { qualityBench } from './quality.js';
import { ocrBench } from './ocr-quality.js';
import { recordsBench } from './records.js';
import { dashboardBench } from './dashboard.js';

const BENCHES = ['ingest', 'scale', 'quality', 'ocr', 'records', 'crawl', 'dashboard'] as const;
type Bench = (typeof BENCHES)[number];

interface Args {
  quick: boolean;
  only: Bench[];
  sizes?: number[];
  /** records: rows of the patient table (default 1M) and MB of the mixed dump (default 1024). */
  recordsRows?: number;
  recordsMb?: number;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: npm run bench -- [--quick] [--only ${BENCHES.join(',')}] [--sizes 10k,100k,1M] [--records-rows 1M] [--records-mb 1024]\n`);
  process.exit(2);
}

/** "10k" → 10000, "1M" → 1000000, "2500" → 2500. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) usage(`not a size: ${s}`);
  const n = Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(n) || n < 1) usage(`not a whole number of documents: ${s}`);
  return n;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: [...BENCHES] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const names = value().split(',').map((s) => s.trim()).filter(Boolean);
      for (const n of names) if (!(BENCHES as readonly string[]).includes(n)) usage(`unknown benchmark "${n}" (known: ${BENCHES.join(', ')})`);
      args.only = BENCHES.filter((b) => names.includes(b));
    } else if (a === '--sizes' || a.startsWith('--sizes=')) args.sizes = value().split(',').map(parseSize);
    else if (a === '--records-rows' || a.startsWith('--records-rows=')) args.recordsRows = parseSize(value());
    else if (a === '--records-mb' || a.startsWith('--records-mb=')) args.recordsMb = parseSize(value());
    else if (a === '--help' || a === '-h') usage('help');
    else usage(`unknown option ${a}`);
  }
  return args;
}

/** "commit 1a2b3c4 (src/ has uncommitted changes)", or undefined outside a git checkout. */
function codeVersion(): string | undefined {
  try {
    const git = (...a: string[]): string => execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src').length > 0;
    return `commit ${head}${dirty ? ' (src/ has uncommitted changes)' : ''}`;
  } catch {
    return undefined;
  }
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!(globalThis as { gc?: unknown }).gc) log('bench: running without --expose-gc; index memory figures are less steady (npm run bench passes it)');
  const started = performance.now();
  log('bench: calibrating…');
  const machine = machineInfo();
  const headroom = await parallelHeadroom();
  const sections: string[] = [
    `## leakwatch benchmarks${args.quick ? ' (quick smoke run: small sizes, figures are indicative only)' : ''}`,
    '',
    machineHeader(machine, headroom),
  ];
  const version = codeVersion();
  if (version) sections.push(`- Code: ${version}.`);
  const emit = (md: string): void => {
    sections.push('', md);
    process.stdout.write(`\n${md}\n`);
  };
  process.stdout.write(`${sections.join('\n')}\n`);

  for (const bench of args.only) {
    const t0 = performance.now();
    log(`bench: ${bench}…`);
    if (bench === 'ingest') {
      const r = await ingestBench({ files: args.quick ? 100 : 1_500, log });
      emit(r.markdown);
    } else if (bench === 'scale') {
      const sizes = args.sizes ?? (args.quick ? [2_000] : [10_000, 100_000, 1_000_000]);
      const rows = await matchScale(sizes, args.quick ? 300 : 1_000, log);
      const largest = rows[rows.length - 1];
      const notes: string[] = [];
      if (largest) {
        const at = largest.documents.toLocaleString('en');
        const scope = largest.documents >= 1_000_000 ? `at ${at} documents` : `(set for 1,000,000 documents; largest size measured here: ${at})`;
        notes.push(
          `Targets ${scope}: match p99 ≤ 10 ms — ${fmt(largest.p99Ms, 2)} ms, ${largest.p99Ms <= 10 ? 'met' : '**not met**'}; index memory ≤ 2 GB — ${fmt(largest.indexMb, 0)} MB, ${largest.indexMb <= 2048 ? 'met' : '**not met**'}.`,
        );
      }
      emit(
        [
          '### Benchmark 2 — match latency and index memory',
          '',
          'Stores of synthetic 250-word documents fingerprinted with the real code; samples are 100-word excerpts, near copies (one word changed) and unrelated texts, one third each. Index memory = RSS growth when the Matcher loads its in-memory indexes.',
          '',
          scaleTable(rows),
          '',
          ...notes,
        ].join('\n'),
      );
    } else if (bench === 'ocr') {
      const r = await ocrBench(args.quick ? { documents: 12, perTransform: 2, unrelated: 6, photos: 6, log } : { documents: 60, perTransform: 15, unrelated: 45, photos: 20, log });
      emit(r.markdown);
    } else if (bench === 'records') {
      emit((await recordsBench({ rows: args.recordsRows ?? (args.quick ? 20_000 : 1_000_000), dumpMb: args.recordsMb ?? (args.quick ? 64 : 1024), log })).markdown);
    } else if (bench === 'crawl') {
      emit((await crawlBench({ quick: args.quick, log })).markdown);
    } else if (bench === 'dashboard') {
      emit((await dashboardBench({ quick: args.quick, log })).markdown);
    } else {
      const r = await qualityBench(
        args.quick
          ? { documents: 120, perTransform: 15, unrelated: 1_000, ocrScans: 4, unrelatedExcerpts: 200, unrelatedPdfs: 40, unrelatedPictures: 20, unrelatedScans: 10, log }
          : { documents: 800, perTransform: 200, unrelated: 10_000, ocrScans: 30, unrelatedExcerpts: 3_000, unrelatedPdfs: 1_000, unrelatedPictures: 300, unrelatedScans: 150, log },
      );
      emit(r.markdown);
    }
    log(`bench: ${bench} done in ${fmt((performance.now() - t0) / 1000, 0)} s`);
  }

  const out = join(dirname(fileURLToPath(import.meta.url)), 'out', 'results.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${sections.join('\n')}\n`);
  log(`bench: all done in ${fmt((performance.now() - started) / 1000, 0)} s; report written to ${relative(process.cwd(), out)}`);
}

await main();
