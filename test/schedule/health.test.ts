import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfig } from '../../src/config/index.js';
import { cronTimeZone, nextRuns, scheduleOf, schedulePeriodMs, scheduleProblem } from '../../src/schedule/cron-schedule.js';
import { deliveryHealth, siteHealth, type SiteFacts } from '../../src/schedule/health.js';
import { Semaphore, sleep } from '../../src/schedule/wait.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir('leakwatch-health-');
const NOW = Date.parse('2024-06-03T12:00:00Z');
const HOUR = 3_600_000;
const rule = { failingAfterRuns: 3, nowMs: NOW };
const up = (url: string) => ({ url, state: 'up' as const });
const down = (url: string, lastError?: string) => ({ url, state: 'down' as const, lastError: lastError ?? null });
const facts = (f: Partial<SiteFacts>): SiteFacts => ({
  mirrors: [up('http://a.onion/')],
  consecutiveFailedRuns: 0,
  lastFinished: { status: 'ok' },
  lastRunParserWarnings: 0,
  lastStartedAtMs: NOW - 10 * 60_000,
  periodMs: HOUR / 2,
  ...f,
});

describe('health rule', () => {
  it('healthy: mirrors up, last run ok, crawled recently', () => {
    expect(siteHealth(facts({}), rule)).toEqual({ health: 'healthy', reasons: [] });
  });

  it('degraded: a mirror down while another answers; a bad last run; parser warnings; overdue; never crawled', () => {
    const oneDown = siteHealth(facts({ mirrors: [down('http://a.onion/', 'http://a.onion/: connection refused'), up('http://b.onion/')] }), rule);
    expect(oneDown).toEqual({ health: 'degraded', reasons: ['mirror http://a.onion/ is down (connection refused)'] });
    expect(siteHealth(facts({ lastFinished: { status: 'needs-human', reason: 'captcha' } }), rule)).toEqual({ health: 'degraded', reasons: ['last run needs-human: captcha'] });
    expect(siteHealth(facts({ lastFinished: { status: 'partial' } }), rule).health).toBe('degraded');
    expect(siteHealth(facts({ lastRunParserWarnings: 2 }), rule)).toEqual({ health: 'degraded', reasons: ['2 parser warning(s) in the last run'] });
    // Every 30 min: 61 min without a run is over 2× the schedule; 59 min is not.
    expect(siteHealth(facts({ lastStartedAtMs: NOW - 59 * 60_000 }), rule).health).toBe('healthy');
    expect(siteHealth(facts({ lastStartedAtMs: NOW - 61 * 60_000 }), rule)).toEqual({ health: 'degraded', reasons: ['not crawled for 61 min (schedule: every 30 min at most)'] });
    const { lastStartedAtMs: _never, ...neverCrawled } = facts({});
    expect(siteHealth({ ...neverCrawled, mirrors: [{ url: 'http://a.onion/', state: 'unknown' }] }, rule)).toEqual({ health: 'degraded', reasons: ['never crawled'] });
  });

  it('failing: every mirror down for failingAfterRuns runs in a row, not before', () => {
    const allDown = { mirrors: [down('http://a.onion/'), down('http://b.onion/')], lastFinished: { status: 'failed', reason: 'no mirror answered' } };
    expect(siteHealth(facts({ ...allDown, consecutiveFailedRuns: 2 }), rule).health).toBe('degraded');
    expect(siteHealth(facts({ ...allDown, consecutiveFailedRuns: 3 }), rule)).toEqual({ health: 'failing', reasons: ['every mirror down for the last 3 runs'] });
    // One mirror never tried (unknown) is not "every mirror down".
    expect(siteHealth(facts({ ...allDown, mirrors: [down('http://a.onion/'), { url: 'http://b.onion/', state: 'unknown' }], consecutiveFailedRuns: 5 }), rule).health).toBe('degraded');
  });

  it('deliveries: backing up is degraded, dead-lettered is failing', () => {
    expect(deliveryHealth({ backingUp: 0, dead: 0 }).health).toBe('healthy');
    expect(deliveryHealth({ backingUp: 2, dead: 0 }).health).toBe('degraded');
    expect(deliveryHealth({ backingUp: 0, dead: 1 })).toMatchObject({ health: 'failing', reasons: [expect.stringMatching(/^1 alert notification\(s\) dead-lettered/)] });
  });
});

describe('schedules', () => {
  it('takes the site schedule over the default, and computes runs and the period with node-cron', () => {
    const fallback = { cron: '*/30 * * * *', timezone: 'UTC' };
    expect(scheduleOf({ schedule: { cron: '0 */4 * * *', timezone: 'Europe/Berlin' } }, fallback)).toEqual({ cron: '0 */4 * * *', timezone: 'Europe/Berlin', source: 'site' });
    expect(scheduleOf({}, fallback)).toEqual({ ...fallback, source: 'default' });
    const runs = nextRuns({ cron: '0 */4 * * *', timezone: 'UTC' }, 3);
    expect(runs).toHaveLength(3);
    expect(runs.every((d) => d.getUTCMinutes() === 0 && d.getUTCHours() % 4 === 0)).toBe(true);
    expect(schedulePeriodMs({ cron: '0 */4 * * *', timezone: 'UTC' })).toBe(4 * HOUR);
    expect(schedulePeriodMs({ cron: '*/2 * * * * *', timezone: 'UTC' })).toBe(2000);
    // Weekdays at 09:00: the weekend gap is the period.
    expect(schedulePeriodMs({ cron: '0 9 * * 1-5', timezone: 'UTC' })).toBe(72 * HOUR);
  });

  it('maps fixed offsets to zones node-cron accepts, and refuses what it cannot schedule', () => {
    expect(cronTimeZone('UTC')).toBe('UTC');
    expect(cronTimeZone('+03:00')).toBe('Etc/GMT-3');
    expect(cronTimeZone('-0500')).toBe('Etc/GMT+5');
    expect(cronTimeZone('+05:30')).toBeUndefined();
    expect(cronTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(nextRuns({ cron: '0 12 * * *', timezone: '+03:00' }, 1)[0]!.getUTCHours()).toBe(9);
    expect(scheduleProblem({ cron: '0 12 * * *', timezone: '+05:30' })).toMatch(/cannot be used for schedules/);
    expect(scheduleProblem({ cron: '61 * * * *', timezone: 'UTC' })).toMatch(/invalid cron/);
    expect(scheduleProblem({ cron: '*/5 * * * *', timezone: 'UTC' })).toBeUndefined();
  });

  it('config: schedule and log defaults, and their problems reported with paths', () => {
    const dir = tmp();
    const file = join(dir, 'leakwatch.yaml');
    writeFileSync(file, 'version: 1\n');
    const ok = loadConfig(file);
    if (!ok.ok) throw new Error('config rejected');
    expect(ok.config.schedule).toEqual({ cron: '*/30 * * * *', timezone: 'UTC', jitterMs: 120_000, siteConcurrency: 2, shutdownTimeoutMs: 30_000, deliveryIntervalMs: 60_000, failingAfterRuns: 3 });
    expect(ok.config.log).toEqual({ level: 'info' });
    writeFileSync(file, 'schedule: { cron: "every hour", timezone: "+05:30", siteConcurrency: 0 }\nlog: { level: loud }\n');
    const bad = loadConfig(file);
    expect(bad.ok).toBe(false);
    const text = bad.ok ? '' : bad.problems.map((p) => formatProblem(p)).join('\n');
    expect(text).toMatch(/schedule\.cron: invalid cron expression/);
    expect(text).toMatch(/schedule\.timezone: offsets must be whole hours/);
    expect(text).toMatch(/schedule\.siteConcurrency/);
    expect(text).toMatch(/log\.level/);
  });
});

describe('waits', () => {
  it('a semaphore admits `size` holders, and a waiter gives up when its signal fires', async () => {
    const gate = new Semaphore(1);
    expect(await gate.acquire()).toBe(true);
    const stop = new AbortController();
    const waiting = gate.acquire(stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
    const next = gate.acquire();
    gate.release();
    expect(await next).toBe(true);
    expect(gate.inUse).toBe(1);
  });

  it('sleep ends early, without throwing, on abort', async () => {
    const stop = new AbortController();
    const s = sleep(60_000, stop.signal);
    stop.abort();
    expect(await s).toBe(false);
    expect(await sleep(1)).toBe(true);
  });
});
