import { join } from 'node:path';
import { html, table, code } from '../../report/html.js';
import { formatBytes } from '../../report/plain-language.js';
import { collectStatus, type SiteStatus } from '../../schedule/status.js';
import { applyHook, extractListing, formatListingOutcome, loadHook } from '../../sites/index.js';
import { BlobStore } from '../../store/blob-store.js';
import { latestListingCapture, mirrorChecks, recentPosts } from '../../store/web-queries.js';
import { uptimeChart } from '../chart.js';
import type { Handler } from '../context.js';
import { badge, empty, page, time } from '../layout.js';
import { notFound } from './errors.js';

/**
 * Sites: every configured site with its health, mirrors, next run; one site with each
 * mirror's check history (SVG chart), its latest posts, and "test definition": the site's
 * definition run on the latest stored capture of its listing, the way `leakwatch sites test`
 * runs it on a saved page (extractListing, then the site's hook).
 */

function mirrorsCell(s: SiteStatus) {
  return html`${s.mirrors.map((m) => html`<div>${badge(m.state, m.state)} ${code(m.url)}${m.latencyMs !== null ? ` ${m.latencyMs} ms` : ''}</div>`)}`;
}

export const sitesPage: Handler = (ctx, r) => {
  const status = collectStatus(ctx.config, ctx.clock);
  const body = html`<h1>Sites</h1>
${status.sites.length
    ? table(['site', 'health', 'mirrors', 'last run', 'next run', 'new posts (24 h)', 'deliveries pending', 'crawling'], status.sites.map((s) => [
        html`<a href="/sites/${encodeURIComponent(s.id)}">${s.id}</a><br><small>${s.name}</small>`, html`${badge(s.health, s.health)}${s.reasons.length ? html`<br><small>${s.reasons.join('; ')}</small>` : ''}`,
        mirrorsCell(s), s.lastRun ? html`${badge(s.lastRun.status, s.lastRun.status)} ${time(s.lastRun.startedAt)}` : '—', time(s.nextRunAt), s.newPosts.last24h, s.deliveries.pending,
        s.crawling ? `yes (pid ${s.crawling.pid})` : 'no',
      ]), 'data')
    : empty('No site is configured.')}`;
  return { kind: 'html', body: page('Sites', body, { user: r.user, nav: 'sites' }) };
};

export const sitePage: Handler = (ctx, r) => {
  const id = r.params[0] ?? '';
  const s = collectStatus(ctx.config, ctx.clock).sites.find((x) => x.id === id);
  if (!s) return notFound(r, 'There is no such site in the config.');
  const checks = mirrorChecks(ctx.store.db, id);
  const posts = recentPosts(ctx.store.db, id);
  const body = html`<h1>${s.name} <small>${s.id}</small> ${badge(s.health, s.health)}</h1>
<p class="sub">schedule ${s.schedule.cron} (${s.schedule.timezone}) · next run ${time(s.nextRunAt)} · last success ${time(s.lastSuccessAt)} · failed runs in a row: ${s.consecutiveFailedRuns}</p>
<p class="actions"><a class="button" href="/sites/${encodeURIComponent(s.id)}/test">Test definition on the latest capture</a></p>
${s.reasons.length ? html`<ul class="notes">${s.reasons.map((x) => html`<li>${x}</li>`)}</ul>` : ''}
<h2>Mirrors and health history</h2>
${s.mirrors.map((m) => html`<section class="mirror"><h3>${badge(m.state, m.state)} ${code(m.url)}</h3>
<p class="sub">last ok ${time(m.lastOkAt)} · last error ${time(m.lastErrorAt)}${m.lastError ? html` (${m.lastErrorCode ?? ''} ${m.lastError})` : ''} · failures in a row ${m.consecutiveFailures}</p>
${uptimeChart(checks.filter((c) => c.mirrorUrl === m.url))}</section>`)}
${s.warnings.length ? html`<h2>Warnings (24 h)</h2><ul>${s.warnings.map((w) => html`<li>${badge(w.kind, 'warn')} ${time(w.at)} ${w.message}</li>`)}</ul>` : ''}
<h2>Latest posts</h2>
${posts.length
    ? table(['title', 'published', 'size', 'first seen', 'last seen', 'removed'], posts.map((p) => [p.title, time(p.publishedAt), p.dataSizeBytes !== null ? formatBytes(p.dataSizeBytes) : '—', time(p.firstSeenAt), time(p.lastSeenAt), time(p.removedAt)]), 'data')
    : empty('No post seen yet.')}`;
  return { kind: 'html', body: page(`Site ${s.id}`, body, { user: r.user, nav: 'sites' }) };
};

export const siteTestPage: Handler = async (ctx, r) => {
  const id = r.params[0] ?? '';
  const loaded = ctx.config.sites.find((x) => x.site.id === id);
  if (!loaded) return notFound(r, 'There is no such site in the config.');
  const site = loaded.site;
  const cap = latestListingCapture(ctx.store.db, id);
  const head = html`<h1>Test definition <small>${site.id}</small></h1><p class="sub"><a href="/sites/${encodeURIComponent(site.id)}">back to the site</a></p>`;
  if (!cap) return { kind: 'html', body: page(`Test ${site.id}`, html`${head}${empty('No listing page of this site has been captured yet.')}`, { user: r.user, nav: 'sites' }) };
  const blobs = new BlobStore(join(ctx.dataDir, 'blobs'));
  // A browser capture is extracted from the DOM after its scripts ran, as the crawler does.
  const sha = cap.domSha256 && blobs.has(cap.domSha256) ? cap.domSha256 : cap.bodySha256;
  if (!blobs.has(sha)) return { kind: 'html', body: page(`Test ${site.id}`, html`${head}${empty(`The stored page ${sha} is missing from the blob store.`)}`, { user: r.user, nav: 'sites' }) };
  const body = blobs.read(sha);
  const now = new Date(cap.fetchedAt);
  let outcome = extractListing(site, { body, url: cap.finalUrl, now });
  const hook = await loadHook(site);
  if (hook) outcome = await applyHook(hook, { site, url: cap.finalUrl, text: body.toString('utf8'), now, outcome });
  const posts = outcome.status === 'ok' ? outcome.posts : [];
  const out = html`${head}
<p>Capture #${cap.id} of ${code(cap.finalUrl)} at ${time(cap.fetchedAt)} (${cap.transport}, HTTP ${cap.status}, ${sha === cap.domSha256 ? 'rendered DOM' : 'response body'}): outcome ${badge(outcome.status, outcome.status === 'ok' ? 'ok' : 'bad')}</p>
${posts.length ? table(['#', 'title', 'URL', 'published', 'size', 'deadline'], posts.map((p, i) => [i + 1, p.title, code(p.url ?? null), time(p.publishedAt), p.dataSizeBytes !== undefined ? formatBytes(p.dataSizeBytes) : '—', time(p.deadlineAt)]), 'data') : ''}
<h2>As <code>leakwatch sites test</code> prints it</h2><pre class="outcome">${formatListingOutcome(outcome)}</pre>`;
  return { kind: 'html', body: page(`Test ${site.id}`, out, { user: r.user, nav: 'sites' }) };
};
