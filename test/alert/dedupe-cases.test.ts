import { describe, expect, it } from 'vitest';
import { caseDetail, listCases } from '../../src/alert/case-queries.js';
import { listOutbox } from '../../src/alert/outbox-store.js';
import { matchesFromResults, raiseAlerts, raiseAlertsForSample } from '../../src/alert/raise.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { CrawlStore } from '../../src/store/crawl-store.js';
import { useTempDir } from '../helpers/tmp.js';
import { match, MIRROR_1, MIRROR_2, policy, SHA_A, SHA_B, SHA_C, sighting } from './helpers/fixtures.js';

const tmp = useTempDir();
const CHANNELS = [{ name: 'soc', minSeverity: 'low' as const }];

describe('raiseAlerts: dedupe and cases', () => {
  it('the same sample on the same site is one alert, updated as seen again', () => {
    const store = AlertStore.open(tmp());
    const first = raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), policy(CHANNELS));
    expect(first).toMatchObject({ isNew: true, notify: true });
    // Same sample, another post URL on another mirror, a day later.
    const again = raiseAlerts(
      store,
      sighting({ mirrorUrl: MIRROR_2, post: { id: 2, title: 'Acme Clinic (part 2)', url: `${MIRROR_2}post/acme-2` }, sample: { sha256: SHA_A, url: `${MIRROR_2}f/x.zip` }, matches: [match('a.pdf')], at: '2026-03-02T10:00:00.000Z' }),
      policy(CHANNELS),
    );
    expect(again).toMatchObject({ alertId: first.alertId, isNew: false, caseId: first.caseId, notify: false });
    const a = store.alertDetail(first.alertId);
    expect(a).toMatchObject({ seenCount: 2, firstSeenAt: '2026-03-01T10:00:00.000Z', lastSeenAt: '2026-03-02T10:00:00.000Z', version: 2, mirrorUrl: MIRROR_1 });
    expect(a?.sightings.map((s) => s.mirrorUrl)).toEqual([MIRROR_1, MIRROR_2]);
    expect(store.listAlerts()).toHaveLength(1);
    // By default a seen-again update queues nothing: one notification (the new alert) only.
    expect(listOutbox(store)).toHaveLength(1);
    expect(store.events(first.alertId).map((e) => e.kind)).toEqual(['created', 'seen-again']);
    store.close();
  });

  it('a replayed call (same sighting, same time) changes nothing', () => {
    const store = AlertStore.open(tmp());
    const input = sighting({ matches: [match('a.pdf')] });
    const first = raiseAlerts(store, input, policy(CHANNELS));
    const replay = raiseAlerts(store, input, policy(CHANNELS));
    expect(replay).toMatchObject({ alertId: first.alertId, isNew: false, notify: false });
    expect(store.alert(first.alertId)).toMatchObject({ seenCount: 1, version: 1 });
    store.close();
  });

  it('notifyOnSeenAgain: new-mirror notifies for a new mirror only; always notifies every time', () => {
    const store = AlertStore.open(tmp());
    const p = policy(CHANNELS, { notifyOnSeenAgain: 'new-mirror' });
    raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), p);
    const sameMirror = raiseAlerts(store, sighting({ matches: [match('a.pdf')], sample: { sha256: SHA_A, url: `${MIRROR_1}files/other.zip` }, at: '2026-03-01T11:00:00.000Z' }), p);
    expect(sameMirror.notify).toBe(false);
    const newMirror = raiseAlerts(store, sighting({ mirrorUrl: MIRROR_2, matches: [match('a.pdf')], at: '2026-03-01T12:00:00.000Z' }), p);
    expect(newMirror.notify).toBe(true);
    const always = raiseAlerts(store, sighting({ matches: [match('a.pdf')], at: '2026-03-01T13:00:00.000Z' }), policy(CHANNELS, { notifyOnSeenAgain: 'always' }));
    expect(always.notify).toBe(true);
    const events = listOutbox(store).map((o) => o.event);
    expect(events).toEqual(['alert.new', 'alert.seen-again', 'alert.seen-again']);
    // Every notification has its own id (alert uid + version): receivers can dedupe.
    expect(new Set(listOutbox(store).map((o) => o.notificationId)).size).toBe(3);
    store.close();
  });

  it('the same document on another site is a new alert in the same case', () => {
    const store = AlertStore.open(tmp());
    const a = raiseAlerts(store, sighting({ matches: [match('patients/p1/letter.pdf'), match('patients/p2/lab.pdf')] }), policy(CHANNELS));
    const b = raiseAlerts(store, sighting({ siteId: 'blacksuit', sample: { sha256: SHA_A, url: 'http://bs.onion/x.zip' }, matches: [match('patients/p1/letter.pdf')] }), policy(CHANNELS));
    expect(b.isNew).toBe(true);
    expect(b.alertId).not.toBe(a.alertId);
    expect(b.caseId).toBe(a.caseId);
    // Another sample on the SAME site exposing the same document: also a new alert, same case.
    const c = raiseAlerts(store, sighting({ sample: { sha256: SHA_B, url: `${MIRROR_1}files/more.zip` }, matches: [match('patients/p2/lab.pdf', 'near', 0.9)] }), policy(CHANNELS));
    expect(c).toMatchObject({ isNew: true, caseId: a.caseId });
    // Unrelated documents: a case of their own.
    const d = raiseAlerts(store, sighting({ sample: { sha256: SHA_C, url: `${MIRROR_1}files/hr.zip` }, matches: [match('hr/payroll.xlsx')] }), policy(CHANNELS));
    expect(d.caseId).not.toBe(a.caseId);

    const detail = caseDetail(store, a.caseId);
    expect(detail?.alerts).toBe(3);
    expect(detail?.sites).toEqual(['blacksuit', 'lockbit3']);
    expect(detail?.timeline.map((t) => t.alertId)).toEqual([a.alertId, b.alertId, c.alertId]);
    const letter = detail?.exposed.find((x) => x.document === 'patients/p1/letter.pdf');
    expect(letter).toMatchObject({ appearances: 2, sites: ['blacksuit', 'lockbit3'], bestMethod: 'exact' });
    expect(listCases(store).map((x) => x.id).sort()).toEqual([a.caseId, d.caseId].sort());
    store.close();
  });

  it('an alert touching two cases merges them into the older one, and records the merge', () => {
    const store = AlertStore.open(tmp());
    const older = raiseAlerts(store, sighting({ matches: [match('x.pdf')], at: '2026-03-01T10:00:00.000Z' }), policy(CHANNELS));
    const newer = raiseAlerts(store, sighting({ siteId: 'akira', sample: { sha256: SHA_B, url: 'http://ak.onion/y.zip' }, matches: [match('y.pdf')], at: '2026-03-02T10:00:00.000Z' }), policy(CHANNELS));
    expect(newer.caseId).not.toBe(older.caseId);
    const bridge = raiseAlerts(
      store,
      sighting({ siteId: 'play', sample: { sha256: SHA_C, url: 'http://play.onion/z.zip' }, matches: [match('x.pdf'), match('y.pdf')], at: '2026-03-03T10:00:00.000Z' }),
      policy(CHANNELS),
    );
    expect(bridge).toMatchObject({ caseId: older.caseId, mergedCaseIds: [newer.caseId] });
    expect(store.alert(newer.alertId)?.caseId).toBe(older.caseId);
    const merged = caseDetail(store, newer.caseId);
    expect(merged).toMatchObject({ id: older.caseId, requestedId: newer.caseId, alerts: 3 });
    expect(merged?.merges).toEqual([{ mergedCaseId: newer.caseId, alertId: bridge.alertId, at: '2026-03-03T10:00:00.000Z' }]);
    expect(listCases(store).map((c) => c.id)).toEqual([older.caseId]);
    expect(store.events(newer.alertId).map((e) => e.kind)).toContain('case-merged');
    store.close();
  });

  it('a re-match that adds documents escalates, notifies, and can merge cases', () => {
    const store = AlertStore.open(tmp());
    const other = raiseAlerts(store, sighting({ siteId: 'akira', sample: { sha256: SHA_B, url: 'http://ak.onion/y.zip' }, matches: [match('y.pdf')] }), policy(CHANNELS));
    const first = raiseAlerts(store, sighting({ matches: [match('x.png', 'image', 0.6)], at: '2026-03-02T10:00:00.000Z' }), policy(CHANNELS));
    expect(first.severity).toBe('low');
    const more = raiseAlerts(store, sighting({ matches: [match('x.png', 'image', 0.6), match('y.pdf')], at: '2026-03-03T10:00:00.000Z' }), policy(CHANNELS));
    expect(more).toMatchObject({ isNew: false, notify: true, severity: 'high', caseId: other.caseId, mergedCaseIds: [first.caseId] });
    expect(listOutbox(store, { alertId: first.alertId }).map((o) => o.event)).toEqual(['alert.new', 'alert.escalated']);
    store.close();
  });

  it('channels get only alerts at or above their minimum severity', () => {
    const store = AlertStore.open(tmp());
    const p = policy([
      { name: 'all', minSeverity: 'low' },
      { name: 'pager', minSeverity: 'critical' },
    ]);
    raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), p);
    expect(listOutbox(store).map((o) => o.channel)).toEqual(['all']);
    raiseAlerts(store, sighting({ sample: { sha256: SHA_B, url: 'u' }, matches: [match('scans/passport-2024.jpg', 'image', 0.93)] }), p);
    expect(listOutbox(store).map((o) => o.channel)).toEqual(['all', 'all', 'pager']);
    store.close();
  });

  it('works on a CrawlStore and reads stored matches for a sample', () => {
    const crawl = CrawlStore.open(tmp());
    const sample = crawl.addSample('lockbit3', { sha256: SHA_A, bytes: 10 }, { url: `${MIRROR_1}f.zip` }, '2026-03-01T10:00:00.000Z');
    crawl.addMatches(sample.id, [{ path: 'f.zip/a.pdf', sha256: 'e'.repeat(64), size: 1, type: 'pdf', warnings: [], matches: [match('a.pdf')] }], '2026-03-01T10:00:00.000Z');
    const r = raiseAlertsForSample(crawl, { siteId: 'lockbit3', sampleId: sample.id, mirrorUrl: MIRROR_1, sampleUrl: `${MIRROR_1}f.zip`, at: '2026-03-01T10:00:00.000Z' });
    expect(r).toMatchObject({ isNew: true, severity: 'high' });
    const docs = AlertStore.of(crawl).alertDetail(r?.alertId ?? 0)?.documents;
    expect(docs).toEqual([expect.objectContaining({ set: 'acme-2024', document: 'a.pdf', memberPath: 'f.zip/a.pdf', memberSha256: 'e'.repeat(64) })]);
    expect(matchesFromResults([{ path: 'm', sha256: 's', size: 1, type: 't', warnings: [], matches: [match('q')] }])[0]).toMatchObject({ memberPath: 'm', memberSha256: 's' });
    const none = crawl.addSample('lockbit3', { sha256: SHA_B, bytes: 10 }, { url: 'u2' }, 't');
    expect(raiseAlertsForSample(crawl, { siteId: 'lockbit3', sampleId: none.id, mirrorUrl: MIRROR_1, sampleUrl: 'u2', at: 't' })).toBeUndefined();
    crawl.close();
  });
});
