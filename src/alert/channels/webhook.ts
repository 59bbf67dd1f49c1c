import type { AlertClock } from '../clock.js';
import { systemAlertClock } from '../clock.js';
import { urlSecrets } from '../redact.js';
import type { AlertNotification } from '../types.js';
import type { AlertChannel, DeliveryReceipt } from './channel.js';
import { postBody, type FetchLike } from './http-post.js';
import { EVENT_HEADER, ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';

export const USER_AGENT = 'leakwatch-alerts/1';

export interface WebhookOptions {
  name: string;
  url: string;
  secret: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  fetch?: FetchLike;
  clock?: AlertClock;
}

/**
 * Generic JSON webhook: the body is the notification exactly as stored in the outbox, signed
 * per attempt (the signature's timestamp is the attempt's time, the body never changes).
 */
export class WebhookChannel implements AlertChannel {
  readonly type = 'webhook' as const;
  readonly name: string;
  readonly timeoutMs: number;
  readonly secrets: readonly string[];
  private readonly url: string;
  private readonly secret: string;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: FetchLike;
  private readonly clock: AlertClock;

  constructor(o: WebhookOptions) {
    this.name = o.name;
    this.url = o.url;
    this.secret = o.secret;
    this.headers = o.headers ?? {};
    this.timeoutMs = o.timeoutMs;
    this.fetchImpl = o.fetch ?? fetch;
    this.clock = o.clock ?? systemAlertClock;
    // Extra headers usually carry API keys, and many webhook URLs carry a token in the path
    // or query (Discord, Teams, …): all of them are treated as secrets.
    this.secrets = [o.secret, ...Object.values(this.headers), ...urlSecrets(o.url, true)];
  }

  send(n: AlertNotification, body: string, signal: AbortSignal): Promise<DeliveryReceipt> {
    const t = Math.floor(this.clock.nowMs() / 1000);
    return postBody(
      this.fetchImpl,
      this.url,
      body,
      {
        ...this.headers,
        'content-type': 'application/json; charset=utf-8',
        'user-agent': USER_AGENT,
        [ID_HEADER]: n.id,
        [EVENT_HEADER]: n.event,
        [SIGNATURE_HEADER]: signatureHeader(this.secret, t, body),
      },
      signal,
    );
  }
}
