import type { MatchMethod } from '../match/types.js';
import type { AlertStore } from './alert-store.js';
import type { CrawlStore } from './crawl-store.js';

/**
 * Read-only queries for the legal report (src/report): the samples, matches, captures and
 * evidence-package records behind one case. Cases and timelines come from
 * src/alert/case-queries.ts; this file adds what only the report needs.
 */

type Store = AlertStore | CrawlStore;

export interface ReportSampleRow {
  alertId: number;
  siteId: string;
  severity: string;
  sampleId: number | null;
  sampleSha256: string;
  sampleUrl: string;
  /** Null when the sample row is gone (or the alert came from outside the crawler). */
  bytes: number | null;
  contentType: string | null;
  sniffedType: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** Alerts of a case with their published sample, oldest first. */
export function reportSamples(store: Store, caseId: number): ReportSampleRow[] {
  const rows = store
    .stmt(
      `SELECT a.id AS alert_id, a.site_id, a.severity, a.sample_id, a.sample_sha256, a.sample_url, s.bytes, s.content_type, s.sniffed_type, a.first_seen_at, a.last_seen_at
       FROM alerts a LEFT JOIN samples s ON s.id = a.sample_id WHERE a.case_id = ? ORDER BY a.first_seen_at, a.id`,
    )
    .all(caseId) as {
    alert_id: number;
    site_id: string;
    severity: string;
    sample_id: number | null;
    sample_sha256: string;
    sample_url: string;
    bytes: number | null;
    content_type: string | null;
    sniffed_type: string | null;
    first_seen_at: string;
    last_seen_at: string;
  }[];
  return rows.map((r) => ({
    alertId: r.alert_id,
    siteId: r.site_id,
    severity: r.severity,
    sampleId: r.sample_id,
    sampleSha256: r.sample_sha256,
    sampleUrl: r.sample_url,
    bytes: r.bytes,
    contentType: r.content_type,
    sniffedType: r.sniffed_type,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
  }));
}

export interface ReportMatchRow {
  alertId: number;
  set: string;
  document: string;
  documentSha256: string;
  memberPath: string;
  memberSha256: string | null;
  method: MatchMethod;
  score: number;
  explanation: string;
  /** JSON of the matcher's MatchDetails (from `matches`), when the crawler stored it. */
  details: string | null;
  firstSeenAt: string;
}

/** Every (alert, document, archive member) match of a case, with the matcher's details. */
export function reportMatches(store: Store, caseId: number): ReportMatchRow[] {
  const rows = store
    .stmt(
      `SELECT d.alert_id, d.set_name, d.document, d.document_sha256, d.member_path, d.member_sha256, d.method, d.score, d.explanation, d.first_seen_at, m.details
       FROM alert_documents d JOIN alerts a ON a.id = d.alert_id
       LEFT JOIN matches m ON m.sample_id = a.sample_id AND m.member_path = d.member_path AND m.set_name = d.set_name AND m.document = d.document
       WHERE a.case_id = ? ORDER BY d.alert_id, d.set_name, d.document, d.member_path`,
    )
    .all(caseId) as {
    alert_id: number;
    set_name: string;
    document: string;
    document_sha256: string;
    member_path: string;
    member_sha256: string | null;
    method: MatchMethod;
    score: number;
    explanation: string;
    first_seen_at: string;
    details: string | null;
  }[];
  return rows.map((r) => ({
    alertId: r.alert_id,
    set: r.set_name,
    document: r.document,
    documentSha256: r.document_sha256,
    memberPath: r.member_path,
    memberSha256: r.member_sha256,
    method: r.method,
    score: r.score,
    explanation: r.explanation,
    details: r.details,
    firstSeenAt: r.first_seen_at,
  }));
}

export interface ReportCaptureRow {
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
  screenshotSha256: string | null;
  /** The sample this page linked to (one row per capture and sample). */
  sampleId: number;
  sampleUrl: string;
}

/** Captures of the pages that linked the case's samples (post pages, or listings). */
export function reportCaptures(store: Store, caseId: number): ReportCaptureRow[] {
  const rows = store
    .stmt(
      `SELECT c.id, c.site_id, c.kind, c.url, c.final_url, c.fetched_at, c.transport, c.status, c.body_sha256, c.body_bytes, c.content_type, c.screenshot_sha256, x.sample_id, x.url AS sample_url
       FROM alerts a JOIN sample_sightings x ON x.sample_id = a.sample_id JOIN captures c ON c.id = x.capture_id
       WHERE a.case_id = ? ORDER BY c.fetched_at, c.id, x.sample_id`,
    )
    .all(caseId) as {
    id: number;
    site_id: string;
    kind: string;
    url: string;
    final_url: string;
    fetched_at: string;
    transport: string;
    status: number;
    body_sha256: string;
    body_bytes: number;
    content_type: string | null;
    screenshot_sha256: string | null;
    sample_id: number;
    sample_url: string;
  }[];
  return rows.map((r) => ({
    captureId: r.id,
    siteId: r.site_id,
    kind: r.kind,
    url: r.url,
    finalUrl: r.final_url,
    fetchedAt: r.fetched_at,
    transport: r.transport,
    status: r.status,
    bodySha256: r.body_sha256,
    bodyBytes: r.body_bytes,
    contentType: r.content_type,
    screenshotSha256: r.screenshot_sha256,
    sampleId: r.sample_id,
    sampleUrl: r.sample_url,
  }));
}

export interface EvidenceWarningRow {
  siteId: string;
  runId: number | null;
  at: string;
  message: string;
}

/**
 * The crawler's record of each package it wrote (warnings of kind 'evidence', see
 * src/crawl/evidence-hook.ts), for the given sites, oldest first.
 */
export function evidenceWarnings(store: Store, siteIds: readonly string[]): EvidenceWarningRow[] {
  const rows = store
    .stmt(`SELECT site_id, run_id, at, message FROM warnings WHERE kind = 'evidence' AND site_id IN (SELECT value FROM json_each(?)) ORDER BY id`)
    .all(JSON.stringify(siteIds)) as { site_id: string; run_id: number | null; at: string; message: string }[];
  return rows.map((r) => ({ siteId: r.site_id, runId: r.run_id, at: r.at, message: r.message }));
}
