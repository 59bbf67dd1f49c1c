import { readFileSync } from 'node:fs';
/**
 * Benchmark 4: crawling through the (test) Tor SOCKS proxy.
 *  (a) Crawl cycle: N simulated blog sites (`bench-NN`, style blog, default posts and samples)
 *      with 300–1500 ms latency injected before every response, crawled once by the real
 *      crawler (runCrawl: listing, post pages, sample downloads, SQLite store) through the
 *      loopback SOCKS proxy. Reported: wall time; the serial sum of the per-site durations of
 *      that same run (each site's requests are sequential: perHostConcurrency 1); the ratio
 *      of the two; peak RSS of the crawler process.
 *  (b) One huge sample (2 GiB) downloaded by the crawler through the proxy (limits.maxSampleBytes
 *      above it): MB/s and peak RSS of the whole crawler process, next to a plain loopback HTTP
 *      download of the same bytes (no proxy, streamed to disk with SHA-256) as the baseline.
 *
 * The simulator and the SOCKS proxy run in one child process ("the network"), each measured
 * client in another, fresh one: peak RSS is then that of a process doing only this (the bench
 * runner's own process carries whatever earlier benchmarks left), and the simulator's CPU
 * work (rendering samples, streaming 2 GiB) does not share the crawler's event loop. Matching
 * is off (no fingerprint store: samples are hashed, not matched) so CPU-bound extraction does
 * not blur a latency-bound measurement; ingest and match speed are benchmarks 1–3.
 *
 *   node --import tsx bench/crawl.ts [--quick]      standalone (quick: 10 sites, 200 MiB)
 *   crawlBench({ quick, log })                        from bench/run.ts
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { LoadedSite } from '../src/config/index.js';
import { fmt, markdownTable, percentile } from './lib/report.js';

const MB = 1024 * 1024;
const CHILD_ENV = 'LEAKWATCH_BENCH_CRAWL_CHILD';
const SEED = 11;
const RSS_TARGET_MB = 200;

type LatencyMs = [number, number];

/** What a simulated site looks like to a client: enough to build its definition. */
interface SiteInfo {
  id: string;
  name: string;
  style: 'blog' | 'hostile';
  mirrors: { url: string; port: number; onionHost: string }[];
}

// ---- messages between the parent and its children -----------------------------------------

interface NetStart {
  kind: 'net';
  sites: { id: string; style: 'blog' | 'hostile'; hugeBytes?: number }[];
  latencyMs: LatencyMs;
}
interface NetReady {
  socksPort: number;
  sites: SiteInfo[];
  /** URL path of the huge file, when a site publishes one. */
  hugePath?: string;
  rssMb: number;
}
interface NetStats {
  requests: number;
  bytesSent: number;
  peakRssMb: number;
}
interface CrawlStart {
  kind: 'crawl';
  socksPort: number;
  sites: SiteInfo[];
  siteConcurrency: number;
  limits: Record<string, number>;
}
interface CrawlDone {
  wallMs: number;
  siteMs: number[];
  statuses: Record<string, number>;
  pages: number;
  samples: number;
  sampleBytes: number;
  sampleSha256?: string;
  startRssMb: number;
  peakRssMb: number;
}
interface PlainStart {
  kind: 'plain';
  port: number;
  host: string;
  path: string;
}
interface PlainDone {
  wallMs: number;
  bytes: number;
  sha256: string;
  startRssMb: number;
  peakRssMb: number;
}
type ChildStart = NetStart | CrawlStart | PlainStart;

function vmHwmBytes(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Peak RSS, sampled every 100 ms and checked against the kernel's own high-water mark. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      // The kernel's high-water mark of this process's memory (VmHWM) also sees spikes between
      // two samples. Not getrusage's maxRSS: Linux carries that over from the parent across
      // fork+exec, so a child of a big bench process would report the parent's peak.
      return Math.max(peak, process.memoryUsage().rss, vmHwmBytes()) / MB;
    },
  };
}

// ---- children -------------------------------------------------------------------------------

/** The network: simulator + SOCKS proxy, until the parent says stop. */
async function netChild(o: NetStart, send: (m: unknown) => void): Promise<void> {
  const { startSimulator } = await import('../src/sim/index.js');
  const { startSocksServer } = await import('../src/sim/socks-server.js');
  const sampler = rssSampler();
  const sim = await startSimulator({
    seed: SEED,
    corpus: { seed: SEED, documents: 30 },
    latencyMs: o.latencyMs,
    sites: o.sites.map((s) =>
      s.hugeBytes === undefined
        ? { id: s.id, style: s.style }
        : // Only the huge file: the measurement is about it alone.
          { id: s.id, style: s.style, samplePosts: false, posts: [{ title: 'Kauri Freight Ltd', files: [{ name: 'full-dump.7z.001', source: { kind: 'huge' as const, sizeBytes: s.hugeBytes } }] }] },
    ),
  });
  const socks = await startSocksServer({ routes: sim.routes });
  const hugeSite = o.sites.find((s) => s.hugeBytes !== undefined);
  const ready: NetReady = {
    socksPort: socks.port,
    sites: sim.sites.map((s) => ({ id: s.id, name: s.name, style: s.style as SiteInfo['style'], mirrors: s.mirrors.map((m) => ({ url: m.url, port: m.port, onionHost: m.onionHost })) })),
    ...(hugeSite ? { hugePath: sim.posts(hugeSite.id)[0]?.files[0]?.path } : {}),
    rssMb: process.memoryUsage().rss / MB,
  };
  send({ type: 'ready', value: ready });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const log = sim.requests();
  const stats: NetStats = { requests: log.length, bytesSent: log.reduce((n, r) => n + (r.bytesSent ?? 0), 0), peakRssMb: sampler.stop() };
  await socks.close();
  await sim.close();
  send({ type: 'done', value: stats });
}

/** Definitions of simulated sites, built without importing the simulator (and its renderers). */
async function simDefinitions(sites: SiteInfo[]): Promise<LoadedSite[]> {
  const { loadSiteFile } = await import('../src/config/index.js');
  const { builtinSitesDir } = await import('../src/sites/index.js');
  // The style templates in sites/sim/ (src/sim/default-sites.ts STYLE_TEMPLATE_ID), read the
  // way src/sim/definitions.ts simSiteDefinition reads them: same file, id/name/mirrors replaced.
  const template = { blog: 'sim-blog', hostile: 'sim-hostile' } as const;
  return sites.map((s) => {
    const file = join(builtinSitesDir(), 'sim', `${template[s.style]}.yaml`);
    const r = loadSiteFile(file, 'file', {});
    if (!r.ok) throw new Error(`${file}: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    return { site: { ...r.loaded.site, id: s.id, name: s.name, mirrors: s.mirrors.map((m) => m.url) }, source: r.loaded.source };
  });
}

/** The real crawler (runCrawl) over the given sites, in a fresh data directory. */
async function crawlChild(o: CrawlStart): Promise<CrawlDone> {
  const { runCrawl, silentLogger } = await import('../src/crawl/index.js');
  const { LimitsSpec } = await import('../src/config/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-crawl-'));
  try {
    const config = {
      file: join(dir, 'leakwatch.yaml'),
      version: 1 as const,
      tor: { socksHost: '127.0.0.1', socksPort: o.socksPort },
      dataDir: join(dir, 'data'),
      // Absent on purpose: samples are downloaded and hashed, not matched (see the header).
      fingerprintsDir: join(dir, 'no-fingerprints'),
      fingerprintSets: [],
      limits: LimitsSpec.parse(o.limits),
      sites: await simDefinitions(o.sites),
    };
    const startRssMb = process.memoryUsage().rss / MB;
    const sampler = rssSampler();
    const t0 = performance.now();
    const summary = await runCrawl({ config, log: silentLogger, env: {}, siteConcurrency: o.siteConcurrency });
    const wallMs = performance.now() - t0;
    const peakRssMb = sampler.stop();
    const statuses: Record<string, number> = {};
    for (const s of summary.sites) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    // Per-site durations as the store recorded them (crawlSite's own start and finish).
    const db = new Database(join(config.dataDir, 'leakwatch.db'), { readonly: true });
    const runs = db.prepare('SELECT started_at, finished_at FROM runs').all() as { started_at: string; finished_at: string }[];
    const samples = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS bytes, MAX(sha256) AS sha FROM samples').get() as { n: number; bytes: number; sha: string | null };
    db.close();
    return {
      wallMs,
      siteMs: runs.map((r) => Date.parse(r.finished_at) - Date.parse(r.started_at)),
      statuses,
      pages: summary.sites.reduce((n, s) => n + s.pages, 0),
      samples: samples.n,
      sampleBytes: samples.bytes,
      ...(samples.n === 1 && samples.sha ? { sampleSha256: samples.sha } : {}),
      startRssMb,
      peakRssMb,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Baseline: a plain loopback HTTP GET of the same file, streamed to disk with SHA-256. */
async function plainChild(o: PlainStart): Promise<PlainDone> {
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-plain-'));
  try {
    const startRssMb = process.memoryUsage().rss / MB;
    const sampler = rssSampler();
    const t0 = performance.now();
    const hash = createHash('sha256');
    let bytes = 0;
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: o.port, path: o.path, headers: { host: o.host } }, (res) => {
          const tap = new Transform({
            transform(chunk: Buffer, _enc, cb) {
              hash.update(chunk);
              bytes += chunk.length;
              cb(null, chunk);
            },
          });
          pipeline(res, tap, createWriteStream(join(dir, 'sample.bin'))).then(resolve, reject);
        })
        .on('error', reject);
    });
    return { wallMs: performance.now() - t0, bytes, sha256: hash.digest('hex'), startRssMb, peakRssMb: sampler.stop() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function childMain(): Promise<void> {
  const send = (m: unknown): void => void process.send?.(m);
  const start = await new Promise<ChildStart>((resolve) => process.once('message', (m) => resolve(m as ChildStart)));
  try {
    // Results are sent only after the child's own clean-up (temp files of up to 2 GiB) ran.
    if (start.kind === 'net') await netChild(start, send);
    else send({ type: 'done', value: start.kind === 'crawl' ? await crawlChild(start) : await plainChild(start) });
  } catch (err) {
    send({ type: 'error', value: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
  process.disconnect?.();
}

// ---- parent side ----------------------------------------------------------------------------

/** A child running this file; `ask` sends a start message and waits for `type`. */
class Child {
  private readonly proc: ChildProcess;
  private readonly inbox: { type: string; value: unknown }[] = [];
  private waiter: (() => void) | undefined;
  private exited: string | undefined;

  constructor(role: string) {
    // tsx must load the child too; `npm run bench` and `tsx bench/crawl.ts` both pass it in execArgv.
    const execArgv = process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
    this.proc = fork(fileURLToPath(import.meta.url), [], { execArgv, env: { ...process.env, [CHILD_ENV]: role }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m) => {
      this.inbox.push(m as { type: string; value: unknown });
      this.waiter?.();
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = `exited (${signal ?? code})`;
      this.waiter?.();
    });
  }

  send(m: unknown): void {
    if (this.proc.connected) this.proc.send(m as object);
  }

  async next<T>(type: string): Promise<T> {
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type || m.type === 'error');
      if (i >= 0) {
        const [m] = this.inbox.splice(i, 1);
        if (m!.type === 'error') throw new Error(`bench child failed: ${String(m!.value)}`);
        return m!.value as T;
      }
      if (this.exited) throw new Error(`bench child ${this.exited} before sending "${type}"`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = undefined;
    }
  }

  async run<T>(start: ChildStart): Promise<T> {
    this.send(start);
    return this.next<T>('done');
  }

  /** Waits for the child to exit by itself (it disconnects when done), then makes sure. */
  async close(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill();
  }
}

async function withNet<T>(start: NetStart, fn: (net: NetReady) => Promise<T>): Promise<{ value: T; stats: NetStats }> {
  const net = new Child('net');
  let stopped = false;
  try {
    net.send(start);
    const ready = await net.next<NetReady>('ready');
    const value = await fn(ready);
    net.send({ kind: 'stop' });
    stopped = true;
    return { value, stats: await net.next<NetStats>('done') };
  } finally {
    // On failure too: the network child is waiting for this to shut its servers down.
    if (!stopped) net.send({ kind: 'stop' });
    await net.close();
  }
}

async function inChild<T>(start: ChildStart): Promise<T> {
  const c = new Child(start.kind);
  try {
    return await c.run<T>(start);
  } finally {
    await c.close();
  }
}

export interface CrawlCycleOptions {
  sites: number;
  latencyMs?: LatencyMs;
  /** Sites crawled at once (runCrawl siteConcurrency); fetches in flight are capped at the same number. */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface CrawlCycleResult {
  sites: number;
  concurrency: number;
  latencyMs: LatencyMs;
  statuses: Record<string, number>;
  requests: number;
  pages: number;
  samples: number;
  wallS: number;
  serialSumS: number;
  speedup: number;
  siteP50S: number;
  siteMaxS: number;
  peakRssMb: number;
  startRssMb: number;
}

export async function crawlCycleBench(o: CrawlCycleOptions): Promise<CrawlCycleResult> {
  const latencyMs = o.latencyMs ?? [300, 1500];
  const concurrency = o.concurrency ?? 16;
  const ids = Array.from({ length: o.sites }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}`);
  o.log?.(`crawl: starting the simulator with ${o.sites} blog sites…`);
  const { value: done, stats } = await withNet({ kind: 'net', sites: ids.map((id) => ({ id, style: 'blog' })), latencyMs }, (net) => {
    o.log?.(`crawl: crawling ${o.sites} sites through the SOCKS proxy (${concurrency} at a time)…`);
    return inChild<CrawlDone>({
      kind: 'crawl',
      socksPort: net.socksPort,
      sites: net.sites,
      siteConcurrency: concurrency,
      // The politeness delay is pure waiting on top of the injected latency: off, so the
      // figures show the crawler's concurrency. One request at a time per site, as by default.
      limits: { concurrency, perHostConcurrency: 1, perHostDelayMs: 0, retries: 1, connectTimeoutMs: 10_000, pageTimeoutMs: 30_000, idleTimeoutMs: 10_000 },
    });
  });
  const serialMs = done.siteMs.reduce((a, b) => a + b, 0);
  const sorted = [...done.siteMs].sort((a, b) => a - b);
  return {
    sites: o.sites,
    concurrency,
    latencyMs,
    statuses: done.statuses,
    requests: stats.requests,
    pages: done.pages,
    samples: done.samples,
    wallS: done.wallMs / 1000,
    serialSumS: serialMs / 1000,
    speedup: serialMs / done.wallMs,
    siteP50S: percentile(sorted, 50) / 1000,
    siteMaxS: (sorted.at(-1) ?? NaN) / 1000,
    peakRssMb: done.peakRssMb,
    startRssMb: done.startRssMb,
  };
}

export interface DownloadBenchOptions {
  bytes: number;
  log?: (line: string) => void;
}

export interface DownloadRow {
  what: string;
  bytes: number;
  seconds: number;
  mbPerS: number;
  startRssMb: number;
  peakRssMb: number;
  sha256: string;
}

export interface DownloadBenchResult {
  rows: DownloadRow[];
  /** The crawler's process peak RSS (the figure with a target). */
  crawlerPeakRssMb: number;
  sameBytes: boolean;
}

export async function sampleDownloadBench(o: DownloadBenchOptions): Promise<DownloadBenchResult> {
  o.log?.(`crawl: ${fmt(o.bytes / MB, 0)} MiB sample…`);
  const { value } = await withNet({ kind: 'net', sites: [{ id: 'bench-huge', style: 'blog', hugeBytes: o.bytes }], latencyMs: [0, 0] }, async (net) => {
    const site = net.sites[0]!;
    const mirror = site.mirrors[0]!;
    if (!net.hugePath) throw new Error('the simulator published no huge file');
    o.log?.('crawl: plain loopback download (baseline)…');
    const plain = await inChild<PlainDone>({ kind: 'plain', port: mirror.port, host: mirror.onionHost, path: net.hugePath });
    o.log?.('crawl: the crawler, through the SOCKS proxy…');
    const crawl = await inChild<CrawlDone>({
      kind: 'crawl',
      socksPort: net.socksPort,
      sites: [site],
      siteConcurrency: 1,
      limits: { maxSampleBytes: Math.ceil(o.bytes * 1.25), maxRunSampleBytes: o.bytes * 2, perHostDelayMs: 0, retries: 0, connectTimeoutMs: 10_000, pageTimeoutMs: 30_000, idleTimeoutMs: 10_000 },
    });
    if (crawl.samples !== 1 || crawl.sampleBytes !== o.bytes) throw new Error(`the crawler stored ${crawl.samples} sample(s), ${crawl.sampleBytes} bytes; expected one of ${o.bytes}`);
    return { plain, crawl };
  });
  const { plain, crawl } = value;
  const row = (what: string, seconds: number, d: { startRssMb: number; peakRssMb: number }, sha256: string): DownloadRow => ({
    what,
    bytes: o.bytes,
    seconds,
    mbPerS: o.bytes / MB / seconds,
    startRssMb: d.startRssMb,
    peakRssMb: d.peakRssMb,
    sha256,
  });
  return {
    rows: [
      row('plain loopback HTTP GET, no proxy (baseline)', plain.wallMs / 1000, plain, plain.sha256),
      // The whole crawl of the site: preflight, listing, post page (≈0.1 s), then the sample.
      row('leakwatch crawl through the SOCKS proxy', crawl.wallMs / 1000, crawl, crawl.sampleSha256 ?? '?'),
    ],
    crawlerPeakRssMb: crawl.peakRssMb,
    sameBytes: plain.sha256 === crawl.sampleSha256 && plain.bytes === o.bytes,
  };
}

export interface CrawlBenchOptions {
  quick: boolean;
  log?: (line: string) => void;
}

export interface CrawlBenchResult {
  markdown: string;
  cycle: CrawlCycleResult;
  download: DownloadBenchResult;
}

const met = (ok: boolean): string => (ok ? 'met' : '**not met**');

export function cycleTable(c: CrawlCycleResult): string {
  const statuses = Object.entries(c.statuses).map(([s, n]) => `${n} ${s}`).join(', ');
  return markdownTable(
    ['sites', 'latency / request', 'sites at once', 'requests', 'pages', 'samples', 'site status', 'wall', 'serial sum of site times', 'speed-up', 'site time p50 / max', 'peak RSS (crawler process)'],
    [
      [
        c.sites,
        `${c.latencyMs[0]}–${c.latencyMs[1]} ms`,
        c.concurrency,
        c.requests,
        c.pages,
        c.samples,
        statuses,
        `${fmt(c.wallS)} s`,
        `${fmt(c.serialSumS)} s`,
        `${fmt(c.speedup)}×`,
        `${fmt(c.siteP50S)} / ${fmt(c.siteMaxS)} s`,
        `${fmt(c.peakRssMb, 0)} MB (${fmt(c.startRssMb, 0)} at start)`,
      ],
    ],
  );
}

export function downloadTable(d: DownloadBenchResult): string {
  return markdownTable(
    ['download', 'size', 'time', 'MB/s', 'process RSS at start', 'peak RSS (whole process)', 'peak − start', 'SHA-256'],
    d.rows.map((r) => [
      r.what,
      `${fmt(r.bytes / MB, 0)} MiB`,
      `${fmt(r.seconds)} s`,
      fmt(r.mbPerS, 0),
      `${fmt(r.startRssMb, 0)} MB`,
      `${fmt(r.peakRssMb, 0)} MB`,
      `${fmt(r.peakRssMb - r.startRssMb, 0)} MB`,
      `${r.sha256.slice(0, 12)}…`,
    ]),
  );
}

export async function crawlBench(o: CrawlBenchOptions): Promise<CrawlBenchResult> {
  const cycle = await crawlCycleBench({ sites: o.quick ? 10 : 50, ...(o.log ? { log: o.log } : {}) });
  const download = await sampleDownloadBench({ bytes: (o.quick ? 200 : 2048) * MB, ...(o.log ? { log: o.log } : {}) });
  const markdown = [
    '### Benchmark 4 — crawling through the SOCKS proxy',
    '',
    `**(a) Crawl cycle.** ${cycle.sites} simulated blog sites (8 posts and their samples each), every response delayed by ${cycle.latencyMs[0]}–${cycle.latencyMs[1]} ms, crawled once by the real crawler (runCrawl: listing, post pages, sample downloads, SQLite store) through the loopback SOCKS proxy, ${cycle.concurrency} sites at a time, one request at a time per site, no politeness delay, matching off. The serial sum adds up each site's own crawl time from the same run: what crawling the sites one after another would cost.`,
    '',
    cycleTable(cycle),
    '',
    `**(b) One ${fmt(o.quick ? 200 : 2048, 0)} MiB sample** (incompressible, streamed by the simulator) downloaded by the crawler through the SOCKS proxy with limits.maxSampleBytes above it, streamed to disk with SHA-256 on the fly; the baseline is a plain loopback GET of the same bytes without the proxy, streamed to disk with SHA-256. Each client runs in a fresh process (RSS = that whole process); the simulator and proxy run in another.`,
    '',
    downloadTable(download),
    '',
    `Target: peak RSS of the crawler process ≤ ${RSS_TARGET_MB} MB during the download — ${fmt(download.crawlerPeakRssMb, 0)} MB, ${met(download.crawlerPeakRssMb <= RSS_TARGET_MB)}. "RSS at start" is the process after loading the crawler's modules (under tsx, as \`npm run bench\` runs) and before the crawl; "peak − start" is what the download itself costs, and does not grow with the file size (compare a --quick run). Same bytes stored as served: ${download.sameBytes ? 'yes (SHA-256 equal)' : '**no**'}.`,
  ].join('\n');
  return { markdown, cycle, download };
}

// ---- entry points ---------------------------------------------------------------------------

if (process.env[CHILD_ENV]) {
  await childMain();
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--quick');
  if (unknown.length) {
    process.stderr.write(`usage: node --import tsx bench/crawl.ts [--quick]\n`);
    process.exit(2);
  }
  const r = await crawlBench({ quick: args.includes('--quick'), log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${r.markdown}\n`);
}
