import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBuiltinSite } from '../../src/config/index.js';
import { builtinSiteIds, extractListing, type ListingOk, type ListingOutcome, type SiteDefinition } from '../../src/sites/index.js';
import { fixturePath } from '../helpers/shared.js';

// The shipped definitions against the real saved pages: concrete values read off each page.

const PAGES = fixturePath('leak-site-pages');
const NOW = new Date('2022-09-20T00:00:00Z');

function site(id: string): SiteDefinition {
  const r = loadBuiltinSite(id);
  if (!r.ok) throw new Error(`${id}: ${JSON.stringify(r.problems)}`);
  return r.loaded.site;
}

function page(prefix: string): Buffer {
  const name = readdirSync(PAGES).find((f) => f.startsWith(prefix) && f.endsWith('.html'));
  if (!name) throw new Error(`no fixture ${prefix}`);
  return readFileSync(`${PAGES}/${name}`);
}

function run(id: string, prefix: string, url?: string): ListingOutcome {
  const def = site(id);
  return extractListing(def, { body: page(prefix), url: url ?? def.mirrors[0] ?? '', now: NOW });
}

function ok(outcome: ListingOutcome): ListingOk {
  if (outcome.status !== 'ok') throw new Error(`expected ok, got ${outcome.status}: ${outcome.reason}`);
  return outcome;
}

describe('shipped definitions on real saved pages', () => {
  it('every shipped definition is valid', () => {
    expect(builtinSiteIds()).toEqual(['0mega', 'blackbasta', 'clop', 'hive', 'lockbit3', 'spook', 'vicesociety']);
    for (const id of builtinSiteIds()) expect(loadBuiltinSite(id).ok, id).toBe(true);
  });

  it('0mega: 2 victims with dates, sizes and post links', () => {
    const out = ok(run('0mega', '0mega-'));
    expect(out.posts).toHaveLength(2);
    const [a, b] = out.posts;
    expect(a).toMatchObject({
      title: 'Nextlabs',
      url: 'http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/post/2.html',
      keyBasis: 'url:/post/2.html',
      publishedAt: '2022-09-15T00:00:00.000Z',
      dataSizeText: '298 GB',
      dataSizeBytes: 298 * 1024 ** 3,
      fields: { leakedPercent: '10%' },
    });
    expect(b).toMatchObject({ title: 'Maxey Moverley', publishedAt: '2022-05-23T00:00:00.000Z', dataSizeBytes: 152 * 1024 ** 3, fields: { leakedPercent: '100%' } });
    expect(out.warnings).toEqual([]);
  });

  it('lockbit3: 199 posts, onclick links, "Updated" dates, countdown deadlines, ransom', () => {
    const out = ok(run('lockbit3', 'lockbit3-lockbitapt'));
    expect(out.posts).toHaveLength(199);
    expect(out.posts.every((p) => p.url && p.publishedAt)).toBe(true);
    expect(out.posts[0]).toMatchObject({
      title: 'First bounty payout $50,000',
      url: 'http://lockbitapt2yfbt7lchxejug47kmqvqqxvvjpqkmevv4l3azl3gy6pyd.onion/post/ZHkc67s5VzCtlwKW63253371581e1',
      publishedAt: '2022-09-17T02:39:00.000Z',
      fields: { published: 'published', views: '535' },
    });
    expect(out.posts[0]?.deadlineAt).toBeUndefined();
    // "5D 18h 29m 35s" counted from the capture time.
    expect(out.posts[1]).toMatchObject({ title: 'software-line.it', deadlineText: '5D 18h 29m 35s', deadlineAt: '2022-09-25T18:29:35.000Z', publishedAt: '2022-09-16T22:47:00.000Z' });
    expect(out.posts[2]).toMatchObject({ title: 'dss-cz.com', fields: { ransomUsd: '900000' } });
    expect(out.posts.filter((p) => p.deadlineAt)).toHaveLength(60);
    expect(out.posts.at(-1)?.title).toBe('slpcolombus.com');
    expect(out.warnings).toEqual([]);
  });

  it('spook: 10 WordPress posts, ISO dates, next page link', () => {
    const out = ok(run('spook', 'spook-'));
    expect(out.posts).toHaveLength(10);
    expect(out.posts.map((p) => p.title).slice(0, 3)).toEqual(['North Island', 'All County Surveying Inc', 'Page Automation']);
    expect(out.posts[0]).toMatchObject({ publishedAt: '2021-10-19T18:40:29.000Z', keyBasis: 'url:/blog?p=714', fields: { status: 'FOR SALE' } });
    expect(out.posts.at(-1)?.title).toBe('Paris Society');
    expect(out.nextPage).toBe('http://spookuhvfyxzph54ikjfwf2mwmxt572krpom7reyayrmxbkizbvkpaid.onion/blog/?paged=2');
  });

  it('spook: the page cap stops pagination', () => {
    const def = site('spook');
    const out = ok(extractListing(def, { body: page('spook-'), url: def.mirrors[0] ?? '', page: 10 }));
    expect(out.nextPage).toBeUndefined();
    expect(out.warnings.join()).toMatch(/page cap reached \(10 pages\)/);
  });

  it('vicesociety: 101 rows, two victims sharing one link are both kept', () => {
    const out = ok(run('vicesociety', 'vicesociety-'));
    expect(out.posts).toHaveLength(101);
    expect(out.posts[0]).toMatchObject({
      title: 'Elmbrook Schools',
      url: 'http://ecdmr42a34qovoph557zotkfvth4fsz56twvwgiylstjup4r5bpc4oad.onion/JhykowedsgX/DF2jhvGVHH7qMN/',
      fields: { website: 'https://www.elmbrookschools.org/', country: 'United States', logo: 'Elmbrook.jpg' },
    });
    expect(out.posts.at(-1)?.title).toBe('FREDERICK Public Schools');
    const shared = out.posts.filter((p) => p.url?.endsWith('/6hnt5fc9JKLqSA/'));
    expect(shared.map((p) => p.title)).toEqual(['BSA Hospice of the Southwest', 'Family Medicine Centers FMC Clinics']);
    expect(new Set(shared.map((p) => p.key)).size).toBe(2);
    expect(out.warnings.join()).toMatch(/shares its link/);
  });

  it('blackbasta: 10 rendered Vue cards; the ?id= of the link identifies the post', () => {
    const out = ok(run('blackbasta', 'blackbasta-'));
    expect(out.posts).toHaveLength(10);
    expect(out.posts.map((p) => p.title).slice(0, 4)).toEqual(['midway', 'MGSMFG', 'KNAUF', 'SHI']);
    expect(out.posts[0]).toMatchObject({ keyBasis: 'url:/?id=Midway Importing, Inc.', fields: { company: 'Midway Importing, Inc.', publishedPercent: '100%', visits: '1968' } });
    expect(out.posts[7]?.fields.publishedPercent).toBe('0%');
    expect(out.posts[0]?.description).toMatch(/^Midway Importing, Inc\. is the leading Hispanic health/);
  });

  it('clop: 57 victims from the menu, HOME and how-to excluded', () => {
    const out = ok(run('clop', 'clop-'));
    expect(out.posts).toHaveLength(57);
    expect(out.posts[0]).toMatchObject({ title: 'MVTEC.COM', keyBasis: 'url:/mvtec-com' });
    expect(out.posts.at(-1)?.title).toBe('UTILITYTRAILER.COM');
    expect(out.posts.some((p) => /home|how to/i.test(p.title))).toBe(false);
  });

  it('hive (JSON API): 156 victims keyed by the site\'s own id, ISO dates', () => {
    const out = ok(run('hive', 'hiveleak-hiveapi'));
    expect(out.posts).toHaveLength(156);
    expect(out.posts[0]).toMatchObject({
      title: 'Unita Locale Socio',
      keyBasis: 'id:E6mYUWesKGk_com',
      publishedAt: '2021-12-06T20:27:30.000Z',
      fields: { website: 'https://www.ulss7.it', revenue: '800000000', employees: '3000' },
    });
    expect(out.posts.at(-1)).toMatchObject({ title: 'Aria Systems', publishedAt: '2021-09-23T07:42:00.000Z' });
    expect(out.posts.every((p) => p.publishedAt)).toBe(true);
  });
});

describe('negative pages: no content, never "ok with zero posts"', () => {
  const negatives: Array<[string, RegExp]> = [
    ['alphv-', /empty body \(0 bytes\)/],
    ['hiveleak-hivecust', /single-page-app shell/],
    ['lockbit3-lockbitsupn', /body too short \(185 characters/],
    ['revil-', /error page: "404 Not Found"/],
  ];
  for (const [prefix, reason] of negatives) {
    it(`${prefix}: no-content with every shipped definition`, () => {
      for (const id of builtinSiteIds()) {
        const out = run(id, prefix);
        expect(out.status, id).toBe('no-content');
        if (out.status !== 'ok') expect(out.reason, id).toMatch(reason);
      }
    });
  }

  it('a real page read with the wrong definition is parser-broken, not no-content', () => {
    for (const [id, prefix] of [['lockbit3', 'spook-'], ['spook', '0mega-'], ['0mega', 'vicesociety-'], ['clop', 'blackbasta-']] as const) {
      const out = run(id, prefix);
      expect(out.status, `${id} on ${prefix}`).toBe('parser-broken');
      if (out.status === 'parser-broken') expect(out.reason).toMatch(/matched nothing on a page that looks real/);
    }
  });

  it('the JSON-API definition on an HTML listing says no-content (not JSON), on JSON garbage parser-broken', () => {
    const hive = site('hive');
    const html = run('hive', 'spook-');
    expect(html.status).toBe('no-content');
    const wrongPath = extractListing(hive, { body: '{"data":{"items":[{"name":"x"}]}}', url: hive.mirrors[0] ?? '' });
    expect(wrongPath).toMatchObject({ status: 'parser-broken' });
    const empty = extractListing(hive, { body: '[]', url: hive.mirrors[0] ?? '' });
    expect(empty).toMatchObject({ status: 'no-content', reason: expect.stringMatching(/empty list/) as unknown });
  });
});
