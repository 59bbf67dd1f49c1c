import type Database from 'better-sqlite3';

/**
 * SQL of the records a published sample exposes (crawl database, migration v3): written by
 * the crawler, read by alerts (how many people a sample exposes), `leakwatch affected` and the
 * legal report. Records are named by the victim's record key; no identifying value is here.
 */

export interface SampleRecordInput {
  set: string;
  recordKey: string;
  practice: string | null;
  fields: readonly string[];
  memberPath: string;
  memberSha256: string;
}

/** Stores a sample's exposed records (idempotent: a record already stored keeps its first time). */
export function addSampleRecords(db: Database.Database, sampleId: number, records: readonly SampleRecordInput[], at: string): number {
  const ins = db.prepare(
    `INSERT INTO sample_records (sample_id, record_set, record_key, practice, fields, member_path, member_sha256, found_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  return db.transaction(() => {
    let added = 0;
    for (const r of records) added += ins.run(sampleId, r.set, r.recordKey, r.practice, [...r.fields].sort().join(','), r.memberPath, r.memberSha256, at).changes;
    return added;
  })();
}

export interface ExposedRecordSummary {
  /** Distinct records (set + record key). */
  count: number;
  /** How many of those records had each identifying field exposed. */
  fields: Record<string, number>;
}

function summarise(rows: readonly { record_set: string; record_key: string; fields: string }[]): ExposedRecordSummary {
  const byRecord = new Map<string, Set<string>>();
  for (const r of rows) {
    const k = `${r.record_set}\u0000${r.record_key}`;
    let s = byRecord.get(k);
    if (!s) byRecord.set(k, (s = new Set()));
    for (const f of r.fields.split(',')) if (f) s.add(f);
  }
  const fields: Record<string, number> = {};
  for (const s of byRecord.values()) for (const f of s) fields[f] = (fields[f] ?? 0) + 1;
  return { count: byRecord.size, fields };
}

export function sampleRecordSummary(db: Database.Database, sampleId: number): ExposedRecordSummary {
  return summarise(db.prepare('SELECT record_set, record_key, fields FROM sample_records WHERE sample_id = ?').all(sampleId) as { record_set: string; record_key: string; fields: string }[]);
}

/** Records exposed by an alert's sample (found through the alert's sample id). */
export function alertRecordSummary(db: Database.Database, alertId: number): ExposedRecordSummary {
  return summarise(
    db.prepare('SELECT r.record_set, r.record_key, r.fields FROM alerts a JOIN sample_records r ON r.sample_id = a.sample_id WHERE a.id = ?').all(alertId) as {
      record_set: string;
      record_key: string;
      fields: string;
    }[],
  );
}

/** One appearance of one record: which sample, where it was seen, in which member. */
export interface RecordAppearanceRow {
  recordSet: string;
  recordKey: string;
  practice: string | null;
  fields: string;
  memberPath: string;
  memberSha256: string;
  alertId: number;
  siteId: string;
  sampleSha256: string;
  sampleUrl: string;
  mirrorUrl: string;
  postTitle: string | null;
  postUrl: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** Every appearance of every record exposed by the alerts of a case. */
export function caseRecordAppearances(db: Database.Database, caseId: number): RecordAppearanceRow[] {
  return (
    db
      .prepare(
        `SELECT r.record_set, r.record_key, r.practice, r.fields, r.member_path, r.member_sha256, a.id AS alert_id, a.site_id, a.sample_sha256,
                s.sample_url, s.mirror_url, s.post_title, s.post_url, s.first_seen_at, s.last_seen_at
         FROM alerts a
         JOIN sample_records r ON r.sample_id = a.sample_id
         JOIN alert_sightings s ON s.alert_id = a.id
         WHERE a.case_id = ?
         ORDER BY r.record_set, r.record_key, s.first_seen_at, s.id`,
      )
      .all(caseId) as {
      record_set: string;
      record_key: string;
      practice: string | null;
      fields: string;
      member_path: string;
      member_sha256: string;
      alert_id: number;
      site_id: string;
      sample_sha256: string;
      sample_url: string;
      mirror_url: string;
      post_title: string | null;
      post_url: string | null;
      first_seen_at: string;
      last_seen_at: string;
    }[]
  ).map((r) => ({
    recordSet: r.record_set,
    recordKey: r.record_key,
    practice: r.practice,
    fields: r.fields,
    memberPath: r.member_path,
    memberSha256: r.member_sha256,
    alertId: r.alert_id,
    siteId: r.site_id,
    sampleSha256: r.sample_sha256,
    sampleUrl: r.sample_url,
    mirrorUrl: r.mirror_url,
    postTitle: r.post_title,
    postUrl: r.post_url,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
  }));
}
