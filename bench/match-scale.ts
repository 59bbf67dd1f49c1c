import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintItem } from '../src/fingerprint/fingerprint-item.js';
import { Matcher } from '../src/match/matcher.js';
import { FingerprintStore } from '../src/store/fingerprint-store.js';
import { randomWords, rng } from '../test/helpers/words.js';
import { textItem } from '../test/helpers/store.js';
import { fmt, gc, markdownTable, percentile, rssMb } from './lib/report.js';

/**
 * Benchmark 2: match latency (p50/p99) and index memory against stores of 10k, 100k and 1M
 * documents. Documents are synthetic word sequences (~250 words, the size of a short clinical
 * note), fingerprinted with the real code and stored with the real store; the samples are
 * 100-word excerpts of stored documents, near copies, and unrelated texts.
 */
export interface ScaleRow {
  documents: number;
  buildS: number;
  loadMs: number;
  indexMb: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  hitRate: number;
  dbMb: number;
}

const DOC_WORDS = 250;

function buildStore(dir: string, n: number, progress?: (line: string) => void): FingerprintStore {
  const store = FingerprintStore.open(join(dir, 'fp'), { create: true, env: {}, keyFile: join(dir, 'k') });
  store.db.pragma('cache_size = -262144');
  const setId = store.ensureSet('bench');
  const batch = 5_000;
  for (let start = 0; start < n; start += batch) {
    store.db.transaction(() => {
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const fp = fingerprintItem(textItem(`docs/${i}.txt`, randomWords(DOC_WORDS, i + 1).join(' ')), store.keys);
        store.writeSource(setId, { path: `docs/${i}.txt`, size: fp.size, mtimeMs: 0 }, [fp], []);
      }
    })();
    const done = Math.min(n, start + batch);
    if (progress && (done % 100_000 === 0 || done === n)) progress(`scale: stored ${done.toLocaleString('en')} / ${n.toLocaleString('en')} documents`);
  }
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  return store;
}

export async function matchScale(sizes: number[], samples = 1_000, progress?: (line: string) => void): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-'));
    try {
      const t0 = performance.now();
      const store = buildStore(dir, n, progress);
      const buildS = (performance.now() - t0) / 1000;
      gc();
      const before = rssMb();
      const matcher = new Matcher(store);
      gc();
      const indexMb = rssMb() - before;
      const r = rng(n);
      const lat: number[] = [];
      let hits = 0;
      let expected = 0;
      for (let s = 0; s < samples; s++) {
        const kind = s % 3;
        const doc = Math.floor(r() * n);
        const words = randomWords(DOC_WORDS, doc + 1);
        let text: string;
        if (kind === 0) text = words.slice(50, 150).join(' ');
        else if (kind === 1) {
          words[Math.floor(r() * DOC_WORDS)] = 'edited';
          text = words.join(' ');
        } else text = randomWords(DOC_WORDS, 10_000_000 + s).join(' ');
        const fp = fingerprintItem(textItem('sample.txt', text), store.keys);
        const t = performance.now();
        const m = matcher.match(fp);
        lat.push(performance.now() - t);
        if (kind !== 2) {
          expected++;
          if (m[0]?.document === `docs/${doc}.txt`) hits++;
        }
      }
      lat.sort((a, b) => a - b);
      const dbMb = (store.db.prepare('SELECT page_count * page_size AS b FROM pragma_page_count(), pragma_page_size()').get() as { b: number }).b / 1024 / 1024;
      rows.push({
        documents: n,
        buildS,
        loadMs: matcher.loadMs,
        indexMb,
        p50Ms: percentile(lat, 50),
        p99Ms: percentile(lat, 99),
        maxMs: lat[lat.length - 1] ?? NaN,
        hitRate: hits / expected,
        dbMb,
      });
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

export function scaleTable(rows: ScaleRow[]): string {
  return markdownTable(
    ['documents', 'store build (s)', 'index load (ms)', 'index memory (MB)', 'match p50 (ms)', 'match p99 (ms)', 'max (ms)', 'right document first', 'store size (MB)'],
    rows.map((r) => [r.documents.toLocaleString('en'), fmt(r.buildS), fmt(r.loadMs, 0), fmt(r.indexMb, 0), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2), fmt(r.maxMs, 1), `${fmt(r.hitRate * 100, 1)} %`, fmt(r.dbMb, 0)]),
  );
}
