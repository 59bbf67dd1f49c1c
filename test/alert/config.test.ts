import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertPolicy, createChannels, retryPolicyOf } from '../../src/alert/from-config.js';
import { silentLogger } from '../../src/alert/logger.js';
import { loadAlertSettings } from '../../src/alert/settings.js';
import { run } from '../../src/cli/run.js';
import { configJsonSchema, formatProblem, loadConfig, STARTER_CONFIG } from '../../src/config/index.js';
import { useTempDir } from '../helpers/tmp.js';

const tmp = useTempDir();

function write(text: string): string {
  const file = join(tmp(), 'leakwatch.yaml');
  writeFileSync(file, text);
  return file;
}

describe('alerts config', () => {
  it('defaults: no channels, never notify on seen-again, about a day of retries', () => {
    const r = loadAlertSettings(write(''), {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.alerts).toMatchObject({ channels: [], notifyOnSeenAgain: 'never', notifyOnEscalation: true, delivery: { maxAttempts: 30, initialDelayMs: 30_000, maxDelayMs: 3_600_000 } });
    expect(r.alerts.severity.criticalDocuments).toBe(10);
    const starter = loadAlertSettings(write(STARTER_CONFIG), {});
    expect(starter.ok && starter.alerts.channels).toEqual([]);
  });

  it('channels with ${ENV} secrets become channels and a policy', () => {
    const file = write(
      [
        'alerts:',
        '  notifyOnSeenAgain: new-mirror',
        '  delivery: { maxAttempts: 5, jitterRatio: 0 }',
        '  channels:',
        '    - name: soc',
        '      type: webhook',
        '      url: https://soc.example.org/hook',
        '      secret: ${HOOK_SECRET}',
        '      minSeverity: high',
        '    - { name: chat, type: slack, url: "${SLACK_URL}" }',
        '    - name: mail',
        '      type: email',
        '      host: smtp.example.org',
        '      port: ${SMTP_PORT}', // unquoted: the variable's value is read as a number
        '      user: ${SMTP_USER}',
        '      pass: ${SMTP_PASS}',
        '      from: lw@example.org',
        '      to: [sec@example.org]',
        '    - { name: log, type: log, level: info }',
      ].join('\n'),
    );
    const env = { HOOK_SECRET: 'a-long-webhook-secret-1234', SLACK_URL: 'https://hooks.slack.com/services/T/B/xyz', SMTP_PORT: '465', SMTP_USER: 'u', SMTP_PASS: 'p4ssw0rd!' };
    const r = loadAlertSettings(file, env);
    if (!r.ok) throw new Error(r.problems.map((p) => formatProblem(p)).join('\n'));
    expect(r.alerts.channels.map((c) => [c.name, c.type, c.minSeverity])).toEqual([
      ['soc', 'webhook', 'high'],
      ['chat', 'slack', 'low'],
      ['mail', 'email', 'low'],
      ['log', 'log', 'low'],
    ]);
    expect(r.alerts.channels[2]).toMatchObject({ port: 465, security: 'starttls', subjectPrefix: '[leakwatch]', timeoutMs: 10_000 });
    expect(r.envSecrets).toEqual(expect.arrayContaining(['a-long-webhook-secret-1234', 'p4ssw0rd!']));
    expect(alertPolicy(r.alerts)).toMatchObject({ notifyOnSeenAgain: 'new-mirror', channels: [{ name: 'soc', minSeverity: 'high' }, { name: 'chat' }, { name: 'mail' }, { name: 'log' }] });
    expect(retryPolicyOf(r.alerts)).toMatchObject({ maxAttempts: 5, jitterRatio: 0, initialDelayMs: 30_000 });
    expect(createChannels(r.alerts, { logger: silentLogger }).map((c) => c.type)).toEqual(['webhook', 'slack', 'email', 'log']);
  });

  it('reports every alerts problem at once, with paths, and never prints a secret', () => {
    const file = write(
      [
        'alerts:',
        '  notifyOnSeenAgain: sometimes',
        '  channels:',
        '    - { name: soc, type: webhook, url: "${HOOK_URL}", secret: "${SHORT}" }',
        '    - { name: soc, type: slack, url: ftp://x }',
        '    - { name: mail, type: email, host: h, from: a@b.c, to: [not-an-address], user: u }',
        '    - { name: pager, type: pigeon }',
        '    - { name: log, type: log, levl: info }',
        '  severity: { identityDocuments: ["passport(" ] }',
      ].join('\n'),
    );
    const r = loadConfig(file, { env: { HOOK_URL: 'not a url with token SECRET-TOKEN-XYZ', SHORT: 'tiny-secret' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'alerts.notifyOnSeenAgain: must be one of: never, new-mirror, always',
        'alerts.channels[0].url: expected an http(s) URL',
        'alerts.channels[0].secret: must be at least 16 characters',
        'alerts.channels[1].url: expected an http(s) URL',
        'alerts.channels[2].to[0]: expected an email address',
        'alerts.channels[2].pass: user and pass go together',
        'alerts.channels[4].levl: unknown key (did you mean "level"?)',
        'alerts.severity.identityDocuments[0]: not a valid regular expression',
      ]),
    );
    expect(lines).toContain('alerts.channels[3].type: type must be one of: webhook, slack, email, log');
    const text = JSON.stringify(r.problems);
    expect(text).not.toContain('SECRET-TOKEN-XYZ');
    expect(text).not.toContain('tiny-secret');
  });

  it('duplicate channel names are refused; config check passes a valid alerts section', async () => {
    const dup = write('alerts:\n  channels:\n    - { name: a, type: log }\n    - { name: a, type: log }\n');
    const r = loadConfig(dup, {});
    expect(!r.ok && r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['alerts.channels[1].name: duplicate channel name "a"']);
    const dir = tmp();
    writeFileSync(join(dir, 'leakwatch.yaml'), 'alerts:\n  channels:\n    - { name: log, type: log }\n');
    const check = await run(['config', 'check'], { cwd: dir, env: {} });
    expect(check.exitCode).toBe(0);
  });

  it('the JSON Schema for editors describes the alerts section', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }> };
    expect(schema.properties.alerts?.description).toMatch(/alert channels/);
  });
});
