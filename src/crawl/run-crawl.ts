import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LeakwatchConfig } from '../config/load.js';
import type { AlertsSettings } from '../config/schema.js';
import { FatalError } from '../errors.js';
import { checkProxy } from '../fetch/preflight.js';
import { createTransports } from '../fetch/from-config.js';
import { SampleMatcher } from '../ingest/sample-matcher.js';
import { Matcher } from '../match/matcher.js';
import { createRecordScanner, type RecordScanner } from '../records/index.js';
import { CrawlStore } from '../store/crawl-store.js';
import { FINGERPRINT_DB, FingerprintStore } from '../store/fingerprint-store.js';
import { crawlWithLock } from '../schedule/locked-crawl.js';
import { LOCK_DIR, SiteLocks } from '../schedule/site-lock.js';
import { createRunTempDir } from '../schedule/run-temp.js';
import { crawlSite } from './crawl-site.js';
import { checkTorHealth, type TorHealth } from './tor-health.js';
import type { CrawlDeps, Logger, MatchedSample, SampleKeeper, SiteRunResult } from './types.js';

export interface RunCrawlOptions {
  config: LeakwatchConfig;
  /** Site ids to crawl (default: every enabled site). */
  siteIds?: string[];
  log: Logger;
  env: NodeJS.ProcessEnv;
  clock?: () => Date;
  signal?: AbortSignal;
  /** Sites crawled at the same time (fetches are also capped globally by limits.concurrency). */
  siteConcurrency?: number;
  keeper?: SampleKeeper;
  /** Alert settings (the config's `alerts` section) and the secrets to redact. */
  alerts?: { settings: AlertsSettings; secrets: readonly string[] };
  /** More work per matched sample (evidence packages). Gets the open crawl store. */
  onMatched?: (store: CrawlStore, m: MatchedSample) => Promise<void>;
  /** Fingerprint key location (default: the store's default key file). */
  keyFile?: string;
}

export interface CrawlSummary {
  sites: SiteRunResult[];
  proxy: { host: string; port: number; tor: boolean; latencyMs: number };
  matching: boolean;
  /** Control-port findings (bootstrap phase, NEWNYM sent) when `tor.controlPort` is set. */
  tor: TorHealth;
}

/**
 * `leakwatch crawl`: check the Tor proxy first (no proxy, no fetch at all), then crawl the
 * chosen sites with bounded concurrency, matching samples against the fingerprint store.
 */
export async function runCrawl(o: RunCrawlOptions): Promise<CrawlSummary> {
  const { config } = o;
  const clock = o.clock ?? (() => new Date());
  const sites = config.sites.map((s) => s.site).filter((s) => (o.siteIds?.length ? o.siteIds.includes(s.id) : s.enabled));
  if (o.siteIds?.length) {
    const unknown = o.siteIds.filter((id) => !config.sites.some((s) => s.site.id === id));
    if (unknown.length) throw new FatalError('E_USAGE', `unknown site${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (configured: ${config.sites.map((s) => s.site.id).join(', ') || 'none'})`);
  }
  const proxy = await checkProxy({ host: config.tor.socksHost, port: config.tor.socksPort }, { ...(o.signal ? { signal: o.signal } : {}) });
  o.log.info({ proxy: `${proxy.host}:${proxy.port}`, tor: proxy.tor, latencyMs: proxy.latencyMs }, 'Tor proxy is up');

  const store = CrawlStore.open(config.dataDir);
  // Per run: other crawls (the daemon's other sites, a cron crawl) may share dataDir/tmp.
  const temp = createRunTempDir(config.dataDir);
  const tempDir = temp.dir;
  let fp: FingerprintStore | undefined;
  let samples: SampleMatcher | undefined;
  let records: RecordScanner | undefined;
  const transports = createTransports(config.tor, config.limits);
  // Loaded only when used: the alert channels and the evidence writer bring large modules
  // (nodemailer, pkijs, warcio) that a crawl without them should not carry in memory.
  const keysDir = join(config.dataDir, 'keys');
  const evidence = existsSync(keysDir) ? (await import('./evidence-hook.js')).createEvidenceHook(config, o.env, o.log, clock) : undefined;
  if (!existsSync(keysDir)) o.log.warn({ keys: keysDir }, 'no evidence keys: samples are kept as hashes only and no evidence packages are written; run "leakwatch keys init"');
  const alerting = o.alerts ? (await import('./alerting.js')).createAlerting({ settings: o.alerts.settings, secrets: o.alerts.secrets, log: o.log, clock, ...(o.signal ? { signal: o.signal } : {}) }) : undefined;
  try {
    store.closeAbandonedRuns(clock().toISOString(), isAlive);
    const tor = await checkTorHealth({ config, siteIds: sites.map((s) => s.id), store, log: o.log, ...(o.signal ? { signal: o.signal } : {}) });
    if (existsSync(join(config.fingerprintsDir, FINGERPRINT_DB))) {
      fp = FingerprintStore.open(config.fingerprintsDir, { env: o.env, ...(o.keyFile ? { keyFile: o.keyFile } : {}) });
      const matcher = new Matcher(fp, { ...(config.fingerprintSets.length ? { sets: config.fingerprintSets } : {}) });
      samples = new SampleMatcher(fp.keys, matcher);
      records = createRecordScanner(fp, { tempDir });
    } else {
      o.log.warn({ fingerprintsDir: config.fingerprintsDir }, 'no fingerprint store: samples are downloaded and hashed but not matched');
    }
    const deps: CrawlDeps = {
      config,
      store,
      http: transports.http,
      browser: transports.browser,
      ...(samples ? { samples } : {}),
      ...(records ? { records } : {}),
      ...(o.keeper ? { keeper: o.keeper } : evidence ? { keeper: evidence.keeper } : {}),
      ...(alerting ? { raiseAlert: (m: MatchedSample) => alerting.onMatched(store, m) } : {}),
      onMatched: async (m) => {
        await evidence?.onMatched(store, m);
        await o.onMatched?.(store, m);
      },
      clock,
      log: o.log,
      tempDir,
      ...(o.signal ? { signal: o.signal } : {}),
    };
    const results: SiteRunResult[] = [];
    // Shared with the daemon and other `crawl` processes: a site being crawled elsewhere is skipped.
    const locks = new SiteLocks(join(config.dataDir, LOCK_DIR), { log: o.log, clock });
    const queue = [...sites];
    const worker = async (): Promise<void> => {
      for (let site = queue.shift(); site; site = queue.shift()) {
        if (o.signal?.aborted) return;
        o.log.info({ site: site.id }, 'crawling');
        const r = await crawlWithLock(locks, site, deps, (d) => crawlSite(site, d));
        o.log.info({ site: site.id, status: r.status, postsNew: r.postsNew, samplesNew: r.samplesNew, matchesNew: r.matchesNew }, `crawl ${r.status}`);
        results.push(r);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.siteConcurrency ?? 4, sites.length)) }, worker));
    await alerting?.deliver(store);
    results.sort((a, b) => sites.findIndex((s) => s.id === a.siteId) - sites.findIndex((s) => s.id === b.siteId));
    return { sites: results, proxy, matching: Boolean(samples), tor };
  } finally {
    await samples?.close();
    await alerting?.close();
    fp?.close();
    store.close();
    temp.remove();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
