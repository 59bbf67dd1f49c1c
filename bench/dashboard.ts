/**
 * Benchmark: dashboard page latency (`leakwatch serve`). A real crawl of the simulator
 * (sim-blog, with evidence keys, so cases, packages and a custody log exist) builds the data
 * folder; the dashboard serves it on loopback; a signed-in client fetches each page N times,
 * one request at a time. Baseline, measured in the same run: a bare node:http server answering
 * the same bytes as the case page, pre-rendered (loopback + HTTP cost only). Reported: p50 and
 * p95 per page, and each page's p50 over the baseline's.
 *
 *   node --import tsx bench/dashboard.ts [--quick]     standalone
 *   dashboardBench({ quick, log })                      from bench/run.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from '../src/cli/index.js';
import { hashPassword, loadWebSettings, startDashboard } from '../src/web/index.js';
import { AlertStore } from '../src/store/alert-store.js';
import { startCrawlEnv } from '../test/helpers/crawl-env.js';
import { fmt, markdownTable, percentile } from './lib/report.js';

async function timeGets(url: string, cookie: string, n: number): Promise<{ p50: number; p95: number; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n + 2; i++) {
    const t0 = performance.now();
    const r = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    const body = await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
    // The first two warm caches (statements, pages of the database file): not counted.
    if (i >= 2) ms.push(performance.now() - t0);
    bytes = body.byteLength;
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), bytes };
}

export async function dashboardBench(o: { quick: boolean; log: (line: string) => void }): Promise<{ markdown: string }> {
  const n = o.quick ? 20 : 100;
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-bench-web-'));
  const password = 'bench password 1';
  const env = await startCrawlEnv(dir, { siteIds: ['sim-blog'], extraConfig: `web: { users: [{ name: bench, passwordHash: "${await hashPassword(password)}" }] }` });
  try {
    const lw = (...args: string[]) => run(args, { cwd: dir, env: env.env });
    o.log('dashboard: keys and a crawl of sim-blog…');
    if ((await lw('keys', 'init', '--data-dir', 'data')).exitCode !== 0) throw new Error('keys init failed');
    const crawl = await lw('crawl', '--config', env.configFile, '--site', 'sim-blog');
    if (crawl.exitCode !== 0) throw new Error(`crawl failed: ${crawl.stderr}`);
    const loaded = loadWebSettings(env.configFile, env.env);
    if (!loaded.ok) throw new Error('config did not load');
    const store = AlertStore.open(loaded.config.dataDir);
    const caseId = store.listAlerts()[0]?.caseId;
    store.close();
    if (caseId === undefined) throw new Error('the crawl raised no alert');
    const dash = await startDashboard({ config: loaded.config, web: loaded.web, port: 0 });
    try {
      const login = await fetch(`${dash.url}/login`, {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ user: 'bench', password, next: '/' }).toString(),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const list = await (await fetch(`${dash.url}/evidence`, { headers: { cookie } })).text();
      const pkg = /href="\/evidence\/([^"/]+\.wacz)"/.exec(list)?.[1];
      const pages: [string, string][] = [
        ['overview', '/'], ['cases', '/cases'], [`case (report data, packages verified)`, `/cases/${caseId}`],
        ...(pkg ? [['evidence package (verified, custody entry appended)', `/evidence/${pkg}`] as [string, string]] : []),
        ['site (chart, posts)', '/sites/sim-blog'], ['test definition', '/sites/sim-blog/test'],
      ];
      const casePage = Buffer.from(await (await fetch(`${dash.url}/cases/${caseId}`, { headers: { cookie } })).arrayBuffer());
      const bare = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(casePage));
      await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
      const base = await timeGets(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/`, '', n);
      bare.close();
      const rows: (string | number)[][] = [['baseline: bare node:http, same bytes as the case page', fmt(base.p50, 2), fmt(base.p95, 2), base.bytes, '1.0']];
      for (const [label, path] of pages) {
        o.log(`dashboard: ${label}`);
        const t = await timeGets(dash.url + path, cookie, n);
        rows.push([label, fmt(t.p50, 2), fmt(t.p95, 2), t.bytes, fmt(t.p50 / base.p50, 1)]);
      }
      return {
        markdown: [
          '### Dashboard — page latency (`leakwatch serve`)',
          '',
          `A crawl of the simulator's sim-blog (with evidence keys) serves as data; a signed-in client fetches each page ${n} times in a row over loopback (2 warm-up requests not counted). The baseline is a bare node:http server sending the case page's bytes.`,
          '',
          markdownTable(['page', 'p50 ms', 'p95 ms', 'bytes', 'p50 / baseline'], rows),
        ].join('\n'),
      };
    } finally {
      await dash.close();
    }
  } finally {
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await dashboardBench({ quick: process.argv.includes('--quick'), log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${r.markdown}\n`);
}
