import { createHash } from 'node:crypto';
import { SimHash } from 'simhash-js';
import { deriveKeys } from '../src/fingerprint/keys.js';
import { normaliseText } from '../src/fingerprint/normalize.js';
import { simhash64 } from '../src/fingerprint/simhash.js';
import { textHash } from '../src/fingerprint/text-hash.js';
import { hashTokens } from '../src/fingerprint/tokens.js';
import { winnow } from '../src/fingerprint/winnow.js';
import { fmt, markdownTable } from './lib/report.js';

/**
 * Per-core speed of the text tiers on one thread, next to SHA-256 of the same bytes (the
 * physical ceiling of the exact tier) and simhash-js (the design card's baseline), all
 * measured in the same run on the same texts.
 */
export interface SpeedRow {
  what: string;
  mbPerS: number;
  vsSha256: number;
  /** MB per CPU-second of this process: the per-core speed even when the thread was time-sliced. */
  mbPerCpuS: number;
}

/** CPU ms of this process per run of the last timed function (wall ms is the return value). */
const cpuPerRun = new Map<() => void, number>();

function time(fn: () => void, minMs = 1500): number {
  fn(); // warm-up
  let runs = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  do {
    fn();
    runs++;
  } while (performance.now() - t0 < minMs);
  const c = process.cpuUsage(c0);
  cpuPerRun.set(fn, (c.user + c.system) / 1000 / runs);
  return (performance.now() - t0) / runs;
}

export function textSpeed(texts: string[]): SpeedRow[] {
  const keys = deriveKeys(Buffer.alloc(32, 3));
  const mb = texts.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1024 / 1024;
  const buffers = texts.map((t) => Buffer.from(t));
  const shaFn = (): void => {
    for (const b of buffers) createHash('sha256').update(b).digest();
  };
  const normFn = (): void => {
    for (const t of texts) normaliseText(t);
  };
  const allFn = (): void => {
    for (const t of texts) {
      const n = normaliseText(t);
      textHash(n, keys.textKey);
      const tok = hashTokens(n, keys.tokenSeeds);
      simhash64(tok);
      winnow(tok, keys.winnowKey);
    }
  };
  const sj = new SimHash();
  const baseFn = (): void => {
    for (const t of texts) sj.hash(t);
  };
  const sha = time(shaFn);
  const row = (what: string, fn: () => void, ms: number): SpeedRow => ({
    what,
    mbPerS: mb / (ms / 1000),
    vsSha256: sha / ms,
    mbPerCpuS: mb / ((cpuPerRun.get(fn) ?? ms) / 1000),
  });
  return [
    row('SHA-256 of the bytes (node:crypto)', shaFn, sha),
    row('normalisation only (NFKC, case, separators)', normFn, time(normFn)),
    row('all text tiers: normalise + keyed text hash + simhash64 + winnowing', allFn, time(allFn)),
    row('simhash-js (baseline, 32-bit)', baseFn, time(baseFn, 3000)),
  ];
}

export function speedTable(rows: SpeedRow[]): string {
  return markdownTable(
    ['one core', 'MB/s', 'relative to SHA-256'],
    rows.map((r) => [r.what, fmt(r.mbPerS), `${fmt(r.vsSha256 * 100, 1)} %`]),
  );
}
