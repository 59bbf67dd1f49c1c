import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type LeakwatchConfig } from '../../src/config/index.js';
import type { CrawlSummary } from '../../src/crawl/index.js';
import type { Logger } from '../../src/crawl/types.js';
import { runDaemon } from '../../src/schedule/daemon.js';
import { SiteLocks } from '../../src/schedule/site-lock.js';
import type { SiteDefinition } from '../../src/sites/schema.js';
import { CrawlStore } from '../../src/store/crawl-store.js';
import { useTempDir } from '../helpers/tmp.js';
import { until } from './cli-process.js';
import { siteFolder } from './schedule-env.js';

/**
 * The daemon in-process with the crawl replaced by a stand-in, to check the scheduling itself:
 * the concurrency cap, jitter, shutdown within the timeout, and recovery of abandoned runs.
 * (The real crawl, real process and real signals are in daemon-*.test.ts.)
 */

const tmp = useTempDir('leakwatch-daemon-unit-');

interface Entry {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

function recorder(): Logger & { entries: Entry[] } {
  const entries: Entry[] = [];
  const at = (level: string) => (obj: object, msg?: string) => entries.push({ level, obj: obj as Record<string, unknown>, msg: msg ?? '' });
  return { entries, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

function config(dir: string, sites: string[], schedule: string): LeakwatchConfig {
  const file = join(dir, 'leakwatch.yaml');
  writeFileSync(file, [`sitesDir: ${siteFolder(dir, sites)}`, 'dataDir: data', `schedule: ${schedule}`].join('\n'));
  const r = loadConfig(file);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

function summary(site: SiteDefinition, status: 'ok' | 'interrupted'): CrawlSummary {
  return {
    sites: [{ siteId: site.id, runId: 1, status, pages: 1, postsSeen: 0, postsNew: 0, postsChanged: 0, postsRemoved: 0, samplesNew: 0, samplesFailed: 0, matchesNew: 0, warnings: [] }],
    proxy: { host: '127.0.0.1', port: 9050, tor: true, latencyMs: 1 },
    matching: false,
    tor: { newnymFor: [] },
  };
}

describe('daemon scheduling (in-process)', () => {
  it('never runs more than siteConcurrency sites at once, nor one site twice, and logs every run start and end', async () => {
    const dir = tmp();
    const cfg = config(dir, ['sim-blog', 'sim-api', 'sim-paged'], '{ cron: "* * * * * *", jitterMs: 0, siteConcurrency: 2, shutdownTimeoutMs: 5000 }');
    const log = recorder();
    const stop = new AbortController();
    const active = new Map<string, number>();
    let maxTotal = 0;
    let maxSame = 0;
    let finished = 0;
    const crawl = async (site: SiteDefinition, signal: AbortSignal): Promise<CrawlSummary> => {
      active.set(site.id, (active.get(site.id) ?? 0) + 1);
      maxTotal = Math.max(maxTotal, [...active.values()].reduce((a, b) => a + b, 0));
      maxSame = Math.max(maxSame, ...active.values());
      // Longer than the 1 s schedule: the next slots of the same site must be skipped.
      await new Promise((r) => {
        const t = setTimeout(r, 1500);
        signal.addEventListener('abort', () => (clearTimeout(t), r(undefined)), { once: true });
      });
      active.set(site.id, (active.get(site.id) ?? 1) - 1);
      finished++;
      return summary(site, signal.aborted ? 'interrupted' : 'ok');
    };
    const done = runDaemon({ config: cfg, log, env: {}, signal: stop.signal, crawl, random: () => 0 });
    await until(() => finished >= 4, 30_000, 'four runs');
    stop.abort();
    const r = await done;
    expect(r.clean).toBe(true);
    expect(maxTotal).toBeLessThanOrEqual(2);
    expect(maxSame).toBe(1);
    const starts = log.entries.filter((e) => e.obj.event === 'run-start');
    const ends = log.entries.filter((e) => e.obj.event === 'run-end');
    expect(starts.length).toBe(r.runs);
    expect(ends.length).toBe(r.runs);
    expect(ends[0]!.obj).toMatchObject({ site: expect.any(String), status: expect.stringMatching(/ok|interrupted/), durationMs: expect.any(Number) });
    expect(log.entries.filter((e) => e.obj.event === 'scheduled').map((e) => e.obj.site).sort()).toEqual(['sim-api', 'sim-blog', 'sim-paged']);
    expect(log.entries.some((e) => e.obj.event === 'daemon-stop')).toBe(true);
    expect(existsSync(join(cfg.dataDir, 'leakwatch.db'))).toBe(true);
  });

  it('waits a random delay of up to jitterMs before each run, and a shutdown cancels the wait', async () => {
    const dir = tmp();
    const cfg = config(dir, ['sim-blog'], '{ cron: "* * * * * *", jitterMs: 600000, shutdownTimeoutMs: 5000 }');
    const log = recorder();
    const stop = new AbortController();
    let crawled = 0;
    const done = runDaemon({ config: cfg, log, env: {}, signal: stop.signal, random: () => 0.5, crawl: async (site) => (crawled++, summary(site, 'ok')) });
    const jitter = await until(() => log.entries.find((e) => e.obj.event === 'run-jitter'), 30_000, 'a jittered run');
    expect(jitter.obj).toMatchObject({ site: 'sim-blog', jitterMs: 300000 });
    stop.abort();
    expect((await done).clean).toBe(true);
    expect(crawled).toBe(0);
  });

  it('gives up on work that ignores the shutdown after shutdownTimeoutMs and says so', async () => {
    const dir = tmp();
    const cfg = config(dir, ['sim-blog'], '{ cron: "* * * * * *", jitterMs: 0, shutdownTimeoutMs: 1000 }');
    const log = recorder();
    const stop = new AbortController();
    let release: (() => void) | undefined;
    const stuck = new Promise<void>((r) => (release = r));
    let started = false;
    const done = runDaemon({
      config: cfg,
      log,
      env: {},
      signal: stop.signal,
      crawl: async (site) => {
        started = true;
        await stuck; // ignores its signal
        return summary(site, 'ok');
      },
    });
    await until(() => started, 30_000, 'a run to start');
    stop.abort();
    const r = await done;
    release?.();
    expect(r).toMatchObject({ clean: false, inFlightAtStop: 1 });
    expect(log.entries.find((e) => e.obj.event === 'daemon-stop')?.msg).toMatch(/did not stop within 1000 ms/);
  });

  it('on start, closes runs whose process is gone (dead pid, or our own pid without the lock) and keeps live ones', async () => {
    const dir = tmp();
    const cfg = config(dir, ['sim-blog', 'sim-api'], '{ cron: "0 0 1 1 *", jitterMs: 0 }');
    const store = CrawlStore.open(cfg.dataDir);
    const at = new Date().toISOString();
    const dead = store.startRun('sim-blog', at, 99_999_999);
    const reused = store.startRun('sim-blog', at, process.pid);
    const live = store.startRun('sim-api', at, process.pid);
    store.close();
    const held = new SiteLocks(join(cfg.dataDir, 'locks')).tryAcquire('sim-api');
    expect(held.acquired).toBe(true);
    const log = recorder();
    const stop = new AbortController();
    const done = runDaemon({ config: cfg, log, env: {}, signal: stop.signal, crawl: async (site) => summary(site, 'ok') });
    await until(() => log.entries.find((e) => e.obj.event === 'daemon-start'), 30_000, 'the daemon to start');
    stop.abort();
    await done;
    if (held.acquired) held.lock.release();
    const check = CrawlStore.open(cfg.dataDir);
    const status = (id: number) => (check.db.prepare('SELECT status FROM runs WHERE id = ?').get(id) as { status: string }).status;
    expect([status(dead), status(reused), status(live)]).toEqual(['interrupted', 'interrupted', 'running']);
    check.close();
    expect(log.entries.filter((e) => e.obj.event === 'run-abandoned').map((e) => e.obj.runId)).toEqual([dead, reused]);
  });

  it('refuses to start with nothing to schedule or a schedule node-cron cannot run', async () => {
    const dir = tmp();
    const cfg = config(dir, ['sim-blog'], '{ cron: "*/5 * * * *" }');
    const siteFile = join(dir, 'sites', 'sim-blog.yaml');
    appendFileSync(siteFile, '\nschedule: { cron: "0 * * * *", timezone: "+05:30" }\n');
    const withBad = loadConfig(cfg.file);
    if (!withBad.ok) throw new Error('config rejected');
    const signal = new AbortController().signal;
    await expect(runDaemon({ config: withBad.config, log: recorder(), env: {}, signal })).rejects.toThrow(/sim-blog \(its schedule\): time zone "\+05:30" cannot be used/);
    writeFileSync(siteFile, readFileSync(siteFile, 'utf8').replace(/\nschedule:.*\n$/, '\nenabled: false\n'));
    const none = loadConfig(cfg.file);
    if (!none.ok) throw new Error('config rejected');
    await expect(runDaemon({ config: none.config, log: recorder(), env: {}, signal })).rejects.toThrow(/no enabled sites/);
  });
});

