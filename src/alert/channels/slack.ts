import { headline } from '../notification.js';
import { urlSecrets } from '../redact.js';
import type { AlertNotification } from '../types.js';
import type { AlertChannel, DeliveryReceipt } from './channel.js';
import { postBody, type FetchLike } from './http-post.js';
import { USER_AGENT } from './webhook.js';

const SEVERITY_EMOJI: Record<string, string> = { critical: ':rotating_light:', high: ':red_circle:', medium: ':large_orange_diamond:', low: ':white_circle:' };

/** Slack's mrkdwn treats &, < and > as control characters; everything from a leak site is hostile text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Section text is limited to 3000 characters by Slack; stay well under. */
const MAX_SECTION_CHARS = 2800;
const MAX_LISTED_DOCUMENTS = 10;

function clip(text: string): string {
  return text.length <= MAX_SECTION_CHARS ? text : `${text.slice(0, MAX_SECTION_CHARS - 1)}…`;
}

/** Slack-compatible incoming-webhook body: `text` (fallback, notifications) + Block Kit `blocks`. */
export function slackMessage(n: AlertNotification): { text: string; blocks: unknown[] } {
  const a = n.alert;
  const text = `${SEVERITY_EMOJI[a.severity] ?? ''} ${escapeMrkdwn(headline(n))}`.trim();
  const facts = [
    `*Site:* ${escapeMrkdwn(a.site)}`,
    `*Mirror:* \`${escapeMrkdwn(a.mirror)}\``,
    ...(a.post ? [`*Post:* ${escapeMrkdwn(a.post.title)}${a.post.url ? ` — \`${escapeMrkdwn(a.post.url)}\`` : ''}`] : []),
    `*Sample:* \`${escapeMrkdwn(a.sample.url)}\``,
    `*SHA-256:* \`${a.sample.sha256}\``,
    `*First seen:* ${a.firstSeenAt}   *Last seen:* ${a.lastSeenAt} (${a.seenCount}×)`,
  ];
  const docs = a.documents.slice(0, MAX_LISTED_DOCUMENTS).map((d) => `• \`${escapeMrkdwn(d.set)}\` ${escapeMrkdwn(d.document)} — ${d.method} ${d.score.toFixed(2)}`);
  const more = a.documentCount - docs.length;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${a.severity.toUpperCase()} leak alert ${a.id} (case ${a.caseId})`.slice(0, 150) } },
      // Onion URLs are shown as code, never as links: nobody should click through to a leak site.
      { type: 'section', text: { type: 'mrkdwn', text: clip(facts.join('\n')) } },
      { type: 'section', text: { type: 'mrkdwn', text: clip(`*Matched documents (${a.documentCount}):*\n${docs.join('\n')}${more > 0 ? `\n… and ${more} more` : ''}`) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `id \`${n.id}\` · \`leakwatch alerts ack ${a.id}\`` }] },
    ],
  };
}

export class SlackChannel implements AlertChannel {
  readonly type = 'slack' as const;
  readonly name: string;
  readonly timeoutMs: number;
  readonly secrets: readonly string[];
  private readonly url: string;
  private readonly fetchImpl: FetchLike;

  constructor(o: { name: string; url: string; timeoutMs: number; fetch?: FetchLike }) {
    this.name = o.name;
    this.url = o.url;
    this.timeoutMs = o.timeoutMs;
    this.fetchImpl = o.fetch ?? fetch;
    // The token is the URL's path: the whole URL is a secret.
    this.secrets = urlSecrets(o.url, true);
  }

  send(n: AlertNotification, _body: string, signal: AbortSignal): Promise<DeliveryReceipt> {
    return postBody(this.fetchImpl, this.url, JSON.stringify(slackMessage(n)), { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT }, signal);
  }
}
