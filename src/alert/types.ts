import type { Match, MatchMethod } from '../match/types.js';

/** Ordered weakest first; the rule that assigns them is in severity.ts (and docs/alerts.md). */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export type AlertStatus = 'open' | 'acked';

/** A match of one member of a published sample (the sample itself, or a file inside an archive). */
export interface AlertMatchInput extends Match {
  /** Path of the member inside the sample ("" or the file name for a plain file). */
  memberPath: string;
  memberSha256?: string;
}

export interface RaiseAlertInput {
  siteId: string;
  mirrorUrl: string;
  /** The post the sample was linked from; absent for samples found outside a post. */
  post?: { id?: number; title: string; url?: string };
  sample: { id?: number; sha256: string; url: string };
  matches: readonly AlertMatchInput[];
  /**
   * Records of the victim's patient table the sample exposes (stored by the crawler in
   * sample_records). With no document matches, this alone raises the alert.
   */
  exposedRecords?: number;
  /** ISO 8601 time of this sighting (the crawler's capture time). */
  at: string;
}

export interface RaiseAlertResult {
  alertId: number;
  isNew: boolean;
  caseId: number;
  /** Whether at least one notification was put in the outbox. */
  notify: boolean;
  severity: Severity;
  /** Cases folded into `caseId` because this alert's documents touched them. */
  mergedCaseIds: number[];
}

export type NotificationEvent = 'alert.new' | 'alert.seen-again' | 'alert.escalated';

/** Thresholds of the severity rule; defaults in severity.ts, configurable under alerts.severity. */
export interface SeverityRule {
  /** This many distinct documents matched by exact/text/near make an alert critical. */
  criticalDocuments: number;
  /** Partial and image matches at or above this score count as strong. */
  strongScore: number;
  /** Case-insensitive regular expressions over the document path that mark identity documents. */
  identityDocuments: readonly string[];
}

/** What raiseAlerts needs to know beyond the sighting: who is told, and when. */
export interface AlertPolicy {
  channels: readonly { name: string; minSeverity: Severity }[];
  /** A seen-again update notifies: never (default), when the mirror is new for the alert, or always. */
  notifyOnSeenAgain: 'never' | 'new-mirror' | 'always';
  /** An update that raises the severity or adds documents notifies (default true). */
  notifyOnEscalation: boolean;
  severity: SeverityRule;
}

/** One matched document of an alert, best match across the sample's members. */
export interface AlertDocument {
  set: string;
  document: string;
  documentSha256: string;
  method: MatchMethod;
  score: number;
  explanation: string;
  memberPath: string;
  memberSha256: string | null;
  firstSeenAt: string;
}

export interface AlertSighting {
  mirrorUrl: string;
  postId: number | null;
  postTitle: string | null;
  postUrl: string | null;
  sampleUrl: string;
  firstSeenAt: string;
  lastSeenAt: string;
  seenCount: number;
}

export interface AlertSummary {
  id: number;
  uid: string;
  version: number;
  caseId: number;
  siteId: string;
  severity: Severity;
  status: AlertStatus;
  sampleSha256: string;
  sampleUrl: string;
  mirrorUrl: string;
  postTitle: string | null;
  postUrl: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  seenCount: number;
  documentCount: number;
  ackedAt: string | null;
  ackedBy: string | null;
  ackNote: string | null;
}

export interface AlertDetail extends AlertSummary {
  sightings: AlertSighting[];
  documents: AlertDocument[];
}

/**
 * The body of every notification (the webhook's JSON, and what Slack/email/log render). Built
 * from the database only, so it can never carry a channel secret.
 */
export interface AlertNotification {
  /** Stable across retries and channels: `<alert uid>.v<version>`. Receivers dedupe on it. */
  id: string;
  type: 'leakwatch.alert';
  event: NotificationEvent;
  createdAt: string;
  alert: {
    id: number;
    uid: string;
    version: number;
    caseId: number;
    severity: Severity;
    status: AlertStatus;
    site: string;
    mirror: string;
    post: { title: string; url: string | null } | null;
    sample: { url: string; sha256: string };
    firstSeenAt: string;
    lastSeenAt: string;
    seenCount: number;
    documentCount: number;
    /** At most NOTIFICATION_MAX_DOCUMENTS, strongest first; `documentsOmitted` counts the rest. */
    documents: { set: string; document: string; documentSha256: string; method: MatchMethod; score: number; explanation: string; member: string }[];
    documentsOmitted: number;
    /** Records (people) of the victim's patient table the sample exposes, and per field how many. */
    exposedRecords?: { count: number; fields: Record<string, number> };
    sightings: { mirror: string; postUrl: string | null; sampleUrl: string; firstSeenAt: string; lastSeenAt: string }[];
    sightingsOmitted: number;
  };
}
