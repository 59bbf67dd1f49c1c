import { ALERT_DELIVERY_DEFAULTS } from '../config/schema.js';
import type { AlertStore } from '../store/alert-store.js';
import type { CrawlStore } from '../store/crawl-store.js';
import type { AlertChannel } from './channels/channel.js';
import { silentLogger } from './logger.js';
import { deliverPending, type DeliverOptions, type DeliverySummary } from './outbox.js';

/**
 * The daemon's delivery timer: a pass every `intervalMs` until the signal fires. A pass that
 * fills its budget (maxPerRun) is followed at once by another, so a backlog drains without
 * waiting a full interval per batch. Errors (a locked or broken database) are logged and the
 * loop goes on: delivery must never take the daemon down, and the outbox keeps every row.
 */
export async function runDeliveryLoop(
  store: AlertStore | CrawlStore,
  channels: readonly AlertChannel[],
  options: DeliverOptions & { intervalMs: number; signal: AbortSignal; onPass?: (s: DeliverySummary) => void },
): Promise<void> {
  const logger = options.logger ?? silentLogger;
  const budget = options.maxPerRun ?? ALERT_DELIVERY_DEFAULTS.maxPerRun;
  while (!options.signal.aborted) {
    let full = false;
    try {
      const summary = await deliverPending(store, channels, options);
      options.onPass?.(summary);
      full = summary.attempted >= budget && !summary.interrupted;
    } catch (err) {
      logger.error({ error: err instanceof Error ? err.message : String(err) }, 'alert delivery pass failed; retrying at the next interval');
    }
    if (full) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, options.intervalMs);
      function done(): void {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', done);
        resolve();
      }
      options.signal.addEventListener('abort', done, { once: true });
    });
  }
}
