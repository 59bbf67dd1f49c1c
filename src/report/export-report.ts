import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode, errorMessage, FatalError, isAbort } from '../errors.js';
import { writeFileAtomic } from '../evidence/atomic-file.js';
import { sha256Hex } from '../evidence/digest.js';
import { CustodyLog, evidencePaths, KEY_FILES, loadCustodyKey } from '../evidence/index.js';
import type { CustodyEntry, CustodyEvent } from '../evidence/index.js';
import type { AlertStore } from '../store/alert-store.js';
import { buildReport } from './build-report.js';
import { collectReportData } from './collect.js';
import { renderPdf } from './render-pdf.js';

/**
 * `leakwatch report`: collect → build the HTML → (print to PDF) → write the file → record the
 * export in the custody log. The report is an export of evidence, so like every export it is
 * logged, with its SHA-256 and the packages it describes.
 */

export type ReportFormat = 'html' | 'pdf';

export interface ExportReportOptions {
  dataDir: string;
  caseId: number;
  format: ReportFormat;
  /** Absolute output path; default `<cwd>/case-<id>-report.<format>`. */
  outPath?: string;
  cwd: string;
  /** Replace an existing file (default: refuse, so an exported report is never lost silently). */
  force?: boolean;
  /** Who asked for the report, for the custody log. */
  actor: string;
  now: Date;
  tsaCertPath?: string;
  executablePath?: string;
  signal?: AbortSignal;
}

export interface ExportedReport {
  path: string;
  sha256: string;
  bytes: number;
  format: ReportFormat;
  caseId: number;
  requestedCaseId: number;
  packages: number;
  packagesWithProblems: number;
  /** Absent when there are no evidence keys (nothing can be logged). */
  custodyEntry?: CustodyEntry;
}

export function defaultReportName(caseId: number, format: ReportFormat): string {
  return `case-${caseId}-report.${format}`;
}

/** Undefined when there is no such case. */
export async function exportReport(store: AlertStore, o: ExportReportOptions): Promise<ExportedReport | undefined> {
  const data = await collectReportData(store, {
    dataDir: o.dataDir,
    caseId: o.caseId,
    now: o.now,
    ...(o.tsaCertPath ? { tsaCertPath: o.tsaCertPath } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (!data) return undefined;
  const path = o.outPath ?? join(o.cwd, defaultReportName(data.caseId, o.format));
  if (existsSync(path) && o.force !== true) throw new FatalError('E_USAGE', `${path} already exists: choose another --out, or pass --force to replace it`);
  const html = buildReport(data);
  const bytes =
    o.format === 'html'
      ? Buffer.from(html, 'utf8')
      : await renderPdf(html, {
          ...(o.executablePath ? { executablePath: o.executablePath } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
          footerLabel: `leakwatch evidence report — case ${data.caseId} — ${data.generatedAt}`,
        });
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, bytes, { overwrite: o.force === true });
  const sha256 = sha256Hex(bytes);
  const result: ExportedReport = {
    path,
    sha256,
    bytes: bytes.length,
    format: o.format,
    caseId: data.caseId,
    requestedCaseId: data.requestedCaseId,
    packages: data.packages.length,
    packagesWithProblems: data.packages.filter((p) => !p.ok).length,
  };
  const paths = evidencePaths(o.dataDir);
  if (existsSync(join(paths.keys, KEY_FILES.custodyPrivate))) {
    const log = CustodyLog.open(paths.custodyLog, { key: loadCustodyKey(paths.keys), checkpointsDir: paths.checkpoints, actor: o.actor });
    const event: CustodyEvent = {
      type: 'export',
      subject: sha256,
      actor: o.actor,
      details: {
        what: 'report',
        caseId: data.caseId,
        format: o.format,
        file: basename(path),
        bytes: bytes.length,
        generatedAt: data.generatedAt,
        packages: data.packages.filter((p) => p.sha256).map((p) => p.sha256 as string),
      },
    };
    try {
      result.custodyEntry = await log.append(event, o.signal ? { signal: o.signal } : {});
    } catch (err) {
      if (isAbort(err)) throw err;
      // A report that exists but is not in the custody log must not pass unnoticed.
      const code = errorCode(err) === 'E_INTERNAL' ? 'E_CUSTODY_INVALID' : errorCode(err);
      throw new FatalError(code, `the report was written to ${path} (sha256 ${sha256}) but its export could not be recorded in the custody log ${log.path}: ${errorMessage(err)}`, { cause: err });
    }
  }
  return result;
}

