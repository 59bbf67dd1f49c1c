import { FatalError } from '../errors.js';
import type { SampleResult } from '../match/types.js';
import { AlertStore, bestPerDocument, type DocumentKey } from '../store/alert-store.js';
import type { CrawlStore } from '../store/crawl-store.js';
import { alertRecordSummary, sampleRecordSummary } from '../store/sample-records.js';
import { buildNotification } from './notification.js';
import { enqueueNotification } from './outbox-store.js';
import { DEFAULT_SEVERITY_RULE, severityOf } from './severity.js';
import { SEVERITY_RANK, type AlertMatchInput, type AlertPolicy, type NotificationEvent, type RaiseAlertInput, type RaiseAlertResult, type Severity } from './types.js';

/**
 * Turns a matched sample sighting into an alert, in ONE transaction with its documents, case
 * and outbox rows — so a crash never leaves an alert that nobody will be told about, and a
 * notification is never queued for an alert that was rolled back.
 *
 * Identity is (site, sample SHA-256). The same sample seen again on the same site (another
 * post, URL or mirror) updates the alert; any other (site, sample) is a new alert, grouped
 * into the case of every alert it shares a known document with (merging cases if several).
 */

export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  channels: [],
  notifyOnSeenAgain: 'never',
  notifyOnEscalation: true,
  severity: DEFAULT_SEVERITY_RULE,
};

function documentKeys(matches: readonly AlertMatchInput[]): DocumentKey[] {
  const seen = new Map<string, DocumentKey>();
  for (const m of matches) seen.set(`${m.set}\u0000${m.document}`, [m.set, m.document]);
  return [...seen.values()];
}

/** Channels told about an alert of this severity. */
function recipients(policy: AlertPolicy, severity: Severity): string[] {
  return policy.channels.filter((c) => SEVERITY_RANK[severity] >= SEVERITY_RANK[c.minSeverity]).map((c) => c.name);
}

/**
 * The case an alert belongs to: the oldest of the cases its documents touch (plus its current
 * one), or a new case. `others` must then be merged into it, once the alert id is known.
 */
function chooseCase(store: AlertStore, alertId: number | undefined, currentCase: number | undefined, keys: readonly DocumentKey[], at: string): { caseId: number; others: number[] } {
  const touching = new Set(store.casesTouching(keys, alertId ?? -1));
  if (currentCase !== undefined) touching.add(currentCase);
  const caseId = store.oldestCase([...touching]) ?? store.openCase(at);
  return { caseId, others: [...touching].filter((c) => c !== caseId) };
}

function enqueue(store: AlertStore, alertId: number, event: NotificationEvent, policy: AlertPolicy, at: string): boolean {
  const detail = store.alertDetail(alertId);
  if (!detail) return false;
  const to = recipients(policy, detail.severity);
  if (to.length === 0) return false;
  return enqueueNotification(store, buildNotification(detail, event, at, alertRecordSummary(store.db, alertId)), to, at) > 0;
}

/**
 * Severity from exposed patient records (docs/alerts.md): 100 or more people is critical (a
 * bulk dump of the patient table), 10 or more high, fewer medium — each one is a person to
 * notify, but a handful is typically a "proof" teaser.
 */
export function recordSeverity(count: number): Severity {
  if (count >= 100) return 'critical';
  if (count >= 10) return 'high';
  return count > 0 ? 'medium' : 'low';
}

function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

export function raiseAlerts(target: AlertStore | CrawlStore, input: RaiseAlertInput, policy: AlertPolicy = DEFAULT_ALERT_POLICY): RaiseAlertResult {
  const records = input.exposedRecords ?? 0;
  if (input.matches.length === 0 && records === 0) throw new FatalError('E_USAGE', 'raiseAlerts needs at least one match or exposed record');
  const store = AlertStore.of(target);
  const keys = documentKeys(input.matches);
  const sighting = { mirrorUrl: input.mirrorUrl, sampleUrl: input.sample.url, at: input.at, ...(input.post ? { post: input.post } : {}) };

  return store.transaction((): RaiseAlertResult => {
    const existing = store.alertIdBySample(input.siteId, input.sample.sha256);

    if (existing === undefined) {
      const docSeverity = input.matches.length ? severityOf(bestPerDocument(input.matches.map((m) => ({ ...m, memberSha256: m.memberSha256 ?? null, firstSeenAt: input.at }))), policy.severity) : 'low';
      const severity = records ? maxSeverity(docSeverity, recordSeverity(records)) : docSeverity;
      // Cases are found before the insert: the new alert has no documents yet to match itself.
      const { caseId, others: merged } = chooseCase(store, undefined, undefined, keys, input.at);
      const alertId = store.insertAlert({
        siteId: input.siteId,
        sampleSha256: input.sample.sha256,
        ...(input.sample.id !== undefined ? { sampleId: input.sample.id } : {}),
        caseId,
        severity,
        mirrorUrl: input.mirrorUrl,
        ...(input.post ? { post: input.post } : {}),
        sampleUrl: input.sample.url,
        at: input.at,
      });
      store.mergeCases(caseId, merged, alertId, input.at);
      store.addDocuments(alertId, input.matches, input.at);
      store.upsertSighting(alertId, sighting);
      store.touchCase(caseId, input.at);
      store.addEvent(alertId, input.at, 'created', { severity, caseId, documents: keys.length, ...(records ? { exposedRecords: records } : {}), ...(merged.length ? { mergedCases: merged } : {}) });
      const notify = enqueue(store, alertId, 'alert.new', policy, input.at);
      return { alertId, isNew: true, caseId, notify, severity, mergedCaseIds: merged };
    }

    const before = store.alert(existing);
    if (!before) throw new FatalError('E_STORE', `alert ${existing} vanished inside a transaction`);
    const seen = store.upsertSighting(existing, sighting);
    const addedDocs = store.addDocuments(existing, input.matches, input.at);
    if (seen.replay && addedDocs === 0) {
      // The same call again (a retried crawler step): nothing new happened.
      return { alertId: existing, isNew: false, caseId: before.caseId, notify: false, severity: before.severity, mergedCaseIds: [] };
    }
    const docRows = store.documentRows(existing);
    const docSeverity = docRows.length ? severityOf(bestPerDocument(docRows), policy.severity) : 'low';
    const severity = maxSeverity(docSeverity, recordSeverity(Math.max(records, alertRecordSummary(store.db, existing).count)));
    store.updateAlertSeen(existing, input.at, seen.replay ? 0 : 1, severity);
    let caseId = before.caseId;
    let merged: number[] = [];
    if (addedDocs > 0) {
      ({ caseId, others: merged } = chooseCase(store, existing, before.caseId, store.documentKeys(existing), input.at));
      store.mergeCases(caseId, merged, existing, input.at);
      store.setAlertCase(existing, caseId);
    }
    store.touchCase(caseId, input.at);
    const escalated = addedDocs > 0 || SEVERITY_RANK[severity] > SEVERITY_RANK[before.severity];
    if (!seen.replay) {
      store.addEvent(existing, input.at, 'seen-again', { mirror: input.mirrorUrl, sampleUrl: input.sample.url, postUrl: input.post?.url ?? null, newMirror: seen.mirrorIsNew });
    }
    if (escalated) store.addEvent(existing, input.at, 'escalated', { from: before.severity, to: severity, documentsAdded: addedDocs });

    let event: NotificationEvent | undefined;
    if (escalated && policy.notifyOnEscalation) event = 'alert.escalated';
    else if (!seen.replay && (policy.notifyOnSeenAgain === 'always' || (policy.notifyOnSeenAgain === 'new-mirror' && seen.mirrorIsNew))) event = 'alert.seen-again';
    const notify = event ? enqueue(store, existing, event, policy, input.at) : false;
    return { alertId: existing, isNew: false, caseId, notify, severity, mergedCaseIds: merged };
  });
}

/** Flattens the matcher's per-member results into raiseAlerts' input. */
export function matchesFromResults(results: readonly SampleResult[]): AlertMatchInput[] {
  return results.flatMap((r) => r.matches.map((m) => ({ ...m, memberPath: r.path, memberSha256: r.sha256 })));
}

/**
 * For a sample whose matches are already in the crawl database (`matches` table): raises or
 * updates its alert from them. Returns undefined when the sample has no matches — the crawler
 * can call this on every sighting of a matched sample without re-running the matcher.
 */
export function raiseAlertsForSample(
  target: AlertStore | CrawlStore,
  input: { siteId: string; sampleId: number; mirrorUrl: string; post?: RaiseAlertInput['post']; sampleUrl: string; at: string },
  policy: AlertPolicy = DEFAULT_ALERT_POLICY,
): RaiseAlertResult | undefined {
  const store = AlertStore.of(target);
  const sample = store.stmt('SELECT sha256 FROM samples WHERE id = ?').get(input.sampleId) as { sha256: string } | undefined;
  if (!sample) throw new FatalError('E_USAGE', `no sample ${input.sampleId} in the crawl database`);
  const rows = store.stmt('SELECT * FROM matches WHERE sample_id = ?').all(input.sampleId) as {
    member_path: string;
    member_sha256: string;
    set_name: string;
    document: string;
    document_sha256: string;
    method: AlertMatchInput['method'];
    score: number;
    explanation: string;
    details: string;
  }[];
  const records = sampleRecordSummary(store.db, input.sampleId).count;
  if (rows.length === 0 && records === 0) return undefined;
  const matches: AlertMatchInput[] = rows.map((r) => ({
    set: r.set_name,
    document: r.document,
    documentSha256: r.document_sha256,
    method: r.method,
    score: r.score,
    explanation: r.explanation,
    details: JSON.parse(r.details) as AlertMatchInput['details'],
    memberPath: r.member_path,
    memberSha256: r.member_sha256,
  }));
  return raiseAlerts(
    store,
    { siteId: input.siteId, mirrorUrl: input.mirrorUrl, ...(input.post ? { post: input.post } : {}), sample: { id: input.sampleId, sha256: sample.sha256, url: input.sampleUrl }, matches, ...(records ? { exposedRecords: records } : {}), at: input.at },
    policy,
  );
}
