import { describe, expect, it } from 'vitest';
import { WebhookChannel } from '../../src/alert/channels/webhook.js';
import { signatureHeader, verifySignature } from '../../src/alert/channels/signature.js';
import { attemptsForAlert, listOutbox } from '../../src/alert/outbox-store.js';
import { deliverPending } from '../../src/alert/outbox.js';
import { raiseAlerts } from '../../src/alert/raise.js';
import type { AlertNotification } from '../../src/alert/types.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { useTempDir } from '../helpers/tmp.js';
import { FakeClock, match, policy, RecordingLogger, SHA_B, SHA_C, sighting } from './helpers/fixtures.js';
import { TestReceiver } from './helpers/webhook-receiver.js';

const tmp = useTempDir();
const SECRET = 'whsec-test-0123456789abcdef';
const RETRY = { initialDelayMs: 1000, maxDelayMs: 8000, backoffFactor: 2, jitterRatio: 0, maxAttempts: 10 };
const POLICY = policy([{ name: 'soc', minSeverity: 'low' }]);

describe('webhook delivery', () => {
  it('posts the notification JSON with a signature the receiver verifies', async () => {
    const clock = new FakeClock();
    const receiver = await new TestReceiver({ secret: SECRET, nowSeconds: () => Math.floor(clock.nowMs() / 1000) }).start();
    const store = AlertStore.open(tmp());
    try {
      const r = raiseAlerts(store, sighting({ matches: [match('patients/p1/letter.pdf'), match('patients/p1/lab.pdf', 'partial', 0.7)] }), POLICY);
      const channel = new WebhookChannel({ name: 'soc', url: receiver.url, secret: SECRET, timeoutMs: 5000, clock, headers: { 'x-api-key': 'k-123456' } });
      const summary = await deliverPending(store, [channel], { clock });
      expect(summary).toMatchObject({ attempted: 1, delivered: 1, failed: 0 });
      const req = receiver.requests[0];
      expect(req?.verified).toEqual({ ok: true, timestamp: Math.floor(clock.nowMs() / 1000) });
      expect(req?.headers['content-type']).toMatch(/^application\/json/);
      expect(req?.headers['x-api-key']).toBe('k-123456');
      const body = JSON.parse(req?.body ?? '{}') as AlertNotification;
      expect(req?.headers['x-leakwatch-id']).toBe(body.id);
      expect(body).toMatchObject({
        type: 'leakwatch.alert',
        event: 'alert.new',
        alert: {
          id: r.alertId,
          caseId: r.caseId,
          severity: 'high',
          site: 'lockbit3',
          post: { title: 'Acme Clinic' },
          sample: { sha256: 'a'.repeat(64) },
          documentCount: 2,
          firstSeenAt: '2026-03-01T10:00:00.000Z',
        },
      });
      expect(body.alert.documents.map((d) => [d.document, d.method])).toEqual([
        ['patients/p1/letter.pdf', 'exact'],
        ['patients/p1/lab.pdf', 'partial'],
      ]);
      expect(body.id).toBe(`${store.alert(r.alertId)?.uid}.v1`);
      expect(listOutbox(store)[0]).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(attemptsForAlert(store, r.alertId)).toEqual([expect.objectContaining({ outcome: 'delivered', httpStatus: 200, channel: 'soc', error: null })]);
    } finally {
      store.close();
      await receiver.stop();
    }
  });

  it('signature check: tampered body, wrong secret and stale timestamps are rejected', () => {
    const body = '{"id":"x"}';
    const t = 1_800_000_000;
    const header = signatureHeader(SECRET, t, body);
    expect(verifySignature(SECRET, body, header, { nowSeconds: t + 10 })).toEqual({ ok: true, timestamp: t });
    expect(verifySignature(SECRET, '{"id":"y"}', header, { nowSeconds: t })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature('another-secret-0000000', body, header, { nowSeconds: t })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(SECRET, body, header, { nowSeconds: t + 301 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(SECRET, body, 'v1=abc', { nowSeconds: t })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(SECRET, body, undefined)).toEqual({ ok: false, reason: 'malformed' });
    // Rotation: a header may carry several v1 values; one valid is enough.
    expect(verifySignature(SECRET, body, `t=${t},v1=${'0'.repeat(64)},${header.split(',')[1]}`, { nowSeconds: t }).ok).toBe(true);
  });

  it('receiver down: retries with backoff, survives a restart, delivered once it is back; never lost', async () => {
    const dir = tmp();
    const clock = new FakeClock();
    const receiver = await new TestReceiver({ secret: SECRET, nowSeconds: () => Math.floor(clock.nowMs() / 1000) }).start();
    await receiver.stop(); // the port is known and closed: connection refused
    const logger = new RecordingLogger();

    let store = AlertStore.open(dir);
    const r = raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), POLICY);
    let channels = [new WebhookChannel({ name: 'soc', url: receiver.url, secret: SECRET, timeoutMs: 5000, clock })];

    const first = await deliverPending(store, channels, { clock, retry: RETRY, logger });
    expect(first).toMatchObject({ attempted: 1, delivered: 0, failed: 1 });
    expect(listOutbox(store)[0]).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(clock.ms + 1000).toISOString() });
    // Not due yet: nothing is attempted.
    expect((await deliverPending(store, channels, { clock, retry: RETRY })).attempted).toBe(0);
    clock.advance(1000);
    expect(await deliverPending(store, channels, { clock, retry: RETRY, logger })).toMatchObject({ attempted: 1, failed: 1 });
    expect(listOutbox(store)[0]).toMatchObject({ attempts: 2, nextAttemptAt: new Date(clock.ms + 2000).toISOString() });
    const attempts = attemptsForAlert(store, r.alertId);
    expect(attempts.map((a) => a.outcome)).toEqual(['failed', 'failed']);
    expect(attempts[0]?.error).toMatch(/ECONNREFUSED/);
    expect(logger.text()).toMatch(/will retry/);

    // The process "restarts": store closed and reopened, new channel objects.
    store.close();
    store = AlertStore.open(dir);
    channels = [new WebhookChannel({ name: 'soc', url: receiver.url, secret: SECRET, timeoutMs: 5000, clock })];
    await receiver.start(); // back, on the same port
    try {
      clock.advance(1999);
      expect((await deliverPending(store, channels, { clock, retry: RETRY })).attempted).toBe(0); // backoff state survived
      clock.advance(1);
      expect(await deliverPending(store, channels, { clock, retry: RETRY })).toMatchObject({ attempted: 1, delivered: 1 });
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]?.verified?.ok).toBe(true);
      expect(listOutbox(store)[0]).toMatchObject({ status: 'delivered', attempts: 3 });
      expect(attemptsForAlert(store, r.alertId).map((a) => a.outcome)).toEqual(['failed', 'failed', 'delivered']);
      // Nothing more to send.
      clock.advance(3_600_000);
      expect((await deliverPending(store, channels, { clock, retry: RETRY })).attempted).toBe(0);

      // At-least-once: a crash between "sent" and "recorded" sends again; the receiver dedupes on the id.
      store.db.prepare(`UPDATE alert_outbox SET status = 'pending', delivered_at = NULL`).run();
      await deliverPending(store, channels, { clock, retry: RETRY });
      expect(receiver.requests).toHaveLength(2);
      expect(JSON.parse(receiver.requests[1]?.body ?? '{}')).toEqual(JSON.parse(receiver.requests[0]?.body ?? '{}'));
      expect(receiver.accepted.size).toBe(1);
    } finally {
      store.close();
      await receiver.stop();
    }
  });

  it('a failing channel costs one attempt per pass; its other notifications wait without spending attempts', async () => {
    const clock = new FakeClock();
    const receiver = await new TestReceiver({ secret: SECRET, nowSeconds: () => Math.floor(clock.nowMs() / 1000) }).start();
    receiver.status = 503;
    receiver.reply = 'maintenance';
    const store = AlertStore.open(tmp());
    try {
      raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), POLICY);
      raiseAlerts(store, sighting({ sample: { sha256: SHA_B, url: 'u2' }, matches: [match('b.pdf')] }), POLICY);
      raiseAlerts(store, sighting({ sample: { sha256: SHA_C, url: 'u3' }, matches: [match('c.pdf')] }), POLICY);
      const channels = [new WebhookChannel({ name: 'soc', url: receiver.url, secret: SECRET, timeoutMs: 5000, clock })];
      const pass = await deliverPending(store, channels, { clock, retry: RETRY });
      expect(pass).toMatchObject({ attempted: 1, failed: 1, deferred: 2 });
      expect(listOutbox(store).map((o) => o.attempts)).toEqual([1, 0, 0]);
      const first = listOutbox(store)[0];
      expect(first?.lastError).toBe('receiver answered HTTP 503: maintenance');
      receiver.status = 200;
      const after = await deliverPending(store, channels, { clock, retry: RETRY });
      expect(after).toMatchObject({ attempted: 2, delivered: 2, deferred: 0 });
      clock.advance(1000);
      expect(await deliverPending(store, channels, { clock, retry: RETRY })).toMatchObject({ delivered: 1 });
      expect(receiver.accepted.size).toBe(3);
    } finally {
      store.close();
      await receiver.stop();
    }
  });

  it('a receiver that never answers times out; the attempt is recorded as a timeout', async () => {
    const clock = new FakeClock();
    const receiver = await new TestReceiver().start();
    receiver.hang = true;
    const store = AlertStore.open(tmp());
    try {
      const r = raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), POLICY);
      const channels = [new WebhookChannel({ name: 'soc', url: receiver.url, secret: SECRET, timeoutMs: 300, clock })];
      const started = Date.now();
      expect(await deliverPending(store, channels, { clock, retry: RETRY })).toMatchObject({ failed: 1 });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(attemptsForAlert(store, r.alertId)[0]).toMatchObject({ outcome: 'timeout', error: 'timed out after 300 ms' });
    } finally {
      store.close();
      await receiver.stop();
    }
  });

  it('shutdown (signal) interrupts a pass without spending an attempt', async () => {
    const clock = new FakeClock();
    const receiver = await new TestReceiver().start();
    receiver.hang = true;
    const store = AlertStore.open(tmp());
    try {
      raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), POLICY);
      const channels = [new WebhookChannel({ name: 'soc', url: receiver.url, secret: SECRET, timeoutMs: 10_000, clock })];
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const summary = await deliverPending(store, channels, { clock, retry: RETRY, signal: ac.signal });
      expect(summary).toMatchObject({ interrupted: true, failed: 0 });
      expect(listOutbox(store)[0]).toMatchObject({ status: 'pending', attempts: 0 });
    } finally {
      store.close();
      await receiver.stop();
    }
  });
});
