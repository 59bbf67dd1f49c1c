import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { run } from '../../src/cli/index.js';
import { SocksReplyError } from '../../src/fetch/index.js';
import { probeSocksReply } from '../../src/fetch/socks5-client.js';
import { onionHostForPublicKey } from '../../src/sim/index.js';
import { spawnCli } from '../schedule/cli-process.js';
import { recordTimings, skipTorSuite, startLeakMonitor, startTorCrawlEnv, type TorCrawlEnv, NETWORK_START_TIMEOUT_MS } from '../helpers/tor-network/index.js';

// What Tor answers, and how leakwatch reports it, with a real Tor client in front of a real
// onion service: an address nobody publishes (0xF0), malformed addresses (our validation, and
// Tor's own 0xF6), a Tor client that is down (fail closed) and restarted between runs (the
// next run recovers on its own), and a service that vanishes in the middle of a crawl.

const SKIP = skipTorSuite('test/tor/tor-answers');
const SITE = 'sim-blog';

/**
 * A fresh v3 onion key: the address (valid checksum, published by nobody yet) and the key in
 * the form ADD_ONION takes (base64 of the expanded secret key: SHA-512 of the seed, clamped).
 */
function newOnionKey(): { host: string; keyBlob: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  const expanded = createHash('sha512').update(seed).digest();
  expanded[0]! &= 248;
  expanded[31]! &= 127;
  expanded[31]! |= 64;
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { host: onionHostForPublicKey(spki.subarray(spki.length - 32)), keyBlob: expanded.toString('base64') };
}

/** A well-formed v3 address of a fresh key: valid checksum, but no service publishes it. */
function unknownOnion(): string {
  return newOnionKey().host;
}

/** The same address with one character changed: the checksum no longer matches. */
function badChecksum(host: string): string {
  const c = host[10] === 'a' ? 'b' : 'a';
  return `${host.slice(0, 10)}${c}${host.slice(11)}`;
}

interface SiteResult {
  siteId: string;
  status: string;
  reason?: string;
  postsSeen: number;
  postsNew: number;
  postsChanged: number;
  pages: number;
  warnings: string[];
}

describe.skipIf(SKIP)("Tor's answers through leakwatch (private Tor network)", () => {
  let env: TorCrawlEnv | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-tor-answers-'));
  const crawl = async (config: string, site = SITE) => {
    const r = await run(['crawl', '--config', config, '--json', '--site', site], { cwd: env!.dir, env: env!.env });
    const parsed = r.stdout ? (JSON.parse(r.stdout) as { sites: SiteResult[]; tor: { bootstrap?: { progress: number }; newnymFor: string[] } }) : undefined;
    return { ...r, site: parsed?.sites[0], tor: parsed?.tor };
  };
  const probe = (host: string) => probeSocksReply({ proxy: { host: '127.0.0.1', port: env!.network.socksPort }, auth: { username: 'answers-test', password: 'x' }, host, port: 80 });

  beforeAll(async () => {
    // Two small posts without samples: these tests are about reachability, not matching.
    env = await startTorCrawlEnv(dir, { sites: [{ id: SITE, style: 'blog', name: 'Nightjar Leaks', posts: 2, samplePosts: false }] });
    recordTimings('tor-answers', env.network.timings);
  }, NETWORK_START_TIMEOUT_MS);

  afterAll(async () => {
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a well-formed v3 address nobody publishes: Tor says 0xF0, leakwatch says "site offline"', async () => {
    const e = env!;
    const gone = unknownOnion();
    expect(await probe(gone)).toBe(0xf0);
    const config = e.writeConfig('offline.yaml', [{ ...e.definition(SITE), id: 'sim-gone', name: 'Gone', mirrors: [`http://${gone}/`] }]);
    const started = performance.now();
    const r = await crawl(config, 'sim-gone');
    expect(r.site).toMatchObject({ siteId: 'sim-gone', status: 'failed', postsSeen: 0 });
    expect(r.site!.reason).toMatch(/site offline \(onion descriptor not found\) \[SOCKS reply 0xf0\]/);
    // Not retried within the run (Tor would not ask the HSDirs again anyway): fast and final.
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(r.exitCode).toBe(1);
  }, 60_000);

  it('a malformed address never reaches Tor from leakwatch; Tor itself answers 0xF6 for one', async () => {
    const e = env!;
    const bad = badChecksum(e.network.onionHosts[SITE]!);
    const config = e.writeConfig('malformed.yaml', [{ ...e.definition(SITE), id: 'sim-typo', name: 'Typo', mirrors: [`http://${bad}/`] }]);
    const monitor = startLeakMonitor();
    let r;
    try {
      r = await run(['crawl', '--config', config, '--site', 'sim-typo'], { cwd: e.dir, env: e.env });
    } finally {
      monitor.stop();
    }
    // Refused by our own validation when the config is read: not one connection, not even to Tor.
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/checksum/i);
    expect(monitor.connections).toEqual([]);
    expect(monitor.lookups).toEqual([]);

    // Tor's answer for the same kinds of address, as leakwatch maps it.
    for (const host of [bad, 'abc.onion', 'abcdefghijklmnop.onion', `${e.network.onionHosts[SITE]!.slice(0, 40)}.onion`]) {
      const code = await probe(host);
      expect(code, host).toBe(0xf6);
      const err = new SocksReplyError(code);
      expect(err.code).toBe('E_ONION_BAD_ADDRESS');
      expect(err.message).toBe('invalid onion address [SOCKS reply 0xf6]');
      expect(err.retryable).toBe(false);
    }
  }, 60_000);

  it('a site that was offline comes back: the next run finds it (after NEWNYM, as a daemon would send)', async () => {
    const e = env!;
    const key = newOnionKey();
    const config = e.writeConfig('comeback.yaml', [{ ...e.definition(SITE), id: 'sim-back', name: 'Back', mirrors: [`http://${key.host}/`] }]);
    const down = await crawl(config, 'sim-back');
    expect(down.site).toMatchObject({ status: 'failed', postsSeen: 0 });
    expect(down.site!.reason).toMatch(/site offline .*0xf0/);
    // The service appears at that address (here: in front of the same simulated site).
    expect(await e.network.publishEphemeralOnion(key.keyBlob, e.gates.get(SITE)!.port)).toBe(key.host);
    // Tor does not ask an HSDir that failed for a service again for 15 minutes (5 s in a test
    // network): leakwatch itself sends NEWNYM through the control port before crawling a site
    // whose last run failed (src/crawl/tor-health.ts), so the next run finds the site.
    const back = await crawl(config, 'sim-back');
    expect(back.site, back.stderr).toMatchObject({ status: 'ok', postsSeen: e.sim.posts(SITE).length, mirror: `http://${key.host}/` });
    expect(back.tor).toMatchObject({ bootstrap: { progress: 100 }, newnymFor: ['sim-back'] });
  }, 90_000);

  it('Tor stopped: the crawl fails closed; Tor restarted: the next crawl recovers on its own', async () => {
    const e = env!;
    onTestFailed(() => e.network.clientRunning() ? undefined : e.network.startClient());
    const first = await crawl(e.configFile);
    expect(first.site).toMatchObject({ status: 'ok', postsNew: 2 });

    await e.network.stopClient();
    e.clearLogs();
    const monitor = startLeakMonitor();
    let down;
    try {
      down = await crawl(e.configFile);
    } finally {
      monitor.stop();
    }
    expect(down.exitCode).toBe(2);
    expect(down.stderr).toContain(`Tor SOCKS proxy at 127.0.0.1:${e.network.socksPort} is not reachable: connection refused — is tor running?`);
    expect(down.site).toBeUndefined();
    // Nothing fetched, nothing tried anywhere else: only the refused preflight to the SOCKS port.
    expect(e.sim.requests(), JSON.stringify(e.sim.requests())).toEqual([]);
    expect(e.gates.get(SITE)!.connections, JSON.stringify(e.gates.get(SITE)!.connections)).toEqual([]);
    expect(monitor.leaks(e.network.socksPort, e.network.controlPort)).toEqual([]);
    // Monitoring sees it too: `status --check-tor` is failing (exit 2) and says why.
    const st = await run(['status', '--config', e.configFile, '--json', '--check-tor'], { cwd: e.dir, env: e.env });
    expect(st.exitCode).toBe(2);
    expect(JSON.parse(st.stdout).reasons[0]).toMatch(/^Tor SOCKS proxy: .*not reachable: connection refused/);

    // A new post appears meanwhile. Tor comes back; the next run starts as soon as the SOCKS
    // port listens, before the client has finished bootstrapping, with no other help.
    e.sim.addPost(SITE, { title: 'Harbour Freight Logistics' });
    await e.network.startClient({ waitForBootstrap: false });
    const again = await crawl(e.configFile);
    expect(again.site, again.stderr).toMatchObject({ status: 'ok', postsSeen: 3, postsNew: 1 });
    expect(again.exitCode).toBe(0);
    for (const q of e.sim.requests()) expect(q.host).toBe(e.network.onionHosts[SITE]);
  }, 120_000);

  it('a Tor client restarted while the daemon runs: runs fail closed while it is down, and the daemon recovers on its own', async () => {
    const e = env!;
    onTestFailed(() => (e.network.clientRunning() ? undefined : e.network.startClient()));
    const config = e.writeConfig('daemon.yaml', [e.definition(SITE)], { extraConfig: 'schedule: { cron: "*/3 * * * * *", jitterMs: 0, shutdownTimeoutMs: 10000 }' });
    const d = spawnCli(['daemon', '--config', config], e.env);
    try {
      const endsOf = () => d.logs.filter((l) => l.event === 'run-end' && l.site === SITE);
      await d.waitForLog((l) => l.event === 'run-end' && l.status === 'ok', 60_000, 'a first good run');

      await e.network.stopClient();
      e.clearLogs();
      const before = endsOf().length;
      await d.waitForLog((l) => endsOf().indexOf(l) >= before && l.status === 'error', 30_000, 'a run while Tor is down');
      const failed = endsOf().slice(before).find((l) => l.status === 'error')!;
      expect(failed.error).toMatch(/Tor SOCKS proxy at 127\.0\.0\.1:\d+ is not reachable: connection refused/);
      expect(e.sim.requests(), 'nothing reached the site while Tor was down').toEqual([]);

      // Meanwhile a new post; Tor comes back (the daemon is not told, not restarted).
      e.sim.addPost(SITE, { title: 'Kauri Valley Veterinary' });
      await e.network.startClient({ waitForBootstrap: false });
      const mark = endsOf().length;
      const recovered = await d.waitForLog((l) => endsOf().indexOf(l) >= mark && l.status === 'ok' && l.postsNew === 1, 90_000, 'a good run after Tor came back');
      expect(recovered).toMatchObject({ site: SITE, status: 'ok', postsNew: 1 });
      expect(d.child.exitCode, 'the daemon kept running throughout').toBeNull();
    } finally {
      d.child.kill('SIGTERM');
      const end = await d.exited;
      expect(end.code, d.stderr().slice(-2000)).toBe(0);
    }
  }, 240_000);

  it('the onion service vanishes between the listing and its post pages: bounded failure, clear reasons; it recovers when the service returns', async () => {
    const e = env!;
    for (const title of ['Meridian Dental Group', 'Oakfield Orthopaedics']) e.sim.addPost(SITE, { title });
    // Every answer takes 1.5 s, so the service can be killed while the first post page is in flight.
    e.sim.setLatency(SITE, 0, [1500, 1500]);
    e.clearLogs();
    let killedAt: number | undefined;
    const watcher = setInterval(() => {
      if (killedAt === undefined && e.sim.requests({ siteId: SITE }).some((q) => q.path.startsWith('/posts/'))) {
        killedAt = performance.now();
        void e.network.stopOnionHost({ kill: true });
      }
    }, 20);
    // Short timeouts and no retry: the failure must be reported quickly, not waited out.
    const config = e.writeConfig('vanish.yaml', [e.definition(SITE)], { limits: { connectTimeoutMs: 8000, idleTimeoutMs: 8000, retries: 0 } });
    let r;
    const started = performance.now();
    try {
      r = await crawl(config);
    } finally {
      clearInterval(watcher);
    }
    const tookMs = performance.now() - started;
    expect(killedAt, 'the service was killed mid-crawl').toBeDefined();
    // The listing was read (every post seen, 2 new); no post page that needed fetching (the new
    // ones, and those the new posts changed) could be fetched, and each says why.
    expect(r.site).toMatchObject({ status: 'ok', postsSeen: e.sim.posts(SITE).length, postsNew: 2 });
    const needed = r.site!.postsNew + r.site!.postsChanged;
    const failures = r.site!.warnings.filter((w) => w.startsWith('post page '));
    expect(failures).toHaveLength(needed);
    expect(r.site!.pages).toBe(1);
    for (const w of failures) expect(w).toMatch(/onion introduction (failed|timed out)|onion rendezvous failed|no connection through Tor|no response headers|response stalled|connection failed mid-request/);
    // Bounded: at worst one connect timeout per page, no retries.
    expect(tookMs).toBeLessThan(needed * 8000 + 15_000);
    console.info(`[tor-answers] service killed mid-crawl: crawl ended after ${Math.round(tookMs)} ms; post pages: ${failures.join(' | ')}`);

    // The service comes back (same keys, new introduction points): the next run gets the pages.
    e.sim.setLatency(SITE, 0, [0, 0]);
    await e.network.startOnionHost();
    const back = await crawl(e.configFile);
    expect(back.site, back.stderr).toMatchObject({ status: 'ok', postsSeen: e.sim.posts(SITE).length, postsNew: 0 });
    expect(back.site!.warnings.filter((w) => w.startsWith('post page '))).toEqual([]);
    expect(back.site!.pages).toBe(1 + needed); // the listing and every post page missed before
  }, 180_000);
});
