import type Database from 'better-sqlite3';

/**
 * Read-only queries behind the web dashboard (src/web) that no CLI command needed: mirror
 * check history for the uptime chart, a site's latest posts, its latest listing capture (for
 * the "test definition" view) and alerts first seen after a time. Cases, timelines and
 * report data come from src/alert/case-queries.ts and report-queries.ts.
 */

export interface MirrorCheckRow {
  mirrorUrl: string;
  at: string;
  ok: boolean;
  latencyMs: number | null;
  outcome: string;
  errorCode: string | null;
}

/** The newest `limit` checks of each mirror of a site, oldest first within a mirror. */
export function mirrorChecks(db: Database.Database, siteId: string, limit = 48): MirrorCheckRow[] {
  const rows = db
    .prepare(
      `SELECT m.url, c.at, c.ok, c.latency_ms, c.outcome, c.error_code FROM mirrors m
       JOIN mirror_checks c ON c.id IN (SELECT id FROM mirror_checks WHERE mirror_id = m.id ORDER BY at DESC, id DESC LIMIT ?)
       WHERE m.site_id = ? ORDER BY m.id, c.at, c.id`,
    )
    .all(limit, siteId) as { url: string; at: string; ok: number; latency_ms: number | null; outcome: string; error_code: string | null }[];
  return rows.map((r) => ({ mirrorUrl: r.url, at: r.at, ok: r.ok === 1, latencyMs: r.latency_ms, outcome: r.outcome, errorCode: r.error_code }));
}

export interface RecentPostRow {
  id: number;
  title: string;
  url: string | null;
  publishedAt: string | null;
  dataSizeBytes: number | null;
  firstSeenAt: string;
  lastSeenAt: string;
  removedAt: string | null;
}

/** A site's posts, newest first seen first. */
export function recentPosts(db: Database.Database, siteId: string, limit = 10): RecentPostRow[] {
  return db
    .prepare(
      `SELECT id, title, url, published_at AS publishedAt, data_size_bytes AS dataSizeBytes, first_seen_at AS firstSeenAt, last_seen_at AS lastSeenAt, removed_at AS removedAt
       FROM posts WHERE site_id = ? ORDER BY first_seen_at DESC, id DESC LIMIT ?`,
    )
    .all(siteId, limit) as RecentPostRow[];
}

export interface ListingCaptureRow {
  id: number;
  kind: string;
  url: string;
  finalUrl: string;
  fetchedAt: string;
  transport: string;
  status: number;
  bodySha256: string;
  /** The DOM after scripts ran (browser transport): what the crawler extracted from. */
  domSha256: string | null;
}

/** The latest successful capture of a site's listing (or API) page. */
export function latestListingCapture(db: Database.Database, siteId: string): ListingCaptureRow | undefined {
  return db
    .prepare(
      `SELECT id, kind, url, final_url AS finalUrl, fetched_at AS fetchedAt, transport, status, body_sha256 AS bodySha256, dom_sha256 AS domSha256
       FROM captures WHERE site_id = ? AND kind IN ('listing', 'api') AND status BETWEEN 200 AND 299 ORDER BY fetched_at DESC, id DESC LIMIT 1`,
    )
    .get(siteId) as ListingCaptureRow | undefined;
}

export interface NewAlertRow {
  id: number;
  caseId: number;
  siteId: string;
  severity: string;
  status: string;
  postTitle: string | null;
  firstSeenAt: string;
}

/** Alerts first seen after `sinceIso` (every alert when undefined), newest first. */
export function alertsFirstSeenAfter(db: Database.Database, sinceIso: string | undefined, limit = 50): NewAlertRow[] {
  return db
    .prepare(
      `SELECT id, case_id AS caseId, site_id AS siteId, severity, status, post_title AS postTitle, first_seen_at AS firstSeenAt
       FROM alerts WHERE first_seen_at > ? ORDER BY first_seen_at DESC, id DESC LIMIT ?`,
    )
    .all(sinceIso ?? '', limit) as NewAlertRow[];
}
