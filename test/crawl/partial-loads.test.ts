import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { REMOVE_AFTER_LOADS } from '../../src/crawl/index.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();
let env: CrawlEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('partial loads never remove victims', () => {
  it('treats empty, short, error and zero-post pages as failed loads, and concludes removal only after repeated complete loads', async () => {
    env = await startCrawlEnv(tmp(), { siteIds: ['sim-blog'] });
    const crawl = async () => JSON.parse((await run(['crawl', '--config', env!.configFile, '--site', 'sim-blog', '--json'], { cwd: env!.dir, env: env!.env })).stdout).sites[0];
    const first = await crawl();
    expect(first.status).toBe('ok');
    const db = new Database(join(env.dir, 'data', 'leakwatch.db'), { readonly: true });
    const removed = () => (db.prepare('SELECT COUNT(*) AS n FROM posts WHERE removed_at IS NOT NULL').get() as { n: number }).n;
    const total = (db.prepare('SELECT COUNT(*) AS n FROM posts').get() as { n: number }).n;
    expect(total).toBe(env.sim.posts('sim-blog').length);

    for (const kind of ['empty', 'short', 'error', 'not-found', 'no-posts'] as const) {
      // Many times over: retries of retryable answers (502) consume faults too.
      env.sim.injectFault('sim-blog', { kind, times: 1000 });
      for (let i = 0; i <= REMOVE_AFTER_LOADS; i++) {
        const r = await crawl();
        expect(r.status, kind).not.toBe('ok');
        expect(r.status, kind).toBe(kind === 'no-posts' ? 'parser-broken' : 'failed');
      }
      expect(removed(), kind).toBe(0);
      env.sim.clearFaults();
    }
    const warnings = db.prepare(`SELECT kind, message FROM warnings WHERE kind = 'parser-broken'`).all() as { message: string }[];
    expect(warnings.length).toBeGreaterThan(0);

    // A victim really taken down: removed only after REMOVE_AFTER_LOADS complete loads.
    const victim = env.sim.posts('sim-blog').at(-1)!;
    expect(env.sim.removePost('sim-blog', victim.slug)).toBe(true);
    for (let i = 1; i <= REMOVE_AFTER_LOADS; i++) {
      expect((await crawl()).status).toBe('ok');
      expect(removed()).toBe(i < REMOVE_AFTER_LOADS ? 0 : 1);
    }
    db.close();
  });
});
