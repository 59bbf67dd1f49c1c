import type { AlertDetail, AlertNotification, NotificationEvent } from './types.js';

/**
 * Caps on what one notification carries: a dump can match thousands of documents, and a
 * Slack message or webhook body that large is rejected or unreadable. The full list is in
 * `leakwatch alerts show`.
 */
export const NOTIFICATION_MAX_DOCUMENTS = 50;
export const NOTIFICATION_MAX_SIGHTINGS = 20;

/** `<alert uid>.v<version>`: the same id on every retry and every channel. */
export function notificationId(alertUid: string, version: number): string {
  return `${alertUid}.v${version}`;
}

export function buildNotification(a: AlertDetail, event: NotificationEvent, createdAt: string, exposedRecords?: { count: number; fields: Record<string, number> }): AlertNotification {
  const documents = a.documents.slice(0, NOTIFICATION_MAX_DOCUMENTS).map((d) => ({
    set: d.set,
    document: d.document,
    documentSha256: d.documentSha256,
    method: d.method,
    score: d.score,
    explanation: d.explanation,
    member: d.memberPath,
  }));
  // Newest sightings are the news; keep those when capping.
  const recent = [...a.sightings].sort((x, y) => (x.lastSeenAt < y.lastSeenAt ? 1 : x.lastSeenAt > y.lastSeenAt ? -1 : 0)).slice(0, NOTIFICATION_MAX_SIGHTINGS);
  return {
    id: notificationId(a.uid, a.version),
    type: 'leakwatch.alert',
    event,
    createdAt,
    alert: {
      id: a.id,
      uid: a.uid,
      version: a.version,
      caseId: a.caseId,
      severity: a.severity,
      status: a.status,
      site: a.siteId,
      mirror: a.mirrorUrl,
      post: a.postTitle !== null ? { title: a.postTitle, url: a.postUrl } : null,
      sample: { url: a.sampleUrl, sha256: a.sampleSha256 },
      firstSeenAt: a.firstSeenAt,
      lastSeenAt: a.lastSeenAt,
      seenCount: a.seenCount,
      documentCount: a.documents.length,
      documents,
      documentsOmitted: a.documents.length - documents.length,
      ...(exposedRecords && exposedRecords.count > 0 ? { exposedRecords } : {}),
      sightings: recent.map((s) => ({ mirror: s.mirrorUrl, postUrl: s.postUrl, sampleUrl: s.sampleUrl, firstSeenAt: s.firstSeenAt, lastSeenAt: s.lastSeenAt })),
      sightingsOmitted: a.sightings.length - recent.length,
    },
  };
}

const EVENT_TEXT: Record<NotificationEvent, string> = {
  'alert.new': 'published',
  'alert.seen-again': 'seen again',
  'alert.escalated': 'escalated',
};

/** One line for subjects, Slack's fallback text and logs: severity, what, where. */
export function headline(n: AlertNotification): string {
  const a = n.alert;
  const people = a.exposedRecords ? `${a.exposedRecords.count} patient record${a.exposedRecords.count === 1 ? '' : 's'}` : '';
  const docs = a.documentCount === 0 && people ? people : `${a.documentCount} known document${a.documentCount === 1 ? '' : 's'}${people ? ` and ${people}` : ''}`;
  return `${a.severity.toUpperCase()}: ${docs} ${EVENT_TEXT[n.event]} on ${a.site}${a.post ? ` ("${a.post.title}")` : ''} — alert ${a.id}, case ${a.caseId}`;
}

/** Plain-text body (email, logs): every fact a responder needs, no formatting tricks. */
export function plainText(n: AlertNotification): string {
  const a = n.alert;
  const lines = [
    headline(n),
    '',
    `Site:        ${a.site}`,
    `Mirror:      ${a.mirror}`,
    ...(a.post ? [`Post:        ${a.post.title}${a.post.url ? ` <${a.post.url}>` : ''}`] : []),
    `Sample:      ${a.sample.url}`,
    `SHA-256:     ${a.sample.sha256}`,
    `First seen:  ${a.firstSeenAt}`,
    `Last seen:   ${a.lastSeenAt} (${a.seenCount} sighting${a.seenCount === 1 ? '' : 's'})`,
    `Severity:    ${a.severity}`,
    `Case:        ${a.caseId}`,
    '',
    'Matched documents:',
    ...a.documents.map((d) => `  - [${d.set}] ${d.document} — ${d.method} ${d.score.toFixed(2)}: ${d.explanation}`),
    ...(a.documentsOmitted > 0 ? [`  … and ${a.documentsOmitted} more (leakwatch alerts show ${a.id})`] : []),
    ...(a.exposedRecords
      ? ['', `Exposed patient records: ${a.exposedRecords.count} (fields: ${Object.entries(a.exposedRecords.fields).map(([f, n]) => `${f} ${n}`).join(', ')}); list them with leakwatch affected --case ${a.caseId}`]
      : []),
    '',
    `Notification id: ${n.id} (the same on every retry; deduplicate on it)`,
    `Acknowledge: leakwatch alerts ack ${a.id} --by <name>`,
  ];
  return lines.join('\n') + '\n';
}
