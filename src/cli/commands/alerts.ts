import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  attemptsForAlert, closeChannels, createAlertLogger, createChannels, deliverPending, listOutbox, loadAlertSettings, requeue, retryPolicyOf,
  type AlertStatus, type OutboxStatus,
} from '../../alert/index.js';
import { configPath, displayPath, formatProblem, loadConfig } from '../../config/index.js';
import { FatalError } from '../../errors.js';
import { AlertStore } from '../../store/alert-store.js';
import { CRAWL_DB } from '../../store/crawl-store.js';
import type { CommandContext, RegisterCommand } from '../context.js';
import { parsePositiveInt } from '../store-options.js';
import { json, table } from '../table.js';

/**
 * `leakwatch alerts list|show|ack|outbox|retry|deliver`. The database is found with --data,
 * else the config's dataDir (--config, $LEAKWATCH_CONFIG, or ./leakwatch.yaml when present),
 * else ./data.
 */

export interface DataOptions {
  data?: string;
  config?: string;
}

export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'data folder holding leakwatch.db (default: the config\'s dataDir, else ./data)')
    .option('-c, --config <file>', 'config file (default: $LEAKWATCH_CONFIG or ./leakwatch.yaml)');
}

function configProblems(ctx: CommandContext, file: string, problems: { path: string; message: string }[]): FatalError {
  const shown = (f: string): string => displayPath(ctx.io.cwd, f);
  const lines = problems.map((p) => `  ${formatProblem(p, shown)}`).join('\n');
  return new FatalError('E_CONFIG', `${shown(file)} has ${problems.length} problem(s); run leakwatch config check\n${lines}`);
}

export function dataDirOf(ctx: CommandContext, o: DataOptions): string {
  if (o.data) return resolve(ctx.io.cwd, o.data);
  const { file, explicit } = configPath(ctx.io.cwd, ctx.io.env, o.config);
  if (explicit || existsSync(file)) {
    const r = loadConfig(file, { env: ctx.io.env });
    if (!r.ok) throw configProblems(ctx, file, r.problems);
    return r.config.dataDir;
  }
  return resolve(ctx.io.cwd, 'data');
}

/** Opens the existing database; reading alerts never creates an empty one by mistake. */
export function openAlertStore(ctx: CommandContext, o: DataOptions): AlertStore {
  const dir = dataDirOf(ctx, o);
  if (!existsSync(join(dir, CRAWL_DB))) {
    throw new FatalError('E_USAGE', `no leakwatch database in ${displayPath(ctx.io.cwd, dir)} (run a crawl first, or point --data / --config at it)`);
  }
  return AlertStore.open(dir);
}

/** Text from leak sites is hostile: control characters would drive the terminal. */
export function safe(text: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '�');
}

function withStore<T>(ctx: CommandContext, o: DataOptions, fn: (store: AlertStore) => T): T {
  const store = openAlertStore(ctx, o);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function alertOrFail(store: AlertStore, id: number): NonNullable<ReturnType<AlertStore['alertDetail']>> {
  const a = store.alertDetail(id);
  if (!a) throw new FatalError('E_USAGE', `no alert ${id}`);
  return a;
}

function showAlert(ctx: CommandContext, store: AlertStore, id: number, asJson: boolean): void {
  const a = alertOrFail(store, id);
  const events = store.events(id);
  const deliveries = listOutbox(store, { alertId: id });
  const attempts = attemptsForAlert(store, id);
  if (asJson) {
    ctx.io.out(json({ alert: a, events, deliveries, attempts }));
    return;
  }
  const out: string[] = [
    `alert ${a.id} — ${a.severity.toUpperCase()}, ${a.status}${a.ackedBy ? ` by ${safe(a.ackedBy)}` : ''}${a.ackedAt ? ` at ${a.ackedAt}` : ''} (case ${a.caseId})`,
    `  site:        ${safe(a.siteId)}`,
    `  mirror:      ${safe(a.mirrorUrl)}`,
    ...(a.postTitle !== null ? [`  post:        ${safe(a.postTitle)}${a.postUrl ? ` <${safe(a.postUrl)}>` : ''}`] : []),
    `  sample:      ${safe(a.sampleUrl)}`,
    `  sha-256:     ${a.sampleSha256}`,
    `  first seen:  ${a.firstSeenAt}`,
    `  last seen:   ${a.lastSeenAt} (seen ${a.seenCount}×)`,
    `  version:     ${a.version} (notification ids ${a.uid}.v<version>)`,
    ...(a.ackNote ? [`  ack note:    ${safe(a.ackNote)}`] : []),
    '',
  ];
  ctx.io.out(out.join('\n') + '\n');
  ctx.io.out(`sightings (${a.sightings.length}):\n`);
  ctx.io.out(table(['first seen', 'last seen', 'seen', 'mirror', 'post', 'sample url'], a.sightings.map((s) => [s.firstSeenAt, s.lastSeenAt, String(s.seenCount), safe(s.mirrorUrl), safe(s.postUrl ?? '-'), safe(s.sampleUrl)])));
  ctx.io.out(`\ndocuments (${a.documents.length}):\n`);
  ctx.io.out(table(['set', 'document', 'method', 'score', 'member', 'why'], a.documents.map((d) => [safe(d.set), safe(d.document), d.method, d.score.toFixed(2), safe(d.memberPath || '-'), safe(d.explanation)])));
  ctx.io.out('\nevents:\n');
  ctx.io.out(table(['at', 'event', 'detail'], events.map((e) => [e.at, e.kind, safe(JSON.stringify(e.detail))])));
  ctx.io.out(`\ndeliveries (${deliveries.length}):\n`);
  if (deliveries.length === 0) ctx.io.out('  none queued (no channel configured for this severity when it was raised)\n');
  else
    ctx.io.out(
      table(
        ['outbox', 'channel', 'event', 'status', 'attempts', 'next / done', 'notification id'],
        deliveries.map((d) => [String(d.id), d.channel, d.event, d.status, String(d.attempts), d.deliveredAt ?? d.deadAt ?? d.nextAttemptAt, d.notificationId]),
      ),
    );
  if (attempts.length > 0) {
    ctx.io.out('\nattempts:\n');
    ctx.io.out(
      table(
        ['at', 'outbox', 'channel', 'outcome', 'code', 'ms', 'error'],
        attempts.map((t) => [t.at, String(t.outboxId), t.channel, t.outcome, t.httpStatus !== null ? `HTTP ${t.httpStatus}` : t.smtpCode !== null ? `SMTP ${t.smtpCode}` : '-', String(t.durationMs), safe(t.error ?? '')]),
      ),
    );
  }
}

export const registerAlerts: RegisterCommand = (program, ctx) => {
  const { io } = ctx;
  const alerts = program.command('alerts').description('alerts raised by matches on leak sites: list, show, acknowledge, delivery');

  addDataOptions(
    alerts
      .command('list')
      .description('list alerts, most recent activity first')
      .option('--status <status>', 'open, acked or all', 'open')
      .option('--json', 'JSON output'),
  ).action((o: DataOptions & { status: string; json?: boolean }) => {
    if (!['open', 'acked', 'all'].includes(o.status)) throw new FatalError('E_USAGE', `--status must be open, acked or all (got "${o.status}")`);
    withStore(ctx, o, (store) => {
      const list = store.listAlerts(o.status === 'all' ? {} : { status: o.status as AlertStatus });
      if (o.json) io.out(json({ alerts: list }));
      else if (list.length === 0) io.out(`no ${o.status === 'all' ? '' : `${o.status} `}alerts\n`);
      else
        io.out(
          table(
            ['id', 'severity', 'status', 'case', 'site', 'docs', 'seen', 'first seen', 'last seen', 'post'],
            list.map((a) => [String(a.id), a.severity, a.status, String(a.caseId), safe(a.siteId), String(a.documentCount), String(a.seenCount), a.firstSeenAt, a.lastSeenAt, safe(a.postTitle ?? a.sampleUrl)]),
          ),
        );
    });
  });

  addDataOptions(alerts.command('show').description('one alert: sightings, documents, events, deliveries and attempts').argument('<id>', 'alert id', parsePositiveInt).option('--json', 'JSON output')).action(
    (id: number, o: DataOptions & { json?: boolean }) => withStore(ctx, o, (store) => showAlert(ctx, store, id, Boolean(o.json))),
  );

  addDataOptions(
    alerts
      .command('ack')
      .description('acknowledge an alert (it stays listed under --status acked|all)')
      .argument('<id>', 'alert id', parsePositiveInt)
      .option('--by <name>', 'who acknowledges (default: $USER)')
      .option('--note <text>', 'why, or what was done'),
  ).action((id: number, o: DataOptions & { by?: string; note?: string }) =>
    withStore(ctx, o, (store) => {
      const by = o.by ?? io.env.USER ?? io.env.LOGNAME;
      if (!store.ack(id, new Date().toISOString(), by, o.note)) throw new FatalError('E_USAGE', `no alert ${id}`);
      io.out(`acknowledged alert ${id}${by ? ` (by ${safe(by)})` : ''}\n`);
    }),
  );

  addDataOptions(
    alerts
      .command('outbox')
      .description('notifications waiting, delivered or dead-lettered, per channel')
      .option('--status <status>', 'pending, delivered, dead or all', 'all')
      .option('--json', 'JSON output'),
  ).action((o: DataOptions & { status: string; json?: boolean }) => {
    if (!['pending', 'delivered', 'dead', 'all'].includes(o.status)) throw new FatalError('E_USAGE', `--status must be pending, delivered, dead or all (got "${o.status}")`);
    withStore(ctx, o, (store) => {
      const items = listOutbox(store, o.status === 'all' ? {} : { status: o.status as OutboxStatus });
      if (o.json) io.out(json({ outbox: items }));
      else if (items.length === 0) io.out('outbox is empty\n');
      else
        io.out(
          table(
            ['outbox', 'alert', 'channel', 'event', 'status', 'attempts', 'next / done', 'last error'],
            items.map((d) => [String(d.id), String(d.alertId), d.channel, d.event, d.status, String(d.attempts), d.deliveredAt ?? d.deadAt ?? d.nextAttemptAt, safe(d.lastError ?? '')]),
          ),
        );
    });
  });

  addDataOptions(
    alerts
      .command('retry')
      .description('put dead-lettered (or waiting) notifications back in the queue, due now')
      .argument('[outbox-ids...]', 'outbox ids (see alerts outbox)')
      .option('--dead', 'every dead-lettered notification'),
  ).action((ids: string[], o: DataOptions & { dead?: boolean }) =>
    withStore(ctx, o, (store) => {
      const targets = o.dead ? listOutbox(store, { status: 'dead' }).map((d) => d.id) : ids.map((s) => parsePositiveInt(s));
      if (targets.length === 0) throw new FatalError('E_USAGE', o.dead ? 'no dead-lettered notifications' : 'give outbox ids or --dead');
      const now = new Date().toISOString();
      const done = targets.filter((t) => requeue(store, t, now));
      io.out(`requeued ${done.length} of ${targets.length} notification(s); they go out with the next delivery pass\n`);
    }),
  );

  alerts
    .command('deliver')
    .description('one delivery pass over the outbox with the configured channels (the crawler and daemon do this themselves)')
    .option('-c, --config <file>', 'config file (default: $LEAKWATCH_CONFIG or ./leakwatch.yaml)')
    .option('--max <n>', 'most attempts in this pass', parsePositiveInt)
    .option('--json', 'JSON summary')
    .action(async (o: { config?: string; max?: number; json?: boolean }) => {
      const { file } = configPath(io.cwd, io.env, o.config);
      const r = loadAlertSettings(file, io.env);
      if (!r.ok) throw configProblems(ctx, r.file, r.problems);
      if (r.alerts.channels.length === 0) throw new FatalError('E_USAGE', `${displayPath(io.cwd, r.config.file)} configures no alert channels (alerts.channels)`);
      const logger = createAlertLogger({ destination: { write: (s: string) => io.err(s) } });
      const channels = createChannels(r.alerts, { logger });
      const store = AlertStore.open(r.config.dataDir);
      try {
        const summary = await deliverPending(store, channels, {
          logger,
          retry: retryPolicyOf(r.alerts),
          maxPerRun: o.max ?? r.alerts.delivery.maxPerRun,
          secrets: r.envSecrets,
          ...(io.signal ? { signal: io.signal } : {}),
        });
        if (o.json) io.out(json(summary));
        else
          io.out(
            `delivered ${summary.delivered}, failed ${summary.failed} (dead-lettered ${summary.deadLettered}), left for the next pass ${summary.deferred}` +
              (summary.unknownChannel ? `, ${summary.unknownChannel} queued for channels no longer configured` : '') +
              (summary.interrupted ? ' — interrupted' : '') +
              '\n',
          );
      } finally {
        store.close();
        await closeChannels(channels);
      }
    });
};
