import { createHmac } from 'node:crypto';

/** Texts shorter than this (normalised characters) are too generic for the whole-text tier. */
export const TEXT_HASH_MIN_CHARS = 50;

/** Keyed hash (HMAC-SHA-256, 128 bits kept) of a normalised text, or undefined when too short. */
export function textHash(normalised: string, key: Uint8Array): string | undefined {
  if (normalised.length < TEXT_HASH_MIN_CHARS) return undefined;
  return createHmac('sha256', key).update(normalised, 'utf8').digest('hex').slice(0, 32);
}
