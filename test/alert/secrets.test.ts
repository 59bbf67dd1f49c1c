import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertPolicy, createChannels } from '../../src/alert/from-config.js';
import { raiseAlerts } from '../../src/alert/raise.js';
import { loadAlertSettings } from '../../src/alert/settings.js';
import { run } from '../../src/cli/run.js';
import { AlertStore } from '../../src/store/alert-store.js';
import { useTempDir } from '../helpers/tmp.js';
import { match, RecordingLogger, sighting } from './helpers/fixtures.js';
import { SmtpReceiver } from './helpers/smtp-receiver.js';
import { TestReceiver } from './helpers/webhook-receiver.js';

const tmp = useTempDir();

const SECRETS = {
  WH_SECRET: 'hmac-secret-Zq81vX0c5tLw',
  QUERY_TOKEN: 'qtoken-9f8e7d6c5b4a',
  API_KEY: 'apikey-Kp2Lm3Nn4Oo5',
  SLACK_TOKEN: 'slacktoken7HJK2LMN9PQR',
  SMTP_PASS: 'smtp-pass-Vb6Nm7Qw8Er9',
};

/** Every form a secret could be written in. */
function forms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64').replace(/=+$/, ''), encodeURIComponent(secret)];
}

describe('secrets never reach the database, the logs or command output', () => {
  it('failed deliveries whose servers echo credentials back are redacted everywhere', async () => {
    const dir = tmp();
    const webhook = await new TestReceiver().start();
    webhook.status = 401;
    webhook.reply = (path, headers) => `unauthorized: ${path} auth=${String(headers.authorization)} sig=${String(headers['x-leakwatch-signature'])}`;
    const slack = await new TestReceiver().start();
    slack.status = 404;
    slack.reply = (path) => `no_service ${path}`;
    const smtp = await new SmtpReceiver({ authReply: (user, pass) => `535 5.7.8 bad credentials for ${user}:${pass}` }).start();
    const env = {
      WH_SECRET: SECRETS.WH_SECRET,
      WH_URL: `http://127.0.0.1:${webhook.port}/hook?token=${SECRETS.QUERY_TOKEN}`,
      API_KEY: SECRETS.API_KEY,
      SLACK_URL: `http://127.0.0.1:${slack.port}/services/T000/B000/${SECRETS.SLACK_TOKEN}`,
      SMTP_USER: 'leakwatch-user',
      SMTP_PASS: SECRETS.SMTP_PASS,
    };
    const file = join(dir, 'leakwatch.yaml');
    writeFileSync(
      file,
      [
        'dataDir: data',
        'alerts:',
        '  channels:',
        '    - { name: soc, type: webhook, url: "${WH_URL}", secret: "${WH_SECRET}", headers: { authorization: "Bearer ${API_KEY}" } }',
        '    - { name: chat, type: slack, url: "${SLACK_URL}" }',
        `    - { name: mail, type: email, host: 127.0.0.1, port: ${smtp.port}, security: none, user: "\${SMTP_USER}", pass: "\${SMTP_PASS}", from: a@example.org, to: [b@example.org] }`,
        '    - { name: log, type: log }',
        '',
      ].join('\n'),
    );
    try {
      const settings = loadAlertSettings(file, env);
      if (!settings.ok) throw new Error(JSON.stringify(settings.problems));
      const store = AlertStore.open(settings.config.dataDir);
      raiseAlerts(store, sighting({ matches: [match('a.pdf')] }), alertPolicy(settings.alerts));
      store.close();

      const r = await run(['alerts', 'deliver', '--config', file], { cwd: dir, env });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/delivered 1, failed 3/);
      const show = await run(['alerts', 'show', '1', '--json', '--config', file], { cwd: dir, env });
      const attempts = (JSON.parse(show.stdout) as { attempts: { channel: string; error: string | null; httpStatus: number | null; smtpCode: number | null }[] }).attempts;
      const byChannel = Object.fromEntries(attempts.map((a) => [a.channel, a]));
      // The failures are recorded — with the secrets cut out.
      expect(byChannel.soc).toMatchObject({ httpStatus: 401 });
      expect(byChannel.soc?.error).toContain('[redacted]');
      expect(byChannel.chat).toMatchObject({ httpStatus: 404 });
      expect(byChannel.chat?.error).toMatch(/no_service .*\[redacted\]/);
      expect(byChannel.mail).toMatchObject({ smtpCode: 535 });
      expect(byChannel.mail?.error).toMatch(/bad credentials for \[redacted\]:\[redacted\]/);
      const human = await run(['alerts', 'show', '1', '--config', file], { cwd: dir, env });
      const outbox = await run(['alerts', 'outbox', '--config', file], { cwd: dir, env });

      const output = [r.stdout, r.stderr, show.stdout, show.stderr, human.stdout, outbox.stdout].join('\n');
      expect(r.stderr).toMatch(/will retry/); // the pino log lines are there…
      const dbFiles = readdirSync(join(dir, 'data')).filter((f) => f.startsWith('leakwatch.db'));
      expect(dbFiles).toContain('leakwatch.db');
      const dbBytes = dbFiles.map((f) => readFileSync(join(dir, 'data', f)).toString('latin1')).join('\n');
      for (const secret of [...Object.values(SECRETS), env.WH_URL, env.SLACK_URL]) {
        for (const f of forms(secret)) {
          expect(output, `output contains ${f}`).not.toContain(f); // …without any secret
          expect(dbBytes, `database contains ${f}`).not.toContain(f);
        }
      }
    } finally {
      await webhook.stop();
      await slack.stop();
      await smtp.stop();
    }
  });

  it('channels built from config declare every secret they hold, for redaction', () => {
    const logger = new RecordingLogger();
    const channels = createChannels(
      {
        channels: [
          { type: 'webhook', name: 'w', url: `http://127.0.0.1:9/h?k=${SECRETS.QUERY_TOKEN}`, secret: SECRETS.WH_SECRET, headers: { 'x-key': SECRETS.API_KEY }, minSeverity: 'low', timeoutMs: 1000 },
          { type: 'slack', name: 's', url: `https://hooks.example/services/T/B/${SECRETS.SLACK_TOKEN}`, minSeverity: 'low', timeoutMs: 1000 },
          { type: 'email', name: 'e', host: 'h', port: 25, security: 'none', user: 'u', pass: SECRETS.SMTP_PASS, from: 'a@b.c', to: ['d@e.f'], subjectPrefix: '', minSeverity: 'low', timeoutMs: 1000 },
        ],
        notifyOnSeenAgain: 'never',
        notifyOnEscalation: true,
        delivery: { maxAttempts: 3, initialDelayMs: 1000, maxDelayMs: 2000, backoffFactor: 2, jitterRatio: 0, maxPerRun: 10 },
        severity: { criticalDocuments: 10, strongScore: 0.8, identityDocuments: [] },
      },
      { logger },
    );
    const all = channels.flatMap((c) => c.secrets).join('\n');
    expect(all).toContain(SECRETS.WH_SECRET);
    expect(all).toContain(SECRETS.QUERY_TOKEN);
    expect(all).toContain(SECRETS.API_KEY);
    expect(all).toContain(SECRETS.SLACK_TOKEN);
    expect(all).toContain(SECRETS.SMTP_PASS);
  });
});
