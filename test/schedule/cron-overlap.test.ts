import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrawlEnv } from '../helpers/crawl-env.js';
import { spawnCli, until, type CliProcess } from './cli-process.js';
import { configWithData, HOOK_SECRET, startDaemonEnv, webhookReceiver, withDb, type Receiver } from './schedule-env.js';

/**
 * `leakwatch crawl` from the system's cron and `leakwatch daemon`, both real processes on the
 * same data folder, each finding the other in the middle of a crawl of the same site. The
 * simulator's latency is raised so each crawl lasts long enough for the other to arrive.
 */

const SITE = 'sim-blog';
let root: string;
let env: CrawlEnv;
let hook: Receiver;
const procs: CliProcess[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'leakwatch-overlap-'));
  hook = await webhookReceiver();
  env = await startDaemonEnv(root, SITE, hook.url);
}, 120_000);

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await env?.close();
  await hook?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function cli(args: string[]): CliProcess {
  const p = spawnCli(args, { ...env.env, HOOK_SECRET });
  procs.push(p);
  return p;
}

interface RunRow {
  id: number;
  pid: number;
  status: string;
  startedAt: string;
  finishedAt: string | null;
}

describe('cron-run crawl and the daemon', () => {
  it('never crawl the same site at once: whoever comes second skips, and their requests never interleave', async () => {
    const dataDir = join(root, 'data-overlap');
    const config = configWithData(env.configFile, 'overlap.yaml', 'data-overlap');
    env.sim.clearRequests();

    // 1. cron starts a crawl (slow site); the daemon comes up while it runs and must skip.
    env.sim.setLatency(SITE, 0, [400, 500]);
    const cron1 = cli(['crawl', '--config', config, '--site', SITE, '--json']);
    await until(() => env.sim.requests({ siteId: SITE }).length > 0, 30_000, 'the cron crawl to reach the site');
    const daemon = cli(['daemon', '--config', config]);
    const skipped = await daemon.waitForLog((l) => l.event === 'run-end' && l.site === SITE && l.status === 'skipped', 60_000, 'the daemon to skip the locked site');
    expect(skipped.reason).toMatch(new RegExp(`^already being crawled by pid ${cron1.pid} since `));
    expect(daemon.logs.find((l) => l.event === 'run-skipped')).toMatchObject({ site: SITE, heldBy: cron1.pid });
    await cron1.exited;
    expect(JSON.parse(cron1.stdout()).sites[0]).toMatchObject({ siteId: SITE, status: 'ok' });
    env.sim.setLatency(SITE, 0, [60, 120]);
    await daemon.waitForLog((l) => l.event === 'run-end' && l.site === SITE && l.status === 'ok', 60_000, 'a daemon run once the lock is free');

    // 2. New posts make the daemon's next run long; cron's crawl arrives meanwhile and skips.
    for (const n of [1, 2, 3]) {
      env.sim.addPost(SITE, {
        title: `Overlap Test Holdings ${n}`,
        slug: `overlap-${n}`,
        files: [
          { name: `ledger-${n}.txt`, source: { kind: 'unrelated', index: 900 + n, format: 'txt' } },
          { name: `minutes-${n}.txt`, source: { kind: 'unrelated', index: 950 + n, format: 'txt' } },
        ],
      });
    }
    env.sim.setLatency(SITE, 0, [1500, 2000]);
    // The run that fetches the first new post page has ~8 slow requests still to go.
    await until(() => env.sim.requests({ siteId: SITE }).some((q) => q.path.includes('overlap-1')), 30_000, 'a daemon run to reach the new posts');
    const cron2 = cli(['crawl', '--config', config, '--site', SITE, '--json']);
    await cron2.exited;
    const second = JSON.parse(cron2.stdout()).sites[0] as { status: string; reason: string };
    expect(second.status).toBe('skipped');
    expect(second.reason).toMatch(new RegExp(`^already being crawled by pid ${daemon.pid} since `));
    env.sim.setLatency(SITE, 0, [60, 120]);
    await daemon.waitForLog((l) => l.event === 'run-end' && l.site === SITE && l.status === 'ok' && (l.postsNew as number) === 3, 60_000, 'the daemon run with the new posts');
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });

    // 3. The runs of the site, from both processes, never overlap in time ...
    const runs = withDb(dataDir, (db) => db.prepare(`SELECT id, pid, status, started_at AS startedAt, finished_at AS finishedAt FROM runs WHERE site_id = ? ORDER BY started_at`).all(SITE) as RunRow[]);
    expect(runs.some((r) => r.pid === cron1.pid)).toBe(true);
    expect(runs.some((r) => r.pid === daemon.pid)).toBe(true);
    expect(runs.some((r) => r.pid === cron2.pid)).toBe(false);
    for (const r of runs) expect(r.finishedAt, `run ${r.id} left ${r.status}`).not.toBeNull();
    for (let i = 1; i < runs.length; i++) expect(Date.parse(runs[i]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1]!.finishedAt!));
    // ... and every request the site received belongs to exactly one of them, in blocks: the
    // request log, in arrival order, never goes back to an earlier run.
    const owner = (at: string): number | undefined => runs.find((r) => Date.parse(r.startedAt) <= Date.parse(at) && Date.parse(at) <= Date.parse(r.finishedAt!))?.id;
    const sequence = env.sim.requests({ siteId: SITE }).map((q) => ({ seq: q.seq, at: q.at, run: owner(q.at) }));
    expect(sequence.filter((q) => q.run === undefined)).toEqual([]);
    const order = sequence.map((q) => runs.findIndex((r) => r.id === q.run));
    for (let i = 1; i < order.length; i++) expect(order[i]!).toBeGreaterThanOrEqual(order[i - 1]!);
    expect(new Set(sequence.map((q) => runs.find((r) => r.id === q.run)!.pid))).toEqual(new Set([cron1.pid, daemon.pid]));
  }, 150_000);
});
