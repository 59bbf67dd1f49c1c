import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHORT_PAGE_BYTES, SIM_NOW, startSimulator, type SimMirrorInfo, type Simulator } from '../../src/sim/index.js';
import { extractListing, type ListingOutcome } from '../../src/sites/index.js';
import { fetchSim } from './helpers.js';

// Changing the simulator while it runs: posts added and removed, one-off broken answers,
// mirrors going down and coming back, latency, and the log of what was served.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 8, slowLatencyMs: [250, 300], sites: [
    { id: 'sim-blog', style: 'blog', name: 'Nightjar Leaks', samplePosts: false },
    { id: 'sim-paged', style: 'paged', name: 'Corvid Team', posts: 7, samplePosts: false },
    { id: 'sim-mirrors', style: 'blog', name: 'Moth Mirrors', posts: 2, samplePosts: false, mirrors: [{ down: 'refuse' }, { slow: true }, { down: 'reset' }] },
  ] });
});
afterAll(() => sim.close());

async function blogListing(): Promise<ListingOutcome> {
  const r = await fetchSim(sim.site('sim-blog'), '/');
  return extractListing(sim.definition('sim-blog'), { body: r.body, url: r.url, now: SIM_NOW });
}

function titles(out: ListingOutcome): string[] {
  return out.status === 'ok' ? out.posts.map((p) => p.title) : [];
}

/** The error code a request ends with (ECONNREFUSED, ECONNRESET, TIMEOUT), or 'ok'. */
function requestOutcome(m: SimMirrorInfo, path = '/', timeoutMs = 5000): Promise<{ code: string; bytes: number }> {
  return new Promise((resolve) => {
    let bytes = 0;
    const req = request({ host: '127.0.0.1', port: m.port, path, headers: { host: m.onionHost } }, (res) => {
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => resolve({ code: 'ok', bytes }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code ?? e.message, bytes }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code ?? e.message, bytes }));
    req.end();
  });
}

describe('posts at runtime', () => {
  it('an added post appears at the top of the listing; a removed one disappears', async () => {
    const before = titles(await blogListing());
    const post = sim.addPost('sim-blog', { title: 'Acme Test Clinic Ltd', dataSizeText: '42 GB', files: [{ name: 'proof.txt', source: { kind: 'bytes', bytes: Buffer.from('hello') } }] });
    expect(post).toMatchObject({ slug: 'acme-test-clinic-ltd', path: '/posts/acme-test-clinic-ltd.html', publishedAt: SIM_NOW.toISOString(), dataSizeBytes: 42 * 1024 ** 3 });
    expect(titles(await blogListing())).toEqual(['Acme Test Clinic Ltd', ...before]);
    const file = await fetchSim(sim.site('sim-blog'), post.files[0]?.path ?? '');
    expect(file.body.toString()).toBe('hello');
    expect(sim.removePost('sim-blog', post.slug)).toBe(true);
    expect(sim.removePost('sim-blog', post.slug)).toBe(false);
    expect(titles(await blogListing())).toEqual(before);
    expect((await fetchSim(sim.site('sim-blog'), post.path)).status).toBe(404);
  });

  it('a post added to a paginated site pushes the others one place down the pages', async () => {
    const lastBefore = sim.posts('sim-paged').at(-1)?.title;
    sim.addPost('sim-paged', { title: 'Newest Victim Ltd', publishedAt: new Date(SIM_NOW.getTime() + 60_000) });
    expect(sim.posts('sim-paged')[0]?.title).toBe('Newest Victim Ltd');
    const page2 = (await fetchSim(sim.site('sim-paged'), '/victims?page=2')).body.toString();
    expect(page2).toContain(lastBefore);
  });
});

describe('one-off broken answers ("parser may be broken", "never conclude removal")', () => {
  it.each([
    ['empty', 200, 'no-content'],
    ['short', 200, 'no-content'],
    ['error', 502, 'no-content'],
    ['not-found', 404, 'no-content'],
    ['no-posts', 200, 'parser-broken'],
    ['captcha', 200, 'needs-human'],
  ] as const)('%s: HTTP %i, classified %s, then the next load is complete again', async (kind, status, outcome) => {
    const full = titles(await blogListing());
    sim.injectFault('sim-blog', { kind });
    const r = await fetchSim(sim.site('sim-blog'), '/');
    expect(r.status).toBe(status);
    if (kind === 'short') expect(r.body.length).toBe(SHORT_PAGE_BYTES);
    const out = extractListing(sim.definition('sim-blog'), { body: r.body, url: r.url, now: SIM_NOW });
    expect(out.status).toBe(outcome);
    expect(sim.requests({ siteId: 'sim-blog' }).at(-1)?.fault).toBe(kind);
    expect(titles(await blogListing())).toEqual(full);
  });

  it('faults match listing requests by default, or an exact path, a mirror, and several times', async () => {
    const post = sim.posts('sim-blog')[0]?.path ?? '';
    sim.injectFault('sim-blog', { kind: 'error', times: 2 });
    expect((await fetchSim(sim.site('sim-blog'), post)).status).toBe(200);
    expect((await fetchSim(sim.site('sim-blog'), '/')).status).toBe(502);
    expect((await fetchSim(sim.site('sim-blog'), '/')).status).toBe(502);
    expect((await fetchSim(sim.site('sim-blog'), '/')).status).toBe(200);
    sim.injectFault('sim-blog', { kind: 'not-found', match: post });
    expect((await fetchSim(sim.site('sim-blog'), post)).status).toBe(404);
    sim.injectFault('sim-mirrors', { kind: 'error', mirror: 0 });
    expect((await fetchSim(sim.site('sim-mirrors').mirrors[1]!, '/')).status).toBe(200);
    sim.clearFaults();
  });

  it('reset: the connection dies half-way through a page that promised more', async () => {
    sim.injectFault('sim-blog', { kind: 'reset' });
    const r = await requestOutcome(sim.site('sim-blog').mirrors[0]!);
    expect(['ECONNRESET', 'aborted']).toContain(r.code);
    expect(sim.requests({ siteId: 'sim-blog' }).at(-1)).toMatchObject({ fault: 'reset', status: 0 });
  });

  it('stall: the head arrives, the body never finishes', async () => {
    sim.injectFault('sim-blog', { kind: 'stall' });
    const r = await requestOutcome(sim.site('sim-blog').mirrors[0]!, '/', 300);
    expect(['TIMEOUT', 'ECONNRESET', 'aborted']).toContain(r.code);
    expect(r.bytes).toBeGreaterThan(0);
  });
});

describe('mirrors', () => {
  it('a refusing mirror has a closed port, a resetting one drops the request, the slow one answers late', async () => {
    const [dead, slow, reset] = sim.site('sim-mirrors').mirrors;
    expect((await requestOutcome(dead!)).code).toBe('ECONNREFUSED');
    expect(['ECONNRESET', 'socket hang up']).toContain((await requestOutcome(reset!)).code);
    const started = performance.now();
    expect((await requestOutcome(slow!)).code).toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    sim.setLatency('sim-mirrors', 1, [0, 0]);
    const quick = performance.now();
    await requestOutcome(slow!);
    expect(performance.now() - quick).toBeLessThan(200);
  });

  it('setDown takes a mirror down and brings it back on the same port', async () => {
    const m = sim.site('sim-blog').mirrors[0]!;
    await sim.setDown('sim-blog', 0, true);
    expect((await requestOutcome(m)).code).toBe('ECONNREFUSED');
    await sim.setDown('sim-blog', 0, 'reset');
    expect(['ECONNRESET', 'socket hang up']).toContain((await requestOutcome(m)).code);
    await sim.setDown('sim-blog', 0, false);
    expect((await requestOutcome(m)).code).toBe('ok');
    await sim.setDown('sim-mirrors', 0, false);
    expect((await requestOutcome(sim.site('sim-mirrors').mirrors[0]!)).code).toBe('ok');
    expect(sim.hostMap.get(m.onionHost)).toBe(m.port);
  });
});

describe('request log', () => {
  it('records method, path, Host header, time, status and bytes of every request served', async () => {
    sim.clearRequests();
    const site = sim.site('sim-paged');
    const t0 = Date.now();
    await fetchSim(site, '/victims?page=2', { 'user-agent': 'leakwatch-test' });
    await fetchSim(site, '/nope', {}, 'HEAD');
    const log = sim.requests();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ siteId: 'sim-paged', mirror: 0, method: 'GET', path: '/victims?page=2', host: site.onionHost, status: 200, headers: { 'user-agent': 'leakwatch-test' } });
    expect(Date.parse(log[0]?.at ?? '')).toBeGreaterThanOrEqual(t0 - 5);
    expect(log[0]?.bytesSent).toBeGreaterThan(500);
    expect(log[1]).toMatchObject({ method: 'HEAD', path: '/nope', status: 404 });
    expect(log[1]!.seq).toBeGreaterThan(log[0]!.seq);
    expect(sim.requests({ siteId: 'sim-blog' })).toEqual([]);
  });

  it('requireOnionHost: a request naming the loopback address instead of the onion gets 421', async () => {
    const strict = await startSimulator({ seed: 1, requireOnionHost: true, sites: [{ id: 'strict', style: 'blog', posts: 1 }] });
    try {
      const site = strict.site('strict');
      expect((await fetchSim(site, '/')).status).toBe(200);
      expect((await fetchSim(site, '/', { host: `127.0.0.1:${site.port}` })).status).toBe(421);
      expect(strict.requests().map((r) => r.host)).toEqual([site.onionHost, `127.0.0.1:${site.port}`]);
    } finally {
      await strict.close();
    }
  });

  it('close() and an aborted signal stop every server', async () => {
    const ac = new AbortController();
    const s = await startSimulator({ seed: 2, signal: ac.signal, sites: [{ id: 'a', style: 'blog', posts: 1 }] });
    const m = s.site('a').mirrors[0]!;
    expect((await requestOutcome(m)).code).toBe('ok');
    ac.abort();
    // The servers close asynchronously; a loaded machine may take a while (bounded at 10 s).
    let code = (await requestOutcome(m)).code;
    for (let i = 0; i < 200 && code !== 'ECONNREFUSED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      code = (await requestOutcome(m)).code;
    }
    expect(code).toBe('ECONNREFUSED');
    await s.close();
  });
});
