import { listCases } from '../../alert/case-queries.js';
import { html, table } from '../../report/html.js';
import type { Handler } from '../context.js';
import { badge, empty, page, time } from '../layout.js';

/** The list of live cases, most recent activity first, and every alert. */
export const casesPage: Handler = (ctx, r) => {
  const cases = listCases(ctx.store);
  const alerts = ctx.store.listAlerts();
  const body = html`<h1>Cases &amp; alerts</h1>
<p class="sub">A case groups the alerts that expose the same known documents, across sites and mirrors.</p>
<label class="filter">Filter <input type="search" data-filter="cases-table" placeholder="site, severity, case…"></label>
${cases.length
    ? table(['case', 'severity', 'alerts (open)', 'documents', 'sites', 'first seen', 'last seen'], cases.map((c) => [
        html`<a href="/cases/${c.id}">case ${c.id}</a>${c.mergedFrom.length ? html` <small>(merged ${c.mergedFrom.join(', ')})</small>` : ''}`,
        badge(c.severity, c.severity), `${c.alerts} (${c.openAlerts})`, c.documents, c.sites.join(', '), time(c.firstSeenAt), time(c.lastSeenAt),
      ]), 'data cases-table')
    : empty('No case yet: nothing crawled has matched a known document.')}
<h2>All alerts</h2>
${alerts.length
    ? table(['alert', 'case', 'site', 'severity', 'status', 'documents', 'post', 'last seen'], alerts.map((a) => [
        html`<a href="/cases/${a.caseId}#alert-${a.id}">#${a.id}</a>`, html`<a href="/cases/${a.caseId}">${a.caseId}</a>`, a.siteId, badge(a.severity, a.severity),
        badge(a.status, a.status), a.documentCount, a.postTitle ?? '—', time(a.lastSeenAt),
      ]), 'data cases-table')
    : empty('No alert yet.')}`;
  return { kind: 'html', body: page('Cases', body, { user: r.user, nav: 'cases' }) };
};
