import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

/**
 * Deterministic, genuinely valid v3 onion names for simulated sites. The name is derived from
 * a label (site id + mirror index) only — not from the simulator seed — so the site
 * definitions under sites/sim/ can name their mirrors once and stay valid for every seed.
 *
 * The 32-byte label digest is used as an Ed25519 private-key seed and the real public key is
 * encoded, so the name is not just checksum-valid but a key Tor would accept. Nothing here is
 * ever published or reachable: these hosts exist only in the test SOCKS proxy's map.
 */

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= 0xff;
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** The v3 onion host (`<56 chars>.onion`) for an Ed25519 public key. */
export function onionHostForPublicKey(pubkey: Uint8Array): string {
  if (pubkey.length !== 32) throw new RangeError('an Ed25519 public key has 32 bytes');
  const version = Buffer.from([0x03]);
  const checksum = createHash('sha3-256').update('.onion checksum').update(pubkey).update(version).digest().subarray(0, 2);
  return `${base32Encode(Buffer.concat([pubkey, checksum, version]))}.onion`;
}

/** The onion host of mirror `mirrorIndex` of simulated site `siteId`. */
export function simOnionHost(siteId: string, mirrorIndex = 0): string {
  const seed = createHash('sha256').update(`leakwatch-sim-onion/${siteId}/${mirrorIndex}`).digest();
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return onionHostForPublicKey(spki.subarray(spki.length - 32));
}
