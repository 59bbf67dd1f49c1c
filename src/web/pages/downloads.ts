import { readFileSync } from 'node:fs';
import { sha256Hex } from '../../evidence/digest.js';
import { buildReport, collectReportData, renderPdf } from '../../report/index.js';
import type { Handler } from '../context.js';
import { packagePath } from '../evidence-package.js';
import { DOWNLOAD_CSP } from '../security-headers.js';
import { notFound } from './errors.js';

/**
 * Downloads: a case's legal report (built in memory, never left on the server's disk) and
 * an evidence package as stored. Each is recorded in the custody log before any byte is
 * sent; when it cannot be recorded the download is refused.
 */

export const reportDownload: Handler = async (ctx, r) => {
  const id = Number(r.params[0]);
  const format = r.params[1] === 'pdf' ? 'pdf' : 'html';
  const data = await collectReportData(ctx.store, {
    dataDir: ctx.dataDir, caseId: id, now: ctx.clock(), signal: ctx.signal, ...(ctx.tsaCertPath ? { tsaCertPath: ctx.tsaCertPath } : {}),
  });
  if (!data) return notFound(r, `There is no case ${id}.`);
  const html = buildReport(data);
  const body =
    format === 'html'
      ? Buffer.from(html, 'utf8')
      : await renderPdf(html, { ...(ctx.chromiumPath ? { executablePath: ctx.chromiumPath } : {}), signal: ctx.signal, footerLabel: `leakwatch evidence report — case ${data.caseId} — ${data.generatedAt}` });
  const sha256 = sha256Hex(body);
  const name = `case-${data.caseId}-report.${format}`;
  await ctx.access.record({
    what: 'download-report', subject: sha256, user: r.user.name,
    details: { caseId: data.caseId, format, file: name, bytes: body.length, generatedAt: data.generatedAt, packages: data.packages.filter((p) => p.sha256).map((p) => p.sha256 as string) },
  }, ctx.signal);
  return { kind: 'bytes', contentType: format === 'html' ? 'text/html; charset=utf-8' : 'application/pdf', body, csp: DOWNLOAD_CSP, downloadName: name };
};

export const packageDownload: Handler = async (ctx, r) => {
  const name = r.params[0] ?? '';
  const path = packagePath(ctx.dataDir, name);
  if (!path) return notFound(r, 'There is no such evidence package.');
  const body = readFileSync(path);
  const sha256 = sha256Hex(body);
  await ctx.access.record({ what: 'download-package', subject: sha256, user: r.user.name, details: { file: name, bytes: body.length } }, ctx.signal);
  return { kind: 'bytes', contentType: 'application/wacz+zip', body, csp: DOWNLOAD_CSP, downloadName: name };
};
