import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  FetchTimeoutError, HttpStatusError, OnionAddressError, ProxyError, ResponseTooLargeError, TargetRefusedError,
} from '../../src/fetch/index.js';
import { fakeOnionHost, useRig } from './helpers.js';

describe('HTTP transport through the SOCKS proxy', () => {
  const rig = useRig();

  it('sends the host name to the proxy (remote DNS) and every target connection comes from the proxy', async () => {
    const r = await rig((req, res) => res.end(`hello ${req.url}`));
    const t = r.transport();
    // An .onion name cannot be resolved locally: success proves the name went to the proxy.
    const page = await t.fetchPage({ url: r.url('/a?b=1'), siteId: 'site-a', maxBytes: 1000 });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toBe('hello /a?b=1');
    expect(page.transport).toBe('http');
    expect(page.url).toBe(r.url('/a?b=1'));
    expect(page.timings.connectMs).toBeGreaterThan(0);
    expect(page.timings.ttfbMs).toBeGreaterThanOrEqual(page.timings.connectMs);
    expect(page.timings.totalMs).toBeGreaterThanOrEqual(page.timings.ttfbMs);
    expect(r.proxy.connections).toHaveLength(1);
    expect(r.proxy.connections[0]).toMatchObject({ host: r.host, port: 80, addressType: 'domain', replyCode: 0 });
    expect(r.target.remotePorts.length).toBeGreaterThan(0);
    for (const port of r.target.remotePorts) expect(r.proxy.outboundLocalPorts.has(port)).toBe(true);
  });

  it('never connects directly, even to a loopback clearnet URL the site allows', async () => {
    const r = await rig((_req, res) => res.end('direct!'));
    const t = r.transport();
    const url = `http://localhost:${r.target.port}/`;
    // The proxy does not route "localhost": a direct connection would have succeeded instead.
    await expect(t.fetchPage({ url, siteId: 's', maxBytes: 100, allowClearnet: true })).rejects.toMatchObject({
      code: 'E_SOCKS_REPLY', replyCode: 0x04,
    });
    expect(r.proxy.connections.map((c) => c.host)).toContain('localhost');
    expect(r.target.remotePorts).toHaveLength(0);
  });

  it('isolates sites: each site id gets its own SOCKS username; rotate() changes the circuit credentials', async () => {
    const r = await rig((_req, res) => res.end('ok'));
    const t = r.transport();
    await t.fetchPage({ url: r.url(), siteId: 'alpha', maxBytes: 100 });
    await t.fetchPage({ url: r.url(), siteId: 'beta', maxBytes: 100 });
    await t.fetchPage({ url: r.url(), siteId: 'alpha', maxBytes: 100 });
    const users = r.proxy.connections.map((c) => c.username);
    expect(users[0]).toBeDefined();
    expect(users[0]).not.toBe(users[1]);
    expect(users[2]).toBe(users[0]);
    const before = t.isolation.credentials('alpha');
    t.isolation.rotate('alpha');
    expect(t.isolation.credentials('alpha').password).not.toBe(before.password);
    expect(t.isolation.credentials('beta')).toEqual(t.isolation.credentials('beta'));
  });

  it('refuses a bad onion address before touching the network', async () => {
    const r = await rig((_req, res) => res.end('ok'));
    const good = r.host.slice(0, -'.onion'.length);
    const typo = `${good.slice(0, 5)}${good[5] === 'a' ? 'b' : 'a'}${good.slice(6)}.onion`;
    const t = r.transport();
    await expect(t.fetchPage({ url: `http://${typo}/`, siteId: 's', maxBytes: 100 })).rejects.toBeInstanceOf(OnionAddressError);
    await expect(t.fetchPage({ url: 'http://example.com/', siteId: 's', maxBytes: 100 })).rejects.toMatchObject({ code: 'E_TARGET_REFUSED' });
    await expect(t.fetchPage({ url: 'ftp://x.onion/', siteId: 's', maxBytes: 100 })).rejects.toMatchObject({ code: 'E_TARGET_REFUSED' });
    await expect(t.fetchPage({ url: 'not a url', siteId: 's', maxBytes: 100 })).rejects.toMatchObject({ code: 'E_TARGET_REFUSED', retryable: false });
    expect(r.proxy.connections).toHaveLength(0);
  });

  it('fails closed (fatal, tried once) when the proxy is down', async () => {
    const r = await rig((_req, res) => res.end('ok'));
    const t = r.transport({ retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    const { port } = r.proxy;
    await r.proxy.close();
    const err = await t.fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxyError);
    expect((err as ProxyError).retryable).toBe(false);
    expect((err as Error).message).toBe(`Tor SOCKS proxy at 127.0.0.1:${port} is not reachable: connection refused — is tor running?`);
    expect(r.target.remotePorts).toHaveLength(0);
  });
});

describe('phase timeouts', () => {
  const rig = useRig();
  const timeouts = { connectMs: 400, firstByteMs: 400, idleMs: 400, totalMs: 3000 };

  it('connect: an onion circuit that never completes', async () => {
    const r = await rig((_req, res) => res.end('ok'));
    r.proxy.stall(r.host);
    const started = performance.now();
    const err = await r.transport({ timeouts }).fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchTimeoutError);
    expect(err).toMatchObject({ phase: 'connect', retryable: true, code: 'E_TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('first byte: headers never come', async () => {
    const r = await rig(() => undefined);
    const err = await r.transport({ timeouts }).fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ phase: 'first-byte', retryable: true });
  });

  it('idle: the body stalls after a first chunk', async () => {
    const r = await rig((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html>partial');
    });
    const err = await r.transport({ timeouts }).fetchPage({ url: r.url(), siteId: 's', maxBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ phase: 'idle', retryable: true });
  });

  it('total: a trickle that is never idle long enough but never ends', async () => {
    const r = await rig((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('.'), 100);
      res.on('close', () => clearInterval(timer));
    });
    const err = await r.transport({ timeouts: { ...timeouts, totalMs: 900 } }).fetchPage({ url: r.url(), siteId: 's', maxBytes: 1e6 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ phase: 'total', retryable: true });
  });

  it("the caller's abort is final (AbortError, not retried)", async () => {
    const r = await rig(() => undefined);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    const t = r.transport({ retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(t.fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 }, { signal: ctl.signal })).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(r.target.requests).toHaveLength(1);
  });
});

describe('size caps', () => {
  const rig = useRig();

  it('stops a body without Content-Length mid-stream at maxBytes', async () => {
    let sent = 0;
    const r = await rig((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const err = await r.transport().fetchPage({ url: r.url(), siteId: 's', maxBytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ code: 'E_TOO_LARGE', retryable: false });
    expect(sent).toBeLessThan(20 * 1024 * 1024);
  });

  it('refuses a declared Content-Length above the cap, and caps a gzip bomb on decoded bytes', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const r = await rig((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-length': String(10_000_000) });
        res.end();
      } else {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
        res.end(bomb);
      }
    });
    const t = r.transport();
    await expect(t.fetchPage({ url: r.url('/big'), siteId: 's', maxBytes: 1000 })).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(t.fetchPage({ url: r.url('/bomb'), siteId: 's', maxBytes: 1024 * 1024 })).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('decodes gzip pages', async () => {
    const r = await rig((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/html; charset=utf-8' });
      res.end(gzipSync('<p>compressed</p>'));
    });
    const page = await r.transport().fetchPage({ url: r.url(), siteId: 's', maxBytes: 1000 });
    expect(page.body.toString()).toBe('<p>compressed</p>');
    expect(page.contentType).toBe('text/html; charset=utf-8');
  });
});

describe('redirects', () => {
  const rig = useRig();
  const other = fakeOnionHost('another-site');

  it('follows redirects on the same onion, and lists them', async () => {
    const r = await rig((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
      else if (req.url === '/new') res.writeHead(302, { location: `http://${r.host}/final` }).end();
      else res.end('final');
    });
    const page = await r.transport().fetchPage({ url: r.url('/old'), siteId: 's', maxBytes: 100 });
    expect(page.url).toBe(r.url('/final'));
    expect(page.redirects).toEqual([r.url('/old'), r.url('/new')]);
  });

  it('refuses a redirect to another onion or to clearnet, unless allowed', async () => {
    const r = await rig((req, res) => {
      if (req.url === '/to-onion') res.writeHead(302, { location: `http://${other}/` }).end();
      else if (req.url === '/to-clearnet') res.writeHead(302, { location: 'https://example.com/' }).end();
      else if (req.url === '/to-ip') res.writeHead(302, { location: 'http://127.0.0.1/' }).end();
      else res.end('there');
    });
    r.proxy.route(other, r.target.port);
    const t = r.transport();
    for (const path of ['/to-onion', '/to-clearnet', '/to-ip']) {
      const err = await t.fetchPage({ url: r.url(path), siteId: 's', maxBytes: 100 }).catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(TargetRefusedError);
      expect((err as TargetRefusedError).retryable).toBe(false);
    }
    expect(r.proxy.connections.map((c) => c.host)).toEqual([r.host, r.host, r.host]);
    const page = await t.fetchPage({ url: r.url('/to-onion'), siteId: 's', maxBytes: 100, allowHosts: [other] });
    expect(page.url).toBe(`http://${other}/`);
    // Even with clearnet allowed, an IP literal is refused.
    await expect(t.fetchPage({ url: r.url('/to-ip'), siteId: 's', maxBytes: 100, allowClearnet: true })).rejects.toMatchObject({ code: 'E_TARGET_REFUSED' });
  });

  it('caps the number of redirects', async () => {
    let n = 0;
    const r = await rig((_req, res) => res.writeHead(302, { location: `/loop${++n}` }).end());
    await expect(r.transport({ maxRedirects: 5 }).fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 })).rejects.toMatchObject({ code: 'E_REDIRECT' });
    expect(r.target.requests).toHaveLength(6);
  });
});

describe('cookies', () => {
  const rig = useRig();

  it('keeps cookies per site and never shares them between sites', async () => {
    const r = await rig((req, res) => {
      if (req.url === '/login') res.writeHead(200, { 'set-cookie': ['gate=passed; Path=/; HttpOnly', 'theme=dark'] }).end('set');
      else res.end(`cookie:${req.headers.cookie ?? ''}`);
    });
    const t = r.transport();
    await t.fetchPage({ url: r.url('/login'), siteId: 'alpha', maxBytes: 100 });
    const a = await t.fetchPage({ url: r.url('/page'), siteId: 'alpha', maxBytes: 100 });
    const b = await t.fetchPage({ url: r.url('/page'), siteId: 'beta', maxBytes: 100 });
    expect(a.body.toString()).toBe('cookie:gate=passed; theme=dark');
    expect(b.body.toString()).toBe('cookie:');
    const c = await t.fetchPage({ url: r.url('/page'), siteId: 'beta', maxBytes: 100, cookies: { session: 'abc' } });
    expect(c.body.toString()).toBe('cookie:session=abc');
  });
});

describe('HTTP status', () => {
  const rig = useRig();

  it('4xx is a non-retryable HttpStatusError carrying the response', async () => {
    const r = await rig((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    const err = await r.transport({ retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 1 } }).fetchPage({ url: r.url(), siteId: 's', maxBytes: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).toMatchObject({ status: 404, retryable: false, code: 'E_HTTP_STATUS' });
    expect((err as HttpStatusError).response?.body.toString()).toBe('<h1>Not Found</h1>');
    expect(r.target.requests).toHaveLength(1);
  });
});
