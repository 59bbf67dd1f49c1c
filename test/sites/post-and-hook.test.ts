import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyHook, extractListing, extractPostPage, loadHook, SiteSpec, type SiteDefinition } from '../../src/sites/index.js';
import { fixturePath } from '../helpers/shared.js';
import { useTempDir } from '../helpers/tmp.js';

const MIRROR = 'http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/';

describe('post pages', () => {
  const site = SiteSpec.parse({
    id: 'acme-test',
    name: 'Post page test',
    mirrors: [MIRROR],
    listing: { item: '.post', title: 'h2' },
    post: {
      description: { selector: '.post-body p', join: '\n' },
      images: '.proofs img',
      files: { item: 'table.files tr', url: 'a.dl', name: 'a.dl', size: '.size' },
      fileTree: { selector: 'pre.tree', trim: false },
      fields: { heading: 'h1' },
    },
  });
  const body = readFileSync(fixturePath('leak-site-pages', 'synthetic', 'post-page.html'));
  const url = `${MIRROR}leaks/acme`;

  it('extracts description, proof images (absolute, deduplicated), file links with sizes and the file tree', () => {
    const out = extractPostPage(site, { body, url });
    expect(out.status).toBe('ok');
    if (out.status !== 'ok') return;
    expect(out.description).toBe('Acme Widgets Ltd is a manufacturer of widgets. The company ignored us.\nRevenue: $12M. All data will be published.');
    expect(out.images).toEqual([`${MIRROR}img/proof1_thumb.jpg`, `${MIRROR}leaks/img/proof2_thumb.jpg`]);
    expect(out.files).toEqual([
      { url: 'http://ovgupd4vydihtbturtcdobodvqat22lq3x26slycttcnwm3isiuagaid.onion/files/acme-part1.zip', name: 'acme-part1.zip', sizeText: '700 MB', sizeBytes: 700 * 1024 ** 2 },
      { url: `${MIRROR}files/acme-part2.7z`, name: 'acme-part2.7z', sizeText: '1,2 GB', sizeBytes: Math.round(1.2 * 1024 ** 3) },
    ]);
    expect(out.warnings).toContain('a file item without a usable link was skipped');
    expect(out.fileTree?.split('\n')).toEqual(['acme/', '  finance/', '    payroll-2022.xlsx', '  hr/', '    contracts.pdf']);
    expect(out.fields).toEqual({ heading: 'Acme Widgets Ltd' });
  });

  it('a post page that yields nothing is classified like a listing', () => {
    expect(extractPostPage(site, { body: '', url }).status).toBe('no-content');
    const real = `<html><body><h2>Other layout</h2><p>${'words '.repeat(200)}</p></body></html>`;
    expect(extractPostPage(site, { body: real, url }).status).toBe('parser-broken');
  });
});

describe('code hooks', () => {
  const tmp = useTempDir();
  const page = `<html><body><pre>victim: Acme Corp\nvictim: Beta GmbH</pre><p>${'x '.repeat(300)}</p></body></html>`;

  function siteWithHook(dir: string, code: string): SiteDefinition {
    const module = join(dir, 'odd-site.mjs');
    writeFileSync(module, code);
    return SiteSpec.parse({ id: 'odd', name: 'Odd', mirrors: [MIRROR], listing: { item: '.never', title: 'h2' }, hook: { module, export: 'extract' } });
  }

  it('a hook can build the posts; they are keyed by the same rules', async () => {
    const site = siteWithHook(tmp(), `export function extract({ text, outcome }) {
      const posts = [...text.matchAll(/victim: ([^\\n<]+)/g)].map((m) => ({ title: m[1], url: '/v/' + m[1].split(' ')[0].toLowerCase() }));
      return { status: 'ok', posts, warnings: ['declarative status was ' + outcome.status] };
    }`);
    const hook = await loadHook(site);
    expect(hook).toBeTypeOf('function');
    const outcome = extractListing(site, { body: page, url: MIRROR });
    expect(outcome.status).toBe('parser-broken');
    const out = await applyHook(hook!, { site, url: MIRROR, text: page, now: new Date(), outcome });
    expect(out.status).toBe('ok');
    if (out.status !== 'ok') return;
    expect(out.posts.map((p) => [p.title, p.keyBasis, p.url])).toEqual([
      ['Acme Corp', 'url:/v/acme', `${MIRROR}v/acme`],
      ['Beta GmbH', 'url:/v/beta', `${MIRROR}v/beta`],
    ]);
    expect(out.warnings).toContain('declarative status was parser-broken');
  });

  it('a hook that throws or returns garbage yields parser-broken, never a crash', async () => {
    const throwing = siteWithHook(tmp(), 'export function extract() { throw new Error("boom"); }');
    const outcome = extractListing(throwing, { body: page, url: MIRROR });
    const a = await applyHook((await loadHook(throwing))!, { site: throwing, url: MIRROR, text: page, now: new Date(), outcome });
    expect(a).toMatchObject({ status: 'parser-broken', reason: 'site hook threw: boom' });
    const garbage = siteWithHook(tmp(), 'export function extract() { return { status: "ok", posts: [{ nope: 1 }] }; }');
    const b = await applyHook((await loadHook(garbage))!, { site: garbage, url: MIRROR, text: page, now: new Date(), outcome });
    expect(b).toMatchObject({ status: 'parser-broken', reason: expect.stringMatching(/invalid result/) as unknown });
  });

  it('a missing export is a config error', async () => {
    const site = siteWithHook(tmp(), 'export const other = 1;');
    await expect(loadHook(site)).rejects.toMatchObject({ code: 'E_CONFIG' });
  });
});
