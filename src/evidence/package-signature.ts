import { webcrypto, type KeyObject } from 'node:crypto';
import { spkiFingerprint } from './key-store.js';

/**
 * The WACZ "anonymous" signature (wacz-auth spec, as ReplayWeb.page verifies it): ECDSA P-384
 * with SHA-256 over the UTF-8 string `sha256:<hex of datapackage.json>`, raw r‖s (IEEE P1363,
 * what WebCrypto produces), base64; the public key travels as base64 DER SPKI. WebCrypto is
 * used on both sides so the bytes are exactly what the browser verifier expects.
 */

const ECDSA_KEY = { name: 'ECDSA', namedCurve: 'P-384' } as const;
const ECDSA_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function signPackageHash(hash: string, privateKey: KeyObject): Promise<Buffer> {
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const key = await webcrypto.subtle.importKey('pkcs8', pkcs8, ECDSA_KEY, false, ['sign']);
  return Buffer.from(await webcrypto.subtle.sign(ECDSA_SIGN, key, new TextEncoder().encode(hash)));
}

export async function verifyPackageHash(hash: string, signature: Uint8Array, spkiDer: Uint8Array): Promise<boolean> {
  try {
    const key = await webcrypto.subtle.importKey('spki', spkiDer, ECDSA_KEY, false, ['verify']);
    return await webcrypto.subtle.verify(ECDSA_SIGN, key, signature, new TextEncoder().encode(hash));
  } catch {
    return false;
  }
}

export function spkiBase64(publicKey: KeyObject): string {
  return publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
}

export { spkiFingerprint };
