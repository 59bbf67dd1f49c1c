import { describe, expect, it } from 'vitest';
import { PolitenessScheduler } from '../../src/fetch/index.js';
import { fakeOnionHost, useRig } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('politeness', () => {
  const rig = useRig();

  it('keeps concurrent requests per host at or below the limit, measured by the server', async () => {
    const r = await rig(async (_req, res) => {
      await sleep(80);
      res.end('ok');
    });
    const t = r.transport({ politeness: { concurrency: 16, perHostConcurrency: 2, perHostDelayMs: 0 } });
    await Promise.all(Array.from({ length: 8 }, (_, i) => t.fetchPage({ url: r.url(`/${i}`), siteId: 's', maxBytes: 100 })));
    expect(r.target.requests).toHaveLength(8);
    expect(r.target.maxInFlight).toBe(2);
  });

  it('spaces request starts to one host by the minimum delay', async () => {
    const starts: number[] = [];
    const r = await rig((_req, res) => {
      starts.push(performance.now());
      res.end('ok');
    });
    const t = r.transport({ politeness: { concurrency: 4, perHostConcurrency: 4, perHostDelayMs: 250 } });
    await Promise.all(Array.from({ length: 4 }, () => t.fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 })));
    starts.sort((a, b) => a - b);
    // The server sees arrivals after a SOCKS connect of varying length (and a loaded CI
    // event loop), hence the slack; the exact spacing is checked with a fake clock below.
    const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(100);
    expect(starts[3]! - starts[0]!).toBeGreaterThanOrEqual(600);
  });

  it('scheduler: start times are reserved, so simultaneous waiters are spread by the delay', async () => {
    const sleeps: number[] = [];
    const clock = { now: () => 1000, sleep: (ms: number) => (sleeps.push(ms), Promise.resolve()) };
    const s = new PolitenessScheduler({ concurrency: 8, perHostConcurrency: 8, perHostDelayMs: 150 }, clock);
    await Promise.all(Array.from({ length: 4 }, () => s.run('h', () => Promise.resolve())));
    expect(sleeps).toEqual([150, 300, 450]);
  });

  it('caps requests in flight across hosts (global concurrency)', async () => {
    const r = await rig(async (_req, res) => {
      await sleep(60);
      res.end('ok');
    });
    const other = fakeOnionHost('second-host');
    r.proxy.route(other, r.target.port);
    const t = r.transport({ politeness: { concurrency: 1, perHostConcurrency: 4, perHostDelayMs: 0 } });
    await Promise.all([
      ...Array.from({ length: 3 }, () => t.fetchPage({ url: r.url(), siteId: 'a', maxBytes: 100 })),
      ...Array.from({ length: 3 }, () => t.fetchPage({ url: `http://${other}/`, siteId: 'b', maxBytes: 100 })),
    ]);
    expect(r.target.maxInFlight).toBe(1);
  });

  it('scheduler: a host queue does not hold global slots while it waits', async () => {
    const s = new PolitenessScheduler({ concurrency: 2, perHostConcurrency: 1, perHostDelayMs: 0 });
    const busy = Array.from({ length: 4 }, () => s.run('busy', () => sleep(100)));
    const started = performance.now();
    await s.run('quiet', () => Promise.resolve());
    // Three 'busy' requests are queued on their host, not on the global cap.
    expect(performance.now() - started).toBeLessThan(80);
    await Promise.all(busy);
  });

  it('scheduler: waiting is abortable and frees nothing it did not take', async () => {
    const s = new PolitenessScheduler({ concurrency: 1, perHostConcurrency: 1, perHostDelayMs: 0 });
    let release!: () => void;
    const first = s.run('h', () => new Promise<void>((res) => (release = res)));
    const ctl = new AbortController();
    const second = s.run('h', () => Promise.resolve('ran'), ctl.signal);
    ctl.abort();
    await expect(second).rejects.toMatchObject({ code: 'E_ABORTED' });
    release();
    await first;
    await expect(s.run('h', () => Promise.resolve('third'))).resolves.toBe('third');
  });
});
