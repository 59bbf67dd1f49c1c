/**
 * The health rule of `leakwatch status`, as a pure function (docs/operations.md repeats it).
 *
 *   failing (exit 2) — something is broken and data is being missed or lost:
 *     - the database cannot be read;
 *     - a site whose every mirror is down, and whose last `failingAfterRuns` runs all failed;
 *     - an alert notification was dead-lettered (it will not be retried without a person).
 *   degraded (exit 1) — still working, but someone should look:
 *     - a mirror is down (another one still answers);
 *     - the last run of a site did not load cleanly (failed, partial, needs a human, parser
 *       broken), or recorded a parser warning (parser-broken, parser-warning, needs-human);
 *     - a site was not crawled within 2× its schedule (the longest gap between its next ten
 *       scheduled runs), or was never crawled;
 *     - alert deliveries are backing up (a pending notification failed at least once, or has
 *       waited longer than an hour).
 *   healthy (exit 0) — none of the above. Disabled sites are listed, never judged.
 * Interrupted runs (a shutdown) and skipped runs (the site was locked) say nothing about the
 * site and are ignored for "last run" and for failure streaks.
 */

export type Health = 'healthy' | 'degraded' | 'failing';

export const HEALTH_EXIT: Readonly<Record<Health, 0 | 1 | 2>> = { healthy: 0, degraded: 1, failing: 2 };

/** Warning kinds that point at the site definition (or a captcha) rather than the network. */
export const PARSER_WARNING_KINDS = ['parser-broken', 'parser-warning', 'needs-human'] as const;

/** A pending notification older than this is backing up even if it was never tried. */
export const DELIVERY_BACKLOG_MS = 60 * 60 * 1000;

export interface SiteFacts {
  /** Configured mirrors, with their state from the database ('unknown' if never tried). */
  mirrors: { url: string; state: 'up' | 'down' | 'unknown'; lastError?: string | null }[];
  consecutiveFailedRuns: number;
  /** The latest run with a verdict (not interrupted, skipped or in progress). */
  lastFinished?: { status: string; reason?: string | null };
  /** Parser warnings recorded by that run. */
  lastRunParserWarnings: number;
  /** When the latest run of any kind started; undefined if the site was never crawled. */
  lastStartedAtMs?: number;
  /** The schedule's period (see cron-schedule.ts); undefined if it cannot be computed. */
  periodMs?: number;
}

export interface Verdict {
  health: Health;
  reasons: string[];
}

export function worst(a: Health, b: Health): Health {
  return HEALTH_EXIT[a] >= HEALTH_EXIT[b] ? a : b;
}

function duration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 120) return `${Math.max(min, 0)} min`;
  const h = Math.round(min / 60);
  return h < 72 ? `${h} h` : `${Math.round(h / 24)} days`;
}

/** Fetch errors start with the URL; the reason already names the mirror. */
export function withoutUrl(error: string, url: string): string {
  return error.startsWith(`${url}: `) ? error.slice(url.length + 2) : error;
}

export function siteHealth(f: SiteFacts, rule: { failingAfterRuns: number; nowMs: number }): Verdict {
  const failing: string[] = [];
  const degraded: string[] = [];
  const down = f.mirrors.filter((m) => m.state === 'down');
  if (f.mirrors.length > 0 && down.length === f.mirrors.length && f.consecutiveFailedRuns >= rule.failingAfterRuns) {
    failing.push(`every mirror down for the last ${f.consecutiveFailedRuns} runs`);
  } else {
    for (const m of down) degraded.push(`mirror ${m.url} is down${m.lastError ? ` (${withoutUrl(m.lastError, m.url)})` : ''}`);
  }
  const last = f.lastFinished;
  if (last && last.status !== 'ok' && failing.length === 0) degraded.push(`last run ${last.status}${last.reason ? `: ${last.reason}` : ''}`);
  if (f.lastRunParserWarnings > 0) degraded.push(`${f.lastRunParserWarnings} parser warning(s) in the last run`);
  if (f.lastStartedAtMs === undefined) degraded.push('never crawled');
  else if (f.periodMs !== undefined && rule.nowMs - f.lastStartedAtMs > 2 * f.periodMs) {
    degraded.push(`not crawled for ${duration(rule.nowMs - f.lastStartedAtMs)} (schedule: every ${duration(f.periodMs)} at most)`);
  }
  if (failing.length) return { health: 'failing', reasons: [...failing, ...degraded] };
  if (degraded.length) return { health: 'degraded', reasons: degraded };
  return { health: 'healthy', reasons: [] };
}

export function deliveryHealth(d: { backingUp: number; dead: number }): Verdict {
  const reasons: string[] = [];
  if (d.dead > 0) reasons.push(`${d.dead} alert notification(s) dead-lettered (leakwatch alerts outbox --status dead; alerts retry --dead)`);
  if (d.backingUp > 0) reasons.push(`${d.backingUp} alert notification(s) backing up (failed at least once, or waiting over an hour)`);
  return { health: d.dead > 0 ? 'failing' : d.backingUp > 0 ? 'degraded' : 'healthy', reasons };
}
