import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { run } from '../../src/cli/index.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();
let env: CrawlEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

interface SiteResult {
  siteId: string;
  status: string;
  postsSeen: number;
  postsNew: number;
  samplesNew: number;
  matchesNew: number;
  mirror?: string;
}

describe('leakwatch crawl (simulator behind the loopback SOCKS proxy)', () => {
  it('finds posts, downloads samples, matches the stolen ones, and re-runs without duplicates', async () => {
    env = await startCrawlEnv(tmp(), { siteIds: ['sim-blog', 'sim-paged', 'sim-api', 'sim-queue', 'sim-mirrors'] });
    const lw = (...args: string[]) => run(['crawl', '--config', env!.configFile, '--json', ...args], { cwd: env!.dir, env: env!.env });
    const sites = ['--site', 'sim-blog', '--site', 'sim-paged', '--site', 'sim-api', '--site', 'sim-queue', '--site', 'sim-mirrors'];
    const first = await lw(...sites);
    expect(first.stderr).not.toMatch(/"level":50/);
    const r1 = JSON.parse(first.stdout) as { sites: SiteResult[]; matching: boolean };
    expect(r1.matching).toBe(true);
    const by = new Map(r1.sites.map((s) => [s.siteId, s]));
    for (const id of ['sim-blog', 'sim-paged', 'sim-api']) {
      const posts = env.sim.posts(id);
      expect(by.get(id)).toMatchObject({ status: 'ok', postsSeen: posts.length, postsNew: posts.length });
      const files = posts.flatMap((p) => [...p.files, ...p.images]);
      expect(by.get(id)!.samplesNew).toBe(new Set(files.map((f) => f.path)).size);
      expect(by.get(id)!.matchesNew).toBeGreaterThan(0);
    }
    expect(by.get('sim-queue')!.status).toBe('needs-human');
    // Mirror 0 refuses connections: the slow mirror 1 is used instead.
    expect(by.get('sim-mirrors')).toMatchObject({ status: 'ok' });
    expect(by.get('sim-mirrors')!.mirror).toBe(env.sim.site('sim-mirrors').mirrors[1]!.url);
    expect(first.exitCode).toBe(1); // the queue site needs a human

    // Every matched sample is a stolen file; no unrelated file matched.
    const db = new Database(join(env.dir, 'data', 'leakwatch.db'), { readonly: true });
    const matched = db
      .prepare(`SELECT DISTINCT x.url FROM matches m JOIN samples s ON s.id = m.sample_id JOIN sample_sightings x ON x.sample_id = s.id`)
      .all() as { url: string }[];
    const expected = new Map<string, boolean>();
    const maybe = new Set<string>();
    // A screenshot of a scanned text page is left to OCR (issue #7): perceptual hashes of text
    // pages are not distinctive. Screenshots of photos must match.
    const ocrCase = (f: { contents: { transform?: string; corpusPath?: string }[] }) =>
      f.contents.some((c) => c.transform === 'screenshot' && !/\/(photo|passport)-/.test(c.corpusPath ?? ''));
    for (const id of ['sim-blog', 'sim-paged', 'sim-api', 'sim-mirrors'])
      for (const p of env.sim.posts(id)) for (const f of [...p.files, ...p.images]) {
          if (ocrCase(f)) maybe.add(f.path);
          else expected.set(f.path, f.expectMatch);
        }
    const matchedPaths = new Set(matched.map(({ url }) => new URL(url).pathname).filter((p) => !maybe.has(p)));
    expect([...matchedPaths].sort()).toEqual([...expected].filter(([, m]) => m).map(([p]) => p).sort());
    const counts = () => db.prepare('SELECT (SELECT COUNT(*) FROM posts) AS posts, (SELECT COUNT(*) FROM samples) AS samples, (SELECT COUNT(*) FROM matches) AS matches').get();
    const before = counts();

    // Only .onion names reached the proxy; the simulator saw only the proxy's connections.
    expect(env.socks.connections.length).toBeGreaterThan(0);
    for (const c of env.socks.connections) expect(c.host).toMatch(/\.onion$/);
    for (const req of env.sim.requests()) expect(req.host).toMatch(/\.onion$/);

    const second = await lw(...sites);
    const r2 = JSON.parse(second.stdout) as { sites: SiteResult[] };
    for (const s of r2.sites.filter((x) => x.status === 'ok')) expect(s).toMatchObject({ postsNew: 0, samplesNew: 0, matchesNew: 0 });
    expect(counts()).toEqual(before);
    db.close();
  });

  it('fails closed when the proxy is down: a clear message and nothing fetched', async () => {
    env = await startCrawlEnv(tmp(), { siteIds: ['sim-blog'] });
    await env.socks.close();
    const r = await run(['crawl', '--config', env.configFile, '--site', 'sim-blog'], { cwd: env.dir, env: env.env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Tor SOCKS proxy at 127\.0\.0\.1:\d+ is not reachable/);
    expect(env.sim.requests()).toEqual([]);
  });
});
