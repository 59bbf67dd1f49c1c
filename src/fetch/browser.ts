import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { AbortError, LeakwatchError, redactUrl } from '../errors.js';
import { isOnionHost } from '../sites/onion.js';
import { systemClock, type Clock } from './clock.js';
import { Deadline } from './deadline.js';
import {
  BrowserError, HttpStatusError, NetworkError, ResponseTooLargeError, SocksReplyError, TargetRefusedError,
} from './fetch-errors.js';
import { TOR_BROWSER_USER_AGENT } from './http-transport.js';
import { CircuitIsolation } from './isolation.js';
import { PolitenessScheduler, type PolitenessLimits } from './politeness.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfterMs, withRetries, type RetryPolicy } from './retry.js';
import { startSocksRelay, type SocksRelay } from './socks-relay.js';
import type { SocksEndpoint } from './socks5-client.js';
import { HostPolicy, normaliseHost, parseTargetUrl, type HostPolicyInput } from './target-policy.js';
import type { FetchOptions, Timings } from './types.js';

/**
 * Browser transport: Playwright driving Debian's Chromium, for sites that only render with
 * JavaScript and for screenshots. One fresh browser per fetch (fresh temp profile, nothing
 * carried between sites), reaching the network only through a per-fetch loopback relay to
 * Tor (socks-relay.ts: per-site circuit isolation + host allow-list), with every leak-prone
 * Chromium feature off and local DNS mapped to NOTFOUND. Closing on abort is guaranteed.
 */

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export interface BrowserTransportOptions {
  proxy: SocksEndpoint;
  /** Default: /usr/bin/chromium when present, else Playwright's own browser (if installed). */
  executablePath?: string;
  /** Navigation + rendering + capture, per attempt. Default 120 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  politeness?: PolitenessLimits | PolitenessScheduler;
  isolation?: CircuitIsolation;
  clock?: Clock;
  random?: () => number;
  userAgent?: string;
  viewport?: { width: number; height: number };
  /**
   * Chromium's sandbox (a hostile page is the threat model). Default: on, except as root,
   * where Chromium refuses to start sandboxed (Playwright then passes --no-sandbox).
   */
  sandbox?: boolean;
}

export interface BrowserRequest extends HostPolicyInput {
  url: string;
  siteId: string;
  /** Cap on the rendered DOM (UTF-8 bytes). */
  maxBytes: number;
  /** Run the page's JavaScript. Off unless the site needs it. */
  javascript?: boolean;
  /** Also print the page to PDF. */
  pdf?: boolean;
  /** Let the page trigger downloads (off: a leak page must not drop files on us). */
  allowDownloads?: boolean;
  waitUntil?: 'load' | 'domcontentloaded' | 'networkidle';
  /** Extra wait after load for client-side rendering. */
  settleMs?: number;
  referer?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface BrowserResult {
  url: string;
  status: number;
  headers: Record<string, string>;
  /** Rendered DOM, page.content(). */
  html: string;
  /** The same, as UTF-8 bytes (for raw capture). */
  body: Buffer;
  contentType: string;
  /** Full-page PNG. */
  screenshot: Buffer;
  pdf?: Buffer;
  timings: Timings;
  redirects: string[];
  transport: 'browser';
  attempts: number;
  /** Hosts the page tried to reach and the relay refused (other sites, clearnet, IPs). */
  refusedHosts: string[];
}

/** The leak-safe flags from notes/libraries.md; why: Chromium phones home otherwise. */
export function chromiumArgs(): string[] {
  return [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    // Names go to the SOCKS proxy; nothing may fall back to local DNS. The proxy is reached
    // by its literal 127.0.0.1 address (the relay), which the EXCLUDE keeps usable.
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    // No --disable-features here: Chromium honours only the last one, and Playwright's own
    // list (HttpsUpgrades, NetworkTimeServiceQuerying, PreconnectToSearch, …) must survive —
    // without it Chromium first tries https:// on every onion and pings Google at start-up.
  ];
}

export function defaultExecutablePath(): string | undefined {
  return existsSync(DEFAULT_CHROMIUM_PATH) ? DEFAULT_CHROMIUM_PATH : undefined;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export class BrowserTransport {
  readonly isolation: CircuitIsolation;
  private readonly scheduler: PolitenessScheduler;
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly inFlight = new Set<{ ctl: AbortController; done: Promise<void> }>();
  private closed = false;

  constructor(private readonly options: BrowserTransportOptions) {
    this.isolation = options.isolation ?? new CircuitIsolation();
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.scheduler =
      options.politeness instanceof PolitenessScheduler
        ? options.politeness
        : new PolitenessScheduler(options.politeness ?? { concurrency: 2, perHostConcurrency: 1, perHostDelayMs: 2000 }, this.clock);
  }

  async fetchPage(req: BrowserRequest, opts: FetchOptions = {}): Promise<BrowserResult> {
    if (this.closed) throw new BrowserError('E_BROWSER', 'browser transport is closed');
    const start = parseTargetUrl(req.url);
    const policy = new HostPolicy(start, req);
    policy.checkUrl(start);
    // Each fetch launches (and always closes) its own browser; close() aborts them all.
    const ctl = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, ctl.signal]) : ctl.signal;
    const work = withRetries(
      (attempt) => this.scheduler.run(start.host, () => this.attempt(req, start, policy, attempt, signal), signal),
      this.retry,
      { clock: this.clock, random: this.random, signal },
    );
    const entry = { ctl, done: work.then(() => undefined, () => undefined) };
    this.inFlight.add(entry);
    try {
      return await work;
    } finally {
      this.inFlight.delete(entry);
    }
  }

  /** Aborts fetches in progress and waits until their browsers have exited. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.inFlight];
    for (const { ctl } of pending) ctl.abort(new AbortError('browser transport closed'));
    await Promise.all(pending.map((p) => p.done));
  }

  private async attempt(req: BrowserRequest, start: URL, policy: HostPolicy, attempt: number, signal?: AbortSignal): Promise<BrowserResult> {
    const shown = redactUrl(start.href);
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? 120_000;
    const deadline = new Deadline(signal, undefined, shown);
    deadline.start('page', timeoutMs);
    let relay: SocksRelay | undefined;
    let context: BrowserContext | undefined;
    let profile: string | undefined;
    const closeBrowser = (): void => {
      context?.close().catch(() => undefined);
    };
    deadline.signal.addEventListener('abort', closeBrowser, { once: true });
    try {
      relay = await startSocksRelay({
        upstream: this.options.proxy,
        auth: this.isolation.credentials(req.siteId),
        allowHost: (host) => policy.allowsHost(host),
        signal: deadline.signal,
      });
      profile = await mkdtemp(join(tmpdir(), 'leakwatch-chromium-'));
      context = await this.launch(profile, relay.port, req, start);
      deadline.check();
      const page = context.pages()[0] ?? (await context.newPage());
      return await this.capture(page, req, start, relay, deadline, attempt);
    } catch (err) {
      throw this.mapFailure(err, deadline, relay, start, shown);
    } finally {
      deadline.signal.removeEventListener('abort', closeBrowser);
      deadline.dispose();
      await context?.close().catch(() => undefined);
      await relay?.close();
      // Chromium's helpers may still be flushing the profile right after close(): retry, so no
      // cache of a leak site's pages is left behind in /tmp.
      if (profile) {
        const dir = profile;
        await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }).catch(() => undefined);
        // A helper that outlived close() by a moment (seen on a loaded machine after an abort)
        // can write into the profile again: look once more shortly after, without holding the
        // process open for it.
        setTimeout(() => void rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => undefined), 2000).unref();
      }
    }
  }

  private async launch(profile: string, relayPort: number, req: BrowserRequest, start: URL): Promise<BrowserContext> {
    const executablePath = this.options.executablePath ?? defaultExecutablePath();
    try {
      // Loaded on first use: playwright-core is large, and most runs never start a browser.
      const { chromium } = await import('playwright-core');
      return await chromium.launchPersistentContext(profile, {
        executablePath,
        headless: true,
        // The sandbox stays on unless we are root (Chromium refuses to start sandboxed as root).
        chromiumSandbox: this.options.sandbox ?? !isRoot(),
        args: chromiumArgs(),
        proxy: { server: `socks5://127.0.0.1:${relayPort}` },
        javaScriptEnabled: req.javascript === true,
        acceptDownloads: req.allowDownloads === true,
        // Onion addresses authenticate the server; self-signed onion certificates are normal.
        ignoreHTTPSErrors: isOnionHost(start.hostname),
        userAgent: this.options.userAgent ?? TOR_BROWSER_USER_AGENT,
        viewport: this.options.viewport ?? { width: 1280, height: 900 },
        extraHTTPHeaders: req.headers,
        serviceWorkers: 'block',
        timeout: 60_000,
      });
    } catch (err) {
      const where = executablePath ?? "Playwright's bundled Chromium";
      throw new BrowserError('E_BROWSER', `could not start Chromium (${where}): install it with "apt-get install -y chromium" or set the executable path`, { cause: err });
    }
  }

  private async capture(page: Page, req: BrowserRequest, start: URL, relay: SocksRelay, deadline: Deadline, attempt: number): Promise<BrowserResult> {
    const shown = redactUrl(start.href);
    const t0 = performance.now();
    let ttfb: number | undefined;
    page.on('response', (r) => {
      if (ttfb === undefined && r.request().isNavigationRequest() && r.frame() === page.mainFrame()) ttfb = performance.now() - t0;
    });
    const response = await page.goto(start.href, { waitUntil: req.waitUntil ?? 'load', timeout: 0, referer: req.referer });
    if (req.settleMs) await this.clock.sleep(req.settleMs, deadline.signal);
    deadline.check();
    const status = response?.status() ?? 0;
    const headers = response ? await response.allHeaders() : {};
    const html = await page.content();
    const body = Buffer.from(html, 'utf8');
    if (body.length > req.maxBytes) {
      throw new ResponseTooLargeError('E_TOO_LARGE', `rendered page exceeds the cap of ${req.maxBytes} bytes`, { input: shown });
    }
    const finalUrl = page.url();
    const contentType = headers['content-type'] ?? '';
    if (status >= 400) {
      throw new HttpStatusError(status, {
        input: shown,
        retryAfterMs: parseRetryAfterMs(headers['retry-after']),
        response: { url: redactUrl(finalUrl), status, headers, body, contentType },
      });
    }
    const screenshot = await page.screenshot({ fullPage: true, type: 'png' });
    const pdf = req.pdf ? await page.pdf({ printBackground: true }) : undefined;
    deadline.check();
    const connectedAt = relay.connectedAt.get(normaliseHost(start.hostname));
    return {
      url: finalUrl,
      status,
      headers,
      html,
      body,
      contentType,
      screenshot,
      pdf,
      timings: {
        connectMs: connectedAt === undefined ? 0 : Math.max(0, connectedAt - t0),
        ttfbMs: ttfb ?? 0,
        totalMs: performance.now() - t0,
      },
      redirects: redirectChain(response),
      transport: 'browser',
      attempts: attempt + 1,
      refusedHosts: [...relay.refused],
    };
  }

  /** Why a browser fetch failed, as a typed error: deadline, Tor's reply, policy, or network. */
  private mapFailure(err: unknown, deadline: Deadline, relay: SocksRelay | undefined, start: URL, shown: string): LeakwatchError {
    if (deadline.aborted) return deadline.error();
    if (err instanceof LeakwatchError) return err;
    const host = normaliseHost(start.hostname);
    const port = start.port || (start.protocol === 'https:' ? '443' : '80');
    const upstream = relay?.failures.get(`${host}:${port}`);
    // The relay does not know the URL; re-create Tor's reply with it for the report.
    if (upstream instanceof SocksReplyError) return new SocksReplyError(upstream.replyCode, { input: shown, cause: err });
    if (upstream) return upstream;
    const refusedRedirect = relay ? [...relay.refused].find((h) => h !== host) : undefined;
    if (refusedRedirect && relay?.connectedAt.has(host)) {
      return new TargetRefusedError('E_REDIRECT', `page navigation left the site (to ${refusedRedirect}) and the site does not allow it`, { input: shown, cause: err });
    }
    return new NetworkError('E_NETWORK', 'browser navigation failed', { input: shown, cause: err });
  }
}

function redirectChain(response: Response | null): string[] {
  const out: string[] = [];
  let request = response?.request().redirectedFrom() ?? null;
  while (request) {
    out.unshift(request.url());
    request = request.redirectedFrom();
  }
  return out;
}
