/** Retry schedule of the outbox; configured under alerts.delivery (defaults in config/schema.ts). */
export interface RetryPolicy {
  /** Attempts before a notification is dead-lettered. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  backoffFactor: number;
  /** Up to this share of each delay is taken off at random, so receivers that come back are
   * not hit by every queued notification at the same instant. */
  jitterRatio: number;
}

/**
 * Delay before the next attempt after `attempts` failed ones (1 = after the first failure):
 * initial × factor^(attempts-1), capped at maxDelayMs, minus up to jitterRatio of it.
 */
export function backoffDelayMs(attempts: number, p: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempts - 1);
  // Capped before jitter so the cap holds; Math.min also keeps huge exponents finite.
  const base = Math.min(p.maxDelayMs, p.initialDelayMs * Math.pow(p.backoffFactor, Math.min(exponent, 64)));
  const jitter = base * p.jitterRatio * Math.min(1, Math.max(0, random()));
  return Math.max(0, Math.round(base - jitter));
}
