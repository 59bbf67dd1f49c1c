import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();
let env: CrawlEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('crawl → evidence', () => {
  it('keeps samples encrypted, writes a signed package per matched capture, and both verify offline', async () => {
    env = await startCrawlEnv(tmp(), { siteIds: ['sim-blog'] });
    const lw = (...args: string[]) => run(args, { cwd: env!.dir, env: env!.env });
    expect((await lw('keys', 'init', '--data-dir', 'data')).exitCode).toBe(0);
    const crawl = await lw('crawl', '--config', env.configFile, '--site', 'sim-blog', '--json');
    expect(JSON.parse(crawl.stdout).sites[0].status).toBe('ok');

    const data = join(env.dir, 'data');
    const packages = filesUnder(join(data, 'evidence')).filter((f) => f.endsWith('.wacz'));
    expect(packages.length).toBeGreaterThan(0);
    for (const pkg of packages) {
      const v = await lw('evidence', 'verify', pkg, '--log', join(data, 'custody', 'custody.jsonl'), '--keys', join(data, 'keys'), '--json');
      expect(v.exitCode, v.stdout + v.stderr).toBe(0);
    }
    // No downloaded sample is stored in the clear anywhere under data/: every stolen file's
    // bytes are absent from every file there (the vault holds AES-256-GCM ciphertext).
    const stolen = env.sim.posts('sim-blog').flatMap((p) => p.files.filter((f) => f.expectMatch && f.source.kind === 'stolen'));
    expect(stolen.length).toBeGreaterThan(0);
    const everything = filesUnder(data).map((f) => readFileSync(f));
    for (const f of stolen) {
      const bytes = await env.sim.fileBytes(f);
      const probe = bytes.subarray(Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64);
      expect(everything.some((b) => b.includes(probe)), f.name).toBe(false);
    }
  });
});
