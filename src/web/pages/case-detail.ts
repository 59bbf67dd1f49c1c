import { METHOD_HOW, METHOD_NAMES, formatBytes } from '../../report/plain-language.js';
import { collectReportData } from '../../report/index.js';
import { peopleBlock } from '../../report/section-exposure.js';
import { alertRecordSummary } from '../../store/sample-records.js';
import { code, hash, html, table, type Html } from '../../report/html.js';
import type { ReportData } from '../../report/types.js';
import type { Handler, WebContext } from '../context.js';
import { badge, csrfField, empty, page, time, type PageUser } from '../layout.js';
import { notFound } from './errors.js';

/**
 * One case: its timeline of appearances, the exposed documents, every published sample with
 * its matches (method, score, and why it matched in plain words), the alerts with their
 * acknowledge buttons, and the report and evidence downloads. The data is what the legal
 * report is built from (collectReportData), so the page and the report cannot disagree.
 */

function timeline(d: ReportData): Html {
  return table(['site', 'mirror', 'post', 'sample URL', 'first seen', 'last seen', 'seen', 'alert'], d.timeline.map((t) => [
    t.siteId, code(t.mirrorUrl), t.postTitle ?? '—', code(t.sampleUrl), time(t.firstSeenAt), time(t.lastSeenAt), `${t.seenCount}×`, html`<a href="#alert-${t.alertId}">#${t.alertId}</a>`,
  ]), 'data');
}

function exposed(d: ReportData): Html {
  if (d.exposed.length === 0) return empty('No known document in this case: its alerts are about patient records only (below).');
  return table(['set', 'document', 'kind', 'best method', 'score', 'appearances', 'sites'], d.exposed.map((x) => [
    x.set, code(x.document), x.kind, METHOD_NAMES[x.bestMethod], x.bestScore.toFixed(2), x.appearances, x.sites.join(', '),
  ]), 'data');
}

/** "12 (NHI number 12, date of birth 9)" for one alert's sample, or nothing. */
function peopleOfAlert(ctx: WebContext, alertId: number): Html | string {
  const r = alertRecordSummary(ctx.store.db, alertId);
  if (r.count === 0) return '';
  const fields = Object.entries(r.fields).sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', ');
  return html`<dt>people exposed</dt><dd><b>${r.count}</b> patient record(s) (${fields})</dd>`;
}

function samples(ctx: WebContext, d: ReportData, user: PageUser): Html {
  const alerts = new Map(ctx.store.listAlerts({ caseId: d.caseId }).map((a) => [a.id, a]));
  return html`${d.samples.map((s) => {
    const a = alerts.get(s.alertId);
    const ack = a?.status === 'open'
      ? html`<form method="post" action="/alerts/${s.alertId}/ack" class="ack">${csrfField(user)}<label>note <input name="note" maxlength="500"></label> <button type="submit">Acknowledge alert #${s.alertId}</button></form>`
      : html`<p class="acked">${badge('acknowledged', 'acked')} by ${a?.ackedBy ?? '?'} ${time(a?.ackedAt)}${a?.ackNote ? html` — “${a.ackNote}”` : ''}</p>`;
    return html`<article class="sample" id="alert-${s.alertId}"><h3>Alert #${s.alertId} ${badge(s.severity, s.severity)} ${a ? badge(a.status, a.status) : ''} <small>${s.siteId}</small></h3>
<dl class="kv"><dt>sample</dt><dd>${code(s.url)}</dd><dt>SHA-256</dt><dd>${hash(s.sha256)}</dd><dt>size / type</dt><dd>${formatBytes(s.bytes)}, ${s.type ?? 'unknown type'}</dd>
<dt>seen</dt><dd>${time(s.firstSeenAt)} – ${time(s.lastSeenAt)}</dd>${peopleOfAlert(ctx, s.alertId)}</dl>
${table(['document', 'member', 'method', 'score', 'why it matched'], s.matches.map((m) => [
      html`${code(m.document)} <small>(${m.set})</small>`, code(m.memberPath || '—'), html`<abbr title="${METHOD_HOW[m.method]}">${METHOD_NAMES[m.method]}</abbr>`, m.score.toFixed(2),
      html`${m.explanation}<details><summary>what this method means</summary>${METHOD_HOW[m.method]}</details>`,
    ]), 'data matches')}
${ack}</article>`;
  })}`;
}

function packages(d: ReportData): Html {
  if (d.packages.length === 0) return empty('No evidence package for this case.');
  return table(['package', 'site', 'captured', 'signature', 'verified', ''], d.packages.map((p) => [
    code(p.fileName), p.siteId, time(p.capturedAt ?? p.recordedAt),
    p.signature ? (p.signature.valid ? badge(p.signature.pinned ? 'valid, trusted key' : 'valid, key not pinned', p.signature.pinned ? 'ok' : 'warn') : badge('INVALID', 'bad')) : '—',
    p.ok ? badge('ok', 'ok') : html`${badge('problems', 'bad')} <small>${p.problems.join('; ')}</small>`,
    p.missing ? 'file missing' : html`<a href="/evidence/${encodeURIComponent(p.fileName)}">view</a> · <a href="/evidence/${encodeURIComponent(p.fileName)}/download">download</a>`,
  ]), 'data');
}

export const caseDetailPage: Handler = async (ctx, r) => {
  const id = Number(r.params[0]);
  const d = await collectReportData(ctx.store, {
    dataDir: ctx.dataDir, caseId: id, now: ctx.clock(), signal: ctx.signal, ...(ctx.tsaCertPath ? { tsaCertPath: ctx.tsaCertPath } : {}),
  });
  if (!d) return notFound(r, `There is no case ${id}.`);
  if (d.caseId !== id) return { kind: 'redirect', location: `/cases/${d.caseId}` };
  const body = html`<h1>Case ${d.caseId} ${badge(d.severity, d.severity)}</h1>
<p class="sub">opened ${time(d.openedAt)} · first seen ${time(d.firstSeenAt)} · last seen ${time(d.lastSeenAt)} · sites: ${d.sites.join(', ')}${d.mergedFrom.length ? ` · merged from case ${d.mergedFrom.join(', ')}` : ''}</p>
<p class="actions"><a class="button" href="/cases/${d.caseId}/report.html">Download report (HTML)</a> <a class="button" href="/cases/${d.caseId}/report.pdf">Download report (PDF)</a></p>
${d.notes.length ? html`<ul class="notes">${d.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
<h2>Timeline of appearances</h2>${timeline(d)}
<h2>Exposed documents</h2>${exposed(d)}
${d.people ? html`<section class="people">${peopleBlock(d)}</section>` : ''}
<h2>Published samples and why they matched</h2>${samples(ctx, d, r.user)}
<h2>Evidence packages</h2>${packages(d)}`;
  return { kind: 'html', body: page(`Case ${d.caseId}`, body, { user: r.user, nav: 'cases' }) };
};

/** POST /alerts/<id>/ack: acknowledges as the signed-in user, then back to the case. */
export const ackAlert: Handler = (ctx, r) => {
  const id = Number(r.params[0]);
  const note = (r.form?.get('note') ?? '').trim().slice(0, 500);
  const alert = ctx.store.alert(id);
  if (!alert) return notFound(r, `There is no alert ${id}.`);
  ctx.store.ack(id, ctx.clock().toISOString(), r.user.name, note || undefined);
  return { kind: 'redirect', location: `/cases/${alert.caseId}#alert-${id}` };
};
