import { join } from 'node:path';
import cron, { type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import { closeChannels, createChannels, retryPolicyOf, runDeliveryLoop } from '../alert/index.js';
import type { AlertChannel } from '../alert/index.js';
import type { LeakwatchConfig } from '../config/load.js';
import type { AlertsSettings } from '../config/schema.js';
import { runCrawl, type CrawlSummary } from '../crawl/run-crawl.js';
import type { Logger, SiteRunResult } from '../crawl/types.js';
import { errorCode, errorMessage, FatalError, isAbort } from '../errors.js';
import type { SiteDefinition } from '../sites/schema.js';
import { CrawlStore } from '../store/crawl-store.js';
import { closeAbandonedRuns } from './abandoned-runs.js';
import { cronTimeZone, nextRuns, scheduleOf, scheduleProblem, type SiteSchedule } from './cron-schedule.js';
import { scheduleSettings } from './settings.js';
import { LOCK_DIR, SiteLocks } from './site-lock.js';
import { aborted, Semaphore, sleep, within } from './wait.js';

/**
 * `leakwatch daemon`: every enabled site on its cron schedule, for months.
 *
 *  - one node-cron task per site (the site's `schedule`, else the config default), with
 *    `noOverlap`, so a slow run makes the next slot of the same site be skipped, not queued;
 *  - a random delay (0..jitterMs) before each run, so sites are not all hit on the minute;
 *  - at most `siteConcurrency` runs at a time; runs beyond it wait (and are skipped by
 *    noOverlap meanwhile);
 *  - each run is `runCrawl` for one site, which takes the site's lock: a `crawl` started by the
 *    system's cron and the daemon never crawl the same site at once (the later one skips);
 *  - pending alert notifications are delivered on their own timer;
 *  - on start, runs left "running" by a process that died are closed as interrupted; the crawl
 *    store is idempotent, so the next run picks up without duplicate posts, samples or alerts;
 *  - on the shutdown signal: no new runs, in-flight runs are aborted (their work so far is
 *    kept), the database is closed; all within `shutdownTimeoutMs`.
 */

export interface DaemonOptions {
  config: LeakwatchConfig;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Fires on SIGTERM/SIGINT: the daemon then stops. */
  signal: AbortSignal;
  alerts?: { settings: AlertsSettings; secrets: readonly string[] };
  clock?: () => Date;
  /** For the jitter; tests pass a fixed value. */
  random?: () => number;
  /** One run of one site (default: runCrawl for that site). */
  crawl?: (site: SiteDefinition, signal: AbortSignal) => Promise<CrawlSummary>;
}

export interface DaemonResult {
  /** Every in-flight run and the delivery loop stopped within shutdownTimeoutMs. */
  clean: boolean;
  /** Runs started (skipped ones included). */
  runs: number;
  /** Runs still in flight when the shutdown began. */
  inFlightAtStop: number;
}

interface Plan {
  site: SiteDefinition;
  schedule: SiteSchedule;
}

/** Runs until `signal` fires, then shuts down; rejects only if it cannot start at all. */
export async function runDaemon(o: DaemonOptions): Promise<DaemonResult> {
  const { config, log } = o;
  const clock = o.clock ?? (() => new Date());
  const random = o.random ?? Math.random;
  const settings = scheduleSettings(config);
  const plans = planSites(config, settings);

  const store = CrawlStore.open(config.dataDir);
  const locks = new SiteLocks(join(config.dataDir, LOCK_DIR), { log, clock });
  const stop = new AbortController();
  const onSignal = (): void => stop.abort(o.signal.reason);
  o.signal.addEventListener('abort', onSignal, { once: true });
  if (o.signal.aborted) stop.abort(o.signal.reason);

  const crawl =
    o.crawl ??
    ((site: SiteDefinition, signal: AbortSignal) =>
      runCrawl({ config, siteIds: [site.id], siteConcurrency: 1, log, env: o.env, clock, signal, ...(o.alerts ? { alerts: o.alerts } : {}) }));
  const gate = new Semaphore(settings.siteConcurrency);
  const inFlight = new Set<Promise<void>>();
  let runs = 0;
  let tasks: ScheduledTask[] = [];
  let channels: AlertChannel[] = [];
  let delivery: Promise<void> = Promise.resolve();

  const runOnce = async (plan: Plan): Promise<void> => {
    const site = plan.site.id;
    const jitter = Math.floor(random() * settings.jitterMs);
    if (jitter > 0) {
      log.debug({ event: 'run-jitter', site, jitterMs: jitter }, `run of ${site} in ${jitter} ms`);
      if (!(await sleep(jitter, stop.signal))) return;
    }
    if (!(await gate.acquire(stop.signal))) return;
    const started = clock().getTime();
    runs++;
    log.info({ event: 'run-start', site, schedule: plan.schedule.cron, jitterMs: jitter }, `run of ${site} started`);
    try {
      const summary = await crawl(plan.site, stop.signal);
      for (const r of summary.sites) logRunEnd(log, r, clock().getTime() - started);
    } catch (err) {
      const durationMs = clock().getTime() - started;
      if (isAbort(err) && stop.signal.aborted) log.info({ event: 'run-end', site, status: 'interrupted', durationMs }, `run of ${site} ended: interrupted`);
      // Tor down, database locked, …: the run is lost, the daemon is not; the next slot retries.
      else log.error({ event: 'run-end', site, status: 'error', code: errorCode(err), error: errorMessage(err), durationMs }, `run of ${site} failed: ${errorMessage(err)}`);
    } finally {
      gate.release();
    }
  };
  const track = (plan: Plan): Promise<void> => {
    const p = runOnce(plan).finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  };

  let startError: unknown;
  try {
    closeAbandonedRuns(store.db, locks, clock().toISOString(), log);
    if (o.alerts && o.alerts.settings.channels.length > 0) {
      const a = o.alerts.settings;
      channels = createChannels(a, { logger: log, clock: { nowMs: () => clock().getTime() } });
      delivery = runDeliveryLoop(store, channels, {
        intervalMs: settings.deliveryIntervalMs,
        signal: stop.signal,
        logger: log,
        secrets: o.alerts.secrets,
        retry: retryPolicyOf(a),
        maxPerRun: a.delivery.maxPerRun,
        clock: { nowMs: () => clock().getTime() },
        onPass: (s) => {
          if (s.attempted) log.info({ event: 'deliveries', ...s }, `alert deliveries: ${s.delivered} delivered, ${s.failed} failed`);
        },
      });
    }
    tasks = plans.map((plan) => schedulePlan(plan, () => track(plan), log));
    log.info(
      { event: 'daemon-start', pid: process.pid, sites: plans.length, siteConcurrency: settings.siteConcurrency, jitterMs: settings.jitterMs, alertChannels: channels.length },
      `daemon started: ${plans.length} site(s) scheduled`,
    );
    await aborted(stop.signal);
  } catch (err) {
    // Shut down what did start, then report why the daemon could not run.
    startError = err;
  } finally {
    o.signal.removeEventListener('abort', onSignal);
    stop.abort(o.signal.reason);
  }

  // Shutdown: nothing new starts; what runs is aborted and given shutdownTimeoutMs to finish.
  const inFlightAtStop = inFlight.size;
  log.info({ event: 'daemon-stopping', inFlight: inFlightAtStop, timeoutMs: settings.shutdownTimeoutMs }, `stopping: ${inFlightAtStop} run(s) in flight`);
  await Promise.all(tasks.map((t) => t.destroy()));
  const outcome = await within(Promise.allSettled([...inFlight, delivery]), settings.shutdownTimeoutMs);
  await within(closeChannels(channels), 2000);
  // Closing checkpoints the WAL into the database file. Runs have their own connections, so
  // even after a timeout this cannot pull the database from under a crawl.
  store.close();
  const clean = outcome === 'done';
  if (startError) throw startError;
  log.info({ event: 'daemon-stop', clean, runs }, clean ? 'daemon stopped' : `in-flight work did not stop within ${settings.shutdownTimeoutMs} ms`);
  return { clean, runs, inFlightAtStop };
}

function planSites(config: LeakwatchConfig, fallback: { cron: string; timezone: string }): Plan[] {
  const plans = config.sites.map((s) => s.site).filter((s) => s.enabled).map((site) => ({ site, schedule: scheduleOf(site, fallback) }));
  if (plans.length === 0) throw new FatalError('E_USAGE', `no enabled sites in ${config.file}: nothing to schedule`);
  const problems = plans.flatMap((p) => {
    const problem = scheduleProblem(p.schedule);
    return problem ? [`  ${p.site.id} (${p.schedule.source === 'site' ? 'its schedule' : 'schedule default'}): ${problem}`] : [];
  });
  if (problems.length) throw new FatalError('E_CONFIG', `cannot schedule:\n${problems.join('\n')}`);
  return plans;
}

function schedulePlan(plan: Plan, run: () => Promise<void>, log: Logger): ScheduledTask {
  const site = plan.site.id;
  const task = cron.schedule(plan.schedule.cron, run, {
    name: `leakwatch:${site}`,
    timezone: cronTimeZone(plan.schedule.timezone) as string,
    noOverlap: true,
    logger: cronLogger(log, site),
  });
  task.on('execution:overlap', () => log.info({ event: 'run-overlap', site }, `${site}: the previous run is still going; this slot is skipped`));
  task.on('execution:missed', (c) => log.debug({ event: 'run-missed', site, slot: c.date.toISOString() }, `${site}: slot missed (process was busy or asleep)`));
  const next = nextRuns(plan.schedule, 1)[0];
  log.info(
    { event: 'scheduled', site, cron: plan.schedule.cron, timezone: plan.schedule.timezone, source: plan.schedule.source, nextRunAt: next?.toISOString() },
    `${site}: "${plan.schedule.cron}" (${plan.schedule.timezone})`,
  );
  return task;
}

/** node-cron's own messages, into the structured log (it would print to the console). */
function cronLogger(log: Logger, site: string): CronLogger {
  const text = (m: string | Error): string => (m instanceof Error ? m.message : m);
  return {
    info: (m) => log.debug({ event: 'cron', site }, m),
    warn: (m) => log.debug({ event: 'cron', site }, m),
    debug: (m) => log.debug({ event: 'cron', site }, text(m)),
    error: (m, err) => log.error({ event: 'cron', site, error: err?.message }, text(m)),
  };
}

function logRunEnd(log: Logger, r: SiteRunResult, durationMs: number): void {
  const fields = {
    event: 'run-end',
    site: r.siteId,
    runId: r.runId || undefined,
    status: r.status,
    reason: r.reason,
    durationMs,
    pages: r.pages,
    postsNew: r.postsNew,
    postsChanged: r.postsChanged,
    postsRemoved: r.postsRemoved,
    samplesNew: r.samplesNew,
    matchesNew: r.matchesNew,
  };
  const msg = `run of ${r.siteId} ended: ${r.status}${r.reason ? ` (${r.reason})` : ''}`;
  if (r.status === 'ok' || r.status === 'skipped' || r.status === 'interrupted' || r.status === 'partial') log.info(fields, msg);
  else log.warn(fields, msg);
}
