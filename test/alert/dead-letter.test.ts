import { describe, expect, it } from 'vitest';
import { WebhookChannel } from '../../src/alert/channels/webhook.js';
import { listOutbox, requeue } from '../../src/alert/outbox-store.js';
import { deliverPending } from '../../src/alert/outbox.js';
import { runDeliveryLoop } from '../../src/alert/delivery-loop.js';
import { raiseAlerts } from '../../src/alert/raise.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { useTempDir } from '../helpers/tmp.js';
import { FakeClock, match, policy, RecordingLogger, sighting } from './helpers/fixtures.js';
import { TestReceiver } from './helpers/webhook-receiver.js';

const tmp = useTempDir();
const SECRET = 'whsec-dead-letter-test-000';

describe('dead letters', () => {
  it('after maxAttempts a notification is dead: kept and listed, no longer tried, and can be requeued', async () => {
    const clock = new FakeClock();
    const receiver = await new TestReceiver().start();
    receiver.status = 500;
    const logger = new RecordingLogger();
    const store = AlertStore.open(tmp());
    const retry = { maxAttempts: 3, initialDelayMs: 1000, maxDelayMs: 10_000, backoffFactor: 3, jitterRatio: 0 };
    try {
      raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), policy([{ name: 'soc', minSeverity: 'low' }]));
      const channels = [new WebhookChannel({ name: 'soc', url: receiver.url, secret: SECRET, timeoutMs: 5000, clock })];
      const delays: number[] = [];
      for (let i = 0; i < 3; i++) {
        const s = await deliverPending(store, channels, { clock, retry, logger });
        expect(s.attempted).toBe(1);
        const next = listOutbox(store)[0];
        if (next?.status === 'pending') {
          delays.push(Date.parse(next.nextAttemptAt) - clock.ms);
          clock.ms = Date.parse(next.nextAttemptAt);
        }
      }
      expect(delays).toEqual([1000, 3000]);
      expect(listOutbox(store)[0]).toMatchObject({ status: 'dead', attempts: 3, lastError: 'receiver answered HTTP 500: ok' });
      expect(listOutbox(store, { status: 'dead' })).toHaveLength(1);
      expect(logger.text()).toMatch(/dead-lettered after 3 attempts/);
      clock.advance(86_400_000);
      expect((await deliverPending(store, channels, { clock, retry })).attempted).toBe(0);

      // Fixed on the receiver's side; an operator requeues it.
      receiver.status = 200;
      expect(requeue(store, listOutbox(store)[0]?.id ?? 0, clock.iso())).toBe(true);
      expect(await deliverPending(store, channels, { clock, retry })).toMatchObject({ delivered: 1 });
      expect(listOutbox(store)[0]).toMatchObject({ status: 'delivered' });
      expect(receiver.requests).toHaveLength(4);
    } finally {
      store.close();
      await receiver.stop();
    }
  });

  it('rows for a channel that is no longer configured are kept, not dropped', async () => {
    const store = AlertStore.open(tmp());
    const logger = new RecordingLogger();
    raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), policy([{ name: 'old-channel', minSeverity: 'low' }]));
    const s = await deliverPending(store, [], { clock: new FakeClock(), logger });
    expect(s).toMatchObject({ attempted: 0, unknownChannel: 1 });
    expect(listOutbox(store)[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(logger.text()).toMatch(/not configured/);
    store.close();
  });

  it('two processes delivering at once do not both send a row (lease)', async () => {
    const clock = new FakeClock();
    const receiver = await new TestReceiver().start();
    const dir = tmp();
    const a = AlertStore.open(dir);
    const b = AlertStore.open(dir);
    try {
      raiseAlerts(a, sighting({ matches: [match('a.pdf')] }), policy([{ name: 'soc', minSeverity: 'low' }]));
      const mk = () => [new WebhookChannel({ name: 'soc', url: receiver.url, secret: SECRET, timeoutMs: 5000, clock })];
      const [ra, rb] = await Promise.all([deliverPending(a, mk(), { clock }), deliverPending(b, mk(), { clock })]);
      expect(ra.delivered + rb.delivered).toBe(1);
      expect(receiver.requests).toHaveLength(1);
    } finally {
      a.close();
      b.close();
      await receiver.stop();
    }
  });
});

describe('delivery loop (daemon timer)', () => {
  it('delivers what is queued while it runs, then stops on the signal', async () => {
    const receiver = await new TestReceiver().start();
    const store = AlertStore.open(tmp());
    const ac = new AbortController();
    const passes: number[] = [];
    try {
      const channels = [new WebhookChannel({ name: 'soc', url: receiver.url, secret: SECRET, timeoutMs: 5000 })];
      const loop = runDeliveryLoop(store, channels, { intervalMs: 20, signal: ac.signal, onPass: (s) => passes.push(s.delivered) });
      raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), policy([{ name: 'soc', minSeverity: 'low' }]));
      // Waits until a pass has delivered and recorded it (up to 30 s: a loaded CI machine can take
      // well over a second). Aborting while the receiver has accepted but the pass has not yet
      // recorded it would leave the row pending, to be sent again: at-least-once, by design.
      const delivered = (): number => passes.reduce((a, b) => a + b, 0);
      for (let i = 0; i < 3000 && delivered() === 0; i++) await new Promise((r) => setTimeout(r, 10));
      ac.abort();
      await loop;
      expect(receiver.accepted.size).toBe(1);
      expect(passes.reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      store.close();
      await receiver.stop();
    }
  });
});
