import { createTransport } from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import { headline, plainText } from '../notification.js';
import type { AlertNotification } from '../types.js';
import { DeliveryError, describeError, type AlertChannel, type DeliveryReceipt } from './channel.js';

export interface EmailOptions {
  name: string;
  host: string;
  port: number;
  /** starttls: plain connect, STARTTLS required; tls: TLS from the first byte; none: no TLS (local relay). */
  security: 'starttls' | 'tls' | 'none';
  user?: string;
  pass?: string;
  from: string;
  to: readonly string[];
  subjectPrefix: string;
  timeoutMs: number;
  /** Extra TLS options (tests: a private CA). Certificate checks are never turned off by config. */
  tls?: SMTPTransportOptions['tls'];
}

/** The part of a nodemailer transporter this channel uses; tests can inject one. */
export interface MailTransport {
  sendMail(message: Record<string, unknown>): Promise<{ response?: string; accepted?: unknown[] }>;
  close(): void;
}

function smtpCode(text: string | undefined): number | undefined {
  const m = /^(\d{3})\b/.exec(text ?? '');
  return m ? Number(m[1]) : undefined;
}

export function emailMessage(n: AlertNotification, o: Pick<EmailOptions, 'from' | 'to' | 'subjectPrefix'>): Record<string, unknown> {
  return {
    from: o.from,
    to: [...o.to],
    subject: `${o.subjectPrefix} ${headline(n)}`.trim(),
    text: plainText(n),
    // The same Message-ID on every retry lets mail systems and people drop duplicates.
    messageId: `<${n.id}@leakwatch.invalid>`,
    headers: { 'X-Leakwatch-Id': n.id, 'X-Leakwatch-Event': n.event },
  };
}

export class EmailChannel implements AlertChannel {
  readonly type = 'email' as const;
  readonly name: string;
  readonly timeoutMs: number;
  readonly secrets: readonly string[];
  private readonly options: EmailOptions;
  private transport: MailTransport | undefined;
  private readonly makeTransport: (o: EmailOptions) => MailTransport;

  constructor(o: EmailOptions, makeTransport?: (o: EmailOptions) => MailTransport) {
    this.name = o.name;
    this.timeoutMs = o.timeoutMs;
    this.options = o;
    this.makeTransport = makeTransport ?? defaultTransport;
    // AUTH PLAIN sends base64("\0user\0pass"): that exact form is a secret as well.
    this.secrets = [o.pass, o.user !== undefined && o.pass !== undefined ? `\u0000${o.user}\u0000${o.pass}` : undefined].filter((s): s is string => Boolean(s));
  }

  async send(n: AlertNotification, _body: string, signal: AbortSignal): Promise<DeliveryReceipt> {
    this.transport ??= this.makeTransport(this.options);
    try {
      const info = await this.transport.sendMail({ ...emailMessage(n, this.options), signal });
      const code = smtpCode(info.response);
      return code !== undefined ? { smtpCode: code } : {};
    } catch (err) {
      if (signal.aborted) throw err;
      const e = err as { responseCode?: number; response?: string };
      const code = e.responseCode ?? smtpCode(e.response);
      throw new DeliveryError(`SMTP: ${describeError(err)}`, { ...(code !== undefined ? { smtpCode: code } : {}), cause: err });
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }
}

function defaultTransport(o: EmailOptions): MailTransport {
  const options: SMTPTransportOptions = {
    host: o.host,
    port: o.port,
    secure: o.security === 'tls',
    requireTLS: o.security === 'starttls',
    ignoreTLS: o.security === 'none',
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
    // nodemailer's own logger stays off: it would print the SMTP dialogue, AUTH included.
    logger: false,
    debug: false,
    ...(o.user !== undefined && o.pass !== undefined ? { auth: { user: o.user, pass: o.pass } } : {}),
    ...(o.tls ? { tls: o.tls } : {}),
  };
  return createTransport(options) as unknown as MailTransport;
}
