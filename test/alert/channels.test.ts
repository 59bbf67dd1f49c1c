import { describe, expect, it } from 'vitest';
import { EmailChannel } from '../../src/alert/channels/email.js';
import { LogChannel } from '../../src/alert/channels/log.js';
import { escapeMrkdwn, SlackChannel, slackMessage } from '../../src/alert/channels/slack.js';
import { createAlertLogger } from '../../src/alert/logger.js';
import { attemptsForAlert, listOutbox } from '../../src/alert/outbox-store.js';
import { deliverPending } from '../../src/alert/outbox.js';
import { raiseAlerts } from '../../src/alert/raise.js';
import type { AlertNotification } from '../../src/alert/types.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { useTempDir } from '../helpers/tmp.js';
import { FakeClock, match, policy, RecordingLogger, sighting } from './helpers/fixtures.js';
import { decodeMail, SmtpReceiver } from './helpers/smtp-receiver.js';
import { TestReceiver } from './helpers/webhook-receiver.js';

const tmp = useTempDir();

function payloadOf(store: AlertStore): AlertNotification {
  const row = store.db.prepare('SELECT payload FROM alert_notifications ORDER BY rowid LIMIT 1').get() as { payload: string };
  return JSON.parse(row.payload) as AlertNotification;
}

describe('Slack channel', () => {
  it('posts text + blocks, escapes hostile text, never links to the onion', async () => {
    const receiver = await new TestReceiver().start();
    const store = AlertStore.open(tmp());
    try {
      raiseAlerts(
        store,
        sighting({ post: { title: 'Acme <@channel> & co', url: 'http://x.onion/p' }, matches: [match('patients/p1/passport.jpg', 'image', 0.9), match('b.pdf', 'text', 0.99)] }),
        policy([{ name: 'slack', minSeverity: 'low' }]),
      );
      const channel = new SlackChannel({ name: 'slack', url: `${receiver.url}/T000/B000/XXXXXXXXXXXXXXXX`, timeoutMs: 5000 });
      expect(await deliverPending(store, [channel], { clock: new FakeClock() })).toMatchObject({ delivered: 1 });
      const msg = JSON.parse(receiver.requests[0]?.body ?? '{}') as { text: string; blocks: { type: string; text?: { text: string } }[] };
      expect(msg.text).toMatch(/^:rotating_light: CRITICAL: 2 known documents published on lockbit3/);
      expect(msg.text).toContain('Acme &lt;@channel&gt; &amp; co');
      expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
      const facts = msg.blocks[1]?.text?.text ?? '';
      expect(facts).toContain('*SHA-256:* `' + 'a'.repeat(64) + '`');
      expect(facts).toContain('`http://x.onion/p`');
      expect(msg.blocks[2]?.text?.text).toContain('patients/p1/passport.jpg — image 0.90');
      expect(JSON.stringify(msg)).not.toMatch(/<http/);
    } finally {
      store.close();
      await receiver.stop();
    }
  });

  it('caps the document list and keeps sections under Slack limits', () => {
    const store = AlertStore.open(tmp());
    raiseAlerts(store, sighting({ matches: Array.from({ length: 80 }, (_, i) => match(`docs/${'x'.repeat(100)}-${i}.pdf`)) }), policy([{ name: 's', minSeverity: 'low' }]));
    const n = payloadOf(store);
    expect(n.alert.documents).toHaveLength(50);
    expect(n.alert.documentsOmitted).toBe(30);
    const msg = slackMessage(n);
    for (const b of msg.blocks as { text?: { text: string } }[]) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(msg)).toContain('and 70 more');
    expect(escapeMrkdwn('<a>&')).toBe('&lt;a&gt;&amp;');
    store.close();
  });
});

describe('email channel', () => {
  it('sends a plain-text message over SMTP (AUTH) to a loopback receiver', async () => {
    const smtp = await new SmtpReceiver({ user: 'leakwatch', pass: 'smtp-pass-123456' }).start();
    const store = AlertStore.open(tmp());
    try {
      const r = raiseAlerts(store, sighting({ matches: [match('patients/p1/letter.pdf')] }), policy([{ name: 'mail', minSeverity: 'low' }]));
      const channel = new EmailChannel({
        name: 'mail',
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        user: 'leakwatch',
        pass: 'smtp-pass-123456',
        from: 'leakwatch <leakwatch@example.org>',
        to: ['security@example.org', 'dpo@example.org'],
        subjectPrefix: '[leakwatch]',
        timeoutMs: 5000,
      });
      expect(await deliverPending(store, [channel], { clock: new FakeClock() })).toMatchObject({ delivered: 1 });
      channel.close();
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0];
      expect(mail?.authUser).toBe('leakwatch');
      expect(mail?.from).toBe('leakwatch@example.org');
      expect(mail?.to).toEqual(['security@example.org', 'dpo@example.org']);
      const n = payloadOf(store);
      const { headers, body } = decodeMail(mail?.data ?? '');
      expect(headers.get('subject')).toBe(`[leakwatch] HIGH: 1 known document published on lockbit3 ("Acme Clinic") — alert ${r.alertId}, case ${r.caseId}`);
      expect(headers.get('message-id')).toBe(`<${n.id}@leakwatch.invalid>`);
      expect(headers.get('x-leakwatch-id')).toBe(n.id);
      expect(body).toContain(`SHA-256:     ${'a'.repeat(64)}`);
      expect(body).toContain('[acme-2024] patients/p1/letter.pdf — exact 1.00');
      expect(attemptsForAlert(store, r.alertId)[0]).toMatchObject({ outcome: 'delivered', smtpCode: 250 });
    } finally {
      store.close();
      await smtp.stop();
    }
  });

  it('a refused message is a failed attempt with the SMTP code, retried later', async () => {
    const smtp = await new SmtpReceiver().start();
    smtp.dataReply = '451 4.3.0 Mailbox temporarily unavailable';
    const store = AlertStore.open(tmp());
    try {
      const r = raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), policy([{ name: 'mail', minSeverity: 'low' }]));
      const channel = new EmailChannel({ name: 'mail', host: '127.0.0.1', port: smtp.port, security: 'none', from: 'a@example.org', to: ['b@example.org'], subjectPrefix: '', timeoutMs: 5000 });
      expect(await deliverPending(store, [channel], { clock: new FakeClock() })).toMatchObject({ failed: 1 });
      channel.close();
      expect(attemptsForAlert(store, r.alertId)[0]).toMatchObject({ outcome: 'failed', smtpCode: 451 });
      expect(listOutbox(store)[0]).toMatchObject({ status: 'pending', attempts: 1 });
    } finally {
      store.close();
      await smtp.stop();
    }
  });
});

describe('log channel', () => {
  it('logs the alert facts (no document paths) through the injected logger', async () => {
    const store = AlertStore.open(tmp());
    const logger = new RecordingLogger();
    raiseAlerts(store, sighting({ matches: [match('patients/Jane-Doe/letter.pdf')] }), policy([{ name: 'log', minSeverity: 'low' }]));
    expect(await deliverPending(store, [new LogChannel({ name: 'log', logger })], { clock: new FakeClock() })).toMatchObject({ delivered: 1 });
    const line = JSON.parse(logger.lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', event: 'alert.new', severity: 'high', site: 'lockbit3', documentCount: 1, sampleSha256: 'a'.repeat(64) });
    expect(line.msg).toMatch(/HIGH: 1 known document published on lockbit3/);
    expect(logger.text()).not.toContain('Jane-Doe');
    store.close();
  });

  it('works with pino (JSON lines to a stream)', async () => {
    const store = AlertStore.open(tmp());
    const out: string[] = [];
    const logger = createAlertLogger({ destination: { write: (s: string) => void out.push(s) } });
    raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), policy([{ name: 'log', minSeverity: 'low' }]));
    await deliverPending(store, [new LogChannel({ name: 'log', logger, level: 'error' })], { clock: new FakeClock(), logger });
    const lines = out.join('').trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string; alertId?: number });
    expect(lines[0]).toMatchObject({ level: 50, alertId: 1 });
    expect(lines[1]?.msg).toBe('alert notification delivered');
    store.close();
  });
});
