import { METHOD_RANK, type MatchMethod } from '../match/types.js';
import type { AlertStore } from '../store/alert-store.js';
import { SEVERITY_RANK, type AlertStatus, type Severity } from './types.js';

/**
 * Read side of cases, for `leakwatch cases` and the legal report: every appearance of the
 * case's documents (site, mirror, URL, first/last seen) and what is exposed, with counts.
 */

export interface CaseSummary {
  id: number;
  openedAt: string;
  updatedAt: string;
  alerts: number;
  openAlerts: number;
  sites: string[];
  documents: number;
  /** Highest severity of its alerts. */
  severity: Severity;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Cases folded into this one. */
  mergedFrom: number[];
}

export interface CaseAppearance {
  alertId: number;
  siteId: string;
  severity: Severity;
  status: AlertStatus;
  mirrorUrl: string;
  postTitle: string | null;
  postUrl: string | null;
  sampleUrl: string;
  sampleSha256: string;
  firstSeenAt: string;
  lastSeenAt: string;
  seenCount: number;
}

export interface CaseDocument {
  set: string;
  document: string;
  documentSha256: string;
  /** Alerts (published samples) that expose it. */
  appearances: number;
  sites: string[];
  bestMethod: MatchMethod;
  bestScore: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface CaseDetail extends CaseSummary {
  /** The id asked for, when it was merged into `id`. */
  requestedId: number;
  timeline: CaseAppearance[];
  exposed: CaseDocument[];
  merges: { mergedCaseId: number; alertId: number | null; at: string }[];
}

interface CaseRow {
  id: number;
  opened_at: string;
  updated_at: string;
  alerts: number;
  open_alerts: number;
  sites: string | null;
  severities: string | null;
  first_seen: string | null;
  last_seen: string | null;
}

const CASE_SELECT = `SELECT c.id, c.opened_at, c.updated_at, COUNT(a.id) AS alerts, SUM(CASE WHEN a.status = 'open' THEN 1 ELSE 0 END) AS open_alerts,
    GROUP_CONCAT(DISTINCT a.site_id) AS sites, GROUP_CONCAT(DISTINCT a.severity) AS severities, MIN(a.first_seen_at) AS first_seen, MAX(a.last_seen_at) AS last_seen
  FROM cases c LEFT JOIN alerts a ON a.case_id = c.id`;

function maxSeverity(list: string | null): Severity {
  let best: Severity = 'low';
  for (const s of (list ?? '').split(',')) if (s in SEVERITY_RANK && SEVERITY_RANK[s as Severity] > SEVERITY_RANK[best]) best = s as Severity;
  return best;
}

function summaryOf(store: AlertStore, r: CaseRow): CaseSummary {
  const documents = (
    store.stmt('SELECT COUNT(*) AS n FROM (SELECT DISTINCT d.set_name, d.document FROM alert_documents d JOIN alerts a ON a.id = d.alert_id WHERE a.case_id = ?)').get(r.id) as {
      n: number;
    }
  ).n;
  const mergedFrom = (store.stmt('SELECT id FROM cases WHERE merged_into = ? ORDER BY id').all(r.id) as { id: number }[]).map((m) => m.id);
  return {
    id: r.id,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    alerts: r.alerts,
    openAlerts: r.open_alerts ?? 0,
    sites: (r.sites ?? '').split(',').filter(Boolean).sort(),
    documents,
    severity: maxSeverity(r.severities),
    firstSeenAt: r.first_seen ?? r.opened_at,
    lastSeenAt: r.last_seen ?? r.updated_at,
    mergedFrom,
  };
}

/** Live (not merged) cases, most recent activity first. */
export function listCases(store: AlertStore): CaseSummary[] {
  const rows = store.stmt(`${CASE_SELECT} WHERE c.merged_into IS NULL GROUP BY c.id ORDER BY last_seen DESC, c.id DESC`).all() as CaseRow[];
  return rows.map((r) => summaryOf(store, r));
}

export function caseDetail(store: AlertStore, requestedId: number): CaseDetail | undefined {
  const id = store.liveCaseId(requestedId);
  if (id === undefined) return undefined;
  const row = store.stmt(`${CASE_SELECT} WHERE c.id = ? GROUP BY c.id`).get(id) as CaseRow | undefined;
  if (!row) return undefined;
  const timeline = (
    store
      .stmt(
        `SELECT a.id AS alert_id, a.site_id, a.severity, a.status, a.sample_sha256, s.mirror_url, s.post_title, s.post_url, s.sample_url, s.first_seen_at, s.last_seen_at, s.seen_count
         FROM alert_sightings s JOIN alerts a ON a.id = s.alert_id WHERE a.case_id = ? ORDER BY s.first_seen_at, s.id`,
      )
      .all(id) as {
      alert_id: number;
      site_id: string;
      severity: Severity;
      status: AlertStatus;
      sample_sha256: string;
      mirror_url: string;
      post_title: string | null;
      post_url: string | null;
      sample_url: string;
      first_seen_at: string;
      last_seen_at: string;
      seen_count: number;
    }[]
  ).map((r) => ({
    alertId: r.alert_id,
    siteId: r.site_id,
    severity: r.severity,
    status: r.status,
    mirrorUrl: r.mirror_url,
    postTitle: r.post_title,
    postUrl: r.post_url,
    sampleUrl: r.sample_url,
    sampleSha256: r.sample_sha256,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    seenCount: r.seen_count,
  }));

  const docRows = store
    .stmt(
      `SELECT d.set_name, d.document, d.document_sha256, d.method, d.score, a.id AS alert_id, a.site_id, a.first_seen_at, a.last_seen_at
       FROM alert_documents d JOIN alerts a ON a.id = d.alert_id WHERE a.case_id = ?`,
    )
    .all(id) as { set_name: string; document: string; document_sha256: string; method: MatchMethod; score: number; alert_id: number; site_id: string; first_seen_at: string; last_seen_at: string }[];
  const docs = new Map<string, CaseDocument & { alertIds: Set<number> }>();
  for (const r of docRows) {
    const k = `${r.set_name}\u0000${r.document}`;
    let d = docs.get(k);
    if (!d) {
      d = { set: r.set_name, document: r.document, documentSha256: r.document_sha256, appearances: 0, sites: [], bestMethod: r.method, bestScore: r.score, firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at, alertIds: new Set() };
      docs.set(k, d);
    }
    d.alertIds.add(r.alert_id);
    if (!d.sites.includes(r.site_id)) d.sites.push(r.site_id);
    if (METHOD_RANK[r.method] < METHOD_RANK[d.bestMethod] || (r.method === d.bestMethod && r.score > d.bestScore)) {
      d.bestMethod = r.method;
      d.bestScore = r.score;
    }
    if (r.first_seen_at < d.firstSeenAt) d.firstSeenAt = r.first_seen_at;
    if (r.last_seen_at > d.lastSeenAt) d.lastSeenAt = r.last_seen_at;
  }
  const exposed = [...docs.values()]
    .map(({ alertIds, ...d }) => ({ ...d, appearances: alertIds.size, sites: d.sites.sort() }))
    .sort((a, b) => b.appearances - a.appearances || a.set.localeCompare(b.set) || a.document.localeCompare(b.document));
  const merges = (store
      .stmt('SELECT merged_case_id, alert_id, at FROM case_merges WHERE case_id = ? OR case_id IN (SELECT id FROM cases WHERE merged_into = ?) ORDER BY id')
      .all(id, id) as { merged_case_id: number; alert_id: number | null; at: string }[]).map(
    (m) => ({ mergedCaseId: m.merged_case_id, alertId: m.alert_id, at: m.at }),
  );
  return { ...summaryOf(store, row), requestedId, timeline, exposed, merges };
}
