/**
 * The only part of leakwatch that touches the network, and only through the Tor SOCKS proxy.
 * - HttpTransport: pages and sample downloads over socks-proxy-agent (socks5h).
 * - BrowserTransport: Chromium via a per-site loopback relay to the same proxy.
 * - checkProxy: run preflight (reachable, SOCKS5, Tor-like); fatal when it fails.
 * - TorControl / checkTorBootstrap: the control port (cookie auth): bootstrap phase, NEWNYM.
 */
export type {
  DownloadRequest, DownloadResult, FetchOptions, PageRequest, PageResult, PhaseTimeouts, Timings, Transport,
} from './types.js';
export { HttpTransport, TOR_BROWSER_USER_AGENT, type HttpTransportOptions } from './http-transport.js';
export {
  BrowserTransport, chromiumArgs, defaultExecutablePath, DEFAULT_CHROMIUM_PATH,
  type BrowserRequest, type BrowserResult, type BrowserTransportOptions,
} from './browser.js';
export { checkProxy, type CheckProxyOptions, type ProxyCheck } from './preflight.js';
export {
  TorControl, checkTorBootstrap, parseBootstrapPhase, quoteControlString,
  type BootstrapStatus, type ControlReply, type TorControlEndpoint,
} from './tor-control.js';
export { createTransports, torControlEndpoint, type TransportExtras, type Transports } from './from-config.js';
export { CookieJar, type SerializedCookieJar, type StoredCookie } from './cookie-jar.js';
export { CircuitIsolation } from './isolation.js';
export { PolitenessScheduler, type PolitenessLimits } from './politeness.js';
export { DEFAULT_RETRY_POLICY, backoffDelayMs, parseRetryAfterMs, type RetryEvent, type RetryPolicy } from './retry.js';
export { systemClock, type Clock } from './clock.js';
export type { SocksAuth, SocksEndpoint } from './socks5-client.js';
export type { HostPolicyInput } from './target-policy.js';
export {
  BrowserError, FetchTimeoutError, HttpStatusError, NetworkError, OnionAddressError, ProxyError, ResponseTooLargeError,
  SocksReplyError, TargetRefusedError, TlsError, isRetryableStatus, socksReplyText,
  type CapturedResponse, type FetchPhase,
} from './fetch-errors.js';
