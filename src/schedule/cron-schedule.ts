import cron from 'node-cron';
import type { SiteDefinition } from '../sites/schema.js';

/**
 * When a site runs: its own `schedule` (site definition), else the config's default. Next
 * runs are computed by node-cron itself, so `status` shows exactly what the daemon will do.
 */

export interface CronSchedule {
  cron: string;
  timezone: string;
}

export interface SiteSchedule extends CronSchedule {
  /** Where the expression came from. */
  source: 'site' | 'default';
}

/**
 * The zone name node-cron (Intl) accepts for a configured zone. Site definitions may give a
 * fixed offset such as "+03:00"; Intl on Node 20 only knows whole-hour offsets, as the POSIX
 * style "Etc/GMT-3" (sign inverted). Undefined when it cannot be expressed.
 */
export function cronTimeZone(timezone: string): string | undefined {
  if (timezone.toUpperCase() === 'UTC') return 'UTC';
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(timezone);
  if (m) {
    const hours = Number(m[2]);
    if (m[3] !== '00' || hours > 14) return undefined;
    if (hours === 0) return 'UTC';
    return `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return timezone;
  } catch {
    return undefined;
  }
}

export function scheduleOf(site: Pick<SiteDefinition, 'schedule'>, fallback: CronSchedule): SiteSchedule {
  return site.schedule ? { cron: site.schedule.cron, timezone: site.schedule.timezone, source: 'site' } : { cron: fallback.cron, timezone: fallback.timezone, source: 'default' };
}

/** A problem that keeps the daemon from scheduling this expression, or undefined. */
export function scheduleProblem(s: CronSchedule): string | undefined {
  if (!cron.validate(s.cron)) return `invalid cron expression "${s.cron}"`;
  if (!cronTimeZone(s.timezone)) return `time zone "${s.timezone}" cannot be used for schedules (use an IANA name such as Europe/Berlin, UTC, or a whole-hour offset)`;
  return undefined;
}

/** The next `count` times the expression fires after now (empty if it cannot be scheduled). */
export function nextRuns(s: CronSchedule, count: number): Date[] {
  const timezone = cronTimeZone(s.timezone);
  if (!timezone || !cron.validate(s.cron)) return [];
  // A task that is never started: node-cron's own calendar walk, then removed from its registry.
  const task = cron.createTask(s.cron, () => undefined, { timezone });
  try {
    return task.getNextRuns(count);
  } finally {
    void task.destroy();
  }
}

/**
 * The longest gap between the next runs: what "2× its schedule" means for `status`. Cron
 * expressions need not be regular ("09:00 on weekdays"), so the longest gap of the next ten
 * runs stands for the period (72 h for weekdays, 30 min for every 30 minutes).
 */
export function schedulePeriodMs(s: CronSchedule, samples = 10): number | undefined {
  const runs = nextRuns(s, samples + 1);
  let longest = 0;
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, (runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime());
  return longest > 0 ? longest : undefined;
}
