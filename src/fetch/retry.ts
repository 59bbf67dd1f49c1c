import { LeakwatchError, isAbort } from '../errors.js';
import type { Clock } from './clock.js';
import { HttpStatusError } from './fetch-errors.js';

/**
 * Retries with exponential backoff and full jitter (delay = random(0, min(max, base·2^n))),
 * which spreads retries of many sites hitting the same Tor hiccup. Only errors whose class
 * says `retryable` are retried; the message is never consulted. A server's Retry-After is
 * honoured up to `maxRetryAfterMs`; a longer one ends the attempts (the error keeps
 * `retryAfterMs` so the scheduler can come back later) instead of sleeping for an hour.
 */

export interface RetryPolicy {
  /** Additional attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  error: LeakwatchError;
}

export interface RetryContext {
  clock: Clock;
  random: () => number;
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
}

export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unparsable. */
export function parseRetryAfterMs(value: string | undefined, nowEpochMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowEpochMs);
}

export async function withRetries<T>(
  attemptFn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  ctx: RetryContext,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptFn(attempt);
    } catch (err) {
      if (!(err instanceof LeakwatchError) || !err.retryable || isAbort(err)) throw err;
      if (ctx.signal?.aborted || attempt >= policy.retries) throw err;
      let delayMs = backoffDelayMs(attempt, policy, ctx.random);
      if (err instanceof HttpStatusError && err.retryAfterMs !== undefined) {
        if (err.retryAfterMs > policy.maxRetryAfterMs) throw err;
        delayMs = Math.max(delayMs, err.retryAfterMs);
      }
      ctx.onRetry?.({ attempt: attempt + 1, delayMs, error: err });
      await ctx.clock.sleep(delayMs, ctx.signal);
    }
  }
}
