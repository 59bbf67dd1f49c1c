import { describe, expect, it } from 'vitest';
import { backoffDelayMs, CookieJar, parseRetryAfterMs, SocksReplyError, DEFAULT_RETRY_POLICY } from '../../src/fetch/index.js';
import { HostPolicy } from '../../src/fetch/target-policy.js';
import { proxyUrl } from '../../src/fetch/tor-agent.js';
import { fakeOnionHost } from './helpers.js';

const onion = fakeOnionHost('unit');
const u = (path: string, host = onion): URL => new URL(`http://${host}${path}`);

describe('cookie jar', () => {
  it('host-only vs Domain cookies, paths, expiry, deletion', () => {
    let now = 1_000_000;
    const jar = new CookieJar({ now: () => now });
    jar.store('s', u('/'), ['a=1', 'x=3; Max-Age=10', 'd=4; Domain=' + onion]);
    // Default path of /a/b is /a; longer paths are sent first.
    jar.store('s', u('/a/b'), ['p=2']);
    expect(jar.header('s', u('/a/c'))).toBe('p=2; a=1; x=3; d=4');
    expect(jar.header('s', u('/ab'))).toBe('a=1; x=3; d=4');
    expect(jar.header('s', u('/other'))).toBe('a=1; x=3; d=4');
    expect(jar.header('s', u('/a', `www.${onion}`))).toBe('d=4');
    now += 11_000;
    expect(jar.header('s', u('/other'))).toBe('a=1; d=4');
    jar.store('s', u('/'), ['d=; Domain=' + onion + '; Max-Age=0']);
    expect(jar.header('s', u('/other'))).toBe('a=1');
  });

  it('refuses cookies for another domain or a bare TLD, and bounds the count', () => {
    const jar = new CookieJar({ maxCookiesPerSite: 3 });
    jar.store('s', u('/'), ['evil=1; Domain=other.onion', 'tld=1; Domain=onion', 'bad name=1', 'noequals']);
    expect(jar.list('s')).toEqual([]);
    jar.store('s', u('/'), ['a=1', 'b=2', 'c=3', 'd=4']);
    expect(jar.list('s').map((c) => c.name)).toEqual(['b', 'c', 'd']);
  });

  it('sends Secure cookies over onion (a secure context) but not clearnet http; round-trips persistent ones', () => {
    const jar = new CookieJar();
    jar.store('s', u('/'), ['sec=1; Secure; Max-Age=100', 'session=2']);
    jar.store('s', new URL('http://example.com/'), ['sec=1; Secure']);
    expect(jar.header('s', u('/'))).toBe('sec=1; session=2');
    expect(jar.header('s', new URL('http://example.com/'))).toBeUndefined();
    const copy = CookieJar.fromJSON(JSON.parse(JSON.stringify(jar.toJSON())) as ReturnType<CookieJar['toJSON']>);
    expect(copy.list('s').map((c) => c.name)).toEqual(['sec']);
  });
});

describe('backoff and Retry-After', () => {
  it('full jitter stays under the exponential ceiling', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 0.999999))).toEqual([999, 1999, 3999, 7999, 7999]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });

  it('parses seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('120')).toBe(120_000);
    expect(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:30 GMT'))).toBe(30_000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });
});

describe('host policy', () => {
  it('allows the start host and listed hosts; clearnet only by opt-in; never IP literals', () => {
    const p = new HostPolicy(u('/'), { allowHosts: [fakeOnionHost('mirror-2')] });
    expect(p.allowsHost(onion.toUpperCase())).toBe(true);
    expect(p.allowsHost(fakeOnionHost('mirror-2'))).toBe(true);
    expect(p.allowsHost(fakeOnionHost('elsewhere'))).toBe(false);
    expect(() => p.checkUrl(new URL('http://example.com/'))).toThrow(/does not allow clearnet/);
    const open = new HostPolicy(u('/'), { allowClearnet: true });
    expect(() => open.checkUrl(new URL('http://example.com/'))).not.toThrow();
    expect(() => open.checkUrl(new URL('http://10.0.0.1/'))).toThrow(/IP-literal/);
    expect(() => open.checkUrl(new URL('http://[::1]/'))).toThrow(/IP-literal/);
    expect(() => open.checkUrl(new URL(`http://user:pw@${onion}/`))).toThrow(/credentials/);
  });
});

describe('errors and proxy URL', () => {
  it('unknown reply codes are treated like a general failure', () => {
    expect(new SocksReplyError(0x99)).toMatchObject({ code: 'E_SOCKS_REPLY', retryable: true });
  });

  it('builds socks5h:// URLs (remote DNS) with encoded credentials', () => {
    const url = proxyUrl({ host: '127.0.0.1', port: 9050 }, { username: 'leakwatch-a', password: 'p@ss/word' });
    expect(url.protocol).toBe('socks5h:');
    expect(url.host).toBe('127.0.0.1:9050');
    expect(decodeURIComponent(url.password)).toBe('p@ss/word');
    expect(proxyUrl({ host: '::1', port: 9050 }, { username: 'u', password: 'p' }).hostname).toBe('[::1]');
  });
});
