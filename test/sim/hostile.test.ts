import { createHash } from 'node:crypto';
import { request } from 'node:http';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEEP_NESTING, hugeFileByteAt, SIM_NOW, startSimulator, type SimFile, type SimPost, type Simulator } from '../../src/sim/index.js';
import { extractListing, extractPostPage } from '../../src/sites/index.js';
import { fetchSim, pathOf } from './helpers.js';

// Hostile content: malformed and absurdly nested markup, a huge sample that must be streamed,
// zip bombs, and a proof pack whose members are what the answer key says.

const HUGE_BYTES = 500 * 1024 * 1024;
const BOMB = { members: 8, memberBytes: 16 * 1024 * 1024 };

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 21, hugeFileBytes: HUGE_BYTES, zipBomb: BOMB });
});
afterAll(() => sim.close());

function fileOf(siteId: string, name: string): { post: SimPost; file: SimFile } {
  for (const post of sim.posts(siteId)) {
    const file = post.files.find((f) => f.name === name);
    if (file) return { post, file };
  }
  throw new Error(`no file ${name} on ${siteId}`);
}

interface Zipped {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  /** Member bytes, when asked for (never for bombs). */
  data?: Buffer;
}

async function zipEntries(bytes: Buffer, withData = false): Promise<Zipped[]> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const out: Zipped[] = [];
  for await (const e of zip.eachEntry()) {
    const z: Zipped = { name: e.fileName, compressedSize: e.compressedSize, uncompressedSize: e.uncompressedSize };
    if (withData) {
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
      z.data = Buffer.concat(chunks);
    }
    out.push(z);
  }
  zip.close();
  return out;
}

describe('malformed HTML', () => {
  it('the listing (unclosed tags, stray closers, 100 000 nested divs) still yields every victim, with warnings', async () => {
    const r = await fetchSim(sim.site('sim-hostile'), '/');
    const html = r.body.toString();
    expect(html.split('<div>').length - 1).toBeGreaterThanOrEqual(DEEP_NESTING);
    expect(html).toContain('<td class=date>');
    expect(html).not.toContain('-->');
    const started = performance.now();
    const out = extractListing(sim.definition('sim-hostile'), { body: r.body, url: r.url, now: SIM_NOW });
    expect(performance.now() - started).toBeLessThan(5000);
    if (out.status !== 'ok') throw new Error(out.reason);
    const want = sim.posts('sim-hostile');
    expect(out.posts.map((p) => [p.title, p.url && pathOf(p.url), p.description])).toEqual(want.map((p) => [p.title, p.path, p.description]));
    expect(out.warnings.some((w) => /nest/.test(w))).toBe(true);
  });

  it('markup in a victim name comes out as literal text', async () => {
    const evil = sim.posts('sim-hostile').find((p) => p.title.includes('<img'));
    expect(evil?.title).toBe('Evil Corp <img src=x onerror=alert(1)> Ltd');
    const r = await fetchSim(sim.site('sim-hostile'), '/');
    expect(r.body.toString()).not.toContain('<img src=x');
    const out = extractListing(sim.definition('sim-hostile'), { body: r.body, url: r.url, now: SIM_NOW });
    expect(out.status === 'ok' && out.posts.map((p) => p.title)).toContain(evil?.title);
    expect(evil?.path).toMatch(/^\/leak\.php\?id=evil-corp-/);
  });

  it('malformed post pages give the sample links and sizes', async () => {
    const { post, file } = fileOf('sim-hostile', 'full-dump.7z.001');
    const r = await fetchSim(sim.site('sim-hostile'), post.path);
    const out = extractPostPage(sim.definition('sim-hostile'), { body: r.body, url: r.url });
    if (out.status !== 'ok') throw new Error(out.reason);
    expect(out.description).toBe(post.description);
    expect(out.files).toEqual([{ url: `${sim.site('sim-hostile').url.replace(/\/$/, '')}${file.path}`, name: file.name, sizeText: '500.0 MB', sizeBytes: HUGE_BYTES }]);
    expect(out.fileTree?.split('\n')[0]).toBe('full-dump/');
  });
});

describe('huge sample', () => {
  it(`is served with its full size (${HUGE_BYTES / 1024 ** 2} MiB), streamed: memory stays flat`, async () => {
    const { file } = fileOf('sim-hostile', 'full-dump.7z.001');
    const site = sim.site('sim-hostile');
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const probes = [0, 5, 7, 123_457, 1024 * 1024 + 3, HUGE_BYTES - 1];
    const seen = new Map<number, number>();
    const { length, contentLength, sha } = await new Promise<{ length: number; contentLength: string | undefined; sha: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: site.port, path: file.path, headers: { host: site.onionHost } }, (res) => {
        const hash = createHash('sha256');
        let offset = 0;
        res.on('data', (c: Buffer) => {
          for (const p of probes) if (p >= offset && p < offset + c.length) seen.set(p, c[p - offset] as number);
          offset += c.length;
          hash.update(c);
        });
        res.on('end', () => resolve({ length: offset, contentLength: res.headers['content-length'], sha: hash.digest('hex') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    clearInterval(sampler);
    expect(contentLength).toBe(String(HUGE_BYTES));
    expect(length).toBe(HUGE_BYTES);
    for (const p of probes) expect(seen.get(p), `byte ${p}`).toBe(hugeFileByteAt(21, p));
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    // 500 MB went through this process (server and client): far less than that stayed.
    expect(peak - baseline).toBeLessThan(120 * 1024 * 1024);
    expect(sim.requests({ siteId: 'sim-hostile' }).at(-1)).toMatchObject({ path: file.path, status: 200, bytesSent: HUGE_BYTES });
  });

  it('answers Range requests (resumable downloads) and HEAD', async () => {
    const { file } = fileOf('sim-hostile', 'full-dump.7z.001');
    const site = sim.site('sim-hostile');
    const r = await fetchSim(site, file.path, { range: 'bytes=1048570-1048585' });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 1048570-1048585/${HUGE_BYTES}`);
    expect([...r.body]).toEqual(Array.from({ length: 16 }, (_, i) => hugeFileByteAt(21, 1048570 + i)));
    const tail = await fetchSim(site, file.path, { range: 'bytes=-4' });
    expect(tail.body.length).toBe(4);
    expect((await fetchSim(site, file.path, { range: `bytes=${HUGE_BYTES}-` })).status).toBe(416);
    const head = await fetchSim(site, file.path, {}, 'HEAD');
    expect(head.headers['content-length']).toBe(String(HUGE_BYTES));
    expect(head.body.length).toBe(0);
  });
});

describe('zip bombs', () => {
  it('proof.zip: members inflate to far more than the download, with honest headers', async () => {
    const { file } = fileOf('sim-hostile', 'proof.zip');
    const r = await fetchSim(sim.site('sim-hostile'), file.path);
    expect(r.headers['content-type']).toBe('application/zip');
    const entries = await zipEntries(r.body);
    expect(entries).toHaveLength(BOMB.members);
    expect(entries.every((e) => e.uncompressedSize === BOMB.memberBytes)).toBe(true);
    const total = entries.reduce((s, e) => s + e.uncompressedSize, 0);
    expect(total / r.body.length).toBeGreaterThan(500);
    expect(file.contents).toEqual([{ name: 'proof.zip', origin: 'hostile' }]);
  });

  it('proof-nested.zip: zips of the bomb, compressed again', async () => {
    const { file } = fileOf('sim-hostile', 'proof-nested.zip');
    const r = await fetchSim(sim.site('sim-hostile'), file.path);
    const entries = await zipEntries(r.body);
    expect(entries.map((e) => e.name)).toEqual(Array.from({ length: 8 }, (_, i) => `volume-${i + 1}.zip`));
    expect(entries[0]!.compressedSize).toBeLessThan(entries[0]!.uncompressedSize);
    expect(r.body.length).toBeLessThan(BOMB.members * BOMB.memberBytes / 100);
  });
});

describe('proof pack', () => {
  it('holds the stolen files byte for byte, plus unrelated documents and filler, as the answer key says', async () => {
    const { file } = fileOf('sim-blog', 'proof-pack.zip');
    const r = await fetchSim(sim.site('sim-blog'), file.path);
    const entries = await zipEntries(r.body, true);
    expect(entries.map((e) => e.name)).toEqual(file.contents.map((c) => c.name));
    const stolen = file.contents.filter((c) => c.corpusPath);
    expect(stolen).toHaveLength(3);
    for (const c of stolen) {
      const direct = await sim.fileBytes({ ...file, source: { kind: 'stolen', path: c.corpusPath as string } });
      expect(entries.find((e) => e.name === c.name)?.data?.equals(direct), c.name).toBe(true);
    }
  });
});
