import { RetryableError } from '../../errors.js';
import type { AlertNotification } from '../types.js';

export type ChannelType = 'webhook' | 'slack' | 'email' | 'log';

/** What a receiver said when it accepted a notification. */
export interface DeliveryReceipt {
  httpStatus?: number;
  smtpCode?: number;
}

/**
 * A failed delivery. Always retryable from the outbox's point of view: even a 4xx or a 5xx
 * SMTP reply (wrong URL, bad credentials) can be fixed in config while the row waits, and
 * dropping a notification is the one thing the outbox must never do.
 */
export class DeliveryError extends RetryableError {
  readonly httpStatus: number | undefined;
  readonly smtpCode: number | undefined;

  constructor(message: string, options: { httpStatus?: number; smtpCode?: number; cause?: unknown } = {}) {
    super('E_NETWORK', message, { cause: options.cause });
    this.httpStatus = options.httpStatus;
    this.smtpCode = options.smtpCode;
  }
}

/**
 * One configured destination. Channels are built from config by from-config.ts (or by tests)
 * and handed to deliverPending; they hold secrets, the outbox holds only their names.
 */
export interface AlertChannel {
  readonly name: string;
  readonly type: ChannelType;
  /** Budget of one attempt; the outbox aborts the signal when it runs out. */
  readonly timeoutMs: number;
  /** Values that must never be written anywhere (redacted from every error text). */
  readonly secrets: readonly string[];
  /**
   * Delivers one notification or throws (DeliveryError, or anything else: the outbox treats
   * every throw as a failed attempt). `body` is the stored JSON, byte-identical on every retry.
   */
  send(notification: AlertNotification, body: string, signal: AbortSignal): Promise<DeliveryReceipt>;
  close?(): Promise<void> | void;
}

/** Message of an error and its causes ("fetch failed: connect ECONNREFUSED …"). */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg && !parts.includes(msg)) parts.push(msg);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': ') || 'unknown error';
}
