import { createHmac } from 'node:crypto';

/**
 * Everything text-derived in the store is keyed by one secret (32 random bytes) kept outside
 * the database. Short shingles, cells and identifiers hashed bare could be brute-forced from a
 * dictionary; with a key, the store alone reveals nothing about the stolen text.
 *
 * From the master key we derive independent sub-keys, so one tier's values say nothing about
 * another's.
 */
export interface FingerprintKeys {
  /** HMAC-SHA-256 key for whole-text and per-page hashes. */
  textKey: Buffer;
  /** AES-128 key: the PRF applied to every winnowing fingerprint before it is stored. */
  winnowKey: Buffer;
  /** Secret seeds of the fast token hash (two 32-bit lanes), which all shingles build on. */
  tokenSeeds: Uint32Array;
  /** Public identifier of the key (not secret): lets a store detect that the wrong key is in use. */
  keyId: string;
}

export const MASTER_KEY_BYTES = 32;

function derive(master: Uint8Array, label: string): Buffer {
  return createHmac('sha256', master).update(`leakwatch/v1/${label}`).digest();
}

export function deriveKeys(master: Uint8Array): FingerprintKeys {
  if (master.length !== MASTER_KEY_BYTES) {
    throw new RangeError(`fingerprint key must be ${MASTER_KEY_BYTES} bytes, got ${master.length}`);
  }
  const seeds = derive(master, 'token-seeds');
  return {
    textKey: derive(master, 'text'),
    winnowKey: derive(master, 'winnow').subarray(0, 16),
    tokenSeeds: new Uint32Array([seeds.readUInt32LE(0), seeds.readUInt32LE(4), seeds.readUInt32LE(8), seeds.readUInt32LE(12)]),
    keyId: derive(master, 'key-id').subarray(0, 8).toString('hex'),
  };
}
