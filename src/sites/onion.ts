import { createHash } from 'node:crypto';

/**
 * Onion address validation. Existing monitors only count characters; a v3 address carries a
 * checksum, so a typo'd mirror is caught here instead of as a slow Tor failure (0xF6) later.
 * v3 = base32(pubkey(32) ‖ checksum(2) ‖ version(0x03)),
 * checksum = SHA3-256(".onion checksum" ‖ pubkey ‖ version)[:2].
 */

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const V3_LENGTH = 56;
const V2_LENGTH = 16;

export type OnionCheck =
  | { ok: true; label: string }
  | { ok: false; reason: string };

function base32Decode(text: string): Buffer | undefined {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    const index = BASE32_ALPHABET.indexOf(ch);
    if (index < 0) return undefined;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** True when the host ends in `.onion` (any label count, any case). */
export function isOnionHost(host: string): boolean {
  return /\.onion\.?$/i.test(host);
}

/**
 * Checks an `.onion` host name (optionally with subdomains, e.g. `www.<addr>.onion`).
 * The reason never repeats the full address back, only what is wrong with it.
 */
export function checkOnionHost(host: string): OnionCheck {
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (!lower.endsWith('.onion')) return { ok: false, reason: 'not an .onion host' };
  const labels = lower.slice(0, -'.onion'.length).split('.');
  const label = labels[labels.length - 1] ?? '';
  if (label.length === V2_LENGTH && /^[a-z2-7]+$/.test(label)) {
    return { ok: false, reason: 'v2 onion address (16 characters): obsolete since 2021 and unreachable; use the v3 (56-character) address' };
  }
  if (label.length !== V3_LENGTH) {
    return { ok: false, reason: `onion address has ${label.length} characters; a v3 address has 56 (truncated or mistyped?)` };
  }
  const bytes = base32Decode(label);
  if (!bytes) return { ok: false, reason: 'onion address contains characters outside base32 (a-z, 2-7)' };
  const pubkey = bytes.subarray(0, 32);
  const checksum = bytes.subarray(32, 34);
  const version = bytes[34];
  if (version !== 0x03) return { ok: false, reason: `onion address version byte is ${String(version)}, expected 3` };
  const digest = createHash('sha3-256')
    .update(Buffer.from('.onion checksum'))
    .update(pubkey)
    .update(Buffer.from([version]))
    .digest();
  if (!digest.subarray(0, 2).equals(checksum)) {
    return { ok: false, reason: 'onion address checksum does not match (a character is wrong)' };
  }
  return { ok: true, label };
}
