import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { errorMessage, isAbort, throwIfAborted } from '../errors.js';
import { verifyEvidence, type EvidencePaths, type ScopedProblem } from '../evidence/index.js';
import { PATHS } from '../evidence/datapackage.js';
import { jsonEntry, jsonObject as record, readPackageEntries } from '../evidence/package-reader.js';
import { evidenceWarnings } from '../store/report-queries.js';
import type { AlertStore } from '../store/alert-store.js';
import type { ReportCustodyLog, ReportPackage } from './types.js';

/**
 * Finds the evidence packages behind a case and checks each one the way `leakwatch evidence
 * verify` does, so the report states what an independent verifier will find.
 *
 * The link: the crawler records every package it writes as a warning of kind 'evidence'
 * ("evidence package <path> (sha256 <hex>)"). A package belongs to the case when its own
 * match.json names one of the case's sample URLs (or sample SHA-256s) on the same site — the
 * package's signed content decides, not a naming convention. The crawler's file name
 * (`capture-<capture>-s<sample>.wacz`) is used only to skip other samples' packages without
 * opening them, and to notice a recorded package of this case whose file is gone.
 */

const WARNING = /^evidence package (.+) \(sha256 ([0-9a-f]{64})\)$/;
const SAMPLE_IN_NAME = /-s(\d+)\.wacz$/;
/** Checks of the custody-log verifier that concern one package rather than the whole log. */
const PACKAGE_LOG_CHECKS = new Set(['capture-missing', 'capture-unproven', 'capture-inclusion']);

export interface CaseSampleRef {
  siteId: string;
  sampleId: number | null;
  /** Every URL the sample was seen at, and its SHA-256 (and its members'). */
  urls: ReadonlySet<string>;
  sha256s: ReadonlySet<string>;
}

export interface CollectPackagesOptions {
  paths: EvidencePaths;
  samples: readonly CaseSampleRef[];
  /** Folder with the public keys; without it signatures are checked but not pinned. */
  keysDir?: string;
  tsaCertPath?: string;
  signal?: AbortSignal;
}

interface PackageContent {
  captureId?: string;
  siteId?: string;
  pageUrl?: string;
  capturedAt?: string;
  onionHost?: string;
  onionPublicKey?: string;
  signedAt?: string;
  sampleUrls: string[];
  sampleSha256s: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The few fields of capture.json, match.json and the digest the report shows. */
async function readContent(file: string): Promise<PackageContent> {
  const entries = await readPackageEntries(file);
  const json = (name: string): Record<string, unknown> => jsonEntry(entries, name);
  const capture = json(PATHS.capture);
  const onion = record(capture.onion);
  const time = record(capture.time);
  const list = json(PATHS.match).matches;
  const matches = Array.isArray(list) ? (list as unknown[]).map(record) : [];
  const out: PackageContent = {
    sampleUrls: [...new Set(matches.map((m) => str(m.sampleUrl)).filter((u): u is string => u !== undefined))],
    sampleSha256s: [...new Set(matches.map((m) => str(m.sampleSha256)).filter((u): u is string => u !== undefined))],
  };
  const set = <K extends keyof PackageContent>(k: K, v: PackageContent[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('captureId', str(capture.captureId));
  set('siteId', str(capture.siteId));
  set('pageUrl', str(capture.finalUrl) ?? str(capture.targetUrl));
  set('capturedAt', str(time.startedAt));
  set('onionHost', str(onion.host));
  set('onionPublicKey', str(onion.publicKeyEd25519));
  set('signedAt', str(record(json(PATHS.digest).signedData).created));
  return out;
}

function belongs(content: PackageContent, siteId: string, samples: readonly CaseSampleRef[]): boolean {
  if (content.siteId !== undefined && content.siteId !== siteId) return false;
  return samples.some((s) => s.siteId === siteId && (content.sampleUrls.some((u) => s.urls.has(u)) || content.sampleSha256s.some((h) => s.sha256s.has(h))));
}

const problemText = (p: ScopedProblem): string => `${p.severity === 'error' ? 'error' : 'warning'} [${p.scope}/${p.check}] ${p.message}`;

function logVerifyOptions(o: CollectPackagesOptions): { logPath?: string; keysDir?: string; checkpointsDir?: string; tsaCertPath?: string } {
  return {
    ...(existsSync(o.paths.custodyLog) ? { logPath: o.paths.custodyLog } : {}),
    ...(o.keysDir ? { keysDir: o.keysDir } : {}),
    ...(existsSync(o.paths.checkpoints) ? { checkpointsDir: o.paths.checkpoints } : {}),
    ...(o.tsaCertPath ? { tsaCertPath: o.tsaCertPath } : {}),
  };
}

async function inspect(file: string, fileName: string, siteId: string, recordedSha256: string, recordedAt: string, content: PackageContent, o: CollectPackagesOptions): Promise<ReportPackage> {
  const { captureId, pageUrl, capturedAt, onionHost, onionPublicKey, signedAt } = content;
  const pkg: ReportPackage = {
    fileName,
    siteId,
    recordedSha256,
    recordedAt,
    missing: false,
    ...(captureId ? { captureId } : {}),
    ...(pageUrl ? { pageUrl } : {}),
    ...(capturedAt ? { capturedAt } : {}),
    ...(onionHost ? { onionHost } : {}),
    ...(onionPublicKey ? { onionPublicKey } : {}),
    ...(signedAt ? { signedAt } : {}),
    sampleUrls: content.sampleUrls,
    filesChecked: 0,
    filesMatching: 0,
    timestamp: { status: 'none' },
    ok: false,
    problems: [],
  };
  const v = await verifyEvidence({ packagePath: file, ...logVerifyOptions(o) });
  if (v.package) {
    pkg.sha256 = v.package.sha256;
    pkg.bytes = v.package.bytes;
    pkg.signature = v.package.signer;
    pkg.filesChecked = v.package.files.length;
    pkg.filesMatching = v.package.files.filter((f) => f.hashMatches === true).length;
  }
  const ts = v.timestamps.find((t) => t.subject === file);
  if (ts) pkg.timestamp = { status: ts.status, ...(ts.genTime ? { genTime: ts.genTime } : {}), ...(ts.tsa ? { tsa: ts.tsa } : {}), ...(ts.pinned !== undefined ? { pinned: ts.pinned } : {}) };
  if (v.log?.capture) pkg.custody = { seq: v.log.capture.seq, line: v.log.capture.line, ...(v.log.capture.provenBy ? { provenBy: v.log.capture.provenBy } : {}) };
  // Log-wide problems are reported once, in the custody-log summary; here only this package's.
  const own = v.problems.filter((p) => p.scope !== 'log' || PACKAGE_LOG_CHECKS.has(p.check)).filter((p) => p.scope !== 'timestamp' || p.message.startsWith(file));
  if (pkg.sha256 && pkg.sha256 !== recordedSha256) {
    own.push({ scope: 'package', severity: 'error', check: 'recorded-hash', message: `the file's SHA-256 differs from the one recorded when it was written (${recordedSha256})` });
  }
  pkg.problems = own.map(problemText);
  pkg.ok = !own.some((p) => p.severity === 'error');
  return pkg;
}

export async function collectPackages(store: AlertStore, o: CollectPackagesOptions): Promise<{ packages: ReportPackage[]; notes: string[] }> {
  const packages: ReportPackage[] = [];
  const notes: string[] = [];
  const sampleIds = new Set(o.samples.map((s) => s.sampleId).filter((x): x is number => x !== null));
  const seen = new Set<string>();
  for (const w of evidenceWarnings(store, [...new Set(o.samples.map((s) => s.siteId))])) {
    throwIfAborted(o.signal);
    const m = WARNING.exec(w.message);
    if (!m) continue;
    // The recorded path may be relative to another working folder, or the data folder may
    // have moved: packages are always looked up in this data folder's evidence folder.
    const fileName = basename(m[1] as string);
    const recordedSha256 = m[2] as string;
    if (seen.has(fileName)) continue;
    seen.add(fileName);
    const named = SAMPLE_IN_NAME.exec(fileName);
    const namedForCase = named !== null && sampleIds.has(Number(named[1]));
    if (named && !namedForCase) continue;
    const file = join(o.paths.packages, fileName);
    const unreadable = (problem: string): ReportPackage => ({
      fileName, siteId: w.siteId, recordedSha256, recordedAt: w.at, missing: !existsSync(file), sampleUrls: [], filesChecked: 0, filesMatching: 0,
      timestamp: { status: 'none' }, ok: false, problems: [problem],
    });
    if (!existsSync(file)) {
      if (namedForCase) packages.push(unreadable(`error [package/file-missing] the package recorded on ${w.at} is not in ${o.paths.packages}`));
      continue;
    }
    let content: PackageContent;
    try {
      content = await readContent(file);
    } catch (err) {
      if (isAbort(err)) throw err;
      if (namedForCase) packages.push(unreadable(`error [package/zip] ${errorMessage(err)}`));
      continue;
    }
    if (!belongs(content, w.siteId, o.samples)) continue;
    try {
      packages.push(await inspect(file, fileName, w.siteId, recordedSha256, w.at, content, o));
    } catch (err) {
      if (isAbort(err)) throw err;
      packages.push({ ...unreadable(`error [package/verify] ${errorMessage(err)}`), missing: false });
    }
  }
  if (packages.length === 0) notes.push('No evidence package is recorded for this case (packages are written only when the evidence keys exist: "leakwatch keys init").');
  return { packages, notes };
}

/** The custody log as a whole, checked once: entries, checkpoints, signed head, problems. */
export async function collectCustodyLog(o: CollectPackagesOptions): Promise<ReportCustodyLog | undefined> {
  const opts = logVerifyOptions(o);
  if (!opts.logPath) return undefined;
  const v = await verifyEvidence(opts);
  const problems = v.problems.filter((p) => p.scope === 'log' || p.severity === 'error');
  return {
    entries: v.log?.entries ?? 0,
    checkpoints: v.log?.checkpoints.length ?? 0,
    ...(v.log?.head ? { headTreeSize: v.log.head.treeSize } : {}),
    ok: !problems.some((p) => p.severity === 'error'),
    problems: problems.map(problemText),
  };
}
