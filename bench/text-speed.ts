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
}

function time(fn: () => void, minMs = 1500): number {
  fn(); // warm-up
  let runs = 0;
  const t0 = performance.now();
  do {
    fn();
    runs++;
  } while (performance.now() - t0 < minMs);
  return (performance.now() - t0) / runs;
}

export function textSpeed(texts: string[]): SpeedRow[] {
  const keys = deriveKeys(Buffer.alloc(32, 3));
  const mb = texts.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1024 / 1024;
  const buffers = texts.map((t) => Buffer.from(t));
  const sha = time(() => {
    for (const b of buffers) createHash('sha256').update(b).digest();
  });
  const normMs = time(() => {
    for (const t of texts) normaliseText(t);
  });
  const all = time(() => {
    for (const t of texts) {
      const n = normaliseText(t);
      textHash(n, keys.textKey);
      const tok = hashTokens(n, keys.tokenSeeds);
      simhash64(tok);
      winnow(tok, keys.winnowKey);
    }
  });
  const sj = new SimHash();
  const base = time(() => {
    for (const t of texts) sj.hash(t);
  }, 3000);
  const row = (what: string, ms: number): SpeedRow => ({ what, mbPerS: mb / (ms / 1000), vsSha256: sha / ms });
  return [
    row('SHA-256 of the bytes (node:crypto)', sha),
    row('normalisation only (NFKC, case, separators)', normMs),
    row('all text tiers: normalise + keyed text hash + simhash64 + winnowing', all),
    row('simhash-js (baseline, 32-bit)', base),
  ];
}

export function speedTable(rows: SpeedRow[]): string {
  return markdownTable(
    ['one core', 'MB/s', 'relative to SHA-256'],
    rows.map((r) => [r.what, fmt(r.mbPerS), `${fmt(r.vsSha256 * 100, 1)} %`]),
  );
}
