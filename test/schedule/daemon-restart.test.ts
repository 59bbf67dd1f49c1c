import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import type { CrawlEnv } from '../helpers/crawl-env.js';
import { spawnCli, until, type CliProcess } from './cli-process.js';
import { configWithData, contentOf, count, HOOK_SECRET, startDaemonEnv, webhookReceiver, withDb, type Receiver } from './schedule-env.js';

/**
 * The daemon as systemd runs it: a real process on a fast schedule (every 2 s) against the
 * simulator behind the loopback SOCKS proxy, with a webhook channel. Every request is delayed
 * a little so a signal can land in the middle of a crawl.
 */

const SITE = 'sim-blog';
let root: string;
let env: CrawlEnv;
let hook: Receiver;
const procs: CliProcess[] = [];

beforeAll(async () => {
  // One simulator and fingerprint store for the file; each test has its own data folder.
  root = mkdtempSync(join(tmpdir(), 'leakwatch-daemon-kill-'));
  hook = await webhookReceiver();
  env = await startDaemonEnv(root, SITE, hook.url);
}, 120_000);

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await env?.close();
  await hook?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function daemon(configFile: string): CliProcess {
  const p = spawnCli(['daemon', '--config', configFile], { ...env.env, HOOK_SECRET });
  procs.push(p);
  return p;
}

const runningRuns = (dataDir: string): number => withDb(dataDir, (db) => count(db, `SELECT COUNT(*) AS n FROM runs WHERE status = 'running'`));

describe('leakwatch daemon: kill -9 and restart', () => {
  it('after kill -9 mid-crawl, a restart recovers the lock and the run and ends with exactly what one clean crawl finds', async () => {
    const dataDir = join(root, 'data-kill');
    const config = configWithData(env.configFile, 'kill.yaml', 'data-kill');
    const first = daemon(config);
    await first.waitForLog((l) => l.event === 'run-start' && l.site === SITE, 30_000, 'a run to start');
    await until(() => existsSync(join(dataDir, 'leakwatch.db')) && withDb(dataDir, (db) => count(db, 'SELECT COUNT(*) AS n FROM samples')) >= 2, 30_000, 'two samples');
    expect(first.logs.some((l) => l.event === 'run-end')).toBe(false);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // What a crash leaves: a run marked running and the site's lock file with a dead pid.
    expect(runningRuns(dataDir)).toBe(1);
    expect(existsSync(join(dataDir, 'locks', `${SITE}.lock`))).toBe(true);

    const second = daemon(config);
    await second.waitForLog((l) => l.event === 'run-abandoned' && l.site === SITE, 30_000, 'the abandoned run to be closed');
    await second.waitForLog((l) => l.event === 'lock-recovered' && l.site === SITE && l.pid === first.pid, 30_000, 'the stale lock to be recovered');
    await second.waitForLog((l) => l.event === 'run-end' && l.site === SITE && l.status === 'ok', 60_000, 'a complete run');
    // Every alert delivered once the delivery loop has caught up.
    await until(
      () => withDb(dataDir, (db) => count(db, `SELECT COUNT(*) AS n FROM alert_outbox WHERE status != 'delivered'`) === 0 && count(db, 'SELECT COUNT(*) AS n FROM alert_outbox') > 0),
      // A notification the killed process had claimed stays leased for its timeout + 30 s.
      60_000,
      'every notification delivered',
    ).catch((err: Error) => {
      const rows = withDb(dataDir, (db) => db.prepare('SELECT status, attempts, last_error FROM alert_outbox').all());
      throw new Error(`${err.message}\n${JSON.stringify(rows)}\n${second.stderr().split('\n').filter((l) => /"level":[45]0|deliver/.test(l)).join('\n').slice(-4000)}`);
    });
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(runningRuns(dataDir)).toBe(0);
    const delivered = [...hook.ids];

    // The reference: one uninterrupted crawl of the same simulator into a fresh database.
    const cleanConfig = configWithData(env.configFile, 'clean.yaml', 'data-clean');
    const clean = await run(['crawl', '--config', cleanConfig, '--json'], { cwd: root, env: { ...env.env, HOOK_SECRET } });
    expect(JSON.parse(clean.stdout).sites[0]).toMatchObject({ siteId: SITE, status: 'ok' });
    const got = contentOf(dataDir);
    const want = contentOf(join(root, 'data-clean'));
    expect(got.posts).toEqual(want.posts);
    expect(got.samples).toEqual(want.samples);
    expect(got.matches).toEqual(want.matches);
    expect(got.alerts).toEqual(want.alerts);
    expect(got.alerts.length).toBeGreaterThan(0);
    withDb(dataDir, (db) => {
      // One notification per alert and one outbox row per notification: nothing raised twice.
      expect(count(db, 'SELECT COUNT(*) AS n FROM alert_notifications')).toBe(got.alerts.length);
      expect(count(db, 'SELECT COUNT(*) AS n FROM alert_outbox')).toBe(got.alerts.length);
      const ids = (db.prepare('SELECT id FROM alert_notifications ORDER BY id').all() as { id: string }[]).map((r) => r.id);
      // Nothing lost on the receiving end either (at-least-once: a repeat would carry the same id).
      expect([...new Set(delivered)].sort()).toEqual(ids);
    });
  }, 150_000);
});
