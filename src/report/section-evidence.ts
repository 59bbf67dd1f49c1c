import { code, hash, html, pngImage, type Html } from './html.js';
import { formatBytes, plural, when } from './plain-language.js';
import type { ReportCapture, ReportData, ReportPackage } from './types.js';

/**
 * The evidence packages with their hashes, signature, trusted-time and custody-log status as
 * checked when the report was generated, the custody log as a whole, and the captured pages
 * (screenshots where the browser took one).
 */

function verdict(ok: boolean, good: string, bad: string): Html {
  return ok ? html`<span class="ok">${good}</span>` : html`<span class="bad">${bad}</span>`;
}

function timestampText(p: ReportPackage): Html {
  const t = p.timestamp;
  switch (t.status) {
    case 'verified':
      return html`<span class="ok">time-stamped</span> ${when(t.genTime)} by ${t.tsa ?? 'the TSA'}${t.pinned ? '' : html` <span class="warn">(TSA certificate not pinned when this report was made)</span>`}`;
    case 'pending':
      return html`<span class="warn">requested, not yet submitted</span>: the RFC 3161 request ${code(`${p.fileName}.tsq`)} waits for "leakwatch evidence timestamp"`;
    case 'invalid':
      return html`<span class="bad">the time-stamp reply does not verify</span>`;
    case 'none':
      return html`<span class="warn">no time-stamp request</span>`;
  }
}

function signatureText(p: ReportPackage, keys: ReportData['keys']): Html {
  const s = p.signature;
  if (!s) return html`<span class="bad">not checked</span>`;
  const listed = keys.some((k) => k.role === 'package-signing' && k.fingerprint === s.keyFingerprint);
  return html`${verdict(s.valid, 'valid', 'INVALID')} ECDSA P-384 signature by key ${hash(s.keyFingerprint)}
${s.pinned || listed ? html`<br><span class="muted">the package-signing key listed at the top of this report</span>` : html`<br><span class="warn">not the package-signing key listed in this report</span>`}`;
}

function custodyText(p: ReportPackage): Html {
  const c = p.custody;
  if (!c) return html`<span class="warn">no capture entry found</span>`;
  return html`entry ${c.seq} (line ${c.line})${c.provenBy ? html`, <span class="ok">proven included</span> (RFC 6962 inclusion proof) in the ${c.provenBy.source} over ${plural(c.provenBy.treeSize, 'entry', 'entries')}` : html`, <span class="warn">not yet covered by a signed checkpoint</span>`}`;
}

function packageBlock(p: ReportPackage, keys: ReportData['keys']): Html {
  if (p.missing) {
    return html`<div class="sample"><h3>${p.fileName} — <span class="bad">MISSING</span></h3>
<p>Recorded on ${when(p.recordedAt)} with SHA-256 ${hash(p.recordedSha256)}, but the file is not in the evidence folder.</p>
${problems(p.problems)}</div>`;
  }
  return html`<div class="sample"><h3>${p.fileName} — ${verdict(p.ok, 'verified', 'PROBLEMS FOUND')}</h3>
<table class="facts"><tbody>
<tr><th>SHA-256 of the file</th><td>${hash(p.sha256)}${p.sha256 && p.sha256 === p.recordedSha256 ? html`<br><span class="muted">equal to the SHA-256 recorded when it was written (${when(p.recordedAt)})</span>` : ''}</td></tr>
<tr><th>size</th><td>${formatBytes(p.bytes)}</td></tr>
<tr><th>captured page</th><td>${code(p.pageUrl)}<br><span class="muted">capture ${p.captureId ?? '?'}, started ${when(p.capturedAt)}</span></td></tr>
<tr><th>onion service</th><td>${code(p.onionHost)}${p.onionPublicKey ? html`<br><span class="muted">Ed25519 identity key (from the address)</span> ${hash(p.onionPublicKey)}` : ''}</td></tr>
<tr><th>published files</th><td>${p.sampleUrls.map((u) => html`${code(u)}<br>`)}</td></tr>
<tr><th>signature</th><td>${signatureText(p, keys)}<br><span class="muted">signed ${when(p.signedAt)}</span></td></tr>
<tr><th>content files</th><td>${p.filesChecked ? html`${p.filesMatching} of ${p.filesChecked} match their SHA-256 in datapackage.json` : html`<span class="bad">not checked</span>`}</td></tr>
<tr><th>trusted time (RFC 3161)</th><td>${timestampText(p)}</td></tr>
<tr><th>custody log</th><td>${custodyText(p)}</td></tr>
</tbody></table>${problems(p.problems)}</div>`;
}

function problems(list: readonly string[]): Html {
  return list.length ? html`<ul class="problems">${list.map((x) => html`<li class="${x.startsWith('error') ? 'bad' : 'warn'}">${x}</li>`)}</ul>` : html``;
}

function custodySummary(d: ReportData): Html {
  const l = d.custodyLog;
  if (!l) return html`<p class="warn">There is no custody log in this data folder.</p>`;
  return html`<h3>Custody log</h3>
<p>${verdict(l.ok, 'Intact', 'PROBLEMS FOUND')}: ${plural(l.entries, 'entry', 'entries')}, hash-chained, with ${plural(l.checkpoints, 'signed checkpoint')}
${l.headTreeSize !== undefined ? html`and a signed head covering ${plural(l.headTreeSize, 'entry', 'entries')}` : html`<span class="warn">and no signed head</span>`}.
Each package's "capture" entry (whose subject is the package's SHA-256) is checked above; exporting this report adds an "export" entry.</p>${problems(l.problems)}`;
}

export function packagesSection(d: ReportData): Html {
  return html`<section id="packages"><h2>3. Evidence packages</h2>
<p>Each capture of a page that published the files is kept as a signed WACZ package (a zip in the web-archiving format used by ReplayWeb.page):
the page as received over Tor (WARC), a screenshot where the browser was used, capture.json (where, when, how) and match.json (which known documents matched — by hash only,
never their content). The package's file list with SHA-256s is signed with ECDSA P-384. Each was checked again when this report was generated:</p>
${d.packages.length ? d.packages.map((p) => packageBlock(p, d.keys)) : html`<p class="warn">No evidence package is recorded for this case.</p>`}
${custodySummary(d)}</section>`;
}

function captureBlock(c: ReportCapture): Html {
  const img = c.screenshot?.png ? pngImage(c.screenshot.png, `screenshot of ${c.finalUrl}`) : undefined;
  const shot = c.screenshot
    ? img
      ? html`${img}<p class="muted">Full-page screenshot, PNG, SHA-256 ${hash(c.screenshot.sha256)} (${formatBytes(c.screenshot.bytes)}).</p>`
      : html`<p class="warn">Screenshot SHA-256 ${hash(c.screenshot.sha256)}: ${c.screenshot.note ?? 'not a PNG image, not shown'}.</p>`
    : html`<p>This page was captured as HTML (${c.transport} transport, no browser): no screenshot was taken. The page exactly as received is in the evidence package's WARC.</p>`;
  return html`<div class="capture"><h3>${c.kind} page captured ${when(c.fetchedAt)} — ${c.siteId}</h3>
<table class="facts"><tbody>
<tr><th>URL</th><td>${code(c.finalUrl)}${c.finalUrl !== c.url ? html`<br><span class="muted">requested as</span> ${code(c.url)}` : ''}</td></tr>
<tr><th>response</th><td>HTTP ${c.status}, ${c.contentType ?? 'no content type'}, ${formatBytes(c.bodyBytes)}; SHA-256 of the ${c.transport === 'browser' ? 'rendered page' : 'page'} ${hash(c.bodySha256)}</td></tr>
<tr><th>links to</th><td>${c.sampleUrls.map((u) => html`${code(u)}<br>`)}</td></tr>
<tr><th>evidence package</th><td>${c.packages.length ? c.packages.map((p) => html`${code(p)}<br>`) : html`<span class="none">none recorded</span>`}</td></tr>
</tbody></table>${shot}</div>`;
}

export function capturesSection(d: ReportData): Html {
  return html`<section id="screenshots"><h2>4. Captured pages and screenshots</h2>
<p>The pages that linked the published files, as leakwatch captured them. Screenshots are taken only when a site is fetched with the browser
(sites that need JavaScript); other pages are kept as the HTML the server sent.</p>
${d.captures.length ? d.captures.map(captureBlock) : html`<p class="warn">No captured page is linked to this case's files.</p>`}</section>`;
}
