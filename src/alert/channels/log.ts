import type { AlertLogger } from '../logger.js';
import { headline } from '../notification.js';
import type { AlertNotification } from '../types.js';
import type { AlertChannel, DeliveryReceipt } from './channel.js';

/**
 * Writes alerts to the log. Only facts that identify the alert — counts and hashes, not the
 * list of document paths (patient names can be in paths, and logs are kept less carefully).
 */
export class LogChannel implements AlertChannel {
  readonly type = 'log' as const;
  readonly name: string;
  readonly timeoutMs: number;
  readonly secrets: readonly string[] = [];
  private readonly logger: AlertLogger;
  private readonly level: 'info' | 'warn' | 'error';

  constructor(o: { name: string; logger: AlertLogger; level?: 'info' | 'warn' | 'error'; timeoutMs?: number }) {
    this.name = o.name;
    this.logger = o.logger;
    this.level = o.level ?? 'warn';
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  send(n: AlertNotification): Promise<DeliveryReceipt> {
    const a = n.alert;
    this.logger[this.level](
      {
        event: n.event,
        notificationId: n.id,
        alertId: a.id,
        caseId: a.caseId,
        severity: a.severity,
        site: a.site,
        mirror: a.mirror,
        sampleUrl: a.sample.url,
        sampleSha256: a.sample.sha256,
        documentCount: a.documentCount,
        firstSeenAt: a.firstSeenAt,
        lastSeenAt: a.lastSeenAt,
        seenCount: a.seenCount,
      },
      headline(n),
    );
    return Promise.resolve({});
  }
}
