import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { FatalError } from '../errors.js';
import { MASTER_KEY_BYTES } from '../fingerprint/keys.js';

/**
 * Where the fingerprint store's secret key lives. It is kept apart from the database on
 * purpose: a copy of `fingerprints/` alone (a backup, a shared drive) then reveals nothing,
 * since every text-derived value in it is a keyed hash.
 *
 * Order: an explicit key file; LEAKWATCH_FINGERPRINT_KEY (64 hex digits);
 * LEAKWATCH_FINGERPRINT_KEY_FILE; the default `$XDG_CONFIG_HOME/leakwatch/fingerprint-<store id>.key`.
 */
export interface KeyLocation {
  keyFile?: string;
  env: NodeJS.ProcessEnv;
}

export function defaultKeyPath(storeId: string, env: NodeJS.ProcessEnv): string {
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(configHome, 'leakwatch', `fingerprint-${storeId}.key`);
}

function parseKey(text: string, source: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new FatalError('E_STORE_KEY', `${source} does not hold a ${MASTER_KEY_BYTES}-byte key as 64 hex digits`);
  }
  return Buffer.from(hex, 'hex');
}

export interface ResolvedKey {
  key: Buffer;
  /** Where it came from, for messages (never the key itself). */
  source: string;
  created: boolean;
}

/** Finds the key; when `create` is set and no key exists yet, makes one (file mode 0600). */
export function resolveKey(storeId: string, loc: KeyLocation, create: boolean): ResolvedKey {
  if (!loc.keyFile && loc.env.LEAKWATCH_FINGERPRINT_KEY) {
    return { key: parseKey(loc.env.LEAKWATCH_FINGERPRINT_KEY, 'LEAKWATCH_FINGERPRINT_KEY'), source: 'LEAKWATCH_FINGERPRINT_KEY', created: false };
  }
  const file = loc.keyFile || loc.env.LEAKWATCH_FINGERPRINT_KEY_FILE || defaultKeyPath(storeId, loc.env);
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new FatalError('E_STORE_KEY', `cannot read fingerprint key file ${file}`, { cause: err });
    }
    return { key: parseKey(text, file), source: file, created: false };
  }
  if (!create) {
    throw new FatalError(
      'E_STORE_KEY',
      `fingerprint key not found at ${file}; pass --key-file or set LEAKWATCH_FINGERPRINT_KEY_FILE to where the key of this store is kept`,
    );
  }
  const key = randomBytes(MASTER_KEY_BYTES);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, source: file, created: true };
}
