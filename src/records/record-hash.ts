import { createCipheriv, createHmac } from 'node:crypto';
import { endianness } from 'node:os';
import type { FingerprintKeys } from '../fingerprint/keys.js';
import { fmix32 } from '../fingerprint/hash32.js';
import { keyValues } from '../fingerprint/winnow.js';

const TWO32 = 0x100000000;
const LITTLE_ENDIAN = endianness() === 'LE';
import type { Field } from './kinds.js';

/**
 * Keyed hashes of normalised cell values. Dates of birth, phone numbers and NHIs are small
 * spaces that a bare hash would give away to a dictionary; with the store's secret key the
 * database alone reveals nothing.
 *
 * Two steps, for speed (a dump scan hashes millions of candidates): a fast 52-bit hash with
 * secret seeds, then AES-128 as a PRF over it in one batch (the same construction the winnowing
 * tier uses). Both sub-keys are derived from the store's text key under their own label, so
 * record hashes say nothing about the document tiers' values.
 */
export class RecordHasher {
  private readonly seedA: number;
  private readonly seedB: number;
  private readonly prfKey: Buffer;

  /** Only the store's text key is used (a scanning thread is given just that). */
  constructor(keys: Pick<FingerprintKeys, 'textKey'>) {
    const sub = createHmac('sha256', keys.textKey).update('leakwatch/v1/records').digest();
    this.prfKey = sub.subarray(0, 16);
    this.seedA = sub.readUInt32LE(16);
    this.seedB = sub.readUInt32LE(20);
  }

  /** The unkeyed-step hash of `field` + value (fast; call keyAll on a batch of these). */
  raw(field: Field, value: string): number {
    let a = this.seedA ^ field.length;
    let b = this.seedB;
    const tag = field.charCodeAt(0) * 31 + field.charCodeAt(1);
    a = Math.imul(a ^ tag, 0x01000193);
    b = Math.imul((b << 5) | (b >>> 27), 0x9e3779b1) ^ tag;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul((b << 5) | (b >>> 27), 0x9e3779b1) ^ c;
    }
    a = fmix32((a ^ value.length) >>> 0);
    b = fmix32((b ^ Math.imul(value.length, 0x85ebca6b)) >>> 0);
    // 52 bits: exact in a double, and what keyValues takes.
    return (b & 0xfffff) * 0x100000000 + a;
  }

  /** The stored (keyed) values of a batch of raw hashes. */
  keyAll(raw: Float64Array): Float64Array {
    // Same values as keyValues (src/fingerprint/winnow.ts), through typed-array views instead of
    // per-value Buffer calls: this runs on every candidate of a dump scan.
    if (!LITTLE_ENDIAN) return keyValues(raw, this.prfKey);
    const n = raw.length;
    if (n === 0) return new Float64Array(0);
    const input = new Uint32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const v = raw[i] as number;
      input[i * 4] = v % TWO32;
      input[i * 4 + 1] = Math.floor(v / TWO32);
    }
    const cipher = createCipheriv('aes-128-ecb', this.prfKey, null);
    cipher.setAutoPadding(false);
    let enc: Uint8Array = Buffer.concat([cipher.update(new Uint8Array(input.buffer)), cipher.final()]);
    if (enc.byteOffset % 4 !== 0) enc = Uint8Array.from(enc);
    const words = new Uint32Array(enc.buffer, enc.byteOffset, n * 4);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = ((words[i * 4 + 1] as number) & 0xfffff) * TWO32 + (words[i * 4] as number);
    return out;
  }

  /** One value, keyed (tests and small inputs; batches are much faster). */
  hash(field: Field, value: string): number {
    return this.keyAll(Float64Array.of(this.raw(field, value)))[0] as number;
  }
}
