import { mkdir, open, rename, rm } from 'node:fs/promises';
import type http from 'node:http';
import { basename, dirname } from 'node:path';
import { redactUrl } from '../errors.js';
import { sniffFile } from '../extract/sniff.js';
import { readBody, streamToFile } from './body.js';
import { systemClock, type Clock } from './clock.js';
import { CookieJar } from './cookie-jar.js';
import { Deadline } from './deadline.js';
import { HttpStatusError, TargetRefusedError, type CapturedResponse } from './fetch-errors.js';
import { openExchange, type Exchange } from './http-exchange.js';
import { CircuitIsolation } from './isolation.js';
import { PolitenessScheduler, type PolitenessLimits } from './politeness.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfterMs, withRetries, type RetryEvent, type RetryPolicy } from './retry.js';
import type { SocksEndpoint } from './socks5-client.js';
import { HostPolicy, parseTargetUrl } from './target-policy.js';
import type { DownloadRequest, DownloadResult, FetchOptions, PageRequest, PageResult, PhaseTimeouts, Transport } from './types.js';

/**
 * The HTTP transport: every request goes through the Tor SOCKS proxy with the site's
 * isolation credentials (see tor-agent.ts), under the politeness scheduler, with per-phase
 * deadlines, capped redirects that may not leave the site, a per-site cookie jar, and
 * retries for retryable failures only. There is no other way out: no fallback, no direct
 * socket, no local DNS.
 */

export interface HttpTransportOptions {
  proxy: SocksEndpoint;
  /** Page fetches. Defaults: connect 60 s, first byte 60 s, idle 60 s, total 90 s. */
  timeouts?: Partial<PhaseTimeouts>;
  /** Sample downloads. Defaults: as pages, but idle 120 s and no total limit. */
  downloadTimeouts?: Partial<PhaseTimeouts>;
  maxRedirects?: number;
  retry?: Partial<RetryPolicy>;
  politeness?: PolitenessLimits | PolitenessScheduler;
  isolation?: CircuitIsolation;
  cookies?: CookieJar;
  clock?: Clock;
  /** [0, 1): the jitter source. */
  random?: () => number;
  userAgent?: string;
  onRetry?: (event: RetryEvent & { url: string; siteId: string }) => void;
}

/** Tor Browser's user agent: the most common one on onion services. */
export const TOR_BROWSER_USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0';

const DEFAULT_PAGE_TIMEOUTS: PhaseTimeouts = { connectMs: 60_000, firstByteMs: 60_000, idleMs: 60_000, totalMs: 90_000 };
const DEFAULT_DOWNLOAD_TIMEOUTS: PhaseTimeouts = { connectMs: 60_000, firstByteMs: 60_000, idleMs: 120_000, totalMs: 0 };
const DEFAULT_POLITENESS: PolitenessLimits = { concurrency: 4, perHostConcurrency: 1, perHostDelayMs: 2000 };
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Error responses kept for the caller are small: enough to classify, not to archive. */
const ERROR_BODY_BYTES = 256 * 1024;

type Step<V> = { kind: 'redirect'; to: URL; ex: Exchange } | { kind: 'final'; value: V; ex: Exchange };

function headerRecord(res: http.IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = v;
  return out;
}

function contentTypeOf(res: http.IncomingMessage): string {
  return res.headers['content-type'] ?? '';
}

export class HttpTransport implements Transport {
  readonly cookies: CookieJar;
  readonly isolation: CircuitIsolation;
  private readonly proxy: SocksEndpoint;
  private readonly pageTimeouts: PhaseTimeouts;
  private readonly downloadTimeouts: PhaseTimeouts;
  private readonly maxRedirects: number;
  private readonly retry: RetryPolicy;
  private readonly scheduler: PolitenessScheduler;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly userAgent: string;
  private readonly onRetry: HttpTransportOptions['onRetry'];

  constructor(options: HttpTransportOptions) {
    this.proxy = options.proxy;
    this.clock = options.clock ?? systemClock;
    this.pageTimeouts = { ...DEFAULT_PAGE_TIMEOUTS, ...options.timeouts };
    this.downloadTimeouts = { ...DEFAULT_DOWNLOAD_TIMEOUTS, ...options.downloadTimeouts };
    this.maxRedirects = options.maxRedirects ?? 5;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.scheduler =
      options.politeness instanceof PolitenessScheduler
        ? options.politeness
        : new PolitenessScheduler(options.politeness ?? DEFAULT_POLITENESS, this.clock);
    this.isolation = options.isolation ?? new CircuitIsolation();
    this.cookies = options.cookies ?? new CookieJar();
    this.random = options.random ?? Math.random;
    this.userAgent = options.userAgent ?? TOR_BROWSER_USER_AGENT;
    this.onRetry = options.onRetry;
  }

  async fetchPage(req: PageRequest, opts: FetchOptions = {}): Promise<PageResult> {
    const timeouts = { ...this.pageTimeouts, ...req.timeouts };
    const accept = req.accept ?? 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    return this.withPolicy(req, opts, async (attempt) => {
      const run = await this.follow(req, timeouts, opts.signal, { accept, encoding: 'gzip, deflate, br' }, async (ex, deadline, shown) => {
        const body = await readBody(ex.res, req.maxBytes, deadline, shown);
        return { body };
      });
      const { ex, url, redirects, activeMs, value } = run;
      const result: PageResult = {
        url: url.href,
        status: ex.res.statusCode ?? 0,
        headers: headerRecord(ex.res),
        body: value.body,
        contentType: contentTypeOf(ex.res),
        timings: { connectMs: ex.connectMs, ttfbMs: ex.ttfbMs, totalMs: activeMs },
        redirects,
        transport: 'http',
        attempts: attempt + 1,
      };
      return result;
    });
  }

  async download(req: DownloadRequest, opts: FetchOptions = {}): Promise<DownloadResult> {
    const timeouts = { ...this.downloadTimeouts, ...req.timeouts };
    const part = `${req.dest}.part`;
    const done = await this.withPolicy(req, opts, async (attempt) => {
      await mkdir(dirname(req.dest), { recursive: true });
      await rm(part, { force: true });
      const file = await open(part, 'wx');
      let closed = false;
      try {
        const run = await this.follow(req, timeouts, opts.signal, { accept: '*/*', encoding: 'identity' }, (ex, deadline, shown) =>
          streamToFile(ex.res, file, req.maxBytes, deadline, shown),
        );
        await file.close();
        closed = true;
        await rename(part, req.dest);
        return { run, attempt };
      } catch (err) {
        if (!closed) await file.close().catch(() => undefined);
        await rm(part, { force: true });
        throw err;
      }
    });
    const { run, attempt } = done;
    const name = req.fileName ?? basename(run.url.pathname);
    return {
      path: req.dest,
      bytes: run.value.bytes,
      sha256: run.value.sha256,
      contentType: contentTypeOf(run.ex.res),
      sniffed: await sniffFile(req.dest, run.value.bytes, name),
      url: run.url.href,
      status: run.ex.res.statusCode ?? 0,
      headers: headerRecord(run.ex.res),
      redirects: run.redirects,
      timings: { connectMs: run.ex.connectMs, ttfbMs: run.ex.ttfbMs, totalMs: run.activeMs },
      transport: 'http',
      attempts: attempt + 1,
    };
  }

  /** Validates the URL up front (no network for a bad one), then retries per policy. */
  private async withPolicy<R>(req: PageRequest | DownloadRequest, opts: FetchOptions, fn: (attempt: number) => Promise<R>): Promise<R> {
    const start = parseTargetUrl(req.url);
    new HostPolicy(start, req).checkUrl(start);
    return withRetries(fn, this.retry, {
      clock: this.clock,
      random: this.random,
      signal: opts.signal,
      onRetry: (e) => this.onRetry?.({ ...e, url: redactUrl(req.url), siteId: req.siteId }),
    });
  }

  /**
   * Runs one redirect chain. Each hop waits for politeness slots first, then gets its own
   * deadline, so time spent queueing never eats into a request's timeouts.
   */
  private async follow<V>(
    req: PageRequest | DownloadRequest,
    timeouts: PhaseTimeouts,
    signal: AbortSignal | undefined,
    negotiate: { accept: string; encoding: string },
    consume: (ex: Exchange, deadline: Deadline, shown: string) => Promise<V>,
  ): Promise<{ ex: Exchange; url: URL; redirects: string[]; activeMs: number; value: V }> {
    const policy = new HostPolicy(new URL(req.url), req);
    const redirects: string[] = [];
    let url = new URL(req.url);
    let activeMs = 0;
    for (let hop = 0; ; hop++) {
      policy.checkUrl(url);
      const current = url;
      const step = await this.scheduler.run(current.host, async (): Promise<Step<V>> => {
        const shown = redactUrl(current.href);
        const deadline = new Deadline(signal, timeouts.totalMs, shown);
        try {
          const ex = await openExchange({
            url: current,
            headers: this.requestHeaders(req, current, negotiate),
            proxy: this.proxy,
            auth: this.isolation.credentials(req.siteId),
            deadline,
            timeouts,
            clock: this.clock,
          });
          try {
            const setCookie = ex.res.headers['set-cookie'];
            this.cookies.store(req.siteId, current, setCookie);
            const status = ex.res.statusCode ?? 0;
            const location = ex.res.headers.location;
            if (REDIRECT_STATUSES.has(status) && location) {
              ex.res.destroy();
              return { kind: 'redirect', to: new URL(location, current), ex };
            }
            if (status >= 400) throw await this.statusError(ex, deadline, shown);
            const value = await consume(ex, deadline, shown);
            return { kind: 'final', value, ex };
          } finally {
            activeMs += this.clock.now() - ex.startedAt;
          }
        } finally {
          deadline.dispose();
        }
      }, signal);
      if (step.kind === 'final') return { ex: step.ex, url: current, redirects, activeMs, value: step.value };
      const next = step.to;
      if (hop >= this.maxRedirects) {
        throw new TargetRefusedError('E_REDIRECT', `more than ${this.maxRedirects} redirects`, { input: redactUrl(req.url) });
      }
      policy.checkRedirect(current, next);
      redirects.push(current.href);
      url = next;
    }
  }

  private async statusError(ex: Exchange, deadline: Deadline, shown: string): Promise<HttpStatusError> {
    const status = ex.res.statusCode ?? 0;
    let body: Buffer = Buffer.alloc(0);
    try {
      body = await readBody(ex.res, ERROR_BODY_BYTES, deadline, shown);
    } catch {
      // The status is the finding; a body we could not read does not change it.
      ex.res.destroy();
    }
    const response: CapturedResponse = { url: shown, status, headers: headerRecord(ex.res), body, contentType: contentTypeOf(ex.res) };
    const retryAfter = ex.res.headers['retry-after'];
    return new HttpStatusError(status, { input: shown, retryAfterMs: parseRetryAfterMs(retryAfter), response });
  }

  private requestHeaders(req: PageRequest | DownloadRequest, url: URL, negotiate: { accept: string; encoding: string }): Record<string, string> {
    const headers: Record<string, string> = {
      'User-Agent': this.userAgent,
      Accept: negotiate.accept,
      'Accept-Language': 'en-US,en;q=0.5',
      'Accept-Encoding': negotiate.encoding,
      Connection: 'close',
    };
    if (req.referer) headers.Referer = req.referer;
    const jar = this.cookies.header(req.siteId, url);
    const extra = Object.entries(req.cookies ?? {}).map(([k, v]) => `${k}=${v}`);
    const cookie = [jar, ...extra].filter(Boolean).join('; ');
    if (cookie) headers.Cookie = cookie;
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k] = v;
    return headers;
  }
}
