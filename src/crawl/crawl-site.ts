import { errorCode, errorMessage, isAbort } from '../errors.js';
import { extractPostPage } from '../sites/extract-post.js';
import type { SiteDefinition } from '../sites/schema.js';
import type { ExtractedPost } from '../sites/types.js';
import { crawlListing, type ListingResult } from './listing-crawl.js';
import { PageFetcher } from './page-fetcher.js';
import { crawlSample, type ByteBudget, type SampleLink } from './sample-crawl.js';
import type { CrawlDeps, FetchedPage, SiteRunResult } from './types.js';

/** Complete listing loads in a row without a post before it is reported removed. */
export const REMOVE_AFTER_LOADS = 3;
/** A complete listing with fewer than this share of the last complete count is suspicious. */
const SHRINK_WARNING = 0.5;

/**
 * One crawl of one site: listing (with mirror failover and pagination) → posts with a stable
 * identity → post pages of new or changed posts → samples downloaded and matched. Every step
 * is stored as it happens, so a kill at any point loses only the step in flight, and the next
 * run neither duplicates nor skips anything.
 */
export async function crawlSite(site: SiteDefinition, deps: CrawlDeps): Promise<SiteRunResult> {
  const { store } = deps;
  const now = (): string => deps.clock().toISOString();
  const runId = store.startRun(site.id, now());
  const result: SiteRunResult = {
    siteId: site.id,
    runId,
    status: 'ok',
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
  const fetcher = new PageFetcher(deps.http, deps.browser, deps.config.limits, deps.clock);
  try {
    const listing = await crawlListing({ site, store, fetcher, runId, clock: deps.clock, log: deps.log, ...(deps.signal ? { signal: deps.signal } : {}) });
    result.pages = listing.pages;
    result.warnings.push(...listing.warnings);
    if (listing.mirror) result.mirror = listing.mirror;
    if (listing.status === 'failed' || listing.status === 'needs-human' || listing.status === 'parser-broken') {
      result.status = listing.status;
      if (listing.reason) result.reason = listing.reason;
    } else {
      await processPosts(site, deps, listing, result);
      if (listing.status === 'partial') {
        result.status = 'partial';
        if (listing.reason) result.reason = listing.reason;
      }
    }
  } catch (err) {
    if (!isAbort(err)) {
      result.status = 'failed';
      result.reason = `${errorMessage(err)} [${errorCode(err)}]`;
      deps.log.error({ site: site.id, code: errorCode(err) }, `crawl failed: ${errorMessage(err)}`);
    } else {
      result.status = 'interrupted';
      result.reason = 'interrupted';
    }
  }
  if (deps.signal?.aborted && result.status !== 'failed') {
    result.status = 'interrupted';
    result.reason = 'interrupted';
  }
  store.finishRun(runId, now(), result.status, result.reason, {
    pages: result.pages,
    postsSeen: result.postsSeen,
    postsNew: result.postsNew,
    postsChanged: result.postsChanged,
    samplesNew: result.samplesNew,
    matchesNew: result.matchesNew,
  });
  return result;
}

async function processPosts(site: SiteDefinition, deps: CrawlDeps, listing: ListingResult, result: SiteRunResult): Promise<void> {
  const { store } = deps;
  const seen = new Set<number>();
  const budget: ByteBudget = { left: deps.config.limits.maxRunSampleBytes };
  let seq = 0;
  const lastComplete = store.lastCompleteRunPosts(site.id);
  for (const { post, captureId, page } of listing.posts) {
    if (deps.signal?.aborted) return;
    const up = store.upsertPost(site.id, post, captureId, deps.clock().toISOString(), seen);
    seen.add(up.id);
    result.postsSeen++;
    if (up.isNew) result.postsNew++;
    if (up.changed) result.postsChanged++;
    const needsPage = site.post !== undefined && post.url !== undefined && (up.isNew || up.changed || !store.postPageFetched(up.id));
    if (!needsPage) continue;
    const links = await fetchPostPage(site, deps, listing, post, result);
    if (!links) continue;
    for (const link of links.links) {
      if (deps.signal?.aborted) return;
      const outcome = await crawlSample(
        deps,
        site,
        { runId: result.runId, mirrorId: listing.mirrorId as number, mirrorUrl: listing.mirror as string, post: { id: up.id, title: post.title, ...(post.url ? { url: post.url } : {}) }, captureId: links.captureId, page: links.page ?? page },
        link,
        budget,
        seq++,
      );
      if (!outcome) continue;
      if (outcome.isNew) result.samplesNew++;
      if (outcome.failed) result.samplesFailed++;
      result.matchesNew += outcome.matched;
    }
    // Only now: a kill while samples were downloading makes the next run fetch the page again
    // (samples already stored are recognised by URL and not downloaded twice).
    if (!deps.signal?.aborted) store.markPostPageFetched(up.id, deps.clock().toISOString());
  }
  // Removal is concluded only from complete loads, and never from a load that shrank a lot.
  if (listing.complete) {
    if (lastComplete !== undefined && lastComplete >= 4 && result.postsSeen < lastComplete * SHRINK_WARNING) {
      const msg = `listing shrank from ${lastComplete} to ${result.postsSeen} posts: parser may be broken or the page partial; no post is treated as removed`;
      result.warnings.push(msg);
      store.addWarning(site.id, result.runId, deps.clock().toISOString(), 'parser-warning', msg);
    } else {
      result.postsRemoved = store.recordCompleteListing(site.id, seen, deps.clock().toISOString(), REMOVE_AFTER_LOADS).removed;
    }
  }
}

async function fetchPostPage(
  site: SiteDefinition,
  deps: CrawlDeps,
  listing: ListingResult,
  post: ExtractedPost,
  result: SiteRunResult,
): Promise<{ links: SampleLink[]; captureId: number; page?: FetchedPage } | undefined> {
  const { store } = deps;
  const fetcher = new PageFetcher(deps.http, deps.browser, deps.config.limits, deps.clock);
  let page: FetchedPage;
  try {
    page = await fetcher.fetch(site, post.url as string, deps.signal);
  } catch (err) {
    if (isAbort(err)) throw err;
    // Fetch errors already name their URL; say it once.
    const message = errorMessage(err);
    const url = post.url as string;
    const text = message.includes(url) ? message : `${url}: ${message}`;
    result.warnings.push(`post page ${text}`);
    store.addWarning(site.id, result.runId, deps.clock().toISOString(), 'post-page', `${text} [${errorCode(err)}]`);
    return undefined;
  }
  result.pages++;
  const outcome = extractPostPage(site, { body: page.body, url: page.finalUrl, contentType: page.contentType, now: deps.clock() });
  const capture = store.addCapture({
    runId: result.runId,
    siteId: site.id,
    ...(listing.mirrorId !== undefined ? { mirrorId: listing.mirrorId } : {}),
    kind: 'post',
    url: post.url as string,
    finalUrl: page.finalUrl,
    fetchedAt: page.fetchedAt,
    transport: page.transport,
    status: page.status,
    headers: page.headers,
    body: page.body,
    contentType: page.contentType,
    ...(page.screenshot ? { screenshot: page.screenshot } : {}),
    ...(page.dom !== undefined ? { dom: page.dom } : {}),
    outcome: outcome.status,
  });
  if (outcome.status !== 'ok') {
    const msg = `post page ${post.url}: ${outcome.status}: ${outcome.reason}`;
    result.warnings.push(msg);
    store.addWarning(site.id, result.runId, page.fetchedAt, outcome.status, msg);
    return undefined;
  }
  const links: SampleLink[] = [
    ...outcome.files.map((f) => ({ url: f.url, ...(f.name ? { name: f.name } : {}), ...(f.sizeBytes !== undefined ? { sizeBytes: f.sizeBytes } : {}) })),
    ...outcome.images.map((url) => ({ url })),
  ];
  return { links, captureId: capture.id, page };
}
