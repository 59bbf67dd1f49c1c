import http from 'node:http';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { describe, expect, it } from 'vitest';
import { SocksReplyError, type Clock, type RetryEvent } from '../../src/fetch/index.js';
import { useRig } from './helpers.js';

/** A clock whose sleeps return at once and are recorded: backoff is observed, not waited for. */
function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => performance.now(), sleep: (ms) => (sleeps.push(ms), Promise.resolve()) };
}

const CASES: Array<[number, string, boolean, RegExp]> = [
  [0xf0, 'E_ONION_OFFLINE', false, /site offline \(onion descriptor not found\)/],
  [0xf1, 'E_ONION_DESCRIPTOR_INVALID', false, /descriptor invalid/],
  [0xf2, 'E_ONION_INTRO_FAILED', true, /introduction failed/],
  [0xf3, 'E_ONION_RENDEZVOUS_FAILED', true, /rendezvous failed/],
  [0xf4, 'E_ONION_AUTH_REQUIRED', false, /client authorization required/],
  [0xf5, 'E_ONION_AUTH_WRONG', false, /client authorization wrong/],
  [0xf6, 'E_ONION_BAD_ADDRESS', false, /invalid onion address/],
  [0xf7, 'E_ONION_INTRO_TIMEOUT', true, /introduction timed out/],
  [0x01, 'E_SOCKS_REPLY', true, /general SOCKS server failure/],
  [0x02, 'E_SOCKS_REPLY', false, /not allowed/],
  [0x03, 'E_SOCKS_REPLY', true, /network unreachable/],
  [0x04, 'E_SOCKS_REPLY', true, /host unreachable/],
  [0x05, 'E_SOCKS_REPLY', false, /connection refused/],
  [0x06, 'E_SOCKS_REPLY', true, /TTL expired/],
  [0x07, 'E_SOCKS_REPLY', false, /command not supported/],
  [0x08, 'E_SOCKS_REPLY', false, /address type not supported/],
];

describe("Tor's SOCKS reply codes", () => {
  const rig = useRig();

  it.each(CASES.map(([code, errorCode, retryable, text]) => [`0x${code.toString(16)}`, errorCode, retryable, code, text] as const))(
    '%s → %s (retryable: %s)',
    async (_label, errorCode, retryable, code, text) => {
    const r = await rig((_req, res) => res.end('ok'));
    r.proxy.replyWith(r.host, code);
    const err = await r.transport().fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SocksReplyError);
    expect(err).toMatchObject({ replyCode: code, code: errorCode, retryable });
    expect((err as Error).message).toMatch(text);
    expect((err as Error).message).toContain(r.host);
    // socks-proxy-agent's attempt + the diagnostic CONNECT that reads the real reply code.
    expect(r.proxy.connections.map((c) => c.replyCode)).toEqual([code, code]);
    expect(r.target.remotePorts).toHaveLength(0);
    },
  );
});

describe('why the transport diagnoses with its own CONNECT', () => {
  const rig = useRig();

  it('socks-proxy-agent alone loses the extended reply code (message ends in "undefined")', async () => {
    const r = await rig((_req, res) => res.end('ok'));
    r.proxy.replyWith(r.host, 0xf0);
    const agent = new SocksProxyAgent(`socks5h://127.0.0.1:${r.proxy.port}`);
    const err = await new Promise<Error>((resolve) => {
      http.get(r.url(), { agent }, () => resolve(new Error('unexpected response'))).on('error', resolve);
    });
    expect(err.message).toMatch(/undefined$/);
    expect((err as { code?: unknown }).code).toBeUndefined();
  });
});

describe('retries', () => {
  const rig = useRig();

  it('retries retryable failures with exponential backoff and full jitter, then succeeds', async () => {
    let n = 0;
    const r = await rig((_req, res) => (++n <= 2 ? res.writeHead(503).end('busy') : res.end('finally')));
    const clock = recordingClock();
    const events: RetryEvent[] = [];
    const t = r.transport({
      clock,
      random: () => 0.5,
      retry: { retries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 },
      onRetry: (e) => events.push(e),
    });
    const page = await t.fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 });
    expect(page.body.toString()).toBe('finally');
    expect(page.attempts).toBe(3);
    expect(r.target.requests).toHaveLength(3);
    // full jitter: random · min(max, base · 2^n) = 0.5·1000, 0.5·2000
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(events.map((e) => e.error.code)).toEqual(['E_HTTP_STATUS', 'E_HTTP_STATUS']);
  });

  it('gives up after `retries` and throws the last retryable error', async () => {
    const r = await rig((_req, res) => res.end('never'));
    r.proxy.replyWith(r.host, 0xf2);
    const clock = recordingClock();
    const t = r.transport({ clock, random: () => 0.9, retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 150 } });
    await expect(t.fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 })).rejects.toMatchObject({ code: 'E_ONION_INTRO_FAILED' });
    // 0.9·min(150, 100·2^n): the ceiling caps the second delay.
    expect(clock.sleeps).toEqual([90, 135]);
    expect(r.proxy.connections).toHaveLength(3 * 2);
  });

  it('tries a non-retryable failure once (0xF6, 0xF0, 404)', async () => {
    const r = await rig((_req, res) => res.writeHead(404).end());
    const clock = recordingClock();
    const t = r.transport({ clock, retry: { retries: 5, baseDelayMs: 10, maxDelayMs: 10 } });
    for (const code of [0xf6, 0xf0]) {
      r.proxy.replyWith(r.host, code);
      await expect(t.fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 })).rejects.toMatchObject({ replyCode: code });
    }
    r.proxy.replyWith(r.host, undefined);
    await expect(t.fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 })).rejects.toMatchObject({ status: 404 });
    expect(clock.sleeps).toEqual([]);
    expect(r.target.requests).toHaveLength(1);
  });

  it('honours Retry-After up to the cap, and does not sleep for an hour', async () => {
    let n = 0;
    const r = await rig((req, res) => {
      if (req.url === '/hour') return void res.writeHead(429, { 'retry-after': '3600' }).end();
      res.writeHead(++n === 1 ? 503 : 200, n === 1 ? { 'retry-after': '7' } : {}).end('ok');
    });
    const clock = recordingClock();
    const t = r.transport({ clock, random: () => 0, retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 60_000 } });
    await t.fetchPage({ url: r.url('/'), siteId: 's', maxBytes: 100 });
    expect(clock.sleeps).toEqual([7000]);
    const err = await t.fetchPage({ url: r.url('/hour'), siteId: 's', maxBytes: 100 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3_600_000 });
    expect(clock.sleeps).toEqual([7000]);
  });

  it('retries a retryable timeout, counted on the target', async () => {
    let n = 0;
    const r = await rig((_req, res) => {
      if (++n === 1) return; // first attempt: headers never come
      res.end('second');
    });
    const t = r.transport({ clock: recordingClock(), retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 }, timeouts: { connectMs: 1000, firstByteMs: 200, idleMs: 1000, totalMs: 5000 } });
    const page = await t.fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 });
    expect(page.attempts).toBe(2);
    expect(page.body.toString()).toBe('second');
  });
});
