import {
  FatalError, LeakwatchError, LimitError, RetryableError,
  type ErrorCode, type LeakwatchErrorOptions,
} from '../errors.js';

/**
 * Typed fetch failures. The retry loop and the crawler act on `retryable` and `code` only;
 * messages are for people. Every message names the URL through `input` (already redacted by
 * the caller) and never contains SOCKS credentials.
 */

export type FetchPhase = 'connect' | 'first-byte' | 'idle' | 'total' | 'page';

/** A per-phase deadline passed. Retryable: Tor circuits are slow and flaky, not wrong. */
export class FetchTimeoutError extends RetryableError {
  readonly phase: FetchPhase;
  readonly timeoutMs: number;

  constructor(phase: FetchPhase, timeoutMs: number, options: LeakwatchErrorOptions = {}) {
    super('E_TIMEOUT', `${PHASE_TEXT[phase]} after ${timeoutMs} ms`, options);
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}

const PHASE_TEXT: Record<FetchPhase, string> = {
  connect: 'no connection through Tor (SOCKS connect / onion circuit)',
  'first-byte': 'no response headers',
  idle: 'response stalled (no bytes received)',
  total: 'whole request did not finish',
  page: 'browser page did not finish loading',
};

interface ReplyInfo {
  code: ErrorCode;
  text: string;
  retryable: boolean;
}

/**
 * SOCKS5 reply codes: RFC 1928 (0x01–0x08) and Tor's `ExtendedErrors` (0xF0–0xF7).
 * Retryable = a later attempt on a fresh circuit can plausibly succeed within this run.
 * 0xF0 (descriptor not found) is not: Tor already asked the HSDirs and rate-limits refetching
 * for minutes, so retrying in-run only burns time; the mirror is "offline" for this run and
 * the next scheduled run tries again.
 */
const REPLIES: Record<number, ReplyInfo> = {
  0x01: { code: 'E_SOCKS_REPLY', text: 'general SOCKS server failure (onion web server down?)', retryable: true },
  0x02: { code: 'E_SOCKS_REPLY', text: 'connection not allowed by the proxy ruleset', retryable: false },
  0x03: { code: 'E_SOCKS_REPLY', text: 'network unreachable', retryable: true },
  0x04: { code: 'E_SOCKS_REPLY', text: 'host unreachable (site offline? without ExtendedErrors Tor reports offline onions this way)', retryable: true },
  0x05: { code: 'E_SOCKS_REPLY', text: 'connection refused (the onion does not serve this port)', retryable: false },
  0x06: { code: 'E_SOCKS_REPLY', text: 'TTL expired (Tor stream timed out)', retryable: true },
  0x07: { code: 'E_SOCKS_REPLY', text: 'command not supported by the proxy', retryable: false },
  0x08: { code: 'E_SOCKS_REPLY', text: 'address type not supported by the proxy', retryable: false },
  0xf0: { code: 'E_ONION_OFFLINE', text: 'site offline (onion descriptor not found)', retryable: false },
  0xf1: { code: 'E_ONION_DESCRIPTOR_INVALID', text: 'onion descriptor invalid (could not be parsed or decrypted)', retryable: false },
  0xf2: { code: 'E_ONION_INTRO_FAILED', text: 'onion introduction failed (service busy or its Tor restarting)', retryable: true },
  0xf3: { code: 'E_ONION_RENDEZVOUS_FAILED', text: 'onion rendezvous failed', retryable: true },
  0xf4: { code: 'E_ONION_AUTH_REQUIRED', text: 'onion client authorization required', retryable: false },
  0xf5: { code: 'E_ONION_AUTH_WRONG', text: 'onion client authorization wrong', retryable: false },
  0xf6: { code: 'E_ONION_BAD_ADDRESS', text: 'invalid onion address', retryable: false },
  0xf7: { code: 'E_ONION_INTRO_TIMEOUT', text: 'onion introduction timed out', retryable: true },
};

export function socksReplyText(replyCode: number): string {
  return REPLIES[replyCode]?.text ?? `unknown SOCKS reply 0x${replyCode.toString(16).padStart(2, '0')}`;
}

/** The proxy refused a CONNECT with a reply code; `retryable` depends on the code. */
export class SocksReplyError extends LeakwatchError {
  readonly replyCode: number;
  override readonly retryable: boolean;

  constructor(replyCode: number, options: LeakwatchErrorOptions = {}) {
    const info = REPLIES[replyCode];
    super(info?.code ?? 'E_SOCKS_REPLY', `${socksReplyText(replyCode)} [SOCKS reply 0x${replyCode.toString(16).padStart(2, '0')}]`, options);
    this.replyCode = replyCode;
    // An unknown code is treated like 0x01 (general failure): retryable.
    this.retryable = info?.retryable ?? true;
  }
}

/**
 * An onion address that fails validation before any connection is made (the local twin of
 * Tor's 0xF6). Same code as 0xF6 so callers handle both alike.
 */
export class OnionAddressError extends LeakwatchError {
  constructor(reason: string, options: LeakwatchErrorOptions = {}) {
    super('E_ONION_BAD_ADDRESS', `invalid onion address: ${reason}`, options);
  }
}

/**
 * The proxy itself is unusable (down, not SOCKS5, rejects our auth). Fatal: every fetch would
 * fail the same way, and marking every site "down" because Tor is down would be a lie.
 */
export class ProxyError extends FatalError {}

/** Connection reset / closed mid-response: retryable. */
export class NetworkError extends RetryableError {}

/** TLS failure with a clearnet host (onions authenticate by address instead): not retryable. */
export class TlsError extends LeakwatchError {}

/** The URL, or a redirect, points somewhere this site may not go. Never retried. */
export class TargetRefusedError extends LeakwatchError {}

/** Response larger than the cap: hostile or misconfigured. */
export class ResponseTooLargeError extends LimitError {}

export interface CapturedResponse {
  url: string;
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  contentType: string;
}

/**
 * Final HTTP status ≥ 400. Carries the response (bounded by maxBytes) so the caller can keep
 * the raw capture and run captcha / error-page classification on it.
 */
export class HttpStatusError extends LeakwatchError {
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  readonly response: CapturedResponse | undefined;
  override readonly retryable: boolean;

  constructor(status: number, options: LeakwatchErrorOptions & { retryAfterMs?: number; response?: CapturedResponse } = {}) {
    super('E_HTTP_STATUS', `HTTP ${status}${options.retryAfterMs !== undefined ? ` (Retry-After ${Math.round(options.retryAfterMs / 1000)} s)` : ''}`, options);
    this.status = status;
    this.retryAfterMs = options.retryAfterMs;
    this.response = options.response;
    this.retryable = isRetryableStatus(status);
  }
}

/** 408/425/429 and 5xx except 501/505 (which say "this will never work"). */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** Browser missing or crashed. */
export class BrowserError extends FatalError {}
