import type { IncomingMessage } from 'node:http';
import { InputError } from '../errors.js';

/** Request helpers: a size-capped form body, and whether an address is loopback. */

export const MAX_FORM_BYTES = 16 * 1024;

/** Parses an application/x-www-form-urlencoded body of at most `maxBytes`. */
export async function readForm(req: IncomingMessage, maxBytes = MAX_FORM_BYTES): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new InputError('E_USAGE', 'expected a form (application/x-www-form-urlencoded)');
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw new InputError('E_TOO_LARGE', `form body larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::ffff:127.0.0.1';
}

/** Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d. */
export function normaliseAddress(addr: string | undefined): string {
  if (!addr) return '';
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}
