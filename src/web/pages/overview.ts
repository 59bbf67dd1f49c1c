import { listCases } from '../../alert/case-queries.js';
import { html, table } from '../../report/html.js';
import { collectStatus } from '../../schedule/status.js';
import { alertsFirstSeenAfter } from '../../store/web-queries.js';
import type { Handler } from '../context.js';
import { badge, empty, page, time } from '../layout.js';

/**
 * Overview: open cases, alerts new since the user's previous visit, sites up/down, crawls
 * running, deliveries pending, and the warnings that need someone (parser broken, captcha).
 */
export const overviewPage: Handler = (ctx, r) => {
  const status = collectStatus(ctx.config, ctx.clock);
  const cases = listCases(ctx.store).filter((c) => c.openAlerts > 0);
  const since = r.session.previousVisitAt;
  const fresh = alertsFirstSeenAfter(ctx.store.db, since);
  const enabled = status.sites.filter((s) => s.enabled);
  const up = enabled.filter((s) => s.mirrors.some((m) => m.state === 'up')).length;
  const down = enabled.filter((s) => s.mirrors.length > 0 && s.mirrors.every((m) => m.state === 'down')).length;
  const running = status.sites.filter((s) => s.crawling);
  const warnings = status.sites.flatMap((s) => s.warnings.map((w) => ({ site: s.id, ...w })));
  const needsHuman = warnings.filter((w) => w.kind === 'needs-human');
  const parser = warnings.filter((w) => w.kind !== 'needs-human');

  const tile = (label: string, value: number | string, kind: string, href: string) =>
    html`<a class="tile t-${kind}" href="${href}"><span class="n">${value}</span><span class="l">${label}</span></a>`;
  const body = html`<h1>Overview</h1>
<p class="sub">Health: ${badge(status.health, status.health)} checked ${time(status.checkedAt)}</p>
<section class="tiles">
${tile('open cases', cases.length, cases.length ? 'alert' : 'calm', '/cases')}
${tile(since ? 'new alerts since your last visit' : 'alerts (first visit)', fresh.length, fresh.length ? 'alert' : 'calm', '#new-alerts')}
${tile('sites up', `${up} / ${enabled.length}`, down ? 'warn' : 'calm', '/sites')}
${tile('sites down', down, down ? 'warn' : 'calm', '/sites')}
${tile('crawls running', running.length, 'calm', '/sites')}
${tile('deliveries pending', status.deliveries.pending, status.deliveries.backingUp || status.deliveries.dead ? 'warn' : 'calm', '/sites')}
</section>
${needsHuman.length || parser.length ? html`<section class="warnings"><h2>Needs attention</h2><ul>
${needsHuman.map((w) => html`<li>${badge('needs a human', 'warn')} <a href="/sites/${encodeURIComponent(w.site)}">${w.site}</a>: ${w.message} (${time(w.at)}) — solve the captcha or queue page by hand</li>`)}
${parser.map((w) => html`<li>${badge(w.kind === 'parser-broken' ? 'parser may be broken' : 'parser warning', 'warn')} <a href="/sites/${encodeURIComponent(w.site)}">${w.site}</a>: ${w.message} (${time(w.at)})</li>`)}
</ul></section>` : ''}
${status.reasons.length ? html`<details class="reasons"><summary>Why the health is ${status.health}</summary><ul>${status.reasons.map((x) => html`<li>${x}</li>`)}</ul></details>` : ''}
<h2 id="new-alerts">${since ? html`New alerts since ${time(since)}` : 'Alerts'}</h2>
${fresh.length
    ? table(['alert', 'case', 'site', 'severity', 'status', 'post', 'first seen'], fresh.map((a) => [
        html`<a href="/cases/${a.caseId}#alert-${a.id}">#${a.id}</a>`, html`<a href="/cases/${a.caseId}">case ${a.caseId}</a>`, a.siteId, badge(a.severity, a.severity), badge(a.status, a.status), a.postTitle ?? '—', time(a.firstSeenAt),
      ]), 'data')
    : empty(since ? 'Nothing new since your last visit.' : 'No alerts yet.')}
<h2>Open cases</h2>
${cases.length
    ? table(['case', 'severity', 'open alerts', 'documents', 'sites', 'last seen'], cases.map((c) => [
        html`<a href="/cases/${c.id}">case ${c.id}</a>`, badge(c.severity, c.severity), `${c.openAlerts} of ${c.alerts}`, c.documents, c.sites.join(', '), time(c.lastSeenAt),
      ]), 'data')
    : empty('No open case.')}
${running.length ? html`<h2>Crawls running</h2><ul>${running.map((s) => html`<li>${s.id}: pid ${s.crawling?.pid ?? '?'} on ${s.crawling?.host ?? '?'} since ${time(s.crawling?.since)}</li>`)}</ul>` : ''}`;
  return { kind: 'html', body: page('Overview', body, { user: r.user, nav: 'overview' }) };
};
