import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { DEFAULT_CHROMIUM_PATH } from '../../src/fetch/index.js';
import { APP_SCRIPT_PATH } from '../../src/sim/index.js';
import { BlobStore } from '../../src/store/blob-store.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';
import { useTempDir } from '../helpers/tmp.js';

// `leakwatch crawl` on a site that renders only with JavaScript (transport: browser): Chromium
// through the loopback SOCKS proxy, the screenshot and rendered DOM kept as capture blobs,
// samples downloaded and matched, and nothing resolved or connected outside the proxy.

// The crawler uses /usr/bin/chromium (src/fetch/browser.ts defaultExecutablePath).
const haveChromium = existsSync(DEFAULT_CHROMIUM_PATH);
if (!haveChromium) console.warn(`crawl browser test SKIPPED: no Chromium at ${DEFAULT_CHROMIUM_PATH} (apt-get install -y chromium)`);

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const tmp = useTempDir();
let env: CrawlEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** A plain loopback GET of a simulator page, as the simulator serves it to any client. */
function getDirect(port: number, path: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

interface CaptureRow {
  kind: string;
  url: string;
  transport: string;
  status: number;
  screenshot_sha256: string | null;
  dom_sha256: string | null;
  outcome: string;
}

describe.skipIf(!haveChromium)('crawling a JavaScript-only site with the browser transport', () => {
  it('finds the rendered posts, keeps screenshot and DOM, matches the stolen sample, and only ever asks the proxy for onion names', async () => {
    // 421 for any Host that is not the mirror's onion name: a direct or IP-addressed request
    // would fail loudly instead of passing unnoticed.
    env = await startCrawlEnv(tmp(), { siteIds: ['sim-jsonly'], simOptions: { requireOnionHost: true } });
    const r = await run(['crawl', '--config', env.configFile, '--json', '--site', 'sim-jsonly'], { cwd: env.dir, env: env.env });
    expect(r.stderr).not.toMatch(/"level":50/);
    const [site] = (JSON.parse(r.stdout) as { sites: { siteId: string; status: string; postsSeen: number; postsNew: number; samplesNew: number; matchesNew: number }[] }).sites;
    const want = env.sim.posts('sim-jsonly');
    expect(site).toMatchObject({ siteId: 'sim-jsonly', status: 'ok', postsSeen: want.length, postsNew: want.length });
    expect(r.exitCode).toBe(0);

    const db = new Database(join(env.dir, 'data', 'leakwatch.db'), { readonly: true });
    try {
      // Posts come from the DOM the page's script built: the served HTML is an empty shell.
      const titles = (db.prepare('SELECT title FROM posts WHERE site_id = ?').all('sim-jsonly') as { title: string }[]).map((p) => p.title);
      expect(titles.sort()).toEqual(want.map((p) => p.title).sort());

      // Every page was fetched by the browser and kept with a screenshot and the rendered DOM.
      const captures = db.prepare('SELECT kind, url, transport, status, screenshot_sha256, dom_sha256, outcome FROM captures WHERE site_id = ?').all('sim-jsonly') as CaptureRow[];
      const listing = captures.find((c) => c.kind === 'listing');
      expect(listing).toMatchObject({ transport: 'browser', status: 200, outcome: 'ok' });
      expect(captures.filter((c) => c.kind === 'post')).toHaveLength(want.length);
      const blobs = new BlobStore(join(env.dir, 'data', 'blobs'));
      for (const c of captures) {
        expect(c.transport, c.url).toBe('browser');
        expect(c.screenshot_sha256, c.url).toMatch(/^[0-9a-f]{64}$/);
        expect(c.dom_sha256, c.url).toMatch(/^[0-9a-f]{64}$/);
        expect(blobs.read(c.screenshot_sha256!).subarray(0, 8).equals(PNG_MAGIC), c.url).toBe(true);
      }
      const dom = blobs.read(listing!.dom_sha256!).toString('utf8');
      for (const p of want) expect(dom).toContain(p.title.replace(/&/g, '&amp;'));

      // The stolen sample, linked from a JS-rendered post page, is downloaded and matched.
      const expected = want.flatMap((p) => p.files).filter((f) => f.expectMatch).map((f) => f.path);
      expect(expected.length).toBeGreaterThan(0);
      const matched = db
        .prepare('SELECT DISTINCT x.url FROM matches m JOIN sample_sightings x ON x.sample_id = m.sample_id JOIN samples s ON s.id = m.sample_id WHERE s.site_id = ?')
        .all('sim-jsonly') as { url: string }[];
      expect(matched.map((m) => new URL(m.url).pathname).sort()).toEqual(expected.sort());
      expect(site!.matchesNew).toBeGreaterThan(0);
    } finally {
      db.close();
    }

    // Names, not addresses, reached the proxy (no local DNS), and only onion names; the
    // simulator saw only requests carrying the onion Host, i.e. every one came through it.
    expect(env.socks.connections.length).toBeGreaterThan(0);
    for (const c of env.socks.connections) {
      expect(c.addressType).toBe('domain');
      expect(c.host).toMatch(/\.onion$/);
    }
    const requests = env.sim.requests();
    expect(requests.length).toBeGreaterThan(0);
    for (const q of requests) {
      expect(q.host, q.path).toMatch(/\.onion$/);
      expect(q.status, q.path).not.toBe(421);
    }
    // The browser itself went through the proxy too (it fetched the app script and the pages).
    expect(requests.some((q) => q.path === APP_SCRIPT_PATH)).toBe(true);

    // Last (it is a direct request): the HTML the site serves is an app shell without any
    // victim, so the posts above can only have come from the rendered page.
    const shell = await getDirect(env.sim.site('sim-jsonly').port, '/', env.sim.site('sim-jsonly').onionHost);
    for (const p of want) expect(shell).not.toContain(p.title);
  });
});
