import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { PASSWORD_HASH_RE } from '../config/schema.js';

/**
 * Password hashes for `web.users[]`: scrypt (node:crypto), stored as
 * `scrypt$N$r$p$<salt>$<hash>` so the cost can be raised later without breaking old hashes.
 * N = 2^15, r = 8 takes ~32 MiB and tens of milliseconds: slow for a guesser, fine for a login.
 */

const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes, plus headroom.
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost.N, cost.r, cost.p);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** False for a wrong password or a malformed hash; constant-time comparison of the keys. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!PASSWORD_HASH_RE.test(stored)) return false;
  const [, n, r, p, salt, key] = stored.split('$') as [string, string, string, string, string, string];
  const want = Buffer.from(key, 'base64');
  const N = Number(n);
  // A hand-edited hash with absurd parameters must not stall the server or eat its memory.
  if (!Number.isSafeInteger(N) || N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || Number(r) > 32 || Number(p) > 16 || want.length !== KEY_BYTES) return false;
  const got = await derive(password, Buffer.from(salt, 'base64'), N, Number(r), Number(p));
  return timingSafeEqual(got, want);
}

/** A hash to compare against when the user does not exist, so timing does not reveal names. */
export const DUMMY_HASH = `scrypt$${DEFAULT_COST.N}$${DEFAULT_COST.r}$${DEFAULT_COST.p}$${Buffer.alloc(SALT_BYTES).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;
