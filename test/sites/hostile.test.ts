import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBuiltinSite } from '../../src/config/index.js';
import { extractListing, SiteSpec, type SiteDefinition, type SiteDefinitionInput } from '../../src/sites/index.js';
import { fixturePath } from '../helpers/shared.js';

// Pages a crawler meets that are not listings: hostile markup, other charsets, captchas,
// parked domains. None may hang, crash, or come back as "ok with zero posts".

const spook = ((): SiteDefinition => {
  const r = loadBuiltinSite('spook');
  if (!r.ok) throw new Error('spook definition invalid');
  return r.loaded.site;
})();
const url = spook.mirrors[0] ?? '';

function def(input: Omit<SiteDefinitionInput, 'id' | 'name' | 'mirrors'>): SiteDefinition {
  return SiteSpec.parse({ id: 'test', name: 'Test', mirrors: ['http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/'], ...input });
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

describe('hostile HTML is bounded', () => {
  it('200 000 nested divs: cut before the parser, reported, fast', () => {
    const html = `<html><body>${'<div>'.repeat(200_000)}x${'</div>'.repeat(200_000)}</body></html>`;
    const { value, ms } = timed(() => extractListing(spook, { body: html, url }));
    expect(ms).toBeLessThan(5000);
    expect(value.status).toBe('no-content');
    expect(value.warnings.join('\n')).toMatch(/nests deeper than 512 levels/);
  });

  it('deep nesting below the pre-scan cap is trimmed after parsing (no stack overflow)', () => {
    const html = `<html><body>${'<span>'.repeat(500)}deep text${'</span>'.repeat(500)}${'<p>filler text for the page</p>'.repeat(20)}</body></html>`;
    const out = extractListing(spook, { body: html, url });
    expect(out.status).toBe('parser-broken');
    expect(out.warnings.join('\n')).toMatch(/nested deeper than 256 levels was dropped/);
  });

  it('input larger than the cap is cut and says so; items beyond the item cap are not read', () => {
    const item = '<article class="loop-entry"><h2 class="entry-title"><a href="?p=N">Victim N</a></h2></article>';
    const html = `<html><body>${Array.from({ length: 30_000 }, (_, i) => item.replaceAll('N', String(i))).join('')}</body></html>`;
    const { value, ms } = timed(() => extractListing(spook, { body: Buffer.from(html), url }, { maxInputBytes: 1024 * 1024, maxItems: 1000 }));
    expect(ms).toBeLessThan(10_000);
    expect(value.status).toBe('ok');
    if (value.status === 'ok') expect(value.posts).toHaveLength(1000);
    expect(value.page.truncated).toBe(true);
    expect(value.warnings.join('\n')).toMatch(/only the first 1048576 were parsed/);
    expect(value.warnings.join('\n')).toMatch(/only the first 1000 were read/);
  });

  it('malformed markup and binary garbage do not throw', () => {
    const cases = [
      '<html><body>' + '<b><i><u>x</b></i></u><p>'.repeat(20_000),
      '<<<>>><a href="x"<div class=">>"><table><td><tr></table></a>'.repeat(5000),
      Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256)),
      '<html><body><div title="' + 'a'.repeat(3_000_000) + '">x</div></body></html>',
      '<!-- never closed comment ' + '<div>'.repeat(10_000),
      '<script>' + '<div>'.repeat(100_000),
    ];
    for (const body of cases) {
      const { value, ms } = timed(() => extractListing(spook, { body, url }));
      expect(ms).toBeLessThan(10_000);
      expect(['no-content', 'parser-broken']).toContain(value.status);
    }
  });

  it('decodes a page by its meta charset (windows-1251), reporting the conflicting second meta', () => {
    const site = def({
      listing: { item: 'div.post', title: 'h3', date: { selector: '.date', format: 'dd.MM.yyyy' }, dataSize: '.size' },
    });
    const out = extractListing(site, { body: readFileSync(fixturePath('leak-site-pages', 'synthetic', 'windows-1251.html')), url });
    expect(out.status).toBe('ok');
    if (out.status !== 'ok') return;
    expect(out.page.encoding).toBe('windows-1251');
    expect(out.posts.map((p) => p.title)).toEqual(['ООО Ромашка', 'Завод «Прогресс»']);
    expect(out.posts[0]).toMatchObject({ publishedAt: '2022-03-05T00:00:00.000Z', dataSizeBytes: 1.5 * 1024 ** 3 });
    expect(out.posts[1]?.dataSizeBytes).toBe(300 * 1024 ** 2);
    expect(out.warnings.join('\n')).toMatch(/several charsets \(windows-1251, utf-8\)/);
  });

  it('the Content-Type charset wins over the meta; unknown charsets fall back to UTF-8 with a warning', () => {
    const site = def({ listing: { item: 'li', title: { trim: true } } });
    const latin1 = Buffer.from('<html><head><meta charset="utf-8"></head><body><ul><li>Caf\xe9 Ltd</li></ul></body></html>', 'latin1');
    const a = extractListing(site, { body: latin1, url, contentType: 'text/html; charset=ISO-8859-1' });
    expect(a.status === 'ok' && a.posts[0]?.title).toBe('Café Ltd');
    const b = extractListing(site, { body: Buffer.from('<meta charset="x-klingon"><ul><li>Acme</li></ul>'), url });
    expect(b.warnings.join()).toMatch(/unknown charset "x-klingon"/);
  });
});

describe('captcha, queue and parked pages', () => {
  it('a captcha / DDoS queue page needs a human', () => {
    const out = extractListing(spook, { body: readFileSync(fixturePath('leak-site-pages', 'synthetic', 'captcha-queue.html')), url });
    expect(out.status).toBe('needs-human');
    if (out.status === 'needs-human') expect(out.reason).toMatch(/captcha\/queue page/);
  });

  it('site-specific needs-human patterns, and captcha widgets in markup', () => {
    const site = def({ listing: { item: '.post', title: 'h2' }, needsHuman: { patterns: ['antibot gate'] } });
    const page = `<html><head><title>Gate</title></head><body><p>${'Welcome. '.repeat(20)} Antibot gate active.</p></body></html>`;
    expect(extractListing(site, { body: page, url }).status).toBe('needs-human');
    const widget = `<html><body><p>${'Welcome. '.repeat(20)}</p><div class="g-recaptcha" data-sitekey="x"></div></body></html>`;
    expect(extractListing(site, { body: widget, url }).status).toBe('needs-human');
  });

  it('a parked / expired domain page is no-content', () => {
    const out = extractListing(spook, { body: readFileSync(fixturePath('leak-site-pages', 'synthetic', 'parked-domain.html')), url });
    expect(out).toMatchObject({ status: 'no-content', reason: expect.stringMatching(/parked or expired domain/) as unknown });
  });

  it('error pages by title or short text, site-specific no-content patterns', () => {
    const e502 = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    expect(extractListing(spook, { body: e502, url })).toMatchObject({ status: 'no-content', reason: expect.stringMatching(/error page/) as unknown });
    const site = def({ listing: { item: '.post', title: 'h2' }, noContent: { patterns: ['we are moving'] } });
    const moving = `<html><body><p>${'Our blog. '.repeat(30)} We are moving to a new address.</p></body></html>`;
    expect(extractListing(site, { body: moving, url })).toMatchObject({ status: 'no-content', reason: expect.stringMatching(/we are moving/) as unknown });
  });

  it('a page with posts stays ok even if a victim description mentions "captcha" or "404 not found"', () => {
    const site = def({ listing: { item: '.post', title: 'h2', description: 'p' } });
    const page = '<html><body><div class="post"><h2>Acme</h2><p>Their captcha was weak; their site shows 404 Not Found now.</p></div></body></html>';
    const out = extractListing(site, { body: page, url });
    expect(out.status).toBe('ok');
    expect(out.warnings.join()).toMatch(/also looks like a captcha/);
  });

  it('expectItems: too few posts on a real page is parser-broken; too many is a warning', () => {
    const page = `<html><body>${'<div class="post"><h2>Acme</h2></div><div class="post"><h2>Beta</h2></div>'}<p>${'Listing text. '.repeat(60)}</p></body></html>`;
    const few = def({ listing: { item: '.post', title: 'h2', expectItems: { min: 5 } } });
    expect(extractListing(few, { body: page, url })).toMatchObject({ status: 'parser-broken', reason: 'only 2 posts, expected at least 5' });
    const many = def({ listing: { item: '.post', title: 'h2', expectItems: { min: 1, max: 1 } } });
    const out = extractListing(many, { body: page, url });
    expect(out.status).toBe('ok');
    expect(out.warnings.join()).toMatch(/more than the expected maximum 1/);
  });

  it('items without a title are skipped with a warning; all missing is parser-broken', () => {
    const site = def({ listing: { item: '.post', title: 'h2' } });
    const page = `<html><body><div class="post"><h3>no h2</h3></div><div class="post"><h2>Acme</h2></div><p>${'text '.repeat(30)}</p></body></html>`;
    const out = extractListing(site, { body: page, url });
    expect(out.status === 'ok' && out.posts.map((p) => p.title)).toEqual(['Acme']);
    expect(out.warnings.join()).toMatch(/item 1: no title/);
    const none = `<html><body><div class="post"><h3>x</h3></div><p>${'text '.repeat(120)}</p></body></html>`;
    expect(extractListing(site, { body: none, url })).toMatchObject({ status: 'parser-broken', reason: expect.stringMatching(/no title was found/) as unknown });
  });
});

describe('pagination by template and JSON API pages', () => {
  it('a URL template yields the next page until the cap', () => {
    const site = def({ listing: { item: '.post', title: 'h2', pagination: { template: '/?page={page}', maxPages: 3 } } });
    const page = '<html><body><div class="post"><h2>Acme</h2></div></body></html>';
    const first = extractListing(site, { body: page, url: `${site.mirrors[0] ?? ''}` });
    expect(first.status === 'ok' && first.nextPage).toBe(`${site.mirrors[0] ?? ''}?page=2`);
    const third = extractListing(site, { body: page, url: `${site.mirrors[0] ?? ''}?page=3`, page: 3 });
    expect(third.status).toBe('ok');
    expect(third.status === 'ok' ? third.nextPage : 'not ok').toBeUndefined();
  });

  it('JSON API: nested paths, templates for post URLs, epoch dates, sizes, pagination', () => {
    const site = def({
      api: {
        endpoint: '/api/posts?page={page}',
        items: 'data.posts[*]',
        title: 'company.name',
        postUrl: { path: 'slug', template: '/leaks/{value}' },
        date: { path: 'published', format: 'epoch' },
        dataSize: 'size',
        fields: { tags: { path: 'tags[*]', join: ', ' } },
        pagination: { template: '/api/posts?page={page}', maxPages: 5 },
      },
    });
    const body = JSON.stringify({ data: { posts: [{ company: { name: 'Acme' }, slug: 'acme', published: 1663632000, size: '1.2 TB', tags: ['a', 'b'] }, { company: { name: null } }] } });
    const out = extractListing(site, { body, url: `${site.mirrors[0] ?? ''}api/posts?page=1`, page: 1 });
    expect(out.status).toBe('ok');
    if (out.status !== 'ok') return;
    expect(out.posts).toHaveLength(1);
    expect(out.posts[0]).toMatchObject({
      title: 'Acme',
      url: `${site.mirrors[0] ?? ''}leaks/acme`,
      keyBasis: 'url:/leaks/acme',
      publishedAt: '2022-09-20T00:00:00.000Z',
      dataSizeBytes: Math.round(1.2 * 1024 ** 4),
      fields: { tags: 'a, b' },
    });
    expect(out.warnings.join()).toMatch(/item 2: no title/);
    expect(out.nextPage).toBe(`${site.mirrors[0] ?? ''}api/posts?page=2`);
  });

  it('JSON API answered by a captcha page needs a human; cut-off JSON is no-content', () => {
    const site = def({ api: { endpoint: '/api', items: '[*]', title: 'title' } });
    const captcha = readFileSync(fixturePath('leak-site-pages', 'synthetic', 'captcha-queue.html'));
    expect(extractListing(site, { body: captcha, url }).status).toBe('needs-human');
    const big = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ title: `Victim ${i}` })));
    expect(extractListing(site, { body: big, url }, { maxInputBytes: 10_000 })).toMatchObject({ status: 'no-content', reason: 'JSON cut off by the input size cap' });
  });
});
