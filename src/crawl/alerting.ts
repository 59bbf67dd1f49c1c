import { alertPolicy, closeChannels, createChannels, deliverPending, matchesFromResults, raiseAlerts, retryPolicyOf } from '../alert/index.js';
import type { AlertsSettings } from '../config/schema.js';
import type { CrawlStore } from '../store/crawl-store.js';
import type { Logger, MatchedSample } from './types.js';

export interface AlertingOptions {
  settings: AlertsSettings;
  /** Values the config took from the environment: redacted from every delivery error. */
  secrets: readonly string[];
  log: Logger;
  clock: () => Date;
  signal?: AbortSignal;
}

/**
 * The crawler's link to the alert stage: every matched sample raises (or refreshes) its alert
 * in the same database; after the run, pending notifications are delivered. A channel that is
 * down only delays its own notifications (they stay in the outbox for the next pass).
 */
export function createAlerting(o: AlertingOptions): {
  onMatched(store: CrawlStore, m: MatchedSample): void;
  deliver(store: CrawlStore): Promise<void>;
  close(): Promise<void>;
} {
  const policy = alertPolicy(o.settings);
  const channels = createChannels(o.settings, { logger: o.log, clock: { nowMs: () => o.clock().getTime() } });
  return {
    onMatched(store, m) {
      const matches = matchesFromResults(m.results);
      // A sample exposing patient records alerts even when it matches no known document.
      const exposedRecords = new Set((m.records ?? []).map((r) => `${r.set}\u0000${r.recordKey}`)).size;
      if (matches.length === 0 && exposedRecords === 0) return;
      const r = raiseAlerts(
        store,
        {
          siteId: m.siteId,
          mirrorUrl: m.mirrorUrl,
          ...(m.post ? { post: { id: m.post.id, title: m.post.title, ...(m.post.url ? { url: m.post.url } : {}) } } : {}),
          sample: { id: m.sample.id, sha256: m.sample.sha256, url: m.sample.url },
          matches,
          ...(exposedRecords ? { exposedRecords } : {}),
          at: m.at,
        },
        policy,
      );
      o.log.info({ site: m.siteId, alert: r.alertId, case: r.caseId, severity: r.severity, isNew: r.isNew }, r.isNew ? 'alert raised' : 'alert seen again');
    },
    async deliver(store) {
      const s = await deliverPending(store, channels, {
        logger: o.log,
        secrets: o.secrets,
        retry: retryPolicyOf(o.settings),
        maxPerRun: o.settings.delivery.maxPerRun, clock: { nowMs: () => o.clock().getTime() }, ...(o.signal ? { signal: o.signal } : {}) });
      if (s.attempted) o.log.info({ ...s }, 'alert deliveries');
    },
    async close() {
      await closeChannels(channels);
    },
  };
}
