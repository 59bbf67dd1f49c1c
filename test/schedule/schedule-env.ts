import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { simSitesDir } from '../../src/sim/index.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';

/**
 * Helpers shared by the scheduling tests: a sites folder holding only the sites a test wants
 * (so `status` judges exactly those), extra config files over the same simulator with their
 * own data folder, a read-only look at a database, and a webhook receiver.
 */

/** `<dir>/sites` with copies of sites/sim/<id>.yaml. */
export function siteFolder(dir: string, ids: string[]): string {
  const sites = join(dir, 'sites');
  mkdirSync(sites, { recursive: true });
  for (const id of ids) copyFileSync(join(simSitesDir(), `${id}.yaml`), join(sites, `${id}.yaml`));
  return sites;
}

export function removeSite(sitesDir: string, id: string): void {
  rmSync(join(sitesDir, `${id}.yaml`));
}

/** A copy of `configFile` next to it with another dataDir (and optional extra lines). */
export function configWithData(configFile: string, name: string, dataDir: string, replace: Record<string, string> = {}): string {
  let text = readFileSync(configFile, 'utf8').replace(/^dataDir: .*$/m, `dataDir: ${dataDir}`);
  for (const [from, to] of Object.entries(replace)) text = text.replace(from, to);
  const file = join(configFile, '..', name);
  writeFileSync(file, text);
  return file;
}

/** Runs `fn` on a read-only connection to the crawl database. */
export function withDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'leakwatch.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function count(db: Database.Database, sql: string, ...args: unknown[]): number {
  return (db.prepare(sql).get(...args) as { n: number }).n;
}

/** What a crawl left in the database, as sorted lists to compare two databases with. */
export function contentOf(dataDir: string): { posts: string[]; samples: string[]; matches: string[]; alerts: string[] } {
  return withDb(dataDir, (db) => ({
    posts: (db.prepare('SELECT site_id || \' \' || post_key AS k FROM posts ORDER BY k').all() as { k: string }[]).map((r) => r.k),
    samples: (db.prepare('SELECT site_id || \' \' || sha256 AS k FROM samples ORDER BY k').all() as { k: string }[]).map((r) => r.k),
    matches: (
      db.prepare(`SELECT s.sha256 || ' ' || m.member_path || ' ' || m.set_name || ' ' || m.document AS k FROM matches m JOIN samples s ON s.id = m.sample_id ORDER BY k`).all() as { k: string }[]
    ).map((r) => r.k),
    alerts: (db.prepare('SELECT site_id || \' \' || sample_sha256 AS k FROM alerts ORDER BY k').all() as { k: string }[]).map((r) => r.k),
  }));
}

export interface Receiver {
  url: string;
  /** X-Leakwatch-Id of every delivery received, in order (repeats kept). */
  ids: string[];
  close(): Promise<void>;
}

/** A webhook endpoint on loopback that accepts everything. */
export async function webhookReceiver(): Promise<Receiver> {
  const ids: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      ids.push(String(req.headers['x-leakwatch-id'] ?? ''));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/hook`, ids, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * The simulator with one site, every response delayed 60–120 ms (so a signal can land in the
 * middle of a crawl), a fast schedule (every 2 s) and a webhook channel to `hookUrl`.
 */
export function startDaemonEnv(root: string, site: string, hookUrl: string, schedule = '{ cron: "*/2 * * * * *", jitterMs: 300, siteConcurrency: 2, shutdownTimeoutMs: 15000, deliveryIntervalMs: 1000 }'): Promise<CrawlEnv> {
  const extraConfig = [
    `schedule: ${schedule}`,
    'log: { level: info }',
    'alerts:',
    '  delivery: { initialDelayMs: 1000, maxDelayMs: 2000, jitterRatio: 0 }',
    '  channels:',
    // A short timeout: a delivery claimed by a killed process is leased for timeout + 30 s.
    `    - { name: soc, type: webhook, url: "${hookUrl}", secret: "\${HOOK_SECRET}", timeoutMs: 1000 }`,
  ].join('\n');
  return startCrawlEnv(root, { siteIds: [site], sitesDir: siteFolder(root, [site]), simOptions: { latencyMs: [60, 120] }, extraConfig });
}

export const HOOK_SECRET = 'a-webhook-secret-for-daemon-tests-0123';
