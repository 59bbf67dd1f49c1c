import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORPUS_DOCUMENTS, startSimulator, type Simulator } from '../../src/sim/index.js';
import { generateCorpus } from '../../src/synth/index.js';
import { useTempDir } from '../helpers/tmp.js';
import { fetchSim } from './helpers.js';

// Same seed, same bytes: listings, post pages and samples. And the stolen samples are the very
// files generateCorpus writes for the same corpus options, so a matcher fed that corpus finds them.

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Hashes of every listing page, post page and (non-huge) sample the simulator serves. */
async function snapshot(sim: Simulator): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const site of sim.sites) {
    const mirror = site.mirrors.find((_, i) => site.id !== 'sim-mirrors' || i === 1) ?? site;
    const headers: Record<string, string> = site.style === 'queue' ? { cookie: sim.queuePass(site.id) } : {};
    const pages = ['/', '/victims', '/victims?page=2', '/api/v1/leaks?page=1', '/assets/app.js'];
    for (const p of sim.posts(site.id)) {
      pages.push(p.path);
      for (const f of [...p.files, ...p.images]) if (f.source.kind !== 'huge' && f.source.kind !== 'zip-bomb') pages.push(f.path);
    }
    for (const path of pages) {
      const r = await fetchSim(mirror, path, headers);
      out[`${site.id} ${path}`] = `${r.status} ${JSON.stringify(r.headers)} ${sha(r.body)}`;
    }
  }
  return out;
}

describe('determinism', () => {
  it('two simulators with the same seed serve byte-identical sites; another seed differs', async () => {
    const opts = { seed: 99, hugeFileBytes: 1024, zipBomb: { members: 2, memberBytes: 1024 }, slowLatencyMs: [1, 5] as const };
    const [a, b, c] = await Promise.all([startSimulator(opts), startSimulator(opts), startSimulator({ ...opts, seed: 100 })]);
    try {
      expect(b.sites.map((s) => s.onionHost)).toEqual(a.sites.map((s) => s.onionHost));
      const [sa, sb] = [await snapshot(a), await snapshot(b)];
      expect(Object.keys(sa).length).toBeGreaterThan(100);
      expect(sb).toEqual(sa);
      expect(c.posts('sim-blog').map((p) => p.title)).not.toEqual(a.posts('sim-blog').map((p) => p.title));
      // Onion names come from the site id only: the definitions stay valid for every seed.
      expect(c.sites.map((s) => s.onionHost)).toEqual(a.sites.map((s) => s.onionHost));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('a clock option moves dates and countdowns; the default clock is fixed', async () => {
    const a = await startSimulator({ seed: 4, sites: [{ id: 'x', style: 'blog', posts: 2 }], now: new Date('2030-01-01T00:00:00Z') });
    try {
      expect(a.posts('x').every((p) => p.publishedAt < '2030-01-01' && p.publishedAt > '2029-12-01')).toBe(true);
    } finally {
      await a.close();
    }
  });
});

describe('the stolen corpus', () => {
  const tmp = useTempDir();

  it('stolen samples are byte-identical to the files generateCorpus writes for the same options', async () => {
    const dir = tmp();
    const manifest = await generateCorpus(dir, { seed: 99, documents: DEFAULT_CORPUS_DOCUMENTS });
    const sim = await startSimulator({ seed: 99, hugeFileBytes: 1024 });
    try {
      expect([...sim.stolenFiles].sort()).toEqual(manifest.entries.map((e) => e.path));
      const byPath = new Map(manifest.entries.map((e) => [e.path, e.sha256]));
      const published = sim.sites.flatMap((s) => sim.posts(s.id)).flatMap((p) => p.files).filter((f) => f.source.kind === 'stolen');
      expect(published.length).toBeGreaterThanOrEqual(8);
      for (const f of published) {
        const path = (f.source as { path: string }).path;
        expect(sha(await sim.fileBytes(f)), path).toBe(byPath.get(path));
      }
      // Distinct documents across posts while the corpus lasts.
      const paths = published.map((f) => (f.source as { path: string }).path);
      expect(new Set(paths).size).toBe(paths.length);
    } finally {
      await sim.close();
    }
  });

  it('corpusDir: samples are read from a corpus on disk (any files, listed and sorted)', async () => {
    const dir = tmp();
    const manifest = await generateCorpus(dir, { seed: 7, documents: 12 });
    const sim = await startSimulator({ seed: 7, corpusDir: dir, sites: [{ id: 'sim-blog', style: 'blog', posts: 3 }] });
    try {
      expect(sim.stolenFiles).toEqual(manifest.entries.map((e) => e.path));
      const file = sim.posts('sim-blog')[0]?.files[0];
      const corpusPath = file?.contents[0]?.corpusPath ?? '';
      const served = await fetchSim(sim.site('sim-blog'), file?.path ?? '');
      expect(served.body.equals(readFileSync(join(dir, corpusPath)))).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
