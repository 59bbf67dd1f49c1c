import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { DEFAULT_CHROMIUM_PATH } from '../../src/fetch/index.js';
import { APP_SCRIPT_PATH } from '../../src/sim/index.js';
import { BlobStore } from '../../src/store/blob-store.js';
import { inCi, recordTimings, skipTorSuite, startLeakMonitor, startTorCrawlEnv, type TorCrawlEnv, NETWORK_START_TIMEOUT_MS } from '../helpers/tor-network/index.js';

// `leakwatch crawl` with the browser transport (Chromium at /usr/bin/chromium through the
// per-site relay) against a JavaScript-only simulator site published as a real onion service.
// In CI a missing Chromium fails the suite; locally it skips with a message.

const haveChromium = existsSync(DEFAULT_CHROMIUM_PATH);
const SKIP = skipTorSuite('test/tor/crawl-browser') || (!haveChromium && !inCi());
if (!haveChromium && !inCi()) console.warn(`test/tor/crawl-browser SKIPPED: no Chromium at ${DEFAULT_CHROMIUM_PATH} (apt-get install -y chromium)`);

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SITE = 'sim-jsonly';

describe.skipIf(SKIP)('crawling a JavaScript-only onion service over a private Tor network (browser transport)', () => {
  let env: TorCrawlEnv | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'leakwatch-tor-browser-'));

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`no Chromium at ${DEFAULT_CHROMIUM_PATH}: the browser transport cannot be tested`);
    env = await startTorCrawlEnv(dir, { siteIds: [SITE] });
    recordTimings('crawl-browser', env.network.timings);
  }, NETWORK_START_TIMEOUT_MS);

  afterAll(async () => {
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('renders the posts, keeps screenshots and DOM, matches the stolen sample; the browser reached the site only through Tor', async () => {
    const e = env!;
    e.clearLogs();
    const monitor = startLeakMonitor();
    let r;
    try {
      r = await run(['crawl', '--config', e.configFile, '--json', '--site', SITE], { cwd: e.dir, env: e.env });
    } finally {
      monitor.stop();
    }
    expect(r.stderr).not.toMatch(/"level":50/);
    const [site] = (JSON.parse(r.stdout) as { sites: { siteId: string; status: string; postsSeen: number; postsNew: number; matchesNew: number; mirror: string }[] }).sites;
    const want = e.sim.posts(SITE);
    expect(site).toMatchObject({ siteId: SITE, status: 'ok', postsSeen: want.length, postsNew: want.length, mirror: e.mirrorUrl(SITE) });
    expect(site!.matchesNew).toBeGreaterThan(0);
    expect(r.exitCode).toBe(0);

    const db = new Database(join(e.dir, 'data', 'leakwatch.db'), { readonly: true });
    try {
      // Posts come from the DOM the page's script built (the served HTML is an empty shell).
      const titles = (db.prepare('SELECT title FROM posts WHERE site_id = ?').all(SITE) as { title: string }[]).map((p) => p.title);
      expect(titles.sort()).toEqual(want.map((p) => p.title).sort());
      const captures = db.prepare('SELECT kind, url, transport, status, screenshot_sha256 AS shot, dom_sha256 AS dom FROM captures WHERE site_id = ?').all(SITE) as {
        kind: string; url: string; transport: string; status: number; shot: string | null; dom: string | null;
      }[];
      expect(captures.filter((c) => c.kind === 'post')).toHaveLength(want.length);
      const blobs = new BlobStore(join(e.dir, 'data', 'blobs'));
      for (const c of captures) {
        expect(c, c.url).toMatchObject({ transport: 'browser', status: 200 });
        expect(new URL(c.url).hostname).toBe(e.network.onionHosts[SITE]);
        expect(blobs.read(c.shot!).subarray(0, 8).equals(PNG_MAGIC), c.url).toBe(true);
        expect(c.dom, c.url).toMatch(/^[0-9a-f]{64}$/);
      }
      const expected = want.flatMap((p) => p.files).filter((f) => f.expectMatch).map((f) => f.path);
      expect(expected.length).toBeGreaterThan(0);
      const matched = db
        .prepare('SELECT DISTINCT x.url FROM matches m JOIN sample_sightings x ON x.sample_id = m.sample_id JOIN samples s ON s.id = m.sample_id WHERE s.site_id = ?')
        .all(SITE) as { url: string }[];
      expect(matched.map((m) => new URL(m.url).pathname).sort()).toEqual(expected.sort());
    } finally {
      db.close();
    }

    // Leak-proof. In this process (relay upstream, sample downloads, preflight): no DNS, and
    // only the SOCKS port. Chromium is another process: what it fetched (the pages *and* the
    // app script) arrived at the site with the onion Host, over connections the onion host's
    // tor opened — a direct or locally-resolved fetch could not have.
    expect(monitor.leaks(e.network.socksPort, e.network.controlPort)).toEqual([]);
    const requests = e.sim.requests({ siteId: SITE });
    expect(requests.some((q) => q.path === APP_SCRIPT_PATH)).toBe(true);
    for (const q of requests) expect(q.host, q.path).toBe(e.network.onionHosts[SITE]);
    const gate = e.gates.get(SITE)!;
    expect(gate.connections.length).toBeGreaterThan(0);
    for (const c of gate.connections) expect(c.ownerPid, `connection from port ${c.peerPort}`).toBe(e.network.onionHostPid());
  }, 240_000);
});
