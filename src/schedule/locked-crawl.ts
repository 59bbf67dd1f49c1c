import type { CrawlDeps, SiteRunResult } from '../crawl/types.js';
import type { SiteDefinition } from '../sites/schema.js';
import { describeHolder, type LockHolder, type SiteLocks } from './site-lock.js';

/**
 * Runs one site's crawl under its lock. A site that another process (or another crawl in this
 * one) is already crawling is not waited for: it is reported `skipped`, which is not a
 * failure; the next scheduled run picks it up. If the lock is taken from us mid-crawl (we were
 * judged hung), the crawl is aborted through its signal and ends `interrupted`.
 */
export async function crawlWithLock(
  locks: SiteLocks,
  site: SiteDefinition,
  deps: CrawlDeps,
  crawl: (deps: CrawlDeps) => Promise<SiteRunResult>,
): Promise<SiteRunResult> {
  const got = locks.tryAcquire(site.id);
  if (!got.acquired) {
    deps.log.info({ event: 'run-skipped', site: site.id, heldBy: got.holder.pid, host: got.holder.host, since: got.holder.startedAt }, `skipped: ${describeHolder(got.holder)}`);
    return skippedRun(site.id, got.holder);
  }
  const signal = deps.signal ? AbortSignal.any([deps.signal, got.lock.lost]) : got.lock.lost;
  try {
    return await crawl({ ...deps, signal });
  } finally {
    got.lock.release();
  }
}

export function skippedRun(siteId: string, holder: LockHolder): SiteRunResult {
  return {
    siteId,
    // No run row is started for a skipped site.
    runId: 0,
    status: 'skipped',
    reason: describeHolder(holder),
    pages: 0,
    postsSeen: 0,
    postsNew: 0,
    postsChanged: 0,
    postsRemoved: 0,
    samplesNew: 0,
    samplesFailed: 0,
    matchesNew: 0,
    warnings: [],
  };
}
