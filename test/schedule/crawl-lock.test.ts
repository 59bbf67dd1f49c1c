import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { run } from '../../src/cli/index.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';
import { useTempDir } from '../helpers/tmp.js';
import { contentOf, count, siteFolder, withDb } from './schedule-env.js';

const tmp = useTempDir('leakwatch-crawl-lock-');
let env: CrawlEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

interface SiteResult {
  siteId: string;
  status: string;
  reason?: string;
  runId: number;
}

describe('leakwatch crawl and the per-site lock', () => {
  it('two crawls of the same site at once: one crawls, the other skips it (not a failure), nothing is duplicated', async () => {
    const dir = tmp();
    env = await startCrawlEnv(dir, { siteIds: ['sim-blog', 'sim-api'], sitesDir: siteFolder(dir, ['sim-blog', 'sim-api']), simOptions: { latencyMs: [40, 80] } });
    const crawl = (...sites: string[]) => run(['crawl', '--config', env!.configFile, '--json', ...sites.flatMap((s) => ['--site', s])], { cwd: dir, env: env!.env });
    const [a, b] = await Promise.all([crawl('sim-blog'), crawl('sim-blog', 'sim-api')]);
    const results = [...JSON.parse(a.stdout).sites, ...JSON.parse(b.stdout).sites] as SiteResult[];
    const blog = results.filter((r) => r.siteId === 'sim-blog');
    expect(blog.map((r) => r.status).sort()).toEqual(['ok', 'skipped']);
    const skipped = blog.find((r) => r.status === 'skipped')!;
    expect(skipped.reason).toMatch(new RegExp(`^already being crawled by pid ${process.pid} since \\S+ \\(heartbeat `));
    expect(skipped.runId).toBe(0);
    // The other site of the second crawl is not affected.
    expect(results.find((r) => r.siteId === 'sim-api')?.status).toBe('ok');
    const dataDir = join(dir, 'data');
    withDb(dataDir, (db) => {
      expect(count(db, `SELECT COUNT(*) AS n FROM runs WHERE site_id = 'sim-blog'`)).toBe(1);
      expect(count(db, `SELECT COUNT(*) AS n FROM posts WHERE site_id = 'sim-blog'`)).toBe(env!.sim.posts('sim-blog').length);
    });
    // Once the first is done, the site is free again; a new crawl finds no new post, and a new
    // sample only where the first crawl's download failed (retried, not duplicated).
    const crawled = blog.find((r) => r.status === 'ok') as SiteResult & { samplesFailed: number };
    const before = contentOf(dataDir);
    const again = JSON.parse((await crawl('sim-blog')).stdout).sites[0] as SiteResult & { postsNew: number; samplesNew: number };
    expect(again).toMatchObject({ status: 'ok', postsNew: 0 });
    expect(again.samplesNew).toBeLessThanOrEqual(crawled.samplesFailed);
    const after = contentOf(dataDir);
    expect(after.posts).toEqual(before.posts);
    expect(after.samples.length).toBe(before.samples.length + again.samplesNew);
    expect(new Set(after.samples).size).toBe(after.samples.length);
  });
});
