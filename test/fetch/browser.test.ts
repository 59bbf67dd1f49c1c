import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BrowserTransport, DEFAULT_CHROMIUM_PATH, FetchTimeoutError, SocksReplyError, chromiumArgs, defaultExecutablePath,
} from '../../src/fetch/index.js';
import { fakeOnionHost, useRig } from './helpers.js';

const executablePath = process.env.LEAKWATCH_CHROMIUM ?? defaultExecutablePath();
const haveChromium = executablePath !== undefined && existsSync(executablePath);
if (!haveChromium) {
  console.warn(`browser transport tests SKIPPED: no Chromium at ${DEFAULT_CHROMIUM_PATH} (apt-get install -y chromium, or set LEAKWATCH_CHROMIUM)`);
}

// This file's browsers keep their temp profiles in a folder of its own, so other test files
// running Chromium at the same time (crawl, report) cannot be mistaken for leftovers here.
// Vitest runs each test file in its own process, so TMPDIR is changed for this file only.
const ownTmp = mkdtempSync(join(tmpdir(), 'leakwatch-browser-test-'));
process.env.TMPDIR = ownTmp;

/** Chromium processes running with one of our temp profiles (read from /proc). */
function ourChromiumProcesses(): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(join(ownTmp, 'leakwatch-chromium-'))) n++;
    } catch {
      // exited meanwhile
    }
  }
  return n;
}

/** Temp profiles left behind (each fetch must delete its own). */
const leftoverProfiles = (): string[] => readdirSync(ownTmp).filter((d) => d.startsWith('leakwatch-chromium-'));

async function settle(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const page = (directPort: number): string => `<!doctype html><html><head><title>Leak site</title></head><body>
<div id="app">loading…</div>
<img src="http://${fakeOnionHost('tracker')}/pixel.png">
<img src="https://clearnet.example/pixel.png">
<img src="http://127.0.0.1:${directPort}/direct.png">
<script>document.getElementById('app').textContent = 'Rendered by JavaScript: victim list';</script>
</body></html>`;

describe.skipIf(!haveChromium)('browser transport (Chromium through the proxy)', () => {
  const rig = useRig();
  const browser = (proxyPort: number, timeoutMs = 30_000): BrowserTransport =>
    new BrowserTransport({
      proxy: { host: '127.0.0.1', port: proxyPort },
      executablePath,
      timeoutMs,
      retry: { retries: 0 },
      politeness: { concurrency: 2, perHostConcurrency: 2, perHostDelayMs: 0 },
    });

  it('renders a JavaScript page through the proxy: DOM, screenshot, PDF; names go to the proxy, nothing leaves the site', async () => {
    let port = 0;
    const r = await rig((req, res) => {
      if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(port));
      else res.writeHead(404).end();
    });
    port = r.target.port;
    const result = await browser(r.proxy.port).fetchPage({ url: r.url('/'), siteId: 'js-site', maxBytes: 1_000_000, javascript: true, pdf: true });
    expect(result.transport).toBe('browser');
    expect(result.status).toBe(200);
    expect(result.url).toBe(r.url('/'));
    expect(result.html).toContain('<div id="app">Rendered by JavaScript: victim list</div>');
    expect(result.screenshot.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(result.screenshot.length).toBeGreaterThan(1000);
    expect(result.pdf?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(result.timings.totalMs).toBeGreaterThan(0);
    // The .onion name reached the proxy (it cannot be resolved locally), with the site's
    // isolation username (Chromium itself cannot authenticate to SOCKS5: the relay does).
    const seen = r.proxy.connections.filter((c) => c.host === r.host);
    expect(seen.length).toBeGreaterThan(0);
    for (const c of seen) expect(c.username).toBe('leakwatch-js-site');
    // Another onion, a clearnet name and a loopback IP were refused by the relay, never reached.
    expect(result.refusedHosts).toEqual(expect.arrayContaining([fakeOnionHost('tracker'), 'clearnet.example', '127.0.0.1']));
    // The image pointing straight at the target's loopback port never reached it.
    expect(r.target.requests.map((q) => q.url)).not.toContain('/direct.png');
    expect(r.proxy.connections.map((c) => c.host).every((h) => h === r.host)).toBe(true);
    for (const port of r.target.remotePorts) expect(r.proxy.outboundLocalPorts.has(port)).toBe(true);
    await settle(() => leftoverProfiles().length === 0, 5000);
    expect(leftoverProfiles()).toEqual([]);
  });

  it('keeps JavaScript off unless the site needs it', async () => {
    const r = await rig((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(1)));
    const result = await browser(r.proxy.port).fetchPage({ url: r.url('/'), siteId: 'static', maxBytes: 1_000_000 });
    expect(result.html).toContain('<div id="app">loading…</div>');
  });

  it("maps Tor's reply for the page host to the typed error (site offline)", async () => {
    const r = await rig((_req, res) => res.end('never'));
    r.proxy.replyWith(r.host, 0xf0);
    const err = await browser(r.proxy.port).fetchPage({ url: r.url('/'), siteId: 's', maxBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SocksReplyError);
    expect(err).toMatchObject({ code: 'E_ONION_OFFLINE', retryable: false });
  });

  it('enforces the page timeout and closes the browser', async () => {
    const r = await rig(() => undefined);
    const started = performance.now();
    const err = await browser(r.proxy.port, 1500).fetchPage({ url: r.url('/'), siteId: 's', maxBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchTimeoutError);
    expect(err).toMatchObject({ phase: 'page' });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await settle(() => ourChromiumProcesses() === 0, 5000)).toBe(true);
  });

  it("closes the browser when the caller aborts", async () => {
    const r = await rig(() => undefined);
    const ctl = new AbortController();
    const pending = browser(r.proxy.port).fetchPage({ url: r.url('/'), siteId: 's', maxBytes: 1000 }, { signal: ctl.signal });
    expect(await settle(() => ourChromiumProcesses() > 0, 10_000)).toBe(true);
    ctl.abort();
    await expect(pending).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(await settle(() => ourChromiumProcesses() === 0, 5000)).toBe(true);
    // The profile is removed when the fetch ends, and once more 2 s later should a dying
    // helper have written into it again.
    await settle(() => leftoverProfiles().length === 0, 5000);
    expect(leftoverProfiles()).toEqual([]);
  });

  it('close() aborts fetches in progress, waits for their browsers, and refuses new ones', async () => {
    const r = await rig(() => undefined);
    const b = browser(r.proxy.port);
    const pending = b.fetchPage({ url: r.url('/'), siteId: 's', maxBytes: 1000 });
    expect(await settle(() => ourChromiumProcesses() > 0, 10_000)).toBe(true);
    await b.close();
    await expect(pending).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(await settle(() => ourChromiumProcesses() === 0, 5000)).toBe(true);
    await expect(b.fetchPage({ url: r.url('/'), siteId: 's', maxBytes: 1000 })).rejects.toMatchObject({ code: 'E_BROWSER' });
  });

  it('refuses a redirect that leaves the site', async () => {
    const other = fakeOnionHost('elsewhere');
    const r = await rig((_req, res) => res.writeHead(302, { location: `http://${other}/` }).end());
    r.proxy.route(other, r.target.port);
    const err = await browser(r.proxy.port).fetchPage({ url: r.url('/'), siteId: 's', maxBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_REDIRECT', retryable: false });
    expect(r.proxy.connections.map((c) => c.host)).not.toContain(other);
  });

  it('launch flags keep Chromium from resolving or connecting on its own', () => {
    const args = chromiumArgs();
    expect(args).toContain('--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1');
    expect(args).toContain('--force-webrtc-ip-handling-policy=disable_non_proxied_udp');
    expect(args).toEqual(expect.arrayContaining(['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']));
  });
});
