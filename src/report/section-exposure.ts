import { explainMethod } from '../match/explain.js';
import type { MatchMethod } from '../match/types.js';
import { code, hash, html, table, type Html } from './html.js';
import { countBy, formatBytes, METHOD_HOW, METHOD_NAMES, METHOD_ORDER, plural, when } from './plain-language.js';
import type { ReportData, ReportMatch, ReportSample } from './types.js';

/**
 * The timeline of appearances and what is exposed: documents, counts by kind and method,
 * and for every published sample how each match was made, in plain words.
 */

export function timelineSection(d: ReportData): Html {
  const rows = d.timeline.map((t, i) => [
    String(i + 1),
    html`first ${when(t.firstSeenAt)}<br>last ${when(t.lastSeenAt)}<br><span class="muted">seen ${plural(t.seenCount, 'time')}</span>`,
    html`<b>${t.siteId}</b><br>mirror ${code(t.mirrorUrl)}<br>post ${t.postTitle ? html`“${t.postTitle}”` : html`<span class="none">(none)</span>`}<br>${code(t.postUrl)}`,
    html`${code(t.sampleUrl)}<br><span class="muted">SHA-256</span> ${hash(t.sampleSha256)}<br><span class="muted">alert ${t.alertId}, ${t.severity}</span>`,
    t.packages.length ? t.packages.map((p) => html`${code(p)}<br>`) : html`<span class="none">none recorded</span>`,
  ]);
  return html`<section id="timeline"><h2>1. Timeline of appearances</h2>
<p>Every place and time a published file exposing the case's documents was seen, oldest first: the leak site, the mirror (onion address) it was
reached at, the post that published it, and the file's own URL. Times are when leakwatch saw it (UTC): first and last sighting and how often.</p>
${table(['#', 'when', 'where', 'published file', 'evidence'], rows, 'timeline')}</section>`;
}

function countsTable(title: string, counts: [string, number][]): Html {
  return table([title, 'documents'], counts.map(([k, n]) => [k, String(n)]), 'counts');
}

export function exposureSection(d: ReportData): Html {
  const docs = d.exposed;
  const docRows = docs.map((x) => [
    x.set,
    code(x.document),
    x.kind,
    html`${METHOD_NAMES[x.bestMethod]} <span class="muted">(${x.bestMethod}, score ${x.bestScore.toFixed(2)})</span>`,
    String(x.appearances),
    x.sites.join(', '),
    html`${when(x.firstSeenAt)}<br>${when(x.lastSeenAt)}`,
  ]);
  return html`<section id="exposed"><h2>2. What is exposed</h2>
<p><b>${plural(docs.length, 'known document')}</b> of the client's were found in <b>${plural(d.samples.length, 'published file')}</b>
on <b>${plural(d.sites.length, 'site')}</b> (${d.sites.join(', ')}), in ${plural(d.timeline.length, 'appearance')}.
</p>
${peopleBlock(d)}
${countsTable('kind of document', countBy(docs, (x) => x.kind))}
${countsTable('strongest match method', countBy(docs, (x) => `${METHOD_NAMES[x.bestMethod]} (${x.bestMethod})`, METHOD_ORDER.map((m) => `${METHOD_NAMES[m]} (${m})`)))}
<h3>Documents</h3>
${table(['set', 'document', 'kind', 'strongest match', 'published files', 'sites', 'first / last seen'], docRows, 'documents')}
${howSection(d)}</section>`;
}

/**
 * People exposed (record-level matching): how many records of the client's patient table the
 * published files show, by practice and by kind of identifier. Counts only: the list of
 * records, by the client's own record keys, is `leakwatch affected --case`.
 */
export function peopleBlock(d: ReportData): Html | string {
  const p = d.people;
  if (!p) return '';
  const practices = p.perPractice.map((x) => [x.practice ?? '(no practice recorded)', String(x.records)]);
  const fields = Object.entries(p.perField).sort((a, b) => b[1] - a[1]).map(([f, n]) => [FIELD_NAMES[f] ?? f, String(n)]);
  return html`<h3 id="people">People exposed</h3>
<p>The published files show <b>${plural(p.count, 'patient record')}</b> of the client's patient table: for each, at least two identifying
details of the same person (such as name and date of birth, or NHI number and phone) appear together. leakwatch compared keyed hashes of
those details with keyed hashes taken from the client's table beforehand; it holds no names or numbers. The client can list the records by
its own record keys (<code>leakwatch affected --case ${String(d.caseId)}</code>) to notify the people concerned.</p>
${table(['practice', 'records'], practices, 'counts')}
${table(['identifying detail exposed', 'records'], fields, 'counts')}`;
}

const FIELD_NAMES: Record<string, string> = {
  nhi: 'NHI number',
  name: 'name',
  dob: 'date of birth',
  email: 'e-mail address',
  phone: 'phone number',
  address: 'street address',
};

/** Every method that supports one match, strongest first, each in the matcher's words. */
function supportingEvidence(m: ReportMatch): Html {
  const methods = METHOD_ORDER.filter((k) => m.details?.[k] !== undefined);
  if (!m.details || methods.length === 0) return html`${m.explanation}`;
  // explainMethod's sentences name their method ("same text: …"), so no label is added.
  return html`<ul class="problems">${methods.map((k) => html`<li>${explainMethod(k, m.details ?? {})}</li>`)}</ul>`;
}

function sampleBlock(s: ReportSample): Html {
  const rows = s.matches.map((m) => [
    html`${code(m.memberPath || '(the file itself)')}<br><span class="muted">SHA-256</span> ${hash(m.memberSha256)}`,
    html`${m.set}: ${code(m.document)}<br><span class="muted">SHA-256</span> ${hash(m.documentSha256)}`,
    html`<b>${METHOD_NAMES[m.method]}</b><br><span class="muted">${m.method}, score ${m.score.toFixed(2)}</span>`,
    supportingEvidence(m),
  ]);
  return html`<div class="sample"><h3>Alert ${s.alertId} — ${s.siteId} — ${s.severity}</h3>
<table class="facts"><tbody>
<tr><th>published file</th><td>${code(s.url)}</td></tr>
<tr><th>SHA-256</th><td>${hash(s.sha256)}</td></tr>
<tr><th>size, type</th><td>${formatBytes(s.bytes)}${s.type ? html`, ${s.type}` : ''}</td></tr>
<tr><th>first / last seen</th><td>${when(s.firstSeenAt)} / ${when(s.lastSeenAt)}</td></tr>
</tbody></table>
${table(['part of the published file', 'known document', 'method', 'how the match was made'], rows, 'matches')}</div>`;
}

function howSection(d: ReportData): Html {
  const used = METHOD_ORDER.filter((m: MatchMethod) => d.samples.some((s) => s.matches.some((x) => x.method === m || x.details?.[m] !== undefined)));
  return html`<h3 id="how">How each match was made</h3>
<p>leakwatch downloads each published file through Tor, opens it (including archives inside archives) and compares every part with
fingerprints of the client's documents taken beforehand. It keeps fingerprints and SHA-256 hashes, not the documents. The methods used in this case:</p>
<table class="facts"><tbody>${used.map((m) => html`<tr><th>${METHOD_NAMES[m]} (${m})</th><td>${METHOD_HOW[m]}</td></tr>`)}</tbody></table>
<p>Scores run from 0 to 1 and are comparable across methods (an identical file scores 1.00; shared passages at most 0.90).</p>
${d.samples.map(sampleBlock)}`;
}
