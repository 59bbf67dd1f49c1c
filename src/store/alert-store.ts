import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AlertDetail, AlertDocument, AlertMatchInput, AlertSighting, AlertStatus, AlertSummary, Severity } from '../alert/types.js';
import { METHOD_RANK, type MatchMethod } from '../match/types.js';
import { CrawlStore } from './crawl-store.js';

/**
 * Alerts, cases and notifications, in the crawl database (tables from migration v2 in
 * crawl-schema.ts). This class is the SQL; the rules (dedupe, severity, case merging, when to
 * notify) are in src/alert/raise.ts and the delivery state machine in src/alert/outbox.ts.
 * Callers group writes in `transaction` so a crash never leaves an alert without its case,
 * documents or outbox rows.
 */

interface AlertRow {
  id: number;
  uid: string;
  version: number;
  case_id: number;
  site_id: string;
  severity: Severity;
  status: AlertStatus;
  sample_sha256: string;
  sample_url: string;
  mirror_url: string;
  post_title: string | null;
  post_url: string | null;
  first_seen_at: string;
  last_seen_at: string;
  seen_count: number;
  acked_at: string | null;
  acked_by: string | null;
  ack_note: string | null;
}

interface DocumentRow {
  set_name: string;
  document: string;
  document_sha256: string;
  method: MatchMethod;
  score: number;
  explanation: string;
  member_path: string;
  member_sha256: string | null;
  first_seen_at: string;
}

export interface NewAlert {
  siteId: string;
  sampleSha256: string;
  sampleId?: number;
  caseId: number;
  severity: Severity;
  mirrorUrl: string;
  post?: { id?: number; title: string; url?: string };
  sampleUrl: string;
  at: string;
}

export interface SightingInput {
  mirrorUrl: string;
  post?: { id?: number; title: string; url?: string };
  sampleUrl: string;
  at: string;
}

export interface SightingUpsert {
  /** This (mirror, post URL, sample URL) had not been seen for the alert. */
  isNew: boolean;
  /** The mirror had not been seen for the alert. */
  mirrorIsNew: boolean;
  /** The very same sighting at the very same time was already recorded (a replayed call). */
  replay: boolean;
}

export interface AlertEvent {
  at: string;
  kind: string;
  detail: Record<string, unknown>;
}

/** Key of a known document: cases group alerts on it. */
export type DocumentKey = readonly [set: string, document: string];

const cache = new WeakMap<Database.Database, AlertStore>();

/** Best match of each distinct document, strongest method first, then highest score. */
export function bestPerDocument(rows: readonly AlertDocument[]): AlertDocument[] {
  const best = new Map<string, AlertDocument>();
  for (const r of rows) {
    const k = `${r.set}\u0000${r.document}`;
    const b = best.get(k);
    if (!b || METHOD_RANK[r.method] < METHOD_RANK[b.method] || (METHOD_RANK[r.method] === METHOD_RANK[b.method] && r.score > b.score)) best.set(k, r);
  }
  return [...best.values()].sort((a, b) => METHOD_RANK[a.method] - METHOD_RANK[b.method] || b.score - a.score || a.document.localeCompare(b.document));
}

function toDocument(r: DocumentRow): AlertDocument {
  return {
    set: r.set_name,
    document: r.document,
    documentSha256: r.document_sha256,
    method: r.method,
    score: r.score,
    explanation: r.explanation,
    memberPath: r.member_path,
    memberSha256: r.member_sha256,
    firstSeenAt: r.first_seen_at,
  };
}

export class AlertStore {
  readonly db: Database.Database;
  private readonly owner: CrawlStore | undefined;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database, owner?: CrawlStore) {
    this.db = db;
    this.owner = owner;
  }

  /** Opens (and migrates) `<dataDir>/leakwatch.db`; close() closes it. */
  static open(dataDir: string): AlertStore {
    const crawl = CrawlStore.open(dataDir);
    return new AlertStore(crawl.db, crawl);
  }

  /** The alert view of a crawl store's connection (shared, so writes join its transactions). */
  static of(store: AlertStore | CrawlStore): AlertStore {
    if (store instanceof AlertStore) return store;
    let s = cache.get(store.db);
    if (!s) {
      s = new AlertStore(store.db);
      cache.set(store.db, s);
    }
    return s;
  }

  close(): void {
    if (this.owner) this.owner.close();
  }

  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * IMMEDIATE: the write lock is taken up front. A deferred transaction that reads and then
   * writes can fail outright (SQLITE_BUSY_SNAPSHOT) when another process wrote in between;
   * an immediate one just waits its turn (busy_timeout). Nested calls become savepoints.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ---- alerts -------------------------------------------------------------------------

  alertIdBySample(siteId: string, sampleSha256: string): number | undefined {
    return (this.stmt('SELECT id FROM alerts WHERE site_id = ? AND sample_sha256 = ?').get(siteId, sampleSha256) as { id: number } | undefined)?.id;
  }

  insertAlert(a: NewAlert): number {
    return Number(
      this.stmt(
        `INSERT INTO alerts (uid, site_id, sample_sha256, sample_id, case_id, severity, mirror_url, post_id, post_title, post_url, sample_url, first_seen_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        randomUUID(),
        a.siteId,
        a.sampleSha256,
        a.sampleId ?? null,
        a.caseId,
        a.severity,
        a.mirrorUrl,
        a.post?.id ?? null,
        a.post?.title ?? null,
        a.post?.url ?? null,
        a.sampleUrl,
        a.at,
        a.at,
      ).lastInsertRowid,
    );
  }

  /** A seen-again update: times widened, counters and version bumped, severity replaced. */
  updateAlertSeen(id: number, at: string, seenDelta: number, severity: Severity): void {
    this.stmt(
      `UPDATE alerts SET last_seen_at = MAX(last_seen_at, ?), first_seen_at = MIN(first_seen_at, ?), seen_count = seen_count + ?, severity = ?, version = version + 1 WHERE id = ?`,
    ).run(at, at, seenDelta, severity, id);
  }

  upsertSighting(alertId: number, s: SightingInput): SightingUpsert {
    const key = JSON.stringify([s.mirrorUrl, s.post?.url ?? '', s.sampleUrl]);
    const row = this.stmt('SELECT id, last_seen_at FROM alert_sightings WHERE alert_id = ? AND sighting_key = ?').get(alertId, key) as { id: number; last_seen_at: string } | undefined;
    if (row) {
      if (row.last_seen_at === s.at) return { isNew: false, mirrorIsNew: false, replay: true };
      this.stmt('UPDATE alert_sightings SET last_seen_at = MAX(last_seen_at, ?), first_seen_at = MIN(first_seen_at, ?), seen_count = seen_count + 1, post_title = COALESCE(?, post_title) WHERE id = ?').run(
        s.at,
        s.at,
        s.post?.title ?? null,
        row.id,
      );
      return { isNew: false, mirrorIsNew: false, replay: false };
    }
    const mirrorSeen = this.stmt('SELECT 1 FROM alert_sightings WHERE alert_id = ? AND mirror_url = ? LIMIT 1').get(alertId, s.mirrorUrl) !== undefined;
    this.stmt(
      `INSERT INTO alert_sightings (alert_id, sighting_key, mirror_url, post_id, post_title, post_url, sample_url, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(alertId, key, s.mirrorUrl, s.post?.id ?? null, s.post?.title ?? null, s.post?.url ?? null, s.sampleUrl, s.at, s.at);
    return { isNew: true, mirrorIsNew: !mirrorSeen, replay: false };
  }

  /** Adds member matches; returns how many DISTINCT documents are new to the alert. */
  addDocuments(alertId: number, matches: readonly AlertMatchInput[], at: string): number {
    const before = this.distinctDocumentCount(alertId);
    const ins = this.stmt(
      `INSERT INTO alert_documents (alert_id, set_name, document, document_sha256, member_path, member_sha256, method, score, explanation, first_seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (alert_id, set_name, document, member_path) DO UPDATE SET
         method = CASE WHEN excluded.score > score THEN excluded.method ELSE method END,
         explanation = CASE WHEN excluded.score > score THEN excluded.explanation ELSE explanation END,
         score = MAX(score, excluded.score)`,
    );
    for (const m of matches) {
      ins.run(alertId, m.set, m.document, m.documentSha256, m.memberPath, m.memberSha256 ?? null, m.method, m.score, m.explanation, at);
    }
    return this.distinctDocumentCount(alertId) - before;
  }

  distinctDocumentCount(alertId: number): number {
    return (this.stmt('SELECT COUNT(*) AS n FROM (SELECT DISTINCT set_name, document FROM alert_documents WHERE alert_id = ?)').get(alertId) as { n: number }).n;
  }

  documentRows(alertId: number): AlertDocument[] {
    return (this.stmt('SELECT * FROM alert_documents WHERE alert_id = ? ORDER BY set_name, document, member_path').all(alertId) as DocumentRow[]).map(toDocument);
  }

  documentKeys(alertId: number): DocumentKey[] {
    return (this.stmt('SELECT DISTINCT set_name, document FROM alert_documents WHERE alert_id = ?').all(alertId) as { set_name: string; document: string }[]).map((r) => [
      r.set_name,
      r.document,
    ]);
  }

  addEvent(alertId: number, at: string, kind: string, detail: Record<string, unknown> = {}): void {
    this.stmt('INSERT INTO alert_events (alert_id, at, kind, detail) VALUES (?, ?, ?, ?)').run(alertId, at, kind, JSON.stringify(detail));
  }

  events(alertId: number): AlertEvent[] {
    return (this.stmt('SELECT at, kind, detail FROM alert_events WHERE alert_id = ? ORDER BY id').all(alertId) as { at: string; kind: string; detail: string }[]).map((r) => ({
      at: r.at,
      kind: r.kind,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  // ---- cases --------------------------------------------------------------------------

  openCase(at: string): number {
    return Number(this.stmt('INSERT INTO cases (opened_at, updated_at) VALUES (?, ?)').run(at, at).lastInsertRowid);
  }

  /**
   * Live cases holding an alert (other than `exceptAlertId`) that exposes one of `keys`,
   * oldest first. Alerts always point at a live case (merges move them), so no chasing.
   */
  casesTouching(keys: readonly DocumentKey[], exceptAlertId = -1): number[] {
    if (keys.length === 0) return [];
    const rows = this.stmt(
      `SELECT DISTINCT c.id, c.opened_at FROM json_each(?) j
         JOIN alert_documents d ON d.set_name = json_extract(j.value, '$[0]') AND d.document = json_extract(j.value, '$[1]')
         JOIN alerts a ON a.id = d.alert_id
         JOIN cases c ON c.id = a.case_id
       WHERE a.id != ? ORDER BY c.opened_at, c.id`,
    ).all(JSON.stringify(keys), exceptAlertId) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** The oldest of `caseIds` (opened first): it survives a merge, so old case ids stay valid longest. */
  oldestCase(caseIds: readonly number[]): number | undefined {
    const r = this.stmt(`SELECT id FROM cases WHERE id IN (SELECT value FROM json_each(?)) ORDER BY opened_at, id LIMIT 1`).get(JSON.stringify(caseIds)) as { id: number } | undefined;
    return r?.id;
  }

  /** Folds `others` into `survivor`: their alerts move, they point to it, the merge is recorded. */
  mergeCases(survivor: number, others: readonly number[], bridgingAlertId: number, at: string): void {
    for (const other of others) {
      const moved = this.stmt('SELECT id FROM alerts WHERE case_id = ?').all(other) as { id: number }[];
      this.stmt('UPDATE alerts SET case_id = ? WHERE case_id = ?').run(survivor, other);
      // Earlier merges into `other` now resolve to the survivor in one hop.
      this.stmt('UPDATE cases SET merged_into = ? WHERE merged_into = ?').run(survivor, other);
      this.stmt('UPDATE cases SET merged_into = ?, merged_at = ?, updated_at = ? WHERE id = ?').run(survivor, at, at, other);
      this.stmt('INSERT INTO case_merges (case_id, merged_case_id, alert_id, at) VALUES (?, ?, ?, ?)').run(survivor, other, bridgingAlertId, at);
      for (const a of moved) this.addEvent(a.id, at, 'case-merged', { from: other, into: survivor, bridgingAlert: bridgingAlertId });
    }
  }

  setAlertCase(alertId: number, caseId: number): void {
    this.stmt('UPDATE alerts SET case_id = ? WHERE id = ?').run(caseId, alertId);
  }

  touchCase(caseId: number, at: string): void {
    this.stmt('UPDATE cases SET updated_at = MAX(updated_at, ?) WHERE id = ?').run(at, caseId);
  }

  /** Follows merged_into, so an id from an old ticket still finds its case. */
  liveCaseId(caseId: number): number | undefined {
    const r = this.stmt('SELECT id, merged_into FROM cases WHERE id = ?').get(caseId) as { id: number; merged_into: number | null } | undefined;
    if (!r) return undefined;
    return r.merged_into ?? r.id;
  }

  // ---- reading alerts -------------------------------------------------------------------

  private summaryOf(r: AlertRow): AlertSummary {
    return {
      id: r.id,
      uid: r.uid,
      version: r.version,
      caseId: r.case_id,
      siteId: r.site_id,
      severity: r.severity,
      status: r.status,
      sampleSha256: r.sample_sha256,
      sampleUrl: r.sample_url,
      mirrorUrl: r.mirror_url,
      postTitle: r.post_title,
      postUrl: r.post_url,
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
      seenCount: r.seen_count,
      documentCount: this.distinctDocumentCount(r.id),
      ackedAt: r.acked_at,
      ackedBy: r.acked_by,
      ackNote: r.ack_note,
    };
  }

  alert(id: number): AlertSummary | undefined {
    const r = this.stmt('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return r ? this.summaryOf(r) : undefined;
  }

  alertDetail(id: number): AlertDetail | undefined {
    const summary = this.alert(id);
    if (!summary) return undefined;
    return { ...summary, sightings: this.sightings(id), documents: bestPerDocument(this.documentRows(id)) };
  }

  sightings(alertId: number): AlertSighting[] {
    const rows = this.stmt('SELECT * FROM alert_sightings WHERE alert_id = ? ORDER BY first_seen_at, id').all(alertId) as {
      mirror_url: string;
      post_id: number | null;
      post_title: string | null;
      post_url: string | null;
      sample_url: string;
      first_seen_at: string;
      last_seen_at: string;
      seen_count: number;
    }[];
    return rows.map((r) => ({
      mirrorUrl: r.mirror_url,
      postId: r.post_id,
      postTitle: r.post_title,
      postUrl: r.post_url,
      sampleUrl: r.sample_url,
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
      seenCount: r.seen_count,
    }));
  }

  /** Newest activity first. */
  listAlerts(filter: { status?: AlertStatus; caseId?: number } = {}): AlertSummary[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.status) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.caseId !== undefined) {
      where.push('case_id = ?');
      args.push(filter.caseId);
    }
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_seen_at DESC, id DESC`;
    return (this.stmt(sql).all(...args) as AlertRow[]).map((r) => this.summaryOf(r));
  }

  /** Returns false when there is no such alert. Acking twice keeps the first ack's time. */
  ack(id: number, at: string, by: string | undefined, note: string | undefined): boolean {
    return this.transaction(() => {
      const changed = this.stmt(
        `UPDATE alerts SET status = 'acked', acked_at = COALESCE(acked_at, ?), acked_by = COALESCE(?, acked_by), ack_note = COALESCE(?, ack_note) WHERE id = ?`,
      ).run(at, by ?? null, note ?? null, id).changes;
      if (changed === 0) return false;
      this.addEvent(id, at, 'acked', { ...(by ? { by } : {}), ...(note ? { note } : {}) });
      return true;
    });
  }
}
