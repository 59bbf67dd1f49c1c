import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { checkProxy, checkTorBootstrap, ProxyError, TorControl } from '../../src/fetch/index.js';
import { skipTorSuite, startLeakMonitor, startTorCrawlEnv, recordTimings, pidAlive, type TorCrawlEnv, NETWORK_START_TIMEOUT_MS } from '../helpers/tor-network/index.js';

// `leakwatch crawl` with the HTTP transport against simulator sites published as real v3
// onion services of a private Tor network: posts, samples, matches, captures, alerts and
// evidence — and proof that every byte went through Tor (docs/tor-testing.md).

const SKIP = skipTorSuite('test/tor/crawl-http');
const SITES = ['sim-blog', 'sim-paged'] as const;

interface SiteResult {
  siteId: string;
  status: string;
  postsSeen: number;
  postsNew: number;
  samplesNew: number;
  matchesNew: number;
  mirror?: string;
  reason?: string;
}

describe.skipIf(SKIP)('crawling onion services over a private Tor network (HTTP transport)', () => {
  let env: TorCrawlEnv | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-tor-http-'));
  const lw = (...args: string[]) => run(args, { cwd: env!.dir, env: env!.env });

  beforeAll(async () => {
    env = await startTorCrawlEnv(dir, {
      siteIds: [...SITES],
      extraConfig: ['alerts:', '  channels:', '    - { name: log, type: log, level: warn }'].join('\n'),
    });
    recordTimings('crawl-http', env.network.timings);
  }, NETWORK_START_TIMEOUT_MS);

  afterAll(async () => {
    const pids = env?.network.pids() ?? [];
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
    // Teardown is by PID: every tor we started is gone.
    for (const pid of pids) expect(pidAlive(pid), `tor pid ${pid}`).toBe(false);
  }, 60_000);

  it('runs a private, loopback-only network whose client answers like Tor', async () => {
    const net = env!.network;
    const dirPorts = net.authorities.map((a) => a.dirPort);
    for (const [node, torrc] of Object.entries(net.torrcs())) {
      expect(torrc, node).toMatch(/^TestingTorNetwork 1$/m);
      // Only our three authorities, all on loopback; no fallbacks, bridges or other directories.
      const authorities = torrc.split('\n').filter((l) => /^DirAuthority /.test(l));
      expect(authorities.map((l) => Number(/ 127\.0\.0\.1:(\d+) /.exec(l)?.[1])), node).toEqual(dirPorts);
      expect(torrc, node).not.toMatch(/^(FallbackDir|Bridge|AlternateDirAuthority|UseBridges 1)\b/m);
      // Every listener is 0 (off) or bound to 127.0.0.1.
      for (const line of torrc.split('\n').filter((l) => /^(SocksPort|ControlPort|ORPort|DirPort) /.test(l))) {
        expect(line, node).toMatch(/^\w+ (0|127\.0\.0\.1:\d+)( \w+)*$/);
      }
      // Exits only to loopback: nothing could leave this machine through the network.
      if (/^ExitRelay 1$/m.test(torrc)) expect(torrc.match(/^ExitPolicy .*$/gm), node).toEqual(['ExitPolicy accept 127.0.0.0/8:*', 'ExitPolicy reject *:*']);
    }
    expect(net.pids()).toHaveLength(8);

    const proxy = await checkProxy({ host: '127.0.0.1', port: net.socksPort });
    expect(proxy.tor).toBe(true);

    // leakwatch's control-port client (src/fetch/tor-control.ts), with the cookie from the config.
    const endpoint = { host: '127.0.0.1', port: net.controlPort, cookiePath: net.cookiePath };
    expect(await checkTorBootstrap(endpoint)).toMatchObject({ progress: 100, tag: 'done', severity: 'NOTICE' });
    const control = await TorControl.connect(endpoint);
    try {
      expect(await control.getInfo('net/listeners/socks')).toBe(`"127.0.0.1:${net.socksPort}"`);
      await control.newnym();
    } finally {
      control.close();
    }
    const wrongCookie = join(dir, 'wrong-cookie');
    writeFileSync(wrongCookie, Buffer.alloc(32, 7));
    await expect(TorControl.connect({ ...endpoint, cookiePath: wrongCookie })).rejects.toThrow(/refused authentication/);
    await expect(TorControl.connect({ ...endpoint, cookiePath: undefined })).rejects.toThrow(/refused authentication/);
    // Not a control port (the SOCKS port): a clear failure, not a hang.
    await expect(checkTorBootstrap({ host: '127.0.0.1', port: net.socksPort, cookiePath: net.cookiePath }, { timeoutMs: 3000 })).rejects.toThrow(ProxyError);
    for (const host of Object.values(net.onionHosts)) expect(host).toMatch(/^[a-z2-7]{56}\.onion$/);

    // `status --check-tor`, as monitoring runs it: SOCKS up and bootstrapped, through the config's cookie.
    const st = await lw('status', '--config', env!.configFile, '--json', '--check-tor');
    expect(JSON.parse(st.stdout).tor).toMatchObject({ socks: { ok: true }, control: { ok: true, bootstrap: { progress: 100 } }, health: 'healthy' });
  });

  it('finds posts, downloads and matches samples, stores captures, raises alerts and writes verifiable evidence — all through Tor', async () => {
    const e = env!;
    e.clearLogs();
    expect((await lw('keys', 'init', '--data-dir', 'data')).exitCode).toBe(0);

    const monitor = startLeakMonitor();
    let crawl;
    try {
      crawl = await lw('crawl', '--config', e.configFile, '--json', ...SITES.flatMap((s) => ['--site', s]));
    } finally {
      monitor.stop();
    }
    expect(crawl.stderr).not.toMatch(/"level":50/);
    const result = JSON.parse(crawl.stdout) as { sites: SiteResult[]; proxy: { tor: boolean; port: number } };
    expect(result.proxy).toMatchObject({ tor: true, port: e.network.socksPort });
    for (const id of SITES) {
      const posts = e.sim.posts(id);
      const site = result.sites.find((s) => s.siteId === id);
      expect(site, id).toMatchObject({ status: 'ok', postsSeen: posts.length, postsNew: posts.length, mirror: e.mirrorUrl(id) });
      const files = new Set(posts.flatMap((p) => [...p.files, ...p.images]).map((f) => f.path));
      expect(site!.samplesNew, id).toBe(files.size);
      expect(site!.matchesNew, id).toBeGreaterThan(0);
    }
    expect(crawl.exitCode).toBe(0);

    // ---- leak-proof: nothing but Tor ------------------------------------------------------
    // In this process: no DNS lookup at all, and every TCP connection went to the SOCKS port.
    expect(monitor.connections.length).toBeGreaterThan(0);
    expect(monitor.leaks(e.network.socksPort, e.network.controlPort)).toEqual([]);
    // At the sites: every request carried the site's real onion name, and every connection
    // was opened by the onion host's tor process (not by the crawler, not by anything else).
    for (const id of SITES) {
      const requests = e.sim.requests({ siteId: id });
      expect(requests.length, id).toBeGreaterThan(0);
      for (const q of requests) expect(q.host, q.path).toBe(e.network.onionHosts[id]);
      const gate = e.gates.get(id)!;
      expect(gate.connections.length, id).toBeGreaterThan(0);
      for (const c of gate.connections) expect(c.ownerPid, `${id} connection from port ${c.peerPort}`).toBe(e.network.onionHostPid());
    }

    const db = new Database(join(e.dir, 'data', 'leakwatch.db'), { readonly: true });
    try {
      // Every expected stolen file matched, nothing else (screenshots of text pages are OCR's job).
      const matched = db.prepare('SELECT DISTINCT s.site_id AS site, x.url FROM matches m JOIN samples s ON s.id = m.sample_id JOIN sample_sightings x ON x.sample_id = s.id').all() as { site: string; url: string }[];
      for (const id of SITES) {
        const expected = new Set<string>();
        const maybe = new Set<string>();
        for (const p of e.sim.posts(id)) for (const f of [...p.files, ...p.images]) {
          const ocr = f.contents.some((c) => c.transform === 'screenshot' && !/\/(photo|passport)-/.test(c.corpusPath ?? ''));
          if (ocr) maybe.add(f.path);
          else if (f.expectMatch) expected.add(f.path);
        }
        const got = matched.filter((m) => m.site === id).map((m) => new URL(m.url)).filter((u) => !maybe.has(u.pathname));
        for (const u of got) expect(u.hostname).toBe(e.network.onionHosts[id]);
        expect(got.map((u) => u.pathname).sort(), id).toEqual([...expected].sort());
      }

      // Captures: the listing pages and one per post, fetched over HTTP through Tor.
      const captures = db.prepare('SELECT site_id AS site, kind, url, transport, status FROM captures').all() as { site: string; kind: string; url: string; transport: string; status: number }[];
      for (const id of SITES) {
        const mine = captures.filter((c) => c.site === id);
        expect(mine.filter((c) => c.kind === 'post'), id).toHaveLength(e.sim.posts(id).length);
        expect(mine.some((c) => c.kind === 'listing'), id).toBe(true);
        for (const c of mine) expect(c, c.url).toMatchObject({ transport: 'http', status: 200 });
      }

      // Alerts raised per matched sample and delivered to the log channel.
      const alerts = db.prepare('SELECT site_id AS site, mirror_url AS mirror FROM alerts').all() as { site: string; mirror: string }[];
      for (const id of SITES) expect(alerts.filter((a) => a.site === id).length, id).toBeGreaterThan(0);
      for (const a of alerts) expect(a.mirror).toBe(e.mirrorUrl(a.site));
      const outbox = db.prepare("SELECT status, COUNT(*) AS n FROM alert_outbox WHERE channel = 'log' GROUP BY status").all() as { status: string; n: number }[];
      expect(outbox).toEqual([{ status: 'delivered', n: alerts.length }]);
      // The log channel's lines name each alert ("… — alert <id>, case <id>").
      const logged = new Set([...crawl.stderr.matchAll(/— alert (\d+), case \d+/g)].map((m) => Number(m[1])));
      expect(logged.size).toBe(alerts.length);
    } finally {
      db.close();
    }

    // Evidence: a signed package per matched capture, each verifying offline.
    const data = join(e.dir, 'data');
    const packages = readdirSync(join(data, 'evidence'), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.wacz'))
      .map((d) => join(d.parentPath, d.name));
    expect(packages.length).toBeGreaterThan(0);
    for (const pkg of packages) {
      const v = await lw('evidence', 'verify', pkg, '--log', join(data, 'custody', 'custody.jsonl'), '--keys', join(data, 'keys'), '--json');
      expect(v.exitCode, v.stdout + v.stderr).toBe(0);
    }
  }, 240_000);
});
