import type { RecordAppearanceRow } from '../store/sample-records.js';
import { exposureLevel, type ExposureLevel } from './kinds.js';

/**
 * `leakwatch affected`: the records a case exposes, one line per record (set + record key),
 * with every field seen, where and when — what the victim maps back to people and notifies.
 * Pure: appearance rows in, report out.
 */

export interface AffectedAppearance {
  site: string;
  alertId: number;
  postTitle: string | null;
  postUrl: string | null;
  sampleUrl: string;
  sampleSha256: string;
  memberPath: string;
  fields: string[];
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface AffectedRecord {
  set: string;
  recordKey: string;
  practice: string | null;
  fields: string[];
  /** confirmed (a unique identifier among the fields) or possible (name + date of birth only). */
  level: ExposureLevel;
  firstSeenAt: string;
  lastSeenAt: string;
  appearances: AffectedAppearance[];
}

export interface AffectedReport {
  caseId: number;
  records: AffectedRecord[];
  /** Records per practice (null: the table has no practice column or the cell was empty). */
  perPractice: { practice: string | null; records: number }[];
  /** Records per identifying field exposed. */
  perField: Record<string, number>;
  /** Records per exposure level: notices go to `confirmed`; `possible` ones need review. */
  perLevel: Record<ExposureLevel, number>;
}

export function affectedReport(caseId: number, rows: readonly RecordAppearanceRow[]): AffectedReport {
  const byKey = new Map<string, AffectedRecord>();
  for (const r of rows) {
    const k = `${r.recordSet}\u0000${r.recordKey}`;
    let rec = byKey.get(k);
    if (!rec) {
      rec = { set: r.recordSet, recordKey: r.recordKey, practice: r.practice, fields: [], level: 'possible', firstSeenAt: r.firstSeenAt, lastSeenAt: r.lastSeenAt, appearances: [] };
      byKey.set(k, rec);
    }
    const fields = r.fields.split(',').filter(Boolean);
    for (const f of fields) if (!rec.fields.includes(f)) rec.fields.push(f);
    if (r.firstSeenAt < rec.firstSeenAt) rec.firstSeenAt = r.firstSeenAt;
    if (r.lastSeenAt > rec.lastSeenAt) rec.lastSeenAt = r.lastSeenAt;
    rec.appearances.push({ site: r.siteId, alertId: r.alertId, postTitle: r.postTitle, postUrl: r.postUrl, sampleUrl: r.sampleUrl, sampleSha256: r.sampleSha256, memberPath: r.memberPath, fields, firstSeenAt: r.firstSeenAt, lastSeenAt: r.lastSeenAt });
  }
  const records = [...byKey.values()].sort((a, b) => a.set.localeCompare(b.set) || a.recordKey.localeCompare(b.recordKey));
  const perLevel: Record<ExposureLevel, number> = { confirmed: 0, possible: 0 };
  for (const r of records) {
    r.fields.sort();
    // Every field of every appearance came from a pair of fields seen together, so a unique
    // identifier anywhere among them was seen with another field of this record.
    r.level = exposureLevel(r.fields);
    perLevel[r.level]++;
  }
  const practices = new Map<string | null, number>();
  const perField: Record<string, number> = {};
  for (const r of records) {
    practices.set(r.practice, (practices.get(r.practice) ?? 0) + 1);
    for (const f of r.fields) perField[f] = (perField[f] ?? 0) + 1;
  }
  const perPractice = [...practices].map(([practice, n]) => ({ practice, records: n })).sort((a, b) => b.records - a.records || String(a.practice).localeCompare(String(b.practice)));
  return { caseId, records, perPractice, perField, perLevel };
}

function csvCell(v: string): string {
  // A leading =, +, - or @ would be a formula in a spreadsheet: leak-site text is hostile.
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const AFFECTED_CSV_COLUMNS = ['record_set', 'record_key', 'practice', 'fields_exposed', 'first_seen', 'last_seen', 'appearances', 'sites', 'sample_urls', 'sample_sha256', 'members', 'exposure'] as const;

/** One line per record; lists are joined with " | ". */
export function affectedCsv(report: AffectedReport): string {
  const uniq = (xs: string[]): string => [...new Set(xs)].join(' | ');
  const lines = [AFFECTED_CSV_COLUMNS.join(',')];
  for (const r of report.records) {
    lines.push(
      [
        r.set,
        r.recordKey,
        r.practice ?? '',
        r.fields.join(' '),
        r.firstSeenAt,
        r.lastSeenAt,
        String(r.appearances.length),
        uniq(r.appearances.map((a) => a.site)),
        uniq(r.appearances.map((a) => a.sampleUrl)),
        uniq(r.appearances.map((a) => a.sampleSha256)),
        uniq(r.appearances.map((a) => a.memberPath)),
        r.level,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
