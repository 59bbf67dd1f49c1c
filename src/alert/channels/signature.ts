import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, Stripe-style: `X-Leakwatch-Signature: t=<unix seconds>,v1=<hex>` where
 * v1 = HMAC-SHA256(secret, "<t>.<raw body>"). The timestamp is inside the MAC so a captured
 * request cannot be replayed later with a fresh time; receivers reject old timestamps and
 * deduplicate on the notification id (the body's `id`, also in X-Leakwatch-Id).
 */

export const SIGNATURE_HEADER = 'X-Leakwatch-Signature';
export const ID_HEADER = 'X-Leakwatch-Id';
export const EVENT_HEADER = 'X-Leakwatch-Event';

/** Receivers should refuse signatures older (or newer) than this. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureHex(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${signatureHex(secret, unixSeconds, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'mismatch' | 'stale' };

/** The receiver's side (also used by the tests' receiver): constant-time, with a time window. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): VerifyResult {
  if (!header) return { ok: false, reason: 'malformed' };
  const fields = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    fields.set(k, [...(fields.get(k) ?? []), part.slice(i + 1).trim()]);
  }
  const t = Number(fields.get('t')?.[0]);
  const candidates = fields.get('v1') ?? [];
  if (!Number.isInteger(t) || candidates.length === 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(signatureHex(secret, t, body), 'hex');
  // Several v1 values are allowed so a receiver can accept old and new secrets during rotation.
  const match = candidates.some((c) => {
    const got = Buffer.from(c, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
  if (!match) return { ok: false, reason: 'mismatch' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp: t };
}
