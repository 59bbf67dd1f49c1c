import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import type { StatusReport } from '../../src/schedule/status.js';
import { simSitesDir } from '../../src/sim/index.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';
import { configWithData, HOOK_SECRET, removeSite, siteFolder, webhookReceiver, type Receiver } from './schedule-env.js';

/**
 * `leakwatch status` exit codes, each from a real situation on the simulator: healthy after a
 * crawl, degraded with a dead mirror, failing once every mirror of a site was down for
 * `failingAfterRuns` runs, failing with an unreadable database.
 */

let root: string;
let env: CrawlEnv;
let hook: Receiver;
let sitesDir: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'leakwatch-status-'));
  hook = await webhookReceiver();
  sitesDir = siteFolder(root, ['sim-blog']);
  const extraConfig = ['alerts:', '  channels:', `    - { name: soc, type: webhook, url: "${hook.url}", secret: "\${HOOK_SECRET}" }`].join('\n');
  env = await startCrawlEnv(root, { siteIds: ['sim-blog', 'sim-mirrors'], sitesDir, extraConfig });
}, 120_000);

afterAll(async () => {
  await env?.close();
  await hook?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const cliEnv = (): NodeJS.ProcessEnv => ({ ...env.env, HOOK_SECRET });
const crawl = (site: string) => run(['crawl', '--config', env.configFile, '--site', site, '--json'], { cwd: root, env: cliEnv() });

async function status(configFile = env.configFile): Promise<{ exitCode: number; report: StatusReport; text: string }> {
  const j = await run(['status', '--config', configFile, '--json'], { cwd: root, env: cliEnv() });
  const t = await run(['status', '--config', configFile], { cwd: root, env: cliEnv() });
  expect(t.exitCode).toBe(j.exitCode);
  const report = JSON.parse(j.stdout) as StatusReport;
  expect(report.exitCode).toBe(j.exitCode);
  return { exitCode: j.exitCode, report, text: t.stdout };
}

describe('leakwatch status', () => {
  it('exit 1 before anything was crawled, 0 after a clean crawl, 1 with a dead mirror, 2 when every mirror is down for 3 runs', async () => {
    const never = await status();
    expect(never.exitCode).toBe(1);
    expect(never.report.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/no database yet/), 'sim-blog: never crawled']));

    // Healthy: a clean crawl, alerts delivered.
    expect(JSON.parse((await crawl('sim-blog')).stdout).sites[0].status).toBe('ok');
    const healthy = await status();
    expect(healthy.report.reasons).toEqual([]);
    expect(healthy.exitCode).toBe(0);
    expect(healthy.text).toMatch(/^leakwatch status: HEALTHY \(exit 0\)/);
    expect(healthy.text).toContain('sim-blog');
    const r = healthy.report;
    expect(r).toMatchObject({ health: 'healthy', exitCode: 0, config: env.configFile, database: { ok: true, path: join(root, 'data', 'leakwatch.db') } });
    expect(r.deliveries).toEqual({ pending: 0, backingUp: 0, dead: 0, oldestPendingAt: null });
    const posts = env.sim.posts('sim-blog').length;
    const site = r.sites[0]!;
    expect(site).toMatchObject({
      id: 'sim-blog',
      name: 'Nightjar Leaks',
      enabled: true,
      health: 'healthy',
      reasons: [],
      schedule: { cron: '*/30 * * * *', timezone: 'UTC', source: 'default' },
      lastRun: { status: 'ok', reason: null },
      lastError: null,
      consecutiveFailedRuns: 0,
      newPosts: { lastRun: posts, last24h: posts },
      deliveries: { pending: 0, backingUp: 0, dead: 0 },
      warnings: [],
      crawling: null,
    });
    expect(site.mirrors).toEqual([
      expect.objectContaining({ url: env.sim.site('sim-blog').mirrors[0]!.url, state: 'up', consecutiveFailures: 0, lastError: null, lastOkAt: expect.any(String) }),
    ]);
    expect(Date.parse(site.lastSuccessAt!)).toBeGreaterThan(Date.parse(site.lastRun!.startedAt) - 1);
    // The next run comes from the cron expression: on the next :00 or :30, within 30 minutes.
    const next = new Date(site.nextRunAt!);
    expect(next.getUTCMinutes() % 30).toBe(0);
    expect(next.getTime() - Date.now()).toBeGreaterThan(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    expect(hook.ids.length).toBeGreaterThan(0);

    // Degraded: a site whose first mirror refuses connections (the second one answers).
    copyFileSync(join(simSitesDir(), 'sim-mirrors.yaml'), join(sitesDir, 'sim-mirrors.yaml'));
    expect(JSON.parse((await crawl('sim-mirrors')).stdout).sites[0].status).toBe('ok');
    const degraded = await status();
    expect(degraded.exitCode).toBe(1);
    expect(degraded.text).toMatch(/^leakwatch status: DEGRADED \(exit 1\)/);
    const mirrors = degraded.report.sites.find((s) => s.id === 'sim-mirrors')!;
    expect(mirrors.health).toBe('degraded');
    expect(mirrors.mirrors.map((m) => m.state)).toEqual(['down', 'up', 'unknown']);
    expect(mirrors.mirrors[0]!.consecutiveFailures).toBeGreaterThan(0);
    expect(mirrors.reasons).toEqual([expect.stringMatching(new RegExp(`^mirror ${env.sim.site('sim-mirrors').mirrors[0]!.url.replace(/[.]/g, '\\.')} is down`))]);
    expect(degraded.report.sites.find((s) => s.id === 'sim-blog')!.health).toBe('healthy');
    removeSite(sitesDir, 'sim-mirrors');

    // Failing: sim-blog's only mirror goes away; degraded after 1 and 2 failed runs, failing after 3.
    await env.sim.setDown('sim-blog', 0, true);
    for (const n of [1, 2, 3]) {
      expect(JSON.parse((await crawl('sim-blog')).stdout).sites[0].status).toBe('failed');
      const s = await status();
      const blog = s.report.sites[0]!;
      expect(blog.consecutiveFailedRuns).toBe(n);
      expect(blog.mirrors[0]).toMatchObject({ state: 'down', consecutiveFailures: n });
      expect(blog.lastError).toMatchObject({ status: 'failed', message: expect.stringMatching(/no mirror answered/) });
      if (n < 3) {
        expect(s.exitCode).toBe(1);
        expect(blog.health).toBe('degraded');
      } else {
        expect(s.exitCode).toBe(2);
        expect(blog.health).toBe('failing');
        expect(blog.reasons[0]).toBe('every mirror down for the last 3 runs');
        expect(s.text).toMatch(/^leakwatch status: FAILING \(exit 2\)/);
      }
    }
    await env.sim.setDown('sim-blog', 0, false);
  });

  it('exit 2 when the database cannot be read', async () => {
    const dataDir = join(root, 'data-corrupt');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'leakwatch.db'), Buffer.alloc(8192, 0x5a));
    const config = configWithData(env.configFile, 'corrupt.yaml', 'data-corrupt');
    const s = await status(config);
    expect(s.exitCode).toBe(2);
    expect(s.report.database).toMatchObject({ ok: false, error: expect.stringMatching(/not a database|malformed|file is not/i) });
    expect(s.report.reasons[0]).toMatch(/is unreadable/);
    expect(s.report.sites[0]).toMatchObject({ id: 'sim-blog', health: 'failing' });
  });
  it('--check-tor: the local Tor client joins the verdict (SOCKS down → 2, control port unusable → 1)', async () => {
    // A port that is certainly closed: bound, noted, released.
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    const text = readFileSync(env.configFile, 'utf8');
    const variant = (name: string, tor: string): string => {
      const file = join(root, name);
      writeFileSync(file, text.replace(/^tor: .*$/m, `tor: ${tor}`));
      return file;
    };
    const socksPort = /^tor: .*socksPort: (\d+)/m.exec(text)![1];
    const check = async (file: string) => {
      const r = await run(['status', '--config', file, '--json', '--check-tor'], { cwd: root, env: cliEnv() });
      return { exitCode: r.exitCode, report: JSON.parse(r.stdout) as StatusReport & { tor: { socks: { ok: boolean }; control?: { ok: boolean; error?: string }; reasons: string[] } } };
    };
    // The loopback proxy of the simulator answers like Tor; without a control port that is all.
    const up = await check(variant('tor-up.yaml', `{ socksHost: 127.0.0.1, socksPort: ${socksPort} }`));
    expect(up.report.tor).toMatchObject({ socks: { ok: true }, health: 'healthy', reasons: [] });
    expect(up.report.tor.control).toBeUndefined();
    // A control port nobody listens on: degraded, and the reason names it.
    const noControl = await check(variant('tor-nocontrol.yaml', `{ socksHost: 127.0.0.1, socksPort: ${socksPort}, controlPort: ${closed} }`));
    expect(noControl.report.tor.control).toMatchObject({ ok: false });
    expect(noControl.report.reasons[0]).toMatch(new RegExp(`^Tor control port: Tor control port at 127\\.0\\.0\\.1:${closed} is not reachable: connection refused`));
    expect(noControl.exitCode).toBeGreaterThanOrEqual(1);
    // No Tor at all: failing, whatever the sites say.
    const down = await check(variant('tor-down.yaml', `{ socksHost: 127.0.0.1, socksPort: ${closed} }`));
    expect(down.exitCode).toBe(2);
    expect(down.report.tor.socks.ok).toBe(false);
    expect(down.report.reasons[0]).toMatch(/^Tor SOCKS proxy: .*not reachable/);
  });
});
