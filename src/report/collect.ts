import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { caseDetail } from '../alert/case-queries.js';
import type { Severity } from '../alert/types.js';
import { VERSION } from '../cli/version.js';
import { errorMessage } from '../errors.js';
import { evidencePaths, exportPublicKeys, KEY_FILES } from '../evidence/index.js';
import { sha256Hex } from '../evidence/digest.js';
import type { MatchDetails } from '../match/types.js';
import type { AlertStore } from '../store/alert-store.js';
import { BlobStore } from '../store/blob-store.js';
import { affectedReport } from '../records/affected.js';
import { caseRecordAppearances } from '../store/sample-records.js';
import { reportCaptures, reportMatches, reportSamples, type ReportCaptureRow } from '../store/report-queries.js';
import { collectCustodyLog, collectPackages, type CaseSampleRef } from './collect-packages.js';
import { documentKind } from './plain-language.js';
import type { ReportCapture, ReportData, ReportKey, ReportMatch, ReportPackage, ReportSample } from './types.js';

/**
 * Gathers a case's report data: the case (timeline, exposure) from the alert tables, the
 * samples and match details, the captured pages and their screenshots from the blob store,
 * the evidence packages (verified now), the custody log, and the public key fingerprints.
 * Read-only: nothing is written, nothing leaves the machine.
 */

export interface CollectOptions {
  dataDir: string;
  caseId: number;
  now: Date;
  /** PEM of the pinned TSA certificate, to check the packages' RFC 3161 replies. */
  tsaCertPath?: string;
  /** Screenshots larger than this are described, not embedded (default 8 MiB). */
  maxScreenshotBytes?: number;
  signal?: AbortSignal;
}

const DEFAULT_MAX_SCREENSHOT_BYTES = 8 * 1024 * 1024;

function parseDetails(json: string | null): MatchDetails | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as MatchDetails;
  } catch {
    return null;
  }
}

function publicKeys(keysDir: string, notes: string[]): { keys: ReportKey[]; dir?: string } {
  if (!existsSync(join(keysDir, KEY_FILES.signingPublic)) && !existsSync(join(keysDir, KEY_FILES.custodyPublic))) {
    notes.push('No evidence keys were found: the packages cannot be attributed to a key in this report ("leakwatch keys init" creates them).');
    return { keys: [] };
  }
  try {
    return { keys: exportPublicKeys(keysDir).map((k) => ({ role: k.role, algorithm: k.algorithm, fingerprint: k.fingerprint })), dir: keysDir };
  } catch (err) {
    notes.push(`The public keys could not be read: ${errorMessage(err)}`);
    return { keys: [] };
  }
}

function captures(rows: readonly ReportCaptureRow[], blobs: BlobStore, packages: readonly ReportPackage[], maxBytes: number): ReportCapture[] {
  const byId = new Map<number, ReportCapture>();
  for (const r of rows) {
    let c = byId.get(r.captureId);
    if (!c) {
      c = {
        captureId: r.captureId, siteId: r.siteId, kind: r.kind, url: r.url, finalUrl: r.finalUrl, fetchedAt: r.fetchedAt, transport: r.transport, status: r.status,
        bodySha256: r.bodySha256, bodyBytes: r.bodyBytes, contentType: r.contentType, sampleUrls: [], packages: [],
      };
      if (r.screenshotSha256) c.screenshot = screenshot(blobs, r.screenshotSha256, maxBytes);
      byId.set(r.captureId, c);
    }
    if (!c.sampleUrls.includes(r.sampleUrl)) c.sampleUrls.push(r.sampleUrl);
  }
  for (const c of byId.values()) {
    c.packages = packages.filter((p) => p.siteId === c.siteId && (p.pageUrl === c.finalUrl || p.pageUrl === c.url) && p.sampleUrls.some((u) => c.sampleUrls.includes(u))).map((p) => p.fileName);
  }
  return [...byId.values()];
}

function screenshot(blobs: BlobStore, sha256: string, maxBytes: number): NonNullable<ReportCapture['screenshot']> {
  if (!blobs.has(sha256)) return { sha256, bytes: 0, note: 'the screenshot file is missing from the blob store' };
  const png = blobs.read(sha256);
  // The blob's name is its SHA-256: a mismatch means the stored file changed since capture.
  if (sha256Hex(png) !== sha256) return { sha256, bytes: png.length, note: 'the stored screenshot no longer matches its SHA-256 and is not shown' };
  if (png.length > maxBytes) return { sha256, bytes: png.length, note: `the screenshot (${png.length} bytes) is too large to embed; it is in the evidence package` };
  return { sha256, bytes: png.length, png };
}

/** Undefined when there is no such case. */
export async function collectReportData(store: AlertStore, o: CollectOptions): Promise<ReportData | undefined> {
  const c = caseDetail(store, o.caseId);
  if (!c) return undefined;
  const paths = evidencePaths(o.dataDir);
  const notes: string[] = [];

  const matchRows = reportMatches(store, c.id);
  const sampleRows = reportSamples(store, c.id);
  const samples: ReportSample[] = sampleRows.map((s) => ({
    alertId: s.alertId,
    siteId: s.siteId,
    severity: s.severity as Severity,
    url: s.sampleUrl,
    sha256: s.sampleSha256,
    bytes: s.bytes,
    type: s.sniffedType ?? s.contentType,
    firstSeenAt: s.firstSeenAt,
    lastSeenAt: s.lastSeenAt,
    matches: matchRows
      .filter((m) => m.alertId === s.alertId)
      .map((m): ReportMatch => ({
        set: m.set, document: m.document, documentSha256: m.documentSha256, memberPath: m.memberPath, memberSha256: m.memberSha256,
        method: m.method, score: m.score, explanation: m.explanation, details: parseDetails(m.details),
      })),
  }));

  const sampleIdOf = new Map(sampleRows.map((s) => [s.alertId, s.sampleId]));
  const refs: CaseSampleRef[] = samples.map((s) => ({
    siteId: s.siteId,
    sampleId: sampleIdOf.get(s.alertId) ?? null,
    urls: new Set([s.url, ...c.timeline.filter((t) => t.alertId === s.alertId).map((t) => t.sampleUrl)]),
    sha256s: new Set([s.sha256, ...s.matches.map((m) => m.memberSha256).filter((h): h is string => h !== null)]),
  }));
  const keys = publicKeys(paths.keys, notes);
  const pkgOptions = { paths, samples: refs, ...(keys.dir ? { keysDir: keys.dir } : {}), ...(o.tsaCertPath ? { tsaCertPath: o.tsaCertPath } : {}), ...(o.signal ? { signal: o.signal } : {}) };
  const found = await collectPackages(store, pkgOptions);
  notes.push(...found.notes);
  const custodyLog = await collectCustodyLog(pkgOptions);
  if (!custodyLog) notes.push('There is no custody log in this data folder.');

  const blobs = new BlobStore(join(o.dataDir, 'blobs'));
  const pageCaptures = captures(reportCaptures(store, c.id), blobs, found.packages, o.maxScreenshotBytes ?? DEFAULT_MAX_SCREENSHOT_BYTES);
  const packagesOf = (siteId: string, sampleUrl: string): string[] => found.packages.filter((p) => p.siteId === siteId && p.sampleUrls.includes(sampleUrl)).map((p) => p.fileName);

  const affected = affectedReport(c.id, caseRecordAppearances(store.db, c.id));
  return {
    caseId: c.id,
    requestedCaseId: c.requestedId,
    mergedFrom: c.mergedFrom,
    generatedAt: o.now.toISOString(),
    tool: { name: 'leakwatch', version: VERSION },
    severity: c.severity,
    openedAt: c.openedAt,
    firstSeenAt: c.firstSeenAt,
    lastSeenAt: c.lastSeenAt,
    sites: c.sites,
    keys: keys.keys,
    timeline: c.timeline.map((t) => ({ ...t, packages: packagesOf(t.siteId, t.sampleUrl) })),
    exposed: c.exposed.map((d) => ({ ...d, kind: documentKind(d.document) })),
    samples,
    packages: found.packages,
    captures: pageCaptures,
    ...(custodyLog ? { custodyLog } : {}),
    ...(affected.records.length ? { people: { count: affected.records.length, perPractice: affected.perPractice, perField: affected.perField } } : {}),
    notes,
  };
}
