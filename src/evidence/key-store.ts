import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError } from '../errors.js';
import { verifierKey } from './signed-note.js';

/**
 * The evidence keys, one folder (default `<dataDir>/keys`, mode 0700):
 *
 *   package-signing.key      ECDSA P-384 private key (PKCS#8 PEM, 0600) — signs WACZ packages
 *   package-signing.pub.pem  its public key (SPKI PEM) — give to counsel
 *   custody-log.key          Ed25519 private key (PKCS#8 PEM, 0600) — signs custody-log checkpoints
 *   custody-log.pub.pem      its public key
 *   vault.key                AES-256 key, 64 hex digits (0600) — encrypts stored samples
 *
 * Private keys never go into packages or logs; only fingerprints (SHA-256 of the SPKI DER) do.
 */

export const KEY_FILES = {
  signingPrivate: 'package-signing.key',
  signingPublic: 'package-signing.pub.pem',
  custodyPrivate: 'custody-log.key',
  custodyPublic: 'custody-log.pub.pem',
  vault: 'vault.key',
} as const;

export const VAULT_KEY_ENV = 'LEAKWATCH_VAULT_KEY';
export const VAULT_KEY_BYTES = 32;

export function defaultKeyDir(dataDir: string): string {
  return join(dataDir, 'keys');
}

export type KeyRole = 'package-signing' | 'custody-log';

export interface PublicKeyInfo {
  role: KeyRole;
  algorithm: 'ECDSA P-384' | 'Ed25519';
  /** SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex: what to read out over the phone. */
  fingerprint: string;
  pem: string;
  /** For the custody key: the C2SP note verifier key (checkpoints can be checked with Go's note package). */
  noteVerifierKey?: string;
}

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  fingerprint: string;
}

export function spkiFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex');
}

/**
 * Checkpoint origin and note key name, derived from the custody key so a verifier needs
 * nothing but the public key to know which name to expect.
 */
export function custodyNoteName(publicKey: KeyObject): string {
  return `leakwatch-custody-${spkiFingerprint(publicKey).slice(0, 16)}`;
}

function writeSecret(path: string, text: string): void {
  // 'wx' refuses to replace an existing key; the mode is set at creation so the secret is
  // never readable by others, even for a moment, and re-applied in case umask widened it.
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, 0o600);
}

function writePublic(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface InitKeysResult {
  dir: string;
  files: string[];
  publicKeys: PublicKeyInfo[];
  warnings: string[];
}

/** Creates all evidence keys; refuses (E_KEY_EXISTS) if any of them is already there. */
export function initKeys(dir: string): InitKeysResult {
  const existing = Object.values(KEY_FILES).filter((f) => existsSync(join(dir, f)));
  if (existing.length > 0) {
    throw new FatalError('E_KEY_EXISTS', `${dir} already holds ${existing.join(', ')}; refusing to overwrite keys (packages and logs signed with them would no longer verify)`);
  }
  const warnings: string[] = [];
  if (existsSync(dir)) {
    const mode = statSync(dir).mode & 0o777;
    if (mode & 0o077) warnings.push(`${dir} is accessible to other users (mode ${mode.toString(8)}); it should be 0700`);
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
  const signing = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const custody = generateKeyPairSync('ed25519');
  const files: string[] = [];
  const put = (name: string, text: string, secret: boolean): void => {
    const p = join(dir, name);
    if (secret) writeSecret(p, text);
    else writePublic(p, text);
    files.push(p);
  };
  put(KEY_FILES.signingPrivate, signing.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, true);
  put(KEY_FILES.signingPublic, signing.publicKey.export({ format: 'pem', type: 'spki' }) as string, false);
  put(KEY_FILES.custodyPrivate, custody.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, true);
  put(KEY_FILES.custodyPublic, custody.publicKey.export({ format: 'pem', type: 'spki' }) as string, false);
  put(KEY_FILES.vault, randomBytes(VAULT_KEY_BYTES).toString('hex') + '\n', true);
  return { dir, files, publicKeys: describePublicKeys(signing.publicKey, custody.publicKey), warnings };
}

function describePublicKeys(signing: KeyObject | undefined, custody: KeyObject | undefined): PublicKeyInfo[] {
  const out: PublicKeyInfo[] = [];
  if (signing) {
    out.push({ role: 'package-signing', algorithm: 'ECDSA P-384', fingerprint: spkiFingerprint(signing), pem: signing.export({ format: 'pem', type: 'spki' }) as string });
  }
  if (custody) {
    out.push({
      role: 'custody-log',
      algorithm: 'Ed25519',
      fingerprint: spkiFingerprint(custody),
      pem: custody.export({ format: 'pem', type: 'spki' }) as string,
      noteVerifierKey: verifierKey(custodyNoteName(custody), custody),
    });
  }
  return out;
}

function readKeyFile(dir: string, name: string, what: string): string {
  const p = join(dir, name);
  if (!existsSync(p)) throw new FatalError('E_KEY_MISSING', `${what} not found at ${p}; create keys with "leakwatch keys init" or pass --keys/--dir`);
  try {
    return readFileSync(p, 'utf8');
  } catch (err) {
    throw new FatalError('E_KEY_MISSING', `cannot read ${what} at ${p}`, { cause: err });
  }
}

function checkCurve(key: KeyObject, what: string): void {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType !== 'ec' || d?.namedCurve !== 'secp384r1') throw new FatalError('E_KEY_MISSING', `${what} is not an ECDSA P-384 key`);
}

function checkEd25519(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new FatalError('E_KEY_MISSING', `${what} is not an Ed25519 key`);
}

export function loadSigningKey(dir: string): KeyPair {
  const privateKey = createPrivateKey(readKeyFile(dir, KEY_FILES.signingPrivate, 'package-signing private key'));
  checkCurve(privateKey, 'package-signing key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: spkiFingerprint(publicKey) };
}

export function loadCustodyKey(dir: string): KeyPair {
  const privateKey = createPrivateKey(readKeyFile(dir, KEY_FILES.custodyPrivate, 'custody-log private key'));
  checkEd25519(privateKey, 'custody-log key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: spkiFingerprint(publicKey) };
}

export interface PublicKeys {
  packageSigning?: KeyObject;
  custodyLog?: KeyObject;
}

/** Public keys from a folder (what `keys export --out` writes, or the key folder itself). */
export function loadPublicKeys(dir: string): PublicKeys {
  const out: PublicKeys = {};
  const signing = join(dir, KEY_FILES.signingPublic);
  const custody = join(dir, KEY_FILES.custodyPublic);
  if (existsSync(signing)) {
    out.packageSigning = createPublicKey(readFileSync(signing, 'utf8'));
    checkCurve(out.packageSigning, signing);
  }
  if (existsSync(custody)) {
    out.custodyLog = createPublicKey(readFileSync(custody, 'utf8'));
    checkEd25519(out.custodyLog, custody);
  }
  if (!out.packageSigning && !out.custodyLog) {
    throw new FatalError('E_KEY_MISSING', `no public keys in ${dir} (expected ${KEY_FILES.signingPublic} and/or ${KEY_FILES.custodyPublic})`);
  }
  return out;
}

export function exportPublicKeys(dir: string): PublicKeyInfo[] {
  const keys = loadPublicKeys(dir);
  return describePublicKeys(keys.packageSigning, keys.custodyLog);
}

/** Writes the public half (PEM files and a JSON summary) to `outDir`, for counsel. */
export function writePublicKeys(dir: string, outDir: string): string[] {
  const infos = exportPublicKeys(dir);
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const info of infos) {
    const name = info.role === 'package-signing' ? KEY_FILES.signingPublic : KEY_FILES.custodyPublic;
    const p = join(outDir, name);
    if (existsSync(p) && readFileSync(p, 'utf8') === info.pem) continue;
    writePublic(p, info.pem);
    written.push(p);
  }
  const summary = join(outDir, 'public-keys.json');
  const text = JSON.stringify({ keys: infos }, null, 2) + '\n';
  if (!existsSync(summary) || readFileSync(summary, 'utf8') !== text) {
    if (existsSync(summary)) throw new FatalError('E_KEY_EXISTS', `${summary} exists and describes other keys; choose another --out folder`);
    writePublic(summary, text);
    written.push(summary);
  }
  return written;
}

export interface VaultKey {
  key: Buffer;
  /** Where it came from, for messages (never the key itself). */
  source: string;
  /** First 8 bytes of SHA-256("leakwatch vault key" ‖ key), hex: tells keys apart without revealing them. */
  keyId: string;
}

export function vaultKeyId(key: Buffer): string {
  return createHash('sha256').update('leakwatch vault key\n').update(key).digest('hex').slice(0, 16);
}

function parseVaultKey(text: string, source: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new FatalError('E_VAULT_KEY', `${source} does not hold a 32-byte key as 64 hex digits`);
  return Buffer.from(hex, 'hex');
}

/** The vault key from $LEAKWATCH_VAULT_KEY (64 hex digits), else `<keysDir>/vault.key`. */
export function loadVaultKey(dir: string, env: NodeJS.ProcessEnv = {}): VaultKey {
  const fromEnv = env[VAULT_KEY_ENV];
  if (fromEnv) {
    const key = parseVaultKey(fromEnv, VAULT_KEY_ENV);
    return { key, source: VAULT_KEY_ENV, keyId: vaultKeyId(key) };
  }
  const p = join(dir, KEY_FILES.vault);
  if (!existsSync(p)) throw new FatalError('E_VAULT_KEY', `vault key not found at ${p} and ${VAULT_KEY_ENV} is not set`);
  const key = parseVaultKey(readFileSync(p, 'utf8'), p);
  return { key, source: p, keyId: vaultKeyId(key) };
}
