import type { CaseAppearance, CaseDocument } from '../alert/case-queries.js';
import type { Severity } from '../alert/types.js';
import type { MatchDetails, MatchMethod } from '../match/types.js';

/**
 * Everything the legal report shows about one case, gathered by collectReportData (database,
 * evidence folder, custody log) so that buildReport can be a pure function of it. Strings
 * that came from leak sites (titles, URLs, file names) are raw here; buildReport escapes them.
 */

export interface ReportKey {
  role: 'package-signing' | 'custody-log';
  algorithm: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex. */
  fingerprint: string;
}

/** One matched member of a published sample → one known document. */
export interface ReportMatch {
  set: string;
  document: string;
  documentSha256: string;
  /** Path inside the sample ("a.zip!/dir/file.pdf"), or the sample's own name. */
  memberPath: string;
  memberSha256: string | null;
  method: MatchMethod;
  score: number;
  /** The matcher's own one-line explanation, as stored with the alert. */
  explanation: string;
  details: MatchDetails | null;
}

/** One alert: one published sample on one site, and what it exposes. */
export interface ReportSample {
  alertId: number;
  siteId: string;
  severity: Severity;
  url: string;
  sha256: string;
  bytes: number | null;
  type: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  matches: ReportMatch[];
}

export interface ReportExposedDocument extends CaseDocument {
  /** Document kind from its file name: PDF, Word, text, image… */
  kind: string;
}

export type TimestampStatus = 'verified' | 'invalid' | 'pending' | 'none';

/** A signed WACZ package behind the case, as checked when the report was generated. */
export interface ReportPackage {
  fileName: string;
  siteId: string;
  /** SHA-256 of the file now; absent when the file is missing. */
  sha256?: string;
  /** SHA-256 the crawler recorded when it wrote the package. */
  recordedSha256?: string;
  recordedAt: string;
  bytes?: number;
  missing: boolean;
  captureId?: string;
  pageUrl?: string;
  capturedAt?: string;
  /** Onion service of the capture and its v3 identity key (from capture.json). */
  onionHost?: string;
  onionPublicKey?: string;
  signedAt?: string;
  sampleUrls: string[];
  signature?: { keyFingerprint?: string; valid: boolean; pinned: boolean };
  filesChecked: number;
  filesMatching: number;
  timestamp: { status: TimestampStatus; genTime?: string; tsa?: string; pinned?: boolean };
  custody?: { seq: number; line: number; provenBy?: { source: string; treeSize: number } };
  /** Verifier verdict at generation time (package, timestamp and its custody entry). */
  ok: boolean;
  problems: string[];
}

/** A captured page behind the case: the screenshot when the browser took one. */
export interface ReportCapture {
  captureId: number;
  siteId: string;
  kind: string;
  url: string;
  finalUrl: string;
  fetchedAt: string;
  transport: string;
  status: number;
  bodySha256: string;
  bodyBytes: number;
  contentType: string | null;
  screenshot?: { sha256: string; bytes: number; png?: Uint8Array; note?: string };
  sampleUrls: string[];
  packages: string[];
}

export interface ReportCustodyLog {
  entries: number;
  checkpoints: number;
  headTreeSize?: number;
  ok: boolean;
  problems: string[];
}

export interface ReportData {
  caseId: number;
  /** The id asked for, when it was merged into caseId. */
  requestedCaseId: number;
  mergedFrom: number[];
  generatedAt: string;
  tool: { name: string; version: string };
  severity: Severity;
  openedAt: string;
  firstSeenAt: string;
  lastSeenAt: string;
  sites: string[];
  keys: ReportKey[];
  timeline: (CaseAppearance & { packages: string[] })[];
  exposed: ReportExposedDocument[];
  samples: ReportSample[];
  packages: ReportPackage[];
  captures: ReportCapture[];
  custodyLog?: ReportCustodyLog;
  /**
   * People exposed: records of the victim's patient table found in the case's published files
   * (record-level matching, docs/records.md). Counts only — never a name or number.
   */
  people?: { count: number; perPractice: { practice: string | null; records: number }[]; perField: Record<string, number> };
  /** Things the collector could not establish (no keys, unreadable package…), shown in the report. */
  notes: string[];
}
