import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LeakwatchConfig } from '../config/load.js';
import { errorMessage } from '../errors.js';
import type { SiteDefinition } from '../sites/schema.js';
import { CRAWL_DB } from '../store/crawl-store.js';
import {
  consecutiveFailedRuns, lastFailedRun, lastFinishedRun, lastRun, lastSuccessfulRun, mirrorsOf, outboxBySite, postsFirstSeenSince, warningsOf,
  type OutboxCounts, type RunRow, type WarningRow,
} from '../store/status-queries.js';
import { nextRuns, scheduleOf, schedulePeriodMs, type SiteSchedule } from './cron-schedule.js';
import { DELIVERY_BACKLOG_MS, deliveryHealth, HEALTH_EXIT, PARSER_WARNING_KINDS, siteHealth, worst, type Health } from './health.js';
import { scheduleSettings } from './settings.js';
import { LOCK_DIR, SiteLocks, type LockHolder } from './site-lock.js';

/**
 * `leakwatch status`: what every site and mirror is doing, from the crawl database and the lock
 * folder, judged by the rule in health.ts. The database is opened read-only: a monitoring
 * probe must never create, migrate or lock it.
 */

export interface MirrorStatus {
  url: string;
  state: 'up' | 'down' | 'unknown';
  lastOkAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
  latencyMs: number | null;
}

export interface SiteStatus {
  id: string;
  name: string;
  enabled: boolean;
  health: Health | 'disabled';
  reasons: string[];
  schedule: SiteSchedule;
  /** When the daemon would next start this site (before jitter); null when disabled. */
  nextRunAt: string | null;
  lastRun: { id: number; status: string; startedAt: string; finishedAt: string | null; reason: string | null } | null;
  lastSuccessAt: string | null;
  lastError: { at: string; status: string; message: string | null } | null;
  consecutiveFailedRuns: number;
  newPosts: { lastRun: number; last24h: number };
  deliveries: Omit<OutboxCounts, 'oldestPendingAt'>;
  /** Parser warnings (parser-broken, parser-warning, needs-human) of the last 24 hours. */
  warnings: WarningRow[];
  /** A live lock on the site: a crawl in progress, by whom. */
  crawling: { pid: number; host: string; since: string; heartbeatAt: string } | null;
  mirrors: MirrorStatus[];
}

export interface StatusReport {
  health: Health;
  exitCode: 0 | 1 | 2;
  checkedAt: string;
  reasons: string[];
  config: string;
  database: { path: string; ok: boolean; error?: string };
  deliveries: OutboxCounts;
  sites: SiteStatus[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function collectStatus(config: LeakwatchConfig, clock: () => Date = () => new Date()): StatusReport {
  const now = clock();
  const settings = scheduleSettings(config);
  const path = join(config.dataDir, CRAWL_DB);
  const locks = new SiteLocks(join(config.dataDir, LOCK_DIR), { clock });
  const database: StatusReport['database'] = { path, ok: true };
  let db: Database.Database | undefined;
  let sites: SiteStatus[];
  let totals: OutboxCounts = { pending: 0, backingUp: 0, dead: 0, oldestPendingAt: null };
  try {
    if (existsSync(path)) {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
    }
    const outbox = db ? outboxBySite(db, new Date(now.getTime() - DELIVERY_BACKLOG_MS).toISOString()) : new Map<string, OutboxCounts>();
    totals = sumOutbox([...outbox.values()]);
    sites = config.sites.map(({ site }) => siteStatus(site, db, outbox.get(site.id), locks, settings, now));
  } catch (err) {
    database.ok = false;
    database.error = errorMessage(err);
    sites = config.sites.map(({ site }) => unreadableSite(site, locks, settings, database.error as string));
  } finally {
    db?.close();
  }

  const reasons: string[] = [];
  let health: Health = 'healthy';
  if (!database.ok) {
    health = 'failing';
    reasons.push(`database ${path} is unreadable: ${database.error}`);
  } else if (!db) {
    reasons.push(`no database yet at ${path}: nothing has been crawled`);
  }
  for (const s of sites) {
    if (s.health === 'disabled' || !database.ok) continue;
    health = worst(health, s.health);
    for (const r of s.reasons) reasons.push(`${s.id}: ${r}`);
  }
  const d = deliveryHealth(totals);
  health = worst(health, d.health);
  reasons.push(...d.reasons);
  if (sites.every((s) => s.health === 'disabled')) {
    health = worst(health, 'degraded');
    reasons.push('no enabled site: nothing is being watched');
  }
  return { health, exitCode: HEALTH_EXIT[health], checkedAt: now.toISOString(), reasons, config: config.file, database, deliveries: totals, sites };
}

function sumOutbox(all: OutboxCounts[]): OutboxCounts {
  const oldest = all.map((c) => c.oldestPendingAt).filter((t): t is string => t !== null).sort()[0] ?? null;
  return { pending: sum(all, 'pending'), backingUp: sum(all, 'backingUp'), dead: sum(all, 'dead'), oldestPendingAt: oldest };
}

function sum(all: OutboxCounts[], key: 'pending' | 'backingUp' | 'dead'): number {
  return all.reduce((n, c) => n + c[key], 0);
}

function crawlingNow(locks: SiteLocks, siteId: string): SiteStatus['crawling'] {
  const h: LockHolder | undefined = locks.inspect(siteId);
  return h && !h.stale ? { pid: h.pid, host: h.host, since: h.startedAt, heartbeatAt: h.heartbeatAt } : null;
}

function base(site: SiteDefinition, locks: SiteLocks, fallback: { cron: string; timezone: string }): Pick<SiteStatus, 'id' | 'name' | 'enabled' | 'schedule' | 'nextRunAt' | 'crawling'> {
  const schedule = scheduleOf(site, fallback);
  const next = site.enabled ? nextRuns(schedule, 1)[0] : undefined;
  return { id: site.id, name: site.name, enabled: site.enabled, schedule, nextRunAt: next?.toISOString() ?? null, crawling: crawlingNow(locks, site.id) };
}

function runView(r: RunRow | undefined): SiteStatus['lastRun'] {
  return r ? { id: r.id, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, reason: r.reason } : null;
}

function siteStatus(
  site: SiteDefinition,
  db: Database.Database | undefined,
  outbox: OutboxCounts | undefined,
  locks: SiteLocks,
  settings: ReturnType<typeof scheduleSettings>,
  now: Date,
): SiteStatus {
  const b = base(site, locks, settings);
  const latest = db ? lastRun(db, site.id) : undefined;
  const finished = db ? lastFinishedRun(db, site.id) : undefined;
  const success = db ? lastSuccessfulRun(db, site.id) : undefined;
  const failed = db ? lastFailedRun(db, site.id) : undefined;
  const streak = db ? consecutiveFailedRuns(db, site.id) : 0;
  const known = new Map((db ? mirrorsOf(db, site.id) : []).map((m) => [m.url, m]));
  const mirrors: MirrorStatus[] = site.mirrors.map((url) => {
    const m = known.get(url);
    return {
      url,
      state: m?.state ?? 'unknown',
      lastOkAt: m?.lastOkAt ?? null,
      lastErrorAt: m?.lastErrorAt ?? null,
      lastError: m?.lastError ?? null,
      lastErrorCode: m?.lastErrorCode ?? null,
      consecutiveFailures: m?.consecutiveFailures ?? 0,
      latencyMs: m?.lastLatencyMs ?? null,
    };
  });
  const parserWarningsLastRun = db && finished ? warningsOf(db, site.id, PARSER_WARNING_KINDS, { runId: finished.id }, 1000).length : 0;
  const verdict = siteHealth(
    {
      mirrors: mirrors.map((m) => ({ url: m.url, state: m.state, lastError: m.lastError })),
      consecutiveFailedRuns: streak,
      ...(finished ? { lastFinished: { status: finished.status, reason: finished.reason } } : {}),
      lastRunParserWarnings: parserWarningsLastRun,
      ...(latest ? { lastStartedAtMs: Date.parse(latest.startedAt) } : {}),
      ...(site.enabled ? withPeriod(schedulePeriodMs(b.schedule)) : {}),
    },
    { failingAfterRuns: settings.failingAfterRuns, nowMs: now.getTime() },
  );
  return {
    ...b,
    health: site.enabled ? verdict.health : 'disabled',
    reasons: site.enabled ? verdict.reasons : [],
    lastRun: runView(latest),
    lastSuccessAt: success ? (success.finishedAt ?? success.startedAt) : null,
    lastError: failed ? { at: failed.finishedAt ?? failed.startedAt, status: failed.status, message: failed.reason } : null,
    consecutiveFailedRuns: streak,
    newPosts: {
      lastRun: finished?.postsNew ?? 0,
      last24h: db ? postsFirstSeenSince(db, site.id, new Date(now.getTime() - DAY_MS).toISOString()) : 0,
    },
    deliveries: { pending: outbox?.pending ?? 0, backingUp: outbox?.backingUp ?? 0, dead: outbox?.dead ?? 0 },
    warnings: db ? warningsOf(db, site.id, PARSER_WARNING_KINDS, { sinceIso: new Date(now.getTime() - DAY_MS).toISOString() }) : [],
    mirrors,
  };
}

function withPeriod(periodMs: number | undefined): { periodMs?: number } {
  return periodMs !== undefined ? { periodMs } : {};
}

function unreadableSite(site: SiteDefinition, locks: SiteLocks, settings: ReturnType<typeof scheduleSettings>, error: string): SiteStatus {
  return {
    ...base(site, locks, settings),
    health: site.enabled ? 'failing' : 'disabled',
    reasons: site.enabled ? [`database unreadable: ${error}`] : [],
    lastRun: null,
    lastSuccessAt: null,
    lastError: null,
    consecutiveFailedRuns: 0,
    newPosts: { lastRun: 0, last24h: 0 },
    deliveries: { pending: 0, backingUp: 0, dead: 0 },
    warnings: [],
    mirrors: site.mirrors.map((url) => ({ url, state: 'unknown', lastOkAt: null, lastErrorAt: null, lastError: null, lastErrorCode: null, consecutiveFailures: 0, latencyMs: null })),
  };
}
