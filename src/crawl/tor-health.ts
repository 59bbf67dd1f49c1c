import type { LeakwatchConfig } from '../config/load.js';
import { errorMessage } from '../errors.js';
import { torControlEndpoint } from '../fetch/from-config.js';
import { TorControl, type BootstrapStatus } from '../fetch/tor-control.js';
import type { CrawlStore } from '../store/crawl-store.js';
import { consecutiveFailedRuns } from '../store/status-queries.js';
import type { Logger } from './types.js';

/**
 * Before a crawl, when the config names Tor's control port: read the client's bootstrap phase
 * (a restarted Tor answers SOCKS before it can build circuits, so the SOCKS preflight alone
 * cannot tell "starting" from "ready"), and send NEWNYM when a site about to be crawled failed
 * its last run. NEWNYM matters for onion sites that were briefly offline: after a descriptor
 * lookup fails, Tor does not ask those HSDirs again for 15 minutes, so without it a site that
 * came back stays "offline" to us for that long — and the circuits that kept failing are
 * replaced. None of this is a gate: the SOCKS preflight already failed closed if Tor is down,
 * so a control-port problem is logged and the crawl goes on.
 */

export interface TorHealth {
  /** Absent when no control port is configured or it could not be read. */
  bootstrap?: BootstrapStatus;
  /** Sites whose last run failed; NEWNYM was sent for them. */
  newnymFor: string[];
  /** Why the control port could not be used (logged as a warning). */
  controlError?: string;
}

export interface TorHealthOptions {
  config: LeakwatchConfig;
  siteIds: readonly string[];
  store: CrawlStore;
  log: Logger;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function checkTorHealth(o: TorHealthOptions): Promise<TorHealth> {
  const endpoint = torControlEndpoint(o.config.tor);
  if (!endpoint) return { newnymFor: [] };
  const failing = o.siteIds.filter((id) => consecutiveFailedRuns(o.store.db, id, 1) > 0);
  const timeoutMs = o.timeoutMs ?? 5000;
  let control: TorControl | undefined;
  try {
    control = await TorControl.connect(endpoint, { timeoutMs, ...(o.signal ? { signal: o.signal } : {}) });
    const bootstrap = await control.bootstrapStatus(timeoutMs);
    if (bootstrap.progress < 100) {
      o.log.warn({ bootstrap: bootstrap.progress, tag: bootstrap.tag, warning: bootstrap.warning }, `Tor is still bootstrapping (${bootstrap.progress}%: ${bootstrap.summary}); requests wait until it has circuits`);
    } else {
      o.log.info({ bootstrap: bootstrap.progress }, 'Tor client bootstrapped');
    }
    if (failing.length > 0) {
      await control.newnym(timeoutMs);
      o.log.info({ sites: failing }, 'asked Tor for fresh circuits and onion lookups (NEWNYM): these sites failed their last run');
    }
    return { bootstrap, newnymFor: failing };
  } catch (err) {
    const controlError = errorMessage(err);
    o.log.warn({ err: controlError }, `Tor control port not usable, crawling without it: ${controlError}`);
    return { newnymFor: [], controlError };
  } finally {
    control?.close();
  }
}
