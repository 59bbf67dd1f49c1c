import type { Limits, TorSettings } from '../config/schema.js';
import { BrowserTransport, type BrowserTransportOptions } from './browser.js';
import type { Clock } from './clock.js';
import { CookieJar } from './cookie-jar.js';
import { HttpTransport, type HttpTransportOptions } from './http-transport.js';
import { CircuitIsolation } from './isolation.js';
import { PolitenessScheduler } from './politeness.js';
import type { SocksEndpoint } from './socks5-client.js';
import type { TorControlEndpoint } from './tor-control.js';

/**
 * Builds both transports from the validated config. They share one politeness scheduler
 * (a host gets the same pacing whichever transport fetches it) and one isolation secret
 * (a site keeps its circuit across transports). Per-request byte caps (limits.maxPageBytes,
 * limits.maxSampleBytes) are passed by the caller on each request.
 */

export interface Transports {
  proxy: SocksEndpoint;
  http: HttpTransport;
  browser: BrowserTransport;
  isolation: CircuitIsolation;
  cookies: CookieJar;
  scheduler: PolitenessScheduler;
}

export interface TransportExtras {
  executablePath?: string;
  clock?: Clock;
  cookies?: CookieJar;
  onRetry?: HttpTransportOptions['onRetry'];
}

export function createTransports(tor: TorSettings, limits: Limits, extras: TransportExtras = {}): Transports {
  const proxy: SocksEndpoint = { host: tor.socksHost, port: tor.socksPort };
  const scheduler = new PolitenessScheduler(
    { concurrency: limits.concurrency, perHostConcurrency: limits.perHostConcurrency, perHostDelayMs: limits.perHostDelayMs },
    extras.clock,
  );
  const isolation = new CircuitIsolation();
  const cookies = extras.cookies ?? new CookieJar();
  const retry = { retries: limits.retries };
  const http = new HttpTransport({
    proxy,
    timeouts: { connectMs: limits.connectTimeoutMs, firstByteMs: limits.idleTimeoutMs, idleMs: limits.idleTimeoutMs, totalMs: limits.pageTimeoutMs },
    downloadTimeouts: { connectMs: limits.connectTimeoutMs, firstByteMs: limits.idleTimeoutMs, idleMs: limits.sampleIdleTimeoutMs, totalMs: 0 },
    maxRedirects: limits.maxRedirects,
    retry,
    politeness: scheduler,
    isolation,
    cookies,
    clock: extras.clock,
    onRetry: extras.onRetry,
  });
  const browserOptions: BrowserTransportOptions = {
    proxy,
    executablePath: extras.executablePath,
    timeoutMs: limits.browserTimeoutMs,
    retry,
    politeness: scheduler,
    isolation,
    clock: extras.clock,
  };
  return { proxy, http, browser: new BrowserTransport(browserOptions), isolation, cookies, scheduler };
}

/** Tor's control port as the config names it (same host as the SOCKS port), or undefined. */
export function torControlEndpoint(tor: TorSettings): TorControlEndpoint | undefined {
  if (tor.controlPort === undefined) return undefined;
  return {
    host: tor.socksHost,
    port: tor.controlPort,
    ...(tor.controlCookiePath ? { cookiePath: tor.controlCookiePath } : {}),
    ...(tor.controlPassword ? { password: tor.controlPassword } : {}),
  };
}
