import { describe, expect, it } from 'vitest';
import { WebSpec } from '../../src/config/schema.js';
import { authModeOf } from '../../src/web/auth-mode.js';
import { uptimeChart } from '../../src/web/chart.js';
import { parseCookies, sessionCookie } from '../../src/web/cookies.js';
import { safeNext } from '../../src/web/pages/login.js';
import { hashPassword, verifyPassword } from '../../src/web/password.js';
import { LoginLimiter } from '../../src/web/rate-limit.js';
import { csrfMatches, SessionStore } from '../../src/web/sessions.js';

// The dashboard's pure parts, with an injected clock: sessions and their idle expiry, the
// login limiter, password hashes, redirects after login, the chart, the config section.

function clockAt(startMs: number): { now: () => Date; advance(ms: number): void } {
  let t = startMs;
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

describe('sessions', () => {
  it('expire after the idle time, are refreshed by use, and remember the previous visit', () => {
    const c = clockAt(Date.parse('2026-01-01T00:00:00Z'));
    const store = new SessionStore(60_000, c.now);
    const s = store.create('alice');
    expect(s.previousVisitAt).toBeUndefined();
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    c.advance(59_000);
    expect(store.get(s.id)?.user).toBe('alice');
    c.advance(59_000);
    expect(store.get(s.id)?.user).toBe('alice');
    c.advance(61_000);
    expect(store.get(s.id)).toBeUndefined();
    const again = store.create('alice');
    expect(again.previousVisitAt).toBe('2026-01-01T00:01:58.000Z');
    expect(again.csrfToken).not.toBe(s.csrfToken);
  });

  it('keeps at most maxSessions, dropping the oldest', () => {
    const store = new SessionStore(60_000, () => new Date(), 2);
    const [a, b, c] = [store.create('a'), store.create('b'), store.create('c')];
    expect(store.size).toBe(2);
    expect(store.get(a.id)).toBeUndefined();
    expect(store.get(b.id)?.user).toBe('b');
    expect(store.get(c.id)?.user).toBe('c');
  });

  it('checks CSRF tokens exactly', () => {
    const s = new SessionStore(60_000, () => new Date()).create('a');
    expect(csrfMatches(s, s.csrfToken)).toBe(true);
    expect(csrfMatches(s, undefined)).toBe(false);
    expect(csrfMatches(s, '')).toBe(false);
    expect(csrfMatches(s, `${s.csrfToken}x`)).toBe(false);
  });
});

describe('login limiter', () => {
  it('blocks after max failures in the window and frees the key after it', () => {
    const c = clockAt(0);
    const l = new LoginLimiter({ maxAttempts: 3, windowMs: 10_000 }, c.now);
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfterMs('k')).toBe(0);
      l.fail('k');
      c.advance(1000);
    }
    expect(l.retryAfterMs('k')).toBe(7000);
    expect(l.retryAfterMs('other')).toBe(0);
    c.advance(7001);
    expect(l.retryAfterMs('k')).toBe(0);
    l.fail('k');
    l.succeed('k');
    expect(l.retryAfterMs('k')).toBe(0);
  });
});

describe('passwords', () => {
  it('verifies its own hashes and rejects wrong or malformed ones', async () => {
    const cheap = { N: 1024, r: 8, p: 1 };
    const h = await hashPassword('pässword one', cheap);
    expect(await verifyPassword('pässword one', h)).toBe(true);
    expect(await verifyPassword('pässword two', h)).toBe(false);
    expect(await verifyPassword('pässword one', h.replace('scrypt$1024', 'scrypt$1023'))).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$AAAA$AAAA')).toBe(false);
    expect(await hashPassword('same', cheap)).not.toBe(await hashPassword('same', cheap));
  });
});

describe('helpers', () => {
  it('only redirects to local paths after login', () => {
    expect(safeNext('/cases/3')).toBe('/cases/3');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'cases', '', null, '/a b']) expect(safeNext(bad)).toBe('/');
  });

  it('parses cookies and writes the session cookie with its attributes', () => {
    expect(parseCookies('a=1; lw_session=abc; b=2').get('lw_session')).toBe('abc');
    expect(sessionCookie('id', true)).toBe('lw_session=id; Path=/; HttpOnly; SameSite=Strict; Secure');
  });

  it('draws one bar per check, red for down, and escapes labels', () => {
    const svg = uptimeChart([
      { mirrorUrl: 'm', at: '2026-01-01T00:00:00Z', ok: true, latencyMs: 100, outcome: 'ok', errorCode: null },
      { mirrorUrl: 'm', at: '2026-01-01T00:30:00Z', ok: false, latencyMs: null, outcome: '<b>x</b>', errorCode: null },
    ]).value;
    expect(svg.match(/<rect /g)?.length).toBe(2);
    expect(svg).toContain('class="down"');
    expect(svg).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(svg).toContain('1 of 2 checks up');
  });
});

describe('auth mode and config', () => {
  it('requires users or a proxy for a non-loopback bind; loopback without users is "local"', () => {
    const web = WebSpec.parse({});
    expect(web).toMatchObject({ host: '127.0.0.1', port: 8470, users: [] });
    expect(authModeOf(web, '127.0.0.1').kind).toBe('local');
    expect(() => authModeOf(web, '0.0.0.0')).toThrow(/refusing to serve on 0.0.0.0/);
    const users = WebSpec.parse({ users: [{ name: 'a', passwordHash: 'scrypt$1024$8$1$AAAA$AAAA' }] });
    expect(authModeOf(users, '0.0.0.0').kind).toBe('users');
    expect(authModeOf({ users: [], proxyAuth: { header: 'X-User', trustedProxies: ['10.0.0.1'] } }, '0.0.0.0').kind).toBe('proxy');
    expect(WebSpec.safeParse({ users: [{ name: 'a', passwordHash: 'hunter2' }] }).success).toBe(false);
    expect(WebSpec.safeParse({ users: [{ name: 'a', passwordHash: 'scrypt$1024$8$1$AAAA$AAAA' }, { name: 'a', passwordHash: 'scrypt$1024$8$1$AAAA$AAAA' }] }).success).toBe(false);
  });
});
