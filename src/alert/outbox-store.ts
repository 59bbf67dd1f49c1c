import type { AlertStore } from '../store/alert-store.js';
import type { AlertNotification } from './types.js';

/**
 * SQL of the outbox: notifications (one per alert version), their per-channel delivery rows
 * and every attempt. Times are ISO 8601 UTC strings from Date#toISOString, which compare
 * correctly as text.
 */

export type OutboxStatus = 'pending' | 'delivered' | 'dead';
export type AttemptOutcome = 'delivered' | 'failed' | 'timeout' | 'aborted';

export interface OutboxItem {
  id: number;
  notificationId: string;
  alertId: number;
  event: string;
  channel: string;
  status: OutboxStatus;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  deliveredAt: string | null;
  deadAt: string | null;
  lastError: string | null;
}

export interface DeliveryAttempt {
  outboxId: number;
  notificationId: string;
  at: string;
  channel: string;
  outcome: AttemptOutcome;
  durationMs: number;
  httpStatus: number | null;
  smtpCode: number | null;
  error: string | null;
}

interface OutboxRow {
  id: number;
  notification_id: string;
  alert_id: number;
  event: string;
  channel: string;
  status: OutboxStatus;
  attempts: number;
  created_at: string;
  next_attempt_at: string;
  delivered_at: string | null;
  dead_at: string | null;
  last_error: string | null;
}

const OUTBOX_SELECT = `SELECT o.*, n.alert_id, n.event FROM alert_outbox o JOIN alert_notifications n ON n.id = o.notification_id`;

function toItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    notificationId: r.notification_id,
    alertId: r.alert_id,
    event: r.event,
    channel: r.channel,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    deliveredAt: r.delivered_at,
    deadAt: r.dead_at,
    lastError: r.last_error,
  };
}

/** Stores the notification and one pending row per channel, due now. Idempotent per id. */
export function enqueueNotification(store: AlertStore, n: AlertNotification, channels: readonly string[], at: string): number {
  store.stmt('INSERT OR IGNORE INTO alert_notifications (id, alert_id, alert_version, event, created_at, payload) VALUES (?, ?, ?, ?, ?, ?)').run(
    n.id,
    n.alert.id,
    n.alert.version,
    n.event,
    at,
    JSON.stringify(n),
  );
  let added = 0;
  for (const channel of channels) {
    added += store.stmt('INSERT OR IGNORE INTO alert_outbox (notification_id, channel, created_at, next_attempt_at) VALUES (?, ?, ?, ?)').run(n.id, channel, at, at).changes;
  }
  return added;
}

/**
 * The next pending row due at `now` whose lease (if any) has run out, oldest due first,
 * leaving out channels already given up on in this pass and rows already handled.
 */
export function nextDue(store: AlertStore, now: string, exclude: { channels: readonly string[]; ids: readonly number[] }): (OutboxItem & { payload: string }) | undefined {
  const r = store
    .stmt(
      `SELECT o.*, n.alert_id, n.event, n.payload FROM alert_outbox o JOIN alert_notifications n ON n.id = o.notification_id
       WHERE o.status = 'pending' AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?)
         AND o.channel NOT IN (SELECT value FROM json_each(?)) AND o.id NOT IN (SELECT value FROM json_each(?))
       ORDER BY o.next_attempt_at, o.id LIMIT 1`,
    )
    .get(now, now, JSON.stringify(exclude.channels), JSON.stringify(exclude.ids)) as (OutboxRow & { payload: string }) | undefined;
  return r ? { ...toItem(r), payload: r.payload } : undefined;
}

/** Pending rows of these channels due at `now` (what a pass left for the next one). */
export function countDue(store: AlertStore, now: string, channels: readonly string[]): number {
  return (
    store
      .stmt(`SELECT COUNT(*) AS n FROM alert_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND channel IN (SELECT value FROM json_each(?))`)
      .get(now, JSON.stringify(channels)) as { n: number }
  ).n;
}

/**
 * Takes a row for one attempt. Another process delivering at the same time loses the race
 * here (changes = 0) instead of sending a duplicate; a process that dies mid-attempt leaves
 * a lease that simply runs out.
 */
export function claim(store: AlertStore, id: number, now: string, leaseUntil: string): boolean {
  return (
    store
      .stmt(`UPDATE alert_outbox SET lease_until = ? WHERE id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)`)
      .run(leaseUntil, id, now).changes === 1
  );
}

export interface AttemptRecord {
  at: string;
  channel: string;
  outcome: AttemptOutcome;
  durationMs: number;
  httpStatus?: number;
  smtpCode?: number;
  /** Already redacted. */
  error?: string;
}

/**
 * Records an attempt and moves the row on, in one transaction: delivered; dead after the
 * last allowed attempt; else pending again at `nextAttemptAt`. An aborted attempt (shutdown)
 * does not count towards the limit and keeps the row due.
 */
export function recordAttempt(store: AlertStore, id: number, a: AttemptRecord, next: { nextAttemptAt?: string; dead?: boolean }): void {
  store.transaction(() => {
    store
      .stmt(`INSERT INTO alert_delivery_attempts (outbox_id, at, channel, outcome, duration_ms, http_status, smtp_code, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, a.at, a.channel, a.outcome, Math.round(a.durationMs), a.httpStatus ?? null, a.smtpCode ?? null, a.error ?? null);
    if (a.outcome === 'delivered') {
      store.stmt(`UPDATE alert_outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?`).run(a.at, id);
    } else if (a.outcome === 'aborted') {
      store.stmt('UPDATE alert_outbox SET lease_until = NULL WHERE id = ?').run(id);
    } else if (next.dead) {
      store.stmt(`UPDATE alert_outbox SET status = 'dead', attempts = attempts + 1, dead_at = ?, lease_until = NULL, last_error = ? WHERE id = ?`).run(a.at, a.error ?? a.outcome, id);
    } else {
      store
        .stmt('UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE id = ?')
        .run(next.nextAttemptAt ?? a.at, a.error ?? a.outcome, id);
    }
  });
}

export function listOutbox(store: AlertStore, filter: { status?: OutboxStatus; alertId?: number } = {}): OutboxItem[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.status) {
    where.push('o.status = ?');
    args.push(filter.status);
  }
  if (filter.alertId !== undefined) {
    where.push('n.alert_id = ?');
    args.push(filter.alertId);
  }
  const sql = `${OUTBOX_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id`;
  return (store.stmt(sql).all(...args) as OutboxRow[]).map(toItem);
}

export function attemptsForAlert(store: AlertStore, alertId: number): DeliveryAttempt[] {
  const rows = store
    .stmt(
      `SELECT t.*, o.notification_id FROM alert_delivery_attempts t JOIN alert_outbox o ON o.id = t.outbox_id JOIN alert_notifications n ON n.id = o.notification_id
       WHERE n.alert_id = ? ORDER BY t.id`,
    )
    .all(alertId) as {
    outbox_id: number;
    notification_id: string;
    at: string;
    channel: string;
    outcome: AttemptOutcome;
    duration_ms: number;
    http_status: number | null;
    smtp_code: number | null;
    error: string | null;
  }[];
  return rows.map((r) => ({
    outboxId: r.outbox_id,
    notificationId: r.notification_id,
    at: r.at,
    channel: r.channel,
    outcome: r.outcome,
    durationMs: r.duration_ms,
    httpStatus: r.http_status,
    smtpCode: r.smtp_code,
    error: r.error,
  }));
}

/** Puts a dead (or any undelivered) row back in the queue, due now, with a fresh attempt budget. */
export function requeue(store: AlertStore, id: number, now: string): boolean {
  return (
    store.stmt(`UPDATE alert_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL, lease_until = NULL WHERE id = ? AND status != 'delivered'`).run(now, id)
      .changes === 1
  );
}
