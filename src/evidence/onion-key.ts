import { checkOnionHost, isOnionHost } from '../sites/onion.js';

/**
 * Over Tor a remote IP means nothing; what identifies the server is the onion address, which
 * for v3 *is* its Ed25519 public key: base32(pubkey(32) ‖ checksum(2) ‖ 0x03). The package
 * records the decoded key so the capture names the service cryptographically.
 */

export interface OnionIdentity {
  host: string;
  /** The 56-character v3 label. */
  address: string;
  version: 3;
  /** The service's Ed25519 identity key, hex. */
  publicKeyEd25519: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = ((value << 5) | ALPHABET.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The identity of a valid v3 onion host, else undefined (clearnet host, v2, bad checksum). */
export function onionIdentity(url: string): OnionIdentity | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  if (!isOnionHost(host)) return undefined;
  const check = checkOnionHost(host);
  if (!check.ok) return undefined;
  return { host, address: check.label, version: 3, publicKeyEd25519: base32Decode(check.label).subarray(0, 32).toString('hex') };
}
