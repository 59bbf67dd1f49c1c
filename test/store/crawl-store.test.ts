import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExtractedPost } from '../../src/sites/types.js';
import { CrawlStore } from '../../src/store/crawl-store.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();

const post = (key: string, title: string, extra: Partial<ExtractedPost> = {}): ExtractedPost => ({
  key,
  keyBasis: `url:/post/${key}`,
  titleKey: `t-${title.toLowerCase()}`,
  title,
  url: `http://x.onion/post/${key}`,
  fields: {},
  ...extra,
});

describe('CrawlStore', () => {
  it('keeps post identity: new, unchanged, changed, and re-keyed after a parser edit', () => {
    const store = CrawlStore.open(tmp());
    const seen = new Set<number>();
    const a = store.upsertPost('s', post('k1', 'Acme Clinic'), undefined, '2026-01-01T00:00:00Z', seen);
    expect(a).toMatchObject({ isNew: true, changed: false });
    expect(store.upsertPost('s', post('k1', 'Acme Clinic'), undefined, '2026-01-02T00:00:00Z', new Set())).toMatchObject({ id: a.id, isNew: false, changed: false });
    expect(store.upsertPost('s', post('k1', 'Acme Clinic', { description: 'now with a countdown' }), undefined, '2026-01-03T00:00:00Z', new Set())).toMatchObject({
      id: a.id,
      changed: true,
    });
    // The definition changed how URLs are read: same victim, new key → same post, re-keyed.
    const rekeyed = store.upsertPost('s', post('k1-new', 'Acme Clinic'), undefined, '2026-01-04T00:00:00Z', new Set());
    expect(rekeyed).toMatchObject({ id: a.id, isNew: false });
    // Two different victims with the same title in one run stay two posts.
    const run = new Set<number>([a.id]);
    const twin = store.upsertPost('s', post('k2', 'Acme Clinic'), undefined, '2026-01-04T00:00:00Z', run);
    expect(twin.isNew).toBe(true);
    store.close();
  });

  it('concludes removal only after several complete listing loads without the post', () => {
    const store = CrawlStore.open(tmp());
    const a = store.upsertPost('s', post('a', 'A'), undefined, 't0', new Set()).id;
    const b = store.upsertPost('s', post('b', 'B'), undefined, 't0', new Set()).id;
    const removedAt = () => (store.db.prepare('SELECT removed_at AS r FROM posts WHERE id = ?').get(b) as { r: string | null }).r;
    expect(store.recordCompleteListing('s', new Set([a]), 't1', 3).removed).toBe(0);
    expect(store.recordCompleteListing('s', new Set([a]), 't2', 3).removed).toBe(0);
    expect(removedAt()).toBeNull();
    expect(store.recordCompleteListing('s', new Set([a]), 't3', 3).removed).toBe(1);
    expect(removedAt()).toBe('t3');
    // It comes back: no longer removed.
    store.upsertPost('s', post('b', 'B'), undefined, 't4', new Set());
    expect(removedAt()).toBeNull();
    store.close();
  });

  it('stores a sample once per site and content, with every sighting, and matches once', () => {
    const store = CrawlStore.open(tmp());
    const p = store.upsertPost('s', post('a', 'A'), undefined, 't0', new Set()).id;
    const first = store.addSample('s', { sha256: 'aa', bytes: 10 }, { postId: p, url: 'http://x.onion/f1' }, 't1');
    const again = store.addSample('s', { sha256: 'aa', bytes: 10 }, { postId: p, url: 'http://x.onion/f2' }, 't2');
    expect(first.isNew).toBe(true);
    expect(again).toEqual({ id: first.id, isNew: false });
    expect(store.sampleByUrl('s', 'http://x.onion/f2')).toBe(first.id);
    expect(store.addSample('other-site', { sha256: 'aa', bytes: 10 }, { url: 'http://y.onion/f' }, 't2').isNew).toBe(true);
    const result = {
      path: 'f1',
      sha256: 'aa',
      size: 10,
      type: 'text',
      warnings: [],
      matches: [{ set: 'c', document: 'd.txt', documentSha256: 'bb', method: 'exact' as const, score: 1, explanation: 'x', details: {} }],
    };
    expect(store.addMatches(first.id, [result], 't3')).toBe(1);
    expect(store.addMatches(first.id, [result], 't4')).toBe(0);
    expect(store.isSampleMatched(first.id)).toBe(true);
    store.close();
  });

  it('keeps captures content-addressed and closes runs of dead processes', () => {
    const dir = tmp();
    const store = CrawlStore.open(dir);
    const m = store.mirrorId('s', 'http://x.onion/');
    expect(store.mirrorId('s', 'http://x.onion/')).toBe(m);
    const body = Buffer.from('<html>listing</html>');
    const c1 = store.addCapture({ siteId: 's', mirrorId: m, kind: 'listing', url: 'u', finalUrl: 'u', fetchedAt: 't', transport: 'http', status: 200, headers: {}, body });
    const c2 = store.addCapture({ siteId: 's', mirrorId: m, kind: 'listing', url: 'u', finalUrl: 'u', fetchedAt: 't2', transport: 'http', status: 200, headers: {}, body });
    expect(c1.bodySha256).toBe(c2.bodySha256);
    expect(c1.id).not.toBe(c2.id);
    expect(existsSync(store.blobs.path(c1.bodySha256))).toBe(true);
    store.recordCheck(m, { at: 't', ok: false, outcome: 'down', errorCode: 'E_SOCKS_F0', error: 'offline' });
    store.recordCheck(m, { at: 't2', ok: false, outcome: 'down' });
    expect(store.db.prepare('SELECT state, consecutive_failures AS f FROM mirrors WHERE id = ?').get(m)).toEqual({ state: 'down', f: 2 });
    store.recordCheck(m, { at: 't3', ok: true, latencyMs: 120, outcome: 'ok' });
    expect(store.db.prepare('SELECT state, consecutive_failures AS f FROM mirrors WHERE id = ?').get(m)).toEqual({ state: 'up', f: 0 });
    store.startRun('s', 't', 999_999_999);
    const live = store.startRun('s', 't', process.pid);
    expect(store.closeAbandonedRuns('t9', (pid) => pid === process.pid)).toBe(1);
    expect((store.db.prepare('SELECT status FROM runs WHERE id = ?').get(live) as { status: string }).status).toBe('running');
    store.close();
  });
});
