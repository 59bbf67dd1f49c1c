import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrawlEnv } from '../helpers/crawl-env.js';
import { spawnCli, until, type CliProcess } from './cli-process.js';
import { configWithData, count, HOOK_SECRET, startDaemonEnv, webhookReceiver, withDb, type Receiver } from './schedule-env.js';

/** The daemon as systemd runs it (a real process), stopped by SIGTERM in the middle of a crawl. */

const SITE = 'sim-blog';
let root: string;
let env: CrawlEnv;
let hook: Receiver;
let proc: CliProcess | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'leakwatch-daemon-term-'));
  hook = await webhookReceiver();
  env = await startDaemonEnv(root, SITE, hook.url);
}, 120_000);

afterAll(async () => {
  if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  await env?.close();
  await hook?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('leakwatch daemon: SIGTERM', () => {
  it('stops mid-crawl with exit 0 within the timeout, leaving no run running and no lock; logs are JSON', async () => {
    const dataDir = join(root, 'data-term');
    const config = configWithData(env.configFile, 'term.yaml', 'data-term');
    const d = (proc = spawnCli(['daemon', '--config', config], { ...env.env, HOOK_SECRET }));
    await d.waitForLog((l) => l.event === 'daemon-start', 30_000, 'the daemon to start');
    expect(d.logs.find((l) => l.event === 'scheduled')).toMatchObject({ site: SITE, cron: '*/2 * * * * *', timezone: 'UTC', source: 'default' });
    await d.waitForLog((l) => l.event === 'run-start' && l.site === SITE, 30_000, 'a run to start');
    // Mid-crawl: a sample stored, the run still going.
    await until(() => existsSync(join(dataDir, 'leakwatch.db')) && withDb(dataDir, (db) => count(db, 'SELECT COUNT(*) AS n FROM samples')) >= 1, 30_000, 'a first sample');
    expect(d.logs.some((l) => l.event === 'run-end')).toBe(false);
    d.child.kill('SIGTERM');
    // shutdownTimeoutMs is 15 s; a generous bound on top, never a timing assertion.
    const exit = await Promise.race([d.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000 + 20_000))]);
    expect(exit, d.stderr().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(d.logs.find((l) => l.event === 'daemon-stop')).toMatchObject({ clean: true });
    expect(d.logs.find((l) => l.event === 'run-end' && l.site === SITE)).toMatchObject({ status: 'interrupted' });
    expect(withDb(dataDir, (db) => db.prepare('SELECT status FROM runs').all())).toEqual([{ status: 'interrupted' }]);
    expect(readdirSync(join(dataDir, 'locks')).filter((f) => f.endsWith('.lock'))).toEqual([]);
    // Every stderr line is a JSON log record (stderr is not a terminal here), level info and up.
    const lines = d.stderr().split('\n').filter((l) => l.trim() && !/SIGTERM received/.test(l));
    expect(lines.length).toBe(d.logs.length);
    for (const l of d.logs) expect(l.level >= 30 && typeof l.time === 'string' && typeof l.msg === 'string').toBe(true);
  });
});
