import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_NOW, startSimulator, type SimPost, type Simulator } from '../../src/sim/index.js';
import { extractListing, extractPostPage, SiteSpec, type ExtractedPost, type ListingOk, type ListingOutcome, type SiteDefinition } from '../../src/sites/index.js';
import { fetchSim, pathOf } from './helpers.js';

// Each site style served by the simulator and read by its sites/sim definition through the
// real extractors, unchanged: every post the simulator holds comes out, with its fields.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 11 });
});
afterAll(() => sim.close());

function ok(out: ListingOutcome): ListingOk {
  if (out.status !== 'ok') throw new Error(`expected ok, got ${out.status}: ${out.reason}`);
  return out;
}

async function listing(siteId: string, path: string, def: SiteDefinition = sim.definition(siteId), page?: number, headers: Record<string, string> = {}): Promise<ListingOutcome> {
  const r = await fetchSim(sim.site(siteId), path, headers);
  return extractListing(def, { body: r.body, url: r.url, contentType: r.contentType, now: SIM_NOW, ...(page ? { page } : {}) });
}

/** Follows nextPage links like a crawler would; returns every post of every page. */
async function crawlAll(siteId: string, firstPath: string, def = sim.definition(siteId)): Promise<{ posts: ExtractedPost[]; pages: string[] }> {
  const posts: ExtractedPost[] = [];
  const pages: string[] = [];
  let path: string | undefined = firstPath;
  for (let page = 1; path && page < 50; page++) {
    pages.push(path);
    const out = ok(await listing(siteId, path, def, page));
    posts.push(...out.posts);
    path = out.nextPage ? pathOf(out.nextPage) : undefined;
    if (path && def.api) {
      // API pagination has no "last page" marker: the crawler stops at the empty list.
      const peek = await listing(siteId, path, def, page + 1);
      if (peek.status !== 'ok') break;
    }
  }
  return { posts, pages };
}

function expectSamePosts(got: ExtractedPost[], want: readonly SimPost[], siteId: string): void {
  const origin = `http://${sim.site(siteId).onionHost}`;
  expect(got.map((p) => p.title)).toEqual(want.map((p) => p.title));
  expect(got.map((p) => p.url)).toEqual(want.map((p) => `${origin}${p.path}`));
  got.forEach((p, i) => expect(p.dataSizeBytes, p.title).toBe(want[i]?.dataSizeBytes));
}

describe('static blog', () => {
  it('the listing yields every post with date, countdown deadline, size and website', async () => {
    const out = ok(await listing('sim-blog', '/'));
    const want = sim.posts('sim-blog');
    expect(want).toHaveLength(8);
    expectSamePosts(out.posts, want, 'sim-blog');
    out.posts.forEach((p, i) => {
      const w = want[i] as SimPost;
      expect(p.publishedAt).toBe(w.publishedAt);
      expect(p.fields.website).toBe(w.website);
      // Countdowns are printed for running deadlines only; they parse back to the exact instant.
      if (w.deadlineAt && w.deadlineAt > SIM_NOW.toISOString()) expect(p.deadlineAt).toBe(w.deadlineAt);
      else expect(p.deadlineAt).toBeUndefined();
    });
    expect(out.warnings).toEqual([]);
  });

  it('post pages give the full description, proof images and sample links with their sizes', async () => {
    const def = sim.definition('sim-blog');
    for (const post of sim.posts('sim-blog').slice(0, 3)) {
      const r = await fetchSim(sim.site('sim-blog'), post.path);
      const out = extractPostPage(def, { body: r.body, url: r.url, contentType: r.contentType });
      if (out.status !== 'ok') throw new Error(out.reason);
      expect(out.description?.replace(/\n/g, ' ')).toBe(post.description);
      expect(out.images.map(pathOf)).toEqual(post.images.map((f) => f.path));
      expect(out.files.map((f) => [pathOf(f.url), f.name])).toEqual(post.files.map((f) => [f.path, f.name]));
      for (const [i, f] of out.files.entries()) {
        const bytes = await sim.fileBytes(post.files[i]!);
        // Sizes are printed like leak sites do ("10.3 KB"): within rounding of the real size.
        expect(Math.abs((f.sizeBytes ?? 0) - bytes.length)).toBeLessThanOrEqual(bytes.length * 0.05 + 52);
        const got = await fetchSim(sim.site('sim-blog'), pathOf(f.url));
        expect(got.status).toBe(200);
        expect(got.body.equals(bytes)).toBe(true);
      }
    }
  });

  it('the first posts publish stolen files, a proof pack and unrelated files; the rest publish nothing', () => {
    const posts = sim.posts('sim-blog');
    expect(posts[0]?.files.every((f) => f.expectMatch && f.contents[0]?.origin === 'stolen')).toBe(true);
    expect(posts[0]?.images[0]?.contents[0]).toMatchObject({ origin: 'stolen', transform: 'screenshot' });
    const pack = posts[1]?.files[0];
    expect(pack?.name).toBe('proof-pack.zip');
    expect(pack?.contents.map((c) => c.origin)).toEqual(['stolen', 'stolen', 'stolen', 'unrelated', 'unrelated', 'filler', 'filler', 'filler', 'filler']);
    expect(posts[2]?.files.map((f) => f.expectMatch)).toEqual([false, false]);
    expect(posts.slice(3).every((p) => p.files.length === 0)).toBe(true);
  });
});

describe('paginated listing', () => {
  it('following the next links covers every post exactly once, across three pages', async () => {
    const { posts, pages } = await crawlAll('sim-paged', '/victims');
    expect(pages).toEqual(['/victims', '/victims?page=2', '/victims?page=3']);
    expectSamePosts(posts, sim.posts('sim-paged'), 'sim-paged');
    // The card's own id is the identity, so it survives URL or title edits.
    expect(posts.every((p) => p.keyBasis.startsWith('id:'))).toBe(true);
    expect(posts.filter((p) => p.deadlineAt).length).toBe(sim.posts('sim-paged').filter((p) => p.deadlineAt).length);
  });

  it('the stolen sample sits on the last page', () => {
    const posts = sim.posts('sim-paged');
    expect(posts.at(-1)?.files[0]?.expectMatch).toBe(true);
    expect(posts.slice(0, 10).flatMap((p) => p.files).filter((f) => f.expectMatch)).toEqual([]);
  });

  it('a ?page={page} template reads the same pages; past the last page is a 404 (no content)', async () => {
    const base = sim.definition('sim-paged');
    const def = SiteSpec.parse({
      id: base.id, name: base.name, mirrors: base.mirrors, post: {},
      listing: { path: 'victims', item: 'div.victims div.card', title: '.card-title', postUrl: 'a.card-link', pagination: { template: '/victims?page={page}', maxPages: 5 } },
    });
    const p2 = ok(await listing('sim-paged', '/victims?page=2', def, 2));
    expect(p2.posts.map((p) => p.title)).toEqual(sim.posts('sim-paged').slice(5, 10).map((p) => p.title));
    expect(p2.nextPage && pathOf(p2.nextPage)).toBe('/victims?page=3');
    const past = await fetchSim(sim.site('sim-paged'), '/victims?page=4');
    expect(past.status).toBe(404);
    expect((await listing('sim-paged', '/victims?page=4', def, 4)).status).toBe('no-content');
  });
});

describe('JSON-API-backed site', () => {
  it('the HTML page is an app shell; the API endpoint carries the posts, page by page', async () => {
    const shell = await fetchSim(sim.site('sim-api'), '/');
    expect(shell.body.toString()).toContain('<div id="app"></div>');
    const { posts, pages } = await crawlAll('sim-api', '/api/v1/leaks?page=1');
    expect(pages).toEqual(['/api/v1/leaks?page=1', '/api/v1/leaks?page=2']);
    expectSamePosts(posts, sim.posts('sim-api'), 'sim-api');
    expect(posts.map((p) => p.keyBasis)).toEqual(sim.posts('sim-api').map((p) => `id:${p.id}`));
    expect(posts.map((p) => p.deadlineAt)).toEqual(sim.posts('sim-api').map((p) => p.deadlineAt));
  });

  it('past the last page the endpoint returns an empty list: no content, never "victims removed"', async () => {
    const r = await fetchSim(sim.site('sim-api'), '/api/v1/leaks?page=3');
    expect(r.contentType).toMatch(/application\/json/);
    expect(JSON.parse(r.body.toString())).toMatchObject({ data: { items: [] } });
    expect((await listing('sim-api', '/api/v1/leaks?page=3', undefined, 3)).status).toBe('no-content');
  });

  it('post pages are server-rendered and read by the post definition', async () => {
    const post = sim.posts('sim-api')[1] as SimPost;
    const r = await fetchSim(sim.site('sim-api'), post.path);
    const out = extractPostPage(sim.definition('sim-api'), { body: r.body, url: r.url });
    expect(out.status === 'ok' && out.files.map((f) => f.name)).toEqual(post.files.map((f) => f.name));
    expect(post.files[0]?.expectMatch).toBe(true);
  });
});

describe('captcha / DDoS queue', () => {
  it('without the pass cookie every page is the queue page: needs a human', async () => {
    for (const path of ['/', sim.posts('sim-queue')[0]?.path ?? '', '/files/x/y.pdf']) {
      const r = await fetchSim(sim.site('sim-queue'), path);
      expect(r.status).toBe(200);
      const out = extractListing(sim.definition('sim-queue'), { body: r.body, url: r.url, now: SIM_NOW });
      expect(out.status, path).toBe('needs-human');
    }
  });

  it('with the cookie a human would get, the victims are there', async () => {
    const out = ok(await listing('sim-queue', '/', undefined, undefined, { cookie: sim.queuePass('sim-queue') }));
    expectSamePosts(out.posts, sim.posts('sim-queue'), 'sim-queue');
  });
});

describe('legacy encodings', () => {
  it('windows-1251 page declared by <meta http-equiv>: Cyrillic names, sizes and countdowns', async () => {
    const r = await fetchSim(sim.site('sim-cp1251'), '/');
    expect(r.contentType).toBe('text/html');
    expect(r.body.includes(Buffer.from('Объём', 'utf8'))).toBe(false);
    const out = ok(extractListing(sim.definition('sim-cp1251'), { body: r.body, url: r.url, contentType: r.contentType, now: SIM_NOW }));
    expect(out.page.encoding).toBe('windows-1251');
    expectSamePosts(out.posts, sim.posts('sim-cp1251'), 'sim-cp1251');
    expect(out.posts.map((p) => p.dataSizeText)).toEqual(sim.posts('sim-cp1251').map((p) => p.dataSizeText));
    expect(out.posts[0]?.title).toMatch(/^(ООО|АО|ЗАО) «/);
    const running = sim.posts('sim-cp1251').filter((p) => p.deadlineAt && p.deadlineAt > SIM_NOW.toISOString());
    expect(out.posts.filter((p) => p.deadlineAt).map((p) => p.deadlineAt)).toEqual(running.map((p) => p.deadlineAt));
  });

  it('ISO-8859-1 page with a UTF-8 footer pasted in: names decode, the footer is mojibake', async () => {
    const r = await fetchSim(sim.site('sim-latin1'), '/');
    const out = ok(extractListing(sim.definition('sim-latin1'), { body: r.body, url: r.url, contentType: r.contentType, now: SIM_NOW }));
    expect(out.page.encoding).toBe('windows-1252');
    expectSamePosts(out.posts, sim.posts('sim-latin1'), 'sim-latin1');
    expect(sim.posts('sim-latin1').some((p) => /[äöüßéà]/i.test(p.title + p.description))).toBe(true);
    // The UTF-8 footer read as latin1: "©" → "Â©", "ß" → "Ã\u009f".
    const text = r.body.toString('latin1');
    expect(text).toContain('Â© 2024 â');
    expect(text).toContain('HauptstraÃ');
    expect(text).toContain(sim.posts('sim-latin1')[0]?.title ?? '?');
    const post = sim.posts('sim-latin1')[0] as SimPost;
    const page = await fetchSim(sim.site('sim-latin1'), post.path);
    const po = extractPostPage(sim.definition('sim-latin1'), { body: page.body, url: page.url, contentType: page.contentType });
    expect(po.status === 'ok' && po.description?.replace(/\n/g, ' ')).toBe(post.description);
  });
});
