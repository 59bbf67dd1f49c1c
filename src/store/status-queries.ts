import type Database from 'better-sqlite3';

/**
 * Read-only queries behind `leakwatch status`, and the daemon's lock-aware closing of runs
 * left "running" by a process that died. All SQL of src/schedule lives here.
 */

export interface RunRow {
  id: number;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  reason: string | null;
  pid: number | null;
  postsNew: number;
}

export interface MirrorRow {
  url: string;
  state: 'unknown' | 'up' | 'down';
  lastOkAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
  lastLatencyMs: number | null;
}

export interface WarningRow {
  runId: number | null;
  at: string;
  kind: string;
  message: string;
}

export interface OutboxCounts {
  pending: number;
  /** Pending rows that failed at least once, or waited longer than the backlog age. */
  backingUp: number;
  dead: number;
  oldestPendingAt: string | null;
}

/** Run statuses that say nothing about the site (a shutdown, a skip): ignored for streaks. */
const NEUTRAL_RUN_STATUSES = ['running', 'interrupted', 'skipped'];

const RUN_COLUMNS = 'id, status, started_at AS startedAt, finished_at AS finishedAt, reason, pid, posts_new AS postsNew';

/** The latest run of a site, whatever its status (a run in progress included). */
export function lastRun(db: Database.Database, siteId: string): RunRow | undefined {
  return db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE site_id = ? ORDER BY id DESC LIMIT 1`).get(siteId) as RunRow | undefined;
}

/** The latest run that ended with a verdict on the site (not interrupted, not in progress). */
export function lastFinishedRun(db: Database.Database, siteId: string): RunRow | undefined {
  return db
    .prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE site_id = ? AND status NOT IN (${NEUTRAL_RUN_STATUSES.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT 1`)
    .get(siteId, ...NEUTRAL_RUN_STATUSES) as RunRow | undefined;
}

/** The latest run that loaded the listing (ok, or partial: content was read). */
export function lastSuccessfulRun(db: Database.Database, siteId: string): RunRow | undefined {
  return db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE site_id = ? AND status IN ('ok', 'partial') ORDER BY id DESC LIMIT 1`).get(siteId) as RunRow | undefined;
}

/** The latest run that did not get through (failed, needs a human, parser broken). */
export function lastFailedRun(db: Database.Database, siteId: string): RunRow | undefined {
  return db
    .prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE site_id = ? AND status IN ('failed', 'needs-human', 'parser-broken') ORDER BY id DESC LIMIT 1`)
    .get(siteId) as RunRow | undefined;
}

/** Failed runs in a row, newest first, not counting interrupted or skipped ones. */
export function consecutiveFailedRuns(db: Database.Database, siteId: string, cap = 1000): number {
  const rows = db
    .prepare(`SELECT status FROM runs WHERE site_id = ? AND status NOT IN (${NEUTRAL_RUN_STATUSES.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT ?`)
    .all(siteId, ...NEUTRAL_RUN_STATUSES, cap) as { status: string }[];
  let n = 0;
  for (const r of rows) {
    if (r.status !== 'failed') break;
    n++;
  }
  return n;
}

export function mirrorsOf(db: Database.Database, siteId: string): MirrorRow[] {
  return db
    .prepare(
      `SELECT url, state, last_ok_at AS lastOkAt, last_error_at AS lastErrorAt, last_error AS lastError, last_error_code AS lastErrorCode,
              consecutive_failures AS consecutiveFailures, last_latency_ms AS lastLatencyMs
       FROM mirrors WHERE site_id = ? ORDER BY id`,
    )
    .all(siteId) as MirrorRow[];
}

export function postsFirstSeenSince(db: Database.Database, siteId: string, sinceIso: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM posts WHERE site_id = ? AND first_seen_at >= ?').get(siteId, sinceIso) as { n: number }).n;
}

/** Warnings of the given kinds: those of one run, or every one since a time (newest first). */
export function warningsOf(db: Database.Database, siteId: string, kinds: readonly string[], where: { runId: number } | { sinceIso: string }, limit = 20): WarningRow[] {
  const inKinds = kinds.map(() => '?').join(', ');
  const [cond, arg] = 'runId' in where ? ['run_id = ?', where.runId] : ['at >= ?', where.sinceIso];
  return db
    .prepare(`SELECT run_id AS runId, at, kind, message FROM warnings WHERE site_id = ? AND kind IN (${inKinds}) AND ${cond} ORDER BY id DESC LIMIT ?`)
    .all(siteId, ...kinds, arg, limit) as WarningRow[];
}

/**
 * Outbox rows per site (through their alert). `backlogBeforeIso`: a pending row created
 * before it counts as backing up even if it was never tried.
 */
export function outboxBySite(db: Database.Database, backlogBeforeIso: string): Map<string, OutboxCounts> {
  const rows = db
    .prepare(
      `SELECT a.site_id AS siteId,
              SUM(o.status = 'pending') AS pending,
              SUM(o.status = 'pending' AND (o.attempts > 0 OR o.created_at < ?)) AS backingUp,
              SUM(o.status = 'dead') AS dead,
              MIN(CASE WHEN o.status = 'pending' THEN o.created_at END) AS oldestPendingAt
       FROM alert_outbox o JOIN alert_notifications n ON n.id = o.notification_id JOIN alerts a ON a.id = n.alert_id
       GROUP BY a.site_id`,
    )
    .all(backlogBeforeIso) as ({ siteId: string } & OutboxCounts)[];
  return new Map(rows.map(({ siteId, ...c }) => [siteId, { pending: c.pending ?? 0, backingUp: c.backingUp ?? 0, dead: c.dead ?? 0, oldestPendingAt: c.oldestPendingAt }]));
}

/** Runs still marked running, with the pid that started them. */
export function runningRuns(db: Database.Database): { id: number; siteId: string; pid: number | null }[] {
  return db.prepare(`SELECT id, site_id AS siteId, pid FROM runs WHERE status = 'running' ORDER BY id`).all() as { id: number; siteId: string; pid: number | null }[];
}

/**
 * Marks a run interrupted, only if it is still running: the process we judged dead may have
 * finished it in between, and its verdict must not be overwritten.
 */
export function closeRun(db: Database.Database, runId: number, atIso: string, reason: string): boolean {
  return db.prepare(`UPDATE runs SET status = 'interrupted', finished_at = ?, reason = ? WHERE id = ? AND status = 'running'`).run(atIso, reason, runId).changes > 0;
}
