import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/alert/index.js';
import { run } from '../../src/cli/index.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();
const SECRET = 'a-webhook-secret-for-tests-0123456789';
let env: CrawlEnv | undefined;
let server: Server | undefined;
afterEach(async () => {
  await env?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  env = undefined;
  server = undefined;
});

interface Received {
  id: string;
  body: { alert?: { siteId?: string } } & Record<string, unknown>;
  valid: boolean;
}

/** A webhook receiver on loopback that can be switched off (answers 503) and on. */
async function receiver(): Promise<{ url: string; got: Received[]; setUp(up: boolean): void }> {
  const got: Received[] = [];
  let up = true;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!up) {
        res.writeHead(503).end('down');
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const sig = String(req.headers['x-leakwatch-signature'] ?? '');
      got.push({ id: String(req.headers['x-leakwatch-id'] ?? ''), body: JSON.parse(raw), valid: verifySignature(SECRET, raw, sig, { toleranceSeconds: 600 }).ok });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const port = (server!.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/hook`, got, setUp: (v) => (up = v) };
}

describe('crawl → alerts', () => {
  it('raises one alert per matched sample, delivers it signed, and never twice; a receiver that was down gets it on a later run', async () => {
    const hook = await receiver();
    hook.setUp(false);
    const extraConfig = [
      'alerts:',
      '  delivery: { initialDelayMs: 1000, maxDelayMs: 1000, jitterRatio: 0 }',
      '  channels:',
      `    - { name: soc, type: webhook, url: "${hook.url}", secret: "\${HOOK_SECRET}" }`,
    ].join('\n');
    env = await startCrawlEnv(tmp(), { siteIds: ['sim-blog'], extraConfig });
    const e = { ...env.env, HOOK_SECRET: SECRET };
    const crawl = () => run(['crawl', '--config', env!.configFile, '--site', 'sim-blog'], { cwd: env!.dir, env: e });

    const first = await crawl();
    expect(first.stderr).not.toContain(SECRET);
    expect(hook.got).toEqual([]);
    const list = JSON.parse((await run(['alerts', 'list', '--json', '--config', env.configFile], { cwd: env.dir, env: e })).stdout);
    const alerts = list.alerts ?? list;
    expect(alerts.length).toBeGreaterThan(0);

    // The receiver comes back; the next run (a new process, in effect) delivers what waited.
    hook.setUp(true);
    await new Promise((r) => setTimeout(r, 1100));
    await crawl();
    expect(hook.got.length).toBe(alerts.length);
    expect(hook.got.every((g) => g.valid)).toBe(true);
    expect(new Set(hook.got.map((g) => g.id)).size).toBe(hook.got.length);

    // Seen again: same alerts, nothing new delivered.
    await new Promise((r) => setTimeout(r, 1100));
    await crawl();
    expect(hook.got.length).toBe(alerts.length);
    const again = JSON.parse((await run(['alerts', 'list', '--json', '--config', env.configFile], { cwd: env.dir, env: e })).stdout);
    expect((again.alerts ?? again).length).toBe(alerts.length);
  });
});
