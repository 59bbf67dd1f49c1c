/**
 * Wall-clock time for the outbox. Unlike the fetcher's monotonic clock, these instants are
 * stored (next_attempt_at) and must mean the same after a restart. Injected so tests can
 * move time forward instead of waiting for backoff.
 */
export interface AlertClock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

export const systemAlertClock: AlertClock = { nowMs: () => Date.now() };

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
