import type Database from 'better-sqlite3';
import type { Logger } from '../crawl/types.js';
import { closeRun, runningRuns } from '../store/status-queries.js';
import type { SiteLocks } from './site-lock.js';

/**
 * Runs left "running" by a process that ended (crash, kill -9, power loss) are closed as
 * interrupted when the daemon starts. Every crawl holds its site's lock for the whole run, so
 * a run is alive only while a live lock on its site names its pid; checking the lock instead
 * of the bare pid also catches a pid that was reused by another process after the crash.
 */
export function closeAbandonedRuns(db: Database.Database, locks: SiteLocks, atIso: string, log: Logger): number {
  let closed = 0;
  for (const run of runningRuns(db)) {
    const holder = locks.inspect(run.siteId);
    if (holder && !holder.stale && holder.pid === run.pid) continue;
    const why = holder && !holder.stale ? `the lock on the site is held by pid ${holder.pid}, not by pid ${run.pid}` : 'the process running it ended';
    if (closeRun(db, run.id, atIso, why)) {
      closed++;
      log.info({ event: 'run-abandoned', site: run.siteId, runId: run.id, pid: run.pid }, `closed run ${run.id} of ${run.siteId} as interrupted: ${why}`);
    }
  }
  return closed;
}
