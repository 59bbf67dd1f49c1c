import type { AlertChannelSettings, AlertsSettings } from '../config/schema.js';
import type { RetryPolicy } from './backoff.js';
import type { AlertChannel } from './channels/channel.js';
import { EmailChannel, type EmailOptions, type MailTransport } from './channels/email.js';
import type { FetchLike } from './channels/http-post.js';
import { LogChannel } from './channels/log.js';
import { SlackChannel } from './channels/slack.js';
import { WebhookChannel } from './channels/webhook.js';
import type { AlertClock } from './clock.js';
import type { AlertLogger } from './logger.js';
import type { AlertPolicy } from './types.js';

/**
 * Config → channels and policy. Transports are injectable so tests and the daemon can supply
 * their own; by default webhooks use Node's fetch and email uses nodemailer.
 *
 * Alert channels are the victim's own infrastructure (their webhook, their SMTP server), not
 * leak sites: they are reached directly, not through Tor.
 */

export interface ChannelDeps {
  logger: AlertLogger;
  fetch?: FetchLike;
  clock?: AlertClock;
  mailTransport?: (o: EmailOptions) => MailTransport;
}

export function createChannel(c: AlertChannelSettings, deps: ChannelDeps): AlertChannel {
  switch (c.type) {
    case 'webhook':
      return new WebhookChannel({
        name: c.name,
        url: c.url,
        secret: c.secret,
        headers: c.headers,
        timeoutMs: c.timeoutMs,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.clock ? { clock: deps.clock } : {}),
      });
    case 'slack':
      return new SlackChannel({ name: c.name, url: c.url, timeoutMs: c.timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    case 'email':
      return new EmailChannel(
        {
          name: c.name,
          host: c.host,
          port: c.port,
          security: c.security,
          ...(c.user !== undefined ? { user: c.user } : {}),
          ...(c.pass !== undefined ? { pass: c.pass } : {}),
          from: c.from,
          to: c.to,
          subjectPrefix: c.subjectPrefix,
          timeoutMs: c.timeoutMs,
        },
        deps.mailTransport,
      );
    case 'log':
      return new LogChannel({ name: c.name, logger: deps.logger, level: c.level, timeoutMs: c.timeoutMs });
  }
}

export function createChannels(settings: AlertsSettings, deps: ChannelDeps): AlertChannel[] {
  return settings.channels.map((c) => createChannel(c, deps));
}

/** What raiseAlerts needs from the config. */
export function alertPolicy(settings: AlertsSettings): AlertPolicy {
  return {
    channels: settings.channels.map((c) => ({ name: c.name, minSeverity: c.minSeverity })),
    notifyOnSeenAgain: settings.notifyOnSeenAgain,
    notifyOnEscalation: settings.notifyOnEscalation,
    severity: settings.severity,
  };
}

export function retryPolicyOf(settings: AlertsSettings): RetryPolicy {
  const { maxAttempts, initialDelayMs, maxDelayMs, backoffFactor, jitterRatio } = settings.delivery;
  return { maxAttempts, initialDelayMs, maxDelayMs, backoffFactor, jitterRatio };
}

export async function closeChannels(channels: readonly AlertChannel[]): Promise<void> {
  for (const c of channels) await c.close?.();
}
