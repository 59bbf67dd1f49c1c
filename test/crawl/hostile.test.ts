import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { defaultSimSites, simOnionHost, simSitesDir, type SimPost } from '../../src/sim/index.js';
import { startCrawlEnv, type CrawlEnv } from '../helpers/crawl-env.js';

// Hostile leak sites crawled end to end through the loopback SOCKS proxy with `leakwatch
// crawl`: malformed, absurdly nested markup; a sample far above the size cap; zip bombs; markup
// in a victim name; pages in legacy charsets. One bad file must cost only itself.

const MiB = 1024 ** 2;
/** Never materialised by the simulator (streamed on demand), so it can be far above the cap. */
const HUGE_BYTES = 1024 * MiB;
const CAP_BYTES = 100 * MiB;
/** Smaller than the simulator's default (16 × 64 MiB) so the test stays quick; still ~1000:1. */
const ZIP_BOMB = { members: 8, memberBytes: 16 * MiB };
/** A copy of sim-hostile whose definition does not read the size shown beside file links. */
const NOSIZE_ID = 'hostile-nosize';

interface SiteResult {
  siteId: string;
  status: string;
  postsSeen: number;
  postsNew: number;
  samplesNew: number;
  samplesFailed: number;
  matchesNew: number;
  warnings: string[];
}

let dir: string;
let env: CrawlEnv;
let db: Database.Database;
let stripper: http.Server | undefined;

/**
 * A reverse proxy on loopback that forwards to `port` and drops Content-Length, so bodies
 * arrive chunked with no announced size: like a leak site that streams a dump from a script.
 * The crawler can then only stop the huge file mid-stream, at the cap.
 */
async function startLengthStripper(port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      const headers = { ...up.headers };
      delete headers['content-length'];
      res.writeHead(up.statusCode ?? 502, headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** sites/sim/ plus a definition that ignores the page's file sizes: the fetch layer must cap. */
function writeSitesDir(to: string): string {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(simSitesDir()).filter((n) => n.endsWith('.yaml'))) copyFileSync(join(simSitesDir(), f), join(to, f));
  const hostile = readFileSync(join(simSitesDir(), 'sim-hostile.yaml'), 'utf8');
  const nosize = hostile
    .replace(/^id: sim-hostile$/m, `id: ${NOSIZE_ID}`)
    .replace(/^name: .*$/m, 'name: Chaos Archive (no sizes)')
    .replace(/http:\/\/[a-z2-7]{56}\.onion\//, `http://${simOnionHost(NOSIZE_ID)}/`)
    .replace(', size: i.sz }', ' }');
  if (nosize === hostile || nosize.includes('i.sz')) throw new Error('sim-hostile.yaml changed shape: update writeSitesDir');
  writeFileSync(join(to, `${NOSIZE_ID}.yaml`), nosize);
  return to;
}

async function crawl(siteId: string, configFile = env.configFile): Promise<{ exitCode: number; sites: SiteResult[]; stderr: string }> {
  const r = await run(['crawl', '--config', configFile, '--json', '--site', siteId], { cwd: env.dir, env: env.env });
  return { exitCode: r.exitCode, sites: (JSON.parse(r.stdout) as { sites: SiteResult[] }).sites, stderr: r.stderr };
}

const postsOf = (siteId: string): { title: string; description: string | null; url: string }[] =>
  db.prepare('SELECT title, description, url FROM posts WHERE site_id = ? ORDER BY id').all(siteId) as { title: string; description: string | null; url: string }[];

const warningsOf = (siteId: string, kind: string): string[] =>
  (db.prepare('SELECT message FROM warnings WHERE site_id = ? AND kind = ?').all(siteId, kind) as { message: string }[]).map((w) => w.message);

const fileOf = (posts: readonly SimPost[], name: string) => {
  for (const post of posts) for (const file of post.files) if (file.name === name) return { post, file };
  throw new Error(`no file ${name}`);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leakwatch-hostile-'));
  const sites = [
    ...defaultSimSites().filter((s) => ['sim-hostile', 'sim-cp1251', 'sim-latin1'].includes(s.id)),
    // Only the huge file: no bombs or documents, so this site's crawl is about the cap alone.
    { id: NOSIZE_ID, style: 'hostile' as const, samplePosts: false, posts: [{ title: 'Kauri Freight Ltd', files: [{ name: 'full-dump.7z.001', source: { kind: 'huge' as const, sizeBytes: HUGE_BYTES } }] }] },
  ];
  env = await startCrawlEnv(dir, {
    sites,
    sitesDir: writeSitesDir(join(dir, 'sites')),
    simOptions: { hugeFileBytes: HUGE_BYTES, zipBomb: ZIP_BOMB },
    limits: { maxSampleBytes: CAP_BYTES },
  });
  stripper = await startLengthStripper(env.sim.site(NOSIZE_ID).port);
  env.socks.route(simOnionHost(NOSIZE_ID), (stripper.address() as AddressInfo).port);
}, 60_000);

afterAll(async () => {
  db?.close();
  stripper?.closeAllConnections();
  await new Promise((resolve) => (stripper ? stripper.close(resolve) : resolve(undefined)));
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('crawling hostile sites (simulator behind the loopback SOCKS proxy)', () => {
  it('survives malformed markup, a sample above the cap and zip bombs, and still matches the stolen document', async () => {
    const r = await crawl('sim-hostile');
    expect(r.stderr).not.toMatch(/"level":50/);
    const [site] = r.sites;
    const want = env.sim.posts('sim-hostile');
    // One bad file costs only itself: the run is not failed and every post was read.
    expect(['ok', 'partial']).toContain(site!.status);
    expect(site).toMatchObject({ siteId: 'sim-hostile', postsSeen: want.length, postsNew: want.length });
    db = new Database(join(env.dir, 'data', 'leakwatch.db'), { readonly: true });

    // Malformed listing, 100 000 nested divs: every victim found, the nesting reported.
    expect(site!.warnings.some((w) => /nest/i.test(w))).toBe(true);
    expect(postsOf('sim-hostile').map((p) => p.title).sort()).toEqual(want.map((p) => p.title).sort());

    // Markup in a victim name is stored as the literal text (the page escaped it; we decoded it).
    const evil = want.find((p) => p.title.includes('<img'))!;
    expect(evil.title).toBe('Evil Corp <img src=x onerror=alert(1)> Ltd');
    expect(postsOf('sim-hostile').find((p) => p.url.endsWith(evil.path))?.title).toBe(evil.title);

    // The huge sample: refused from the size the page gives, never requested, failure recorded.
    const huge = fileOf(want, 'full-dump.7z.001').file;
    const failures = db.prepare('SELECT url, code, message FROM sample_failures WHERE site_id = ?').all('sim-hostile') as { url: string; code: string; message: string }[];
    expect(failures).toEqual([expect.objectContaining({ code: 'E_TOO_LARGE' })]);
    expect(new URL(failures[0]!.url).pathname).toBe(huge.path);
    expect(env.sim.requests({ siteId: 'sim-hostile' }).filter((q) => q.path === huge.path)).toEqual([]);
    expect(site!.samplesFailed).toBe(1);

    // Zip bombs: downloaded and kept as samples; their expansion stopped member by member.
    const samples = db.prepare('SELECT s.id, s.bytes, x.url FROM samples s JOIN sample_sightings x ON x.sample_id = s.id WHERE s.site_id = ?').all('sim-hostile') as { id: number; bytes: number; url: string }[];
    const byName = new Map(samples.map((s) => [new URL(s.url).pathname.split('/').pop(), s]));
    const contentWarnings = warningsOf('sim-hostile', 'sample-content');
    for (const bomb of ['proof.zip', 'proof-nested.zip']) {
      const served = env.sim.requests({ siteId: 'sim-hostile' }).find((q) => q.path.endsWith(`/${bomb}`));
      expect(byName.get(bomb)?.bytes, bomb).toBe(served?.bytesSent);
      const members = contentWarnings.filter((w) => w.includes(`/${bomb}: `));
      expect(members.length, bomb).toBeGreaterThan(0);
      for (const w of members) {
        expect(w).toMatch(/\[E_ARCHIVE_LIMIT\]$/);
        // "compression ratio above 200:1 (3 MiB from 16 KiB so far)": each member was cut off
        // well before its real size; caps on total bytes/entries are the other outcome.
        const m = /\((\d+(?:\.\d+)?) (KiB|MiB) from/.exec(w);
        if (m) expect(Number(m[1]) * (m[2] === 'MiB' ? MiB : 1024)).toBeLessThan(ZIP_BOMB.memberBytes / 2);
      }
      const matched = db.prepare('SELECT COUNT(*) AS n FROM matches WHERE sample_id = ?').get(byName.get(bomb)!.id) as { n: number };
      expect(matched.n, bomb).toBe(0);
    }

    // The stolen document on the site is matched, and only it.
    const expected = want.flatMap((p) => p.files).filter((f) => f.expectMatch).map((f) => f.path);
    expect(expected.length).toBeGreaterThan(0);
    const matchedPaths = db
      .prepare('SELECT DISTINCT x.url FROM matches m JOIN sample_sightings x ON x.sample_id = m.sample_id JOIN samples s ON s.id = m.sample_id WHERE s.site_id = ?')
      .all('sim-hostile') as { url: string }[];
    expect(matchedPaths.map((m) => new URL(m.url).pathname).sort()).toEqual(expected.sort());
    expect(site!.matchesNew).toBeGreaterThan(0);

    // Again: nothing duplicated, and the refused file is not tried again.
    const again = await crawl('sim-hostile');
    expect(['ok', 'partial']).toContain(again.sites[0]!.status);
    expect(again.sites[0]).toMatchObject({ postsNew: 0, samplesNew: 0, matchesNew: 0 });
    expect(env.sim.requests({ siteId: 'sim-hostile' }).filter((q) => q.path === huge.path)).toEqual([]);
  });

  it('stops a download whose size nobody announces mid-stream at the cap, in flat memory, and goes on', async () => {
    // Same data, no fingerprint store: the matcher's worker threads (hundreds of MB of RSS
    // once they have parsed a PDF) would otherwise drown what this measures, and a download
    // that fails is never matched anyway.
    const noMatch = join(env.dir, 'leakwatch-nomatch.yaml');
    writeFileSync(noMatch, readFileSync(env.configFile, 'utf8').replace(/^fingerprintsDir: .*$/m, 'fingerprintsDir: no-fingerprints'));
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    let r;
    try {
      r = await crawl(NOSIZE_ID, noMatch);
    } finally {
      clearInterval(sampler);
    }
    expect(['ok', 'partial']).toContain(r.sites[0]!.status);
    expect(r.sites[0]).toMatchObject({ postsSeen: 1, samplesNew: 0, samplesFailed: 1 });
    db ??= new Database(join(env.dir, 'data', 'leakwatch.db'), { readonly: true });
    const failures = db.prepare('SELECT code, message FROM sample_failures WHERE site_id = ?').all(NOSIZE_ID) as { code: string; message: string }[];
    expect(failures).toEqual([expect.objectContaining({ code: 'E_TOO_LARGE' })]);
    expect(failures[0]!.message).toContain(`cap of ${CAP_BYTES} bytes`);
    // The simulator really streamed up to the cap (no size was announced) and was then cut
    // off, long before the end of the file.
    const served = env.sim.requests({ siteId: NOSIZE_ID }).filter((q) => q.path.endsWith('/full-dump.7z.001'));
    expect(served).toHaveLength(1);
    expect(served[0]!.bytesSent).toBeGreaterThanOrEqual(CAP_BYTES);
    expect(served[0]!.bytesSent).toBeLessThan(HUGE_BYTES / 2);
    // 100 MiB went through this process (simulator, proxies, crawler): it was never held.
    expect(rssPeak - rssBefore).toBeLessThan(CAP_BYTES / 2);
  });

  it.each(['sim-cp1251', 'sim-latin1'])('%s: titles and descriptions in a legacy charset are decoded', async (siteId) => {
    const r = await crawl(siteId);
    const want = env.sim.posts(siteId);
    expect(r.sites[0]).toMatchObject({ siteId, status: 'ok', postsSeen: want.length, postsNew: want.length });
    db ??= new Database(join(env.dir, 'data', 'leakwatch.db'), { readonly: true });
    const got = postsOf(siteId);
    expect(got.map((p) => p.title).sort()).toEqual(want.map((p) => p.title).sort());
    for (const p of want) expect(got.find((g) => g.title === p.title)?.description).toBe(p.description);
    // Non-ASCII really is there (so the comparison above is not trivially true) and no mojibake.
    expect(got.some((p) => [...p.title].some((ch) => ch.charCodeAt(0) > 0x7f))).toBe(true);
    for (const p of got) expect(p.title).not.toMatch(/\uFFFD|Ã|Ð/);
    const expectMatch = want.flatMap((p) => p.files).some((f) => f.expectMatch);
    if (expectMatch) expect(r.sites[0]!.matchesNew).toBeGreaterThan(0);
  });
});
