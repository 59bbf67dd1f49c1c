import { code, hash, html, placeholder as ph, type Html } from './html.js';
import { plural, when } from './plain-language.js';
import type { ReportData } from './types.js';

/**
 * A draft takedown / injunction-breach notice for counsel to adapt. Every fact leakwatch knows
 * is filled in (locations, dates, hashes); everything it cannot know is a marked placeholder.
 * Documents are identified by SHA-256 only: their names can carry patient identifiers, and
 * the notice goes to third parties.
 */

function locations(d: ReportData): Html[] {
  const seen = new Set<string>();
  const out: Html[] = [];
  for (const t of d.timeline) {
    const key = `${t.siteId}\u0000${t.postUrl ?? ''}\u0000${t.sampleUrl}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      html`<li>${t.postUrl ? html`the page ${code(t.postUrl)}${t.postTitle ? html` (“${t.postTitle}”)` : ''}, offering ` : ''}the file ${code(t.sampleUrl)}
(SHA-256 ${hash(t.sampleSha256)}), on the site “${t.siteId}” reached at ${code(t.mirrorUrl)}, first seen ${when(t.firstSeenAt)}, last seen ${when(t.lastSeenAt)};</li>`,
    );
  }
  return out;
}

export function noticeSection(d: ReportData): Html {
  const docs = [...new Set(d.exposed.map((x) => x.documentSha256))];
  const packages = d.packages.filter((p) => p.sha256);
  const signing = d.keys.find((k) => k.role === 'package-signing');
  return html`<section id="notice"><h2>6. Draft notice (to adapt)</h2>
<p class="muted">A starting point for a takedown request to a hosting provider, or a notice of breach of an injunction. It is not legal advice.
Replace every highlighted placeholder, check every statement, and remove what does not apply. Most onion services have no identifiable host: for
them the notice serves as a record or as a basis for an application to ${ph('COURT')}; for clearnet mirrors, file hosts and search engines it can be sent.</p>
<div class="notice">
<p>To: ${ph('HOSTING PROVIDER')} — ${ph('ADDRESS / ABUSE CONTACT')}<br>
From: ${ph('LAW FIRM')} on behalf of ${ph('CLIENT')}<br>
Date: ${ph('DATE')}<br>
Our reference: ${ph('OUR REF')} — leakwatch case ${d.caseId}</p>
<p><b>Re: Publication of confidential information in breach of injunction ${ph('INJUNCTION REF')} — demand for immediate removal</b></p>
<ol>
<li>We act for ${ph('CLIENT')}. On ${ph('DATE OF ORDER')} ${ph('COURT')} made an order (${ph('INJUNCTION REF')}) restraining any person from
publishing, disclosing or otherwise using information taken from ${ph('CLIENT')} in ${ph('INCIDENT DESCRIPTION AND DATE')}. A copy of the order is enclosed.</li>
<li>Material covered by that order is published at the following ${plural(seen(d), 'location')}, which your service ${ph('HOSTS / CACHES / INDEXES / RESOLVES')}:
<ul>${locations(d)}</ul></li>
<li>The published files contain ${plural(docs.length, 'document')} belonging to ${ph('CLIENT')}, identified by the following SHA-256 values
(the documents themselves are not reproduced, because they contain personal data):<br>${docs.map((h) => html`${hash(h)}<br>`)}</li>
<li>The publication was captured and preserved in ${plural(packages.length, 'signed evidence package')}
${packages.length ? html`(SHA-256 ${packages.map((p, i) => html`${i ? ', ' : ''}${hash(p.sha256)}`)})` : ''}, signed with the key whose SHA-256
fingerprint is ${hash(signing?.fingerprint)}. They can be made available to you or to the court on request to ${ph('CONTACT')}.</li>
<li>We ask that you, within ${ph('DEADLINE')}: (a) remove or disable access to the material listed above and to any copy of it; (b) preserve all
records relating to it, including account, payment and access records; and (c) confirm in writing to ${ph('CONTACT')} that you have done so.</li>
<li>Continuing to make the material available after receiving this notice may constitute ${ph('CONTEMPT OF COURT / LOCAL EQUIVALENT')} and may
render you liable for ${ph('LEGAL CONSEQUENCES')}. ${ph('CLIENT')} reserves all of its rights.</li>
</ol>
<p>${ph('SIGNATURE')}<br>${ph('NAME, POSITION')}<br>${ph('LAW FIRM')}</p>
</div></section>`;
}

function seen(d: ReportData): number {
  return new Set(d.timeline.map((t) => `${t.siteId}\u0000${t.postUrl ?? ''}\u0000${t.sampleUrl}`)).size;
}
