import { ALERT_DELIVERY_DEFAULTS } from '../config/schema.js';
import { AlertStore } from '../store/alert-store.js';
import type { CrawlStore } from '../store/crawl-store.js';
import { backoffDelayMs, type RetryPolicy } from './backoff.js';
import { describeError, DeliveryError, type AlertChannel } from './channels/channel.js';
import { isoAt, systemAlertClock, type AlertClock } from './clock.js';
import { silentLogger, type AlertLogger } from './logger.js';
import { claim, countDue, nextDue, recordAttempt, type AttemptOutcome } from './outbox-store.js';
import { createRedactor, type Redactor } from './redact.js';
import type { AlertNotification } from './types.js';

/**
 * Delivery of queued notifications: at least once, never blocking the crawl. The crawler
 * calls this after a run and the daemon on a timer; everything it needs to resume (attempt
 * count, next_attempt_at) is in the database, so a restart continues the backoff schedule
 * instead of starting over or forgetting a notification.
 *
 * A pass takes the due rows oldest first. A channel that fails is not tried again in the same
 * pass (its other rows wait for the next pass without spending an attempt), so one receiver
 * that is down costs one timeout per pass, not one per queued alert.
 */

export interface DeliverOptions {
  clock?: AlertClock;
  signal?: AbortSignal;
  /** Attempts per pass, all channels together. */
  maxPerRun?: number;
  logger?: AlertLogger;
  retry?: Partial<RetryPolicy>;
  /** For jitter; tests pass a fixed value. */
  random?: () => number;
  /** More values to redact (e.g. everything the config took from the environment). */
  secrets?: readonly string[];
}

export interface DeliverySummary {
  attempted: number;
  delivered: number;
  failed: number;
  deadLettered: number;
  /** Due rows left for the next pass because their channel failed earlier in this one. */
  deferred: number;
  /** Due rows whose channel is not configured (renamed or removed): kept, never dropped. */
  unknownChannel: number;
  interrupted: boolean;
}

/** Lease beyond the attempt's own timeout, so a slow-closing socket is not double-sent. */
const LEASE_GRACE_MS = 30_000;

function retryPolicy(p: Partial<RetryPolicy> | undefined): RetryPolicy {
  const d = ALERT_DELIVERY_DEFAULTS;
  return {
    maxAttempts: p?.maxAttempts ?? d.maxAttempts,
    initialDelayMs: p?.initialDelayMs ?? d.initialDelayMs,
    maxDelayMs: p?.maxDelayMs ?? d.maxDelayMs,
    backoffFactor: p?.backoffFactor ?? d.backoffFactor,
    jitterRatio: p?.jitterRatio ?? d.jitterRatio,
  };
}

interface AttemptResult {
  outcome: AttemptOutcome;
  httpStatus?: number;
  smtpCode?: number;
  error?: string;
}

/**
 * One send with a hard deadline. The channel gets a signal that fires at its timeout (or on
 * shutdown); the race also covers a channel that ignores its signal.
 */
async function attempt(channel: AlertChannel, n: AlertNotification, body: string, outer: AbortSignal | undefined, redact: Redactor): Promise<AttemptResult> {
  const timeout = new AbortController();
  const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timeout.abort(new Error(`no answer within ${channel.timeoutMs} ms`));
      reject(new Error(`no answer within ${channel.timeoutMs} ms`));
    }, channel.timeoutMs);
  });
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('aborted'));
    if (outer?.aborted) onAbort();
    else outer?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const receipt = await Promise.race([channel.send(n, body, signal), deadline, aborted]);
    return { outcome: 'delivered', ...receipt };
  } catch (err) {
    if (timeout.signal.aborted) return { outcome: 'timeout', error: `timed out after ${channel.timeoutMs} ms` };
    if (outer?.aborted) return { outcome: 'aborted', error: 'delivery interrupted (shutdown)' };
    const result: AttemptResult = { outcome: 'failed', error: redact(describeError(err)) };
    if (err instanceof DeliveryError) {
      if (err.httpStatus !== undefined) result.httpStatus = err.httpStatus;
      if (err.smtpCode !== undefined) result.smtpCode = err.smtpCode;
    }
    return result;
  } finally {
    clearTimeout(timer);
    if (onAbort) outer?.removeEventListener('abort', onAbort);
  }
}

export async function deliverPending(target: AlertStore | CrawlStore, channels: readonly AlertChannel[], options: DeliverOptions = {}): Promise<DeliverySummary> {
  const store = AlertStore.of(target);
  const clock = options.clock ?? systemAlertClock;
  const logger = options.logger ?? silentLogger;
  const policy = retryPolicy(options.retry);
  const random = options.random ?? Math.random;
  const maxPerRun = options.maxPerRun ?? ALERT_DELIVERY_DEFAULTS.maxPerRun;
  const redact = createRedactor([...channels.flatMap((c) => c.secrets), ...(options.secrets ?? [])]);
  const byName = new Map(channels.map((c) => [c.name, c]));
  const failedThisPass = new Set<string>();
  const summary: DeliverySummary = { attempted: 0, delivered: 0, failed: 0, deadLettered: 0, deferred: 0, unknownChannel: 0, interrupted: false };

  const handled: number[] = [];
  const unknown: string[] = [];
  while (summary.attempted < maxPerRun) {
    if (options.signal?.aborted) {
      summary.interrupted = true;
      break;
    }
    const now = clock.nowMs();
    const item = nextDue(store, isoAt(now), { channels: [...failedThisPass, ...unknown], ids: handled });
    if (!item) break;
    const channel = byName.get(item.channel);
    if (!channel) {
      unknown.push(item.channel);
      logger.warn({ channel: item.channel }, 'notifications are queued for a channel that is not configured; they stay in the outbox');
      continue;
    }
    handled.push(item.id);
    if (!claim(store, item.id, isoAt(now), isoAt(now + channel.timeoutMs + LEASE_GRACE_MS))) continue; // another process took it
    summary.attempted++;
    // Duration from the monotonic clock: the wall clock may be a test's fake, or jump.
    const started = performance.now();
    const result = await attempt(channel, JSON.parse(item.payload) as AlertNotification, item.payload, options.signal, redact);
    const at = clock.nowMs();
    const attempts = item.attempts + (result.outcome === 'aborted' ? 0 : 1);
    const dead = result.outcome !== 'delivered' && result.outcome !== 'aborted' && attempts >= policy.maxAttempts;
    const nextAttemptAt = isoAt(at + backoffDelayMs(attempts, policy, random));
    recordAttempt(
      store,
      item.id,
      {
        at: isoAt(at),
        channel: channel.name,
        outcome: result.outcome,
        durationMs: performance.now() - started,
        ...(result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {}),
        ...(result.smtpCode !== undefined ? { smtpCode: result.smtpCode } : {}),
        ...(result.error !== undefined ? { error: result.error } : {}),
      },
      { nextAttemptAt, dead },
    );
    const fields = { outboxId: item.id, channel: channel.name, notificationId: item.notificationId, alertId: item.alertId, attempt: attempts };
    if (result.outcome === 'delivered') {
      summary.delivered++;
      logger.info(fields, 'alert notification delivered');
    } else if (result.outcome === 'aborted') {
      summary.interrupted = true;
      break;
    } else {
      summary.failed++;
      failedThisPass.add(channel.name);
      if (dead) {
        summary.deadLettered++;
        logger.error({ ...fields, error: result.error }, `alert notification dead-lettered after ${attempts} attempts`);
      } else {
        logger.warn({ ...fields, error: result.error, nextAttemptAt }, 'alert notification delivery failed; will retry');
      }
    }
  }
  const end = isoAt(clock.nowMs());
  summary.deferred = countDue(store, end, [...failedThisPass]);
  summary.unknownChannel = countDue(store, end, unknown);
  return summary;
}
