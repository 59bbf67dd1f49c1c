import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../evidence/digest.js';
import { evidencePaths, KEY_FILES, verifyEvidence, type EvidenceVerification } from '../../evidence/index.js';
import { formatBytes } from '../../report/plain-language.js';
import { code, hash, html, table, type Html } from '../../report/html.js';
import type { Handler, WebContext } from '../context.js';
import { artifactPayload, custodyEntriesFor, listPackages, packagePath, readPackage } from '../evidence-package.js';
import { badge, empty, page, time } from '../layout.js';
import { CAPTURED_PAGE_CSP } from '../security-headers.js';
import { notFound } from './errors.js';

/**
 * The evidence viewer: a package's screenshot, capture.json, file hashes, signature and the
 * verification result (verifyEvidence, the verifier behind `leakwatch evidence verify`), and
 * the custody-log entries about it. The captured page itself is only ever shown inside an
 * `<iframe sandbox>` whose response carries its own CSP (no script, no request).
 */

export const evidenceListPage: Handler = (ctx, r) => {
  const list = listPackages(ctx.dataDir);
  const body = html`<h1>Evidence packages</h1>
<p class="sub">Signed WACZ packages written by the crawler, newest first. Opening or downloading one is recorded in the custody log.</p>
${list.length
    ? table(['package', 'size', 'written', ''], list.map((p) => [code(p.name), formatBytes(p.bytes), time(p.modifiedAt), html`<a href="/evidence/${encodeURIComponent(p.name)}">view</a>`]), 'data')
    : empty('No evidence package yet (they are written when the evidence keys exist: "leakwatch keys init").')}`;
  return { kind: 'html', body: page('Evidence', body, { user: r.user, nav: 'evidence' }) };
};

/** The same inputs `leakwatch evidence verify <pkg> --log … --keys …` is given for this data folder. */
function verify(ctx: WebContext, path: string): Promise<EvidenceVerification> {
  const p = evidencePaths(ctx.dataDir);
  const hasKeys = existsSync(join(p.keys, KEY_FILES.signingPublic)) || existsSync(join(p.keys, KEY_FILES.custodyPublic));
  return verifyEvidence({
    packagePath: path,
    ...(existsSync(p.custodyLog) ? { logPath: p.custodyLog } : {}),
    ...(hasKeys ? { keysDir: p.keys } : {}),
    ...(existsSync(p.checkpoints) ? { checkpointsDir: p.checkpoints } : {}),
    ...(ctx.tsaCertPath ? { tsaCertPath: ctx.tsaCertPath } : {}),
  });
}

function str(v: unknown): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function captureFields(c: Record<string, unknown>): Html {
  const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
  const http = rec(c.http);
  const t = rec(c.time);
  const tool = rec(c.tool);
  const onion = rec(c.onion);
  const net = rec(c.network);
  const rows: [string, Html | string][] = [
    ['capture id', str(c.captureId)], ['site', str(c.siteId)], ['mirror', code(str(c.mirror))], ['target URL', code(str(c.targetUrl))], ['final URL', code(str(c.finalUrl))],
    ['onion service', c.onion ? html`${code(str(onion.host))} key ${hash(str(onion.publicKeyEd25519))}` : 'not an onion (clearnet capture)'],
    ['network', `${str(net.via)}, ${str(net.transport)} transport`], ['HTTP status', str(http.status)], ['body SHA-256', hash(str(http.bodySha256))], ['body size', formatBytes(typeof http.bodyBytes === 'number' ? http.bodyBytes : null)],
    ['server date', str(http.serverDate)], ['started', str(t.startedAt)], ['finished', str(t.finishedAt)], ['packaged', str(t.packagedAt)], ['clock', str(t.clockSource)],
    ['tool', `${str(tool.name)} ${str(tool.version)}${tool.browser ? `, ${str(tool.browser)}` : ''}`], ['operator', str(c.operator)],
  ];
  return html`<dl class="kv">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function verification(v: EvidenceVerification): Html {
  const p = v.package;
  return html`<p>${v.ok ? badge('VALID', 'ok') : badge(`INVALID: ${v.problems.filter((x) => x.severity === 'error').length} problem(s)`, 'bad')}</p>
${p ? html`<dl class="kv"><dt>package SHA-256</dt><dd>${hash(p.sha256)}</dd><dt>signature</dt><dd>${p.signer.valid ? 'valid' : 'INVALID'}${p.signer.keyFingerprint ? html`, key ${hash(p.signer.keyFingerprint)}` : ''} (${p.signer.pinned ? 'matches the trusted key' : 'signer not pinned'})</dd>
<dt>files</dt><dd>${p.files.length} checked against datapackage.json, ${p.files.filter((f) => f.hashMatches !== true).length} not matching</dd></dl>` : ''}
${v.timestamps.map((t) => html`<p>RFC 3161 timestamp: ${t.status}${t.genTime ? ` at ${t.genTime}` : ''}${t.tsa ? ` by ${t.tsa}` : ''}</p>`)}
${v.log ? html`<p>custody log: ${v.log.entries} entries, ${v.log.checkpoints.length} checkpoint(s)${v.log.capture ? `, capture entry on line ${v.log.capture.line}` : ''}</p>` : ''}
${v.problems.length ? html`<ul class="problems">${v.problems.map((x) => html`<li>${badge(x.severity, x.severity === 'error' ? 'bad' : 'warn')} [${x.scope}/${x.check}] ${x.message}</li>`)}</ul>` : ''}`;
}

export const evidencePage: Handler = async (ctx, r) => {
  const name = r.params[0] ?? '';
  const path = packagePath(ctx.dataDir, name);
  if (!path) return notFound(r, 'There is no such evidence package.');
  const sha256 = sha256Hex(readFileSync(path));
  // Logged before anything of the package is shown.
  await ctx.access.record({ what: 'view-package', subject: sha256, user: r.user.name, details: { file: name } }, ctx.signal);
  const [contents, v] = await Promise.all([readPackage(path), verify(ctx, path)]);
  const shot = contents.artifacts.find((a) => a.role === 'screenshot');
  const pageArtifact = contents.artifacts.find((a) => a.role === 'page');
  const custody = custodyEntriesFor(ctx.dataDir, name, sha256);
  const enc = encodeURIComponent(name);
  const body = html`<h1>Evidence package</h1><p class="sub">${code(name)} · <a href="/evidence/${enc}/download">download</a></p>
<div class="cols"><section><h2>Screenshot</h2>
${shot ? html`<a href="/evidence/${enc}/screenshot.png"><img class="shot" src="/evidence/${enc}/screenshot.png" alt="screenshot of the captured page"></a><p class="hint">SHA-256 ${hash(shot.sha256)}</p>` : empty('This capture has no screenshot (HTTP transport).')}
${pageArtifact ? html`<details><summary>Captured page, script-free (sandboxed)</summary><iframe class="captured" sandbox="" referrerpolicy="no-referrer" src="/evidence/${enc}/page" title="captured page, sandboxed"></iframe></details>` : ''}
</section><section><h2>Verification</h2>${verification(v)}</section></div>
<h2>capture.json</h2>${captureFields(contents.capture)}
<h2>Files and hashes</h2>${table(['file', 'SHA-256 (datapackage.json)', 'bytes'], contents.resources.map((f) => [code(f.path), hash(f.hash.replace(/^sha256:/, '')), f.bytes]), 'data')}
<h2>Artifacts in the WARC</h2>${table(['role', 'URI', 'type', 'SHA-256', 'bytes'], contents.artifacts.map((a) => [a.role, code(a.uri), a.mime, hash(a.sha256), a.bytes]), 'data')}
<h2>Custody log</h2>${custody.length
    ? table(['seq', 'time', 'event', 'actor', 'details'], custody.map((e) => [e.seq, time(e.ts), e.type, e.actor, code(JSON.stringify(e.details))]), 'data')
    : empty('No custody entry names this package.')}`;
  return { kind: 'html', body: page(`Evidence ${name}`, body, { user: r.user, nav: 'evidence' }) };
};

async function artifact(ctx: WebContext, name: string, role: string) {
  const path = packagePath(ctx.dataDir, name);
  if (!path) return undefined;
  const found = await artifactPayload(await readPackage(path), role);
  return found ? { path, ...found } : undefined;
}

export const screenshotImage: Handler = async (ctx, r) => {
  const name = r.params[0] ?? '';
  const found = await artifact(ctx, name, 'screenshot');
  if (!found) return notFound(r, 'No verified screenshot in this package.');
  await ctx.access.record({ what: 'view-screenshot', subject: sha256Hex(readFileSync(found.path)), user: r.user.name, details: { file: name, artifactSha256: found.artifact.sha256 } }, ctx.signal);
  return { kind: 'bytes', contentType: 'image/png', body: found.bytes };
};

/** The captured page for the sandboxed iframe: its own CSP forbids scripts and requests. */
export const capturedPage: Handler = async (ctx, r) => {
  const name = r.params[0] ?? '';
  const found = await artifact(ctx, name, 'page');
  if (!found) return notFound(r, 'No captured page in this package.');
  await ctx.access.record({ what: 'view-page', subject: sha256Hex(readFileSync(found.path)), user: r.user.name, details: { file: name, artifactSha256: found.artifact.sha256 } }, ctx.signal);
  const json = found.artifact.mime.includes('json');
  return { kind: 'bytes', contentType: json ? 'text/plain; charset=utf-8' : 'text/html', body: found.bytes, csp: CAPTURED_PAGE_CSP };
};
