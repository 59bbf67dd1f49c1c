import { errorCode, errorMessage, isAbort } from '../errors.js';
import { extractListing } from '../sites/extract.js';
import type { SiteDefinition } from '../sites/schema.js';
import type { ExtractedPost } from '../sites/types.js';
import { listingUrl, maxPages, startPage } from '../sites/urls.js';
import type { CrawlStore } from '../store/crawl-store.js';
import type { PageFetcher } from './page-fetcher.js';
import type { FetchedPage, Logger } from './types.js';

export type ListingStatus = 'ok' | 'partial' | 'failed' | 'needs-human' | 'parser-broken';

export interface ListingResult {
  status: ListingStatus;
  reason?: string;
  /** Every page was fetched and parsed: only then may missing posts count towards removal. */
  complete: boolean;
  mirror?: string;
  mirrorId?: number;
  posts: { post: ExtractedPost; captureId: number; page: FetchedPage }[];
  pages: number;
  warnings: string[];
}

interface Ctx {
  site: SiteDefinition;
  store: CrawlStore;
  fetcher: PageFetcher;
  runId: number;
  clock: () => Date;
  log: Logger;
  signal?: AbortSignal;
}

function apiAccept(site: SiteDefinition): string | undefined {
  return site.api ? 'application/json' : undefined;
}

/**
 * Loads a site's listing: the first mirror that answers with real content wins; its pages are
 * followed (next link or URL template) up to the page cap. Every fetch is kept as a capture
 * and counts in the mirror's health. A mirror that fails, answers an empty/error page or looks
 * parser-broken is skipped for the next one; a captcha stops the site ("needs a human").
 */
export async function crawlListing(c: Ctx): Promise<ListingResult> {
  const warnings: string[] = [];
  let lastReason = 'no mirror configured';
  let sawParserBroken = false;
  for (const mirror of c.site.mirrors) {
    if (c.signal?.aborted) break;
    const mirrorId = c.store.mirrorId(c.site.id, mirror);
    const first = await fetchListingPage(c, mirror, mirrorId, listingUrl(c.site, mirror), startPage(c.site), true);
    if (first.kind === 'error' || first.kind === 'no-content') {
      lastReason = `${mirror}: ${first.reason}`;
      continue;
    }
    if (first.kind === 'needs-human') return { status: 'needs-human', reason: first.reason, complete: false, mirror, mirrorId, posts: [], pages: 1, warnings };
    if (first.kind === 'parser-broken') {
      sawParserBroken = true;
      lastReason = first.reason;
      continue;
    }
    if (first.kind !== 'ok') continue;
    // The first page is good: follow the listing on this mirror.
    const posts = [...first.posts];
    warnings.push(...first.warnings);
    let pages = 1;
    let next = first.next;
    let page = startPage(c.site);
    let complete = true;
    let reason: string | undefined;
    while (next && pages < maxPages(c.site)) {
      if (c.signal?.aborted) {
        complete = false;
        reason = 'interrupted';
        break;
      }
      page++;
      const r = await fetchListingPage(c, mirror, mirrorId, next, page, false);
      pages++;
      if (r.kind === 'ok') {
        posts.push(...r.posts);
        warnings.push(...r.warnings);
        next = r.next;
        continue;
      }
      // Template pagination runs past the last page into an empty page: that is the end of
      // the listing when it is a clean "no content" answer, not a failure.
      if (r.kind === 'no-content' && !r.fetchFailed) break;
      complete = false;
      reason = `page ${page} (${next}): ${r.reason}`;
      warnings.push(`listing incomplete: ${reason}; posts not seen this time are not treated as removed`);
      break;
    }
    return { status: complete ? 'ok' : 'partial', ...(reason ? { reason } : {}), complete, mirror, mirrorId, posts, pages, warnings };
  }
  if (c.signal?.aborted) return { status: 'failed', reason: 'interrupted', complete: false, posts: [], pages: 0, warnings };
  if (sawParserBroken) {
    return { status: 'parser-broken', reason: `parser may be broken: ${lastReason}`, complete: false, posts: [], pages: 0, warnings };
  }
  return { status: 'failed', reason: `no mirror answered with content (last: ${lastReason})`, complete: false, posts: [], pages: 0, warnings };
}

type PageOutcome =
  | { kind: 'ok'; posts: ListingResult['posts']; next?: string; warnings: string[] }
  | { kind: 'error' | 'no-content' | 'needs-human' | 'parser-broken'; reason: string; fetchFailed: boolean };

async function fetchListingPage(c: Ctx, mirror: string, mirrorId: number, url: string, page: number, isFirst: boolean): Promise<PageOutcome> {
  let fetched: FetchedPage;
  try {
    fetched = await c.fetcher.fetch(c.site, url, c.signal, apiAccept(c.site));
  } catch (err) {
    if (isAbort(err)) throw err;
    const at = c.clock().toISOString();
    if (isFirst) c.store.recordCheck(mirrorId, { at, ok: false, outcome: 'fetch-failed', errorCode: errorCode(err), error: errorMessage(err) });
    c.log.warn({ site: c.site.id, mirror, url, code: errorCode(err) }, `fetch failed: ${errorMessage(err)}`);
    return { kind: 'error', reason: errorMessage(err), fetchFailed: true };
  }
  const outcome = extractListing(c.site, { body: fetched.body, url: fetched.finalUrl, contentType: fetched.contentType, now: c.clock(), page });
  const capture = c.store.addCapture({
    runId: c.runId,
    siteId: c.site.id,
    mirrorId,
    kind: c.site.api ? 'api' : 'listing',
    url,
    finalUrl: fetched.finalUrl,
    fetchedAt: fetched.fetchedAt,
    transport: fetched.transport,
    status: fetched.status,
    headers: fetched.headers,
    body: fetched.body,
    contentType: fetched.contentType,
    ...(fetched.screenshot ? { screenshot: fetched.screenshot } : {}),
    ...(fetched.dom !== undefined ? { dom: fetched.dom } : {}),
    outcome: outcome.status,
  });
  const ok = outcome.status === 'ok' || outcome.status === 'needs-human';
  if (isFirst || !ok) {
    c.store.recordCheck(mirrorId, {
      at: fetched.fetchedAt,
      ok,
      latencyMs: Math.round(fetched.latencyMs),
      outcome: outcome.status,
      ...(outcome.status !== 'ok' ? { error: outcome.reason } : {}),
    });
  }
  if (outcome.status !== 'ok') {
    if (outcome.status !== 'no-content' || isFirst) c.store.addWarning(c.site.id, c.runId, fetched.fetchedAt, outcome.status, `${url}: ${outcome.reason}`);
    return { kind: outcome.status, reason: outcome.reason, fetchFailed: fetched.status >= 400 };
  }
  return {
    kind: 'ok',
    posts: outcome.posts.map((post) => ({ post, captureId: capture.id, page: fetched })),
    ...(outcome.nextPage ? { next: outcome.nextPage } : {}),
    warnings: outcome.warnings,
  };
}
