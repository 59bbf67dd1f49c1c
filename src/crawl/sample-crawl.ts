import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { errorCode, errorMessage, isAbort } from '../errors.js';
import type { SiteDefinition } from '../sites/schema.js';
import type { CrawlStore } from '../store/crawl-store.js';
import type { OcrText } from '../records/index.js';
import { addSampleRecords } from '../store/sample-records.js';
import type { CrawlDeps, FetchedPage, MatchedSample } from './types.js';

/** Per-run download budget shared by all of a site's samples. */
export interface ByteBudget {
  left: number;
}

export interface SampleLink {
  url: string;
  name?: string;
  sizeBytes?: number;
}

export interface SampleOutcome {
  isNew: boolean;
  matched: number;
  failed?: string;
}

/** After this many failed attempts a sample URL is left alone (it is still reported). */
const MAX_ATTEMPTS = 3;

function displayName(link: SampleLink): string {
  const fromUrl = decodeURIComponent(basename(new URL(link.url).pathname)) || 'sample';
  // Only for display and type sniffing: never used as a path.
  return (link.name ?? fromUrl).replace(/[\\/\0]/g, '_').slice(0, 200) || 'sample';
}

/**
 * One published file: download through Tor (streamed to disk, hashed on the fly, capped),
 * match it and every file inside it against the fingerprints, store the result, hand matched
 * samples on (alerts, evidence). A failure here fails this sample only.
 */
export async function crawlSample(
  deps: CrawlDeps,
  site: SiteDefinition,
  ctx: { runId: number; mirrorId: number; mirrorUrl: string; post?: { id: number; title: string; url?: string }; captureId?: number; page?: FetchedPage },
  link: SampleLink,
  budget: ByteBudget,
  seq: number,
): Promise<SampleOutcome | undefined> {
  const store: CrawlStore = deps.store;
  const at = (): string => deps.clock().toISOString();
  const known = store.sampleByUrl(site.id, link.url);
  if (known !== undefined) {
    store.touchSample(known, link.url, at());
    return undefined;
  }
  const failed = store.failedSampleUrl(site.id, link.url);
  if (failed && (failed.attempts >= MAX_ATTEMPTS || failed.code === 'E_TOO_LARGE')) return undefined;
  const cap = Math.min(deps.config.limits.maxSampleBytes, budget.left);
  if (cap <= 0) {
    store.recordSampleFailure(site.id, ctx.post?.id, link.url, at(), 'E_BUDGET', 'the per-run download budget (maxRunSampleBytes) is used up; tried again next run');
    return { isNew: false, matched: 0, failed: 'E_BUDGET' };
  }
  if (link.sizeBytes !== undefined && link.sizeBytes > deps.config.limits.maxSampleBytes) {
    store.recordSampleFailure(site.id, ctx.post?.id, link.url, at(), 'E_TOO_LARGE', `the page gives its size as ${link.sizeBytes} bytes, above maxSampleBytes`);
    return { isNew: false, matched: 0, failed: 'E_TOO_LARGE' };
  }
  const dest = join(deps.tempDir, `sample-${ctx.runId}-${seq}.bin`);
  try {
    const d = await deps.http.download(
      { url: link.url, siteId: site.id, maxBytes: cap, dest, fileName: displayName(link), allowHosts: site.mirrors.map((m) => new URL(m).hostname), allowClearnet: site.allowClearnet },
      { ...(deps.signal ? { signal: deps.signal } : {}) },
    );
    budget.left -= d.bytes;
    let results: MatchedSample['results'] = [];
    // Text the document matcher read by OCR (never stored): the record scan reads it too, so a
    // screenshot of a patient list exposes its records without a second OCR pass.
    let ocrTexts: OcrText[] = [];
    if (deps.samples) {
      const m = await deps.samples.matchFile(d.path, displayName(link), deps.signal);
      results = m.results;
      ocrTexts = m.ocrTexts;
      for (const f of m.failures) store.addWarning(site.id, ctx.runId, at(), 'sample-content', `${link.url}: ${f.message} [${f.code}]`);
    }
    let records: NonNullable<MatchedSample['records']> = [];
    if (deps.records) {
      const r = await deps.records.scan(d.path, displayName(link), deps.signal, ocrTexts);
      records = r.exposures;
      for (const f of r.failures) store.addWarning(site.id, ctx.runId, at(), 'sample-records', `${link.url}: ${f.message} [${f.code}]`);
    }
    const vaultRef = deps.keeper ? await deps.keeper.keep(d.path, { siteId: site.id, sha256: d.sha256, url: link.url }) : undefined;
    const found = results.some((r) => r.matches.length > 0) || records.length > 0;
    let matched = 0;
    let event: MatchedSample | undefined;
    // One transaction: the sample, its matches, its exposed records and its alert are stored
    // together or not at all (a kill between them would otherwise leave a known, matched
    // sample whose alert is never raised: the next run skips known samples).
    const sample = store.db.transaction(() => {
      const s = store.addSample(
        site.id,
        { sha256: d.sha256, bytes: d.bytes, contentType: d.contentType, ...(d.sniffed ? { sniffedType: d.sniffed } : {}), ...(vaultRef ? { vaultRef } : {}) },
        { ...(ctx.post ? { postId: ctx.post.id } : {}), mirrorId: ctx.mirrorId, url: link.url, ...(ctx.captureId !== undefined ? { captureId: ctx.captureId } : {}) },
        at(),
      );
      if (deps.samples && !store.isSampleMatched(s.id)) matched = store.addMatches(s.id, results, at());
      if (records.length) addSampleRecords(store.db, s.id, records, at());
      if (found) {
        event = {
          siteId: site.id,
          mirrorUrl: ctx.mirrorUrl,
          runId: ctx.runId,
          ...(ctx.post ? { post: ctx.post } : {}),
          sample: { id: s.id, sha256: d.sha256, bytes: d.bytes, url: link.url, isNew: s.isNew },
          results,
          ...(records.length ? { records } : {}),
          ...(ctx.captureId !== undefined ? { captureId: ctx.captureId } : {}),
          ...(ctx.page ? { page: ctx.page } : {}),
          at: at(),
        };
        deps.raiseAlert?.(event);
      }
      return s;
    })();
    if (event && deps.onMatched) {
      try {
        await deps.onMatched(event);
      } catch (err) {
        if (isAbort(err)) throw err;
        deps.log.error({ site: site.id, url: link.url, code: errorCode(err) }, `after-match step failed: ${errorMessage(err)}`);
        store.addWarning(site.id, ctx.runId, at(), 'after-match', `${link.url}: ${errorMessage(err)}`);
      }
    }
    return { isNew: sample.isNew, matched };
  } catch (err) {
    if (isAbort(err)) throw err;
    store.recordSampleFailure(site.id, ctx.post?.id, link.url, at(), errorCode(err), errorMessage(err));
    deps.log.warn({ site: site.id, url: link.url, code: errorCode(err) }, `sample not downloaded: ${errorMessage(err)}`);
    return { isNew: false, matched: 0, failed: errorCode(err) };
  } finally {
    // The plaintext never stays: the vault holds an encrypted copy, or only the hash is kept.
    rmSync(dest, { force: true });
    rmSync(`${dest}.part`, { force: true });
  }
}
