import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed notes (https://c2sp.org/signed-note) carrying tlog checkpoints
 * (https://c2sp.org/tlog-checkpoint), Ed25519 only. Using the format transparency logs use
 * means a checkpoint can be checked with existing tooling (Go's golang.org/x/mod/sumdb/note,
 * transparency-dev) and not only with ours:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n
 *   \n
 *   — <key name> <base64(key id (4 bytes) ‖ Ed25519 signature (64 bytes))>\n
 *
 * key id = SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key)[:4]; the signature covers the text
 * above the blank line, final newline included.
 */

const ED25519_TYPE = 0x01;
const SIG_PREFIX = '\u2014 ';

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

export function ed25519Raw(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url');
}

export function noteKeyId(name: string, publicKey: KeyObject): Buffer {
  return createHash('sha256')
    .update(`${name}\n`)
    .update(Buffer.from([ED25519_TYPE]))
    .update(ed25519Raw(publicKey))
    .digest()
    .subarray(0, 4);
}

/** The "vkey" string Go's note package and C2SP tooling take: name+keyid+base64(type ‖ key). */
export function verifierKey(name: string, publicKey: KeyObject): string {
  const raw = Buffer.concat([Buffer.from([ED25519_TYPE]), ed25519Raw(publicKey)]);
  return `${name}+${noteKeyId(name, publicKey).toString('hex')}+${raw.toString('base64')}`;
}

/** Key names may not contain spaces or '+', and must not be empty (signed-note spec). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

export function checkpointBody(cp: Checkpoint): string {
  if (cp.origin.length === 0 || /[\n\r]/.test(cp.origin)) throw new TypeError('checkpoint origin must be one non-empty line');
  return `${cp.origin}\n${cp.treeSize}\n${cp.rootHash.toString('base64')}\n`;
}

export function parseCheckpointBody(body: string): Checkpoint | undefined {
  const lines = body.split('\n');
  // At least origin, size, hash, then the empty string after the final newline.
  if (lines.length < 4 || lines[lines.length - 1] !== '') return undefined;
  const [origin, sizeText, hashText] = lines as [string, string, string];
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(sizeText)) return undefined;
  const treeSize = Number(sizeText);
  if (!Number.isSafeInteger(treeSize)) return undefined;
  const rootHash = Buffer.from(hashText, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== hashText) return undefined;
  return { origin, treeSize, rootHash };
}

export function signNote(body: string, name: string, privateKey: KeyObject): string {
  if (!body.endsWith('\n')) throw new TypeError('note text must end with a newline');
  if (!isValidKeyName(name)) throw new TypeError(`invalid note key name "${name}"`);
  const publicKey = createPublicKey(privateKey);
  const sig = sign(null, Buffer.from(body, 'utf8'), privateKey);
  const blob = Buffer.concat([noteKeyId(name, publicKey), sig]).toString('base64');
  return `${body}\n${SIG_PREFIX}${name} ${blob}\n`;
}

export function splitNote(text: string): { body: string; signatures: NoteSignature[] } | undefined {
  const cut = text.lastIndexOf('\n\n');
  if (cut < 0 || !text.endsWith('\n')) return undefined;
  const body = text.slice(0, cut + 1);
  const signatures: NoteSignature[] = [];
  for (const line of text.slice(cut + 2, -1).split('\n')) {
    if (!line.startsWith(SIG_PREFIX)) return undefined;
    const [name, blobText, extra] = line.slice(SIG_PREFIX.length).split(' ');
    if (!name || !blobText || extra !== undefined) return undefined;
    const blob = Buffer.from(blobText, 'base64');
    if (blob.length < 5 || blob.toString('base64') !== blobText) return undefined;
    signatures.push({ name, keyId: blob.subarray(0, 4), signature: blob.subarray(4) });
  }
  return signatures.length > 0 ? { body, signatures } : undefined;
}

export type NoteCheck = { ok: true; body: string; checkpoint: Checkpoint } | { ok: false; reason: string };

/** Verifies a signed checkpoint against one trusted key; any other signatures are ignored. */
export function verifyCheckpointNote(text: string, name: string, publicKey: KeyObject): NoteCheck {
  const note = splitNote(text);
  if (!note) return { ok: false, reason: 'not a signed note (malformed text or signature lines)' };
  const checkpoint = parseCheckpointBody(note.body);
  if (!checkpoint) return { ok: false, reason: 'signed note does not hold a checkpoint (origin, tree size, base64 root)' };
  const keyId = noteKeyId(name, publicKey);
  const mine = note.signatures.filter((s) => s.name === name && s.keyId.equals(keyId));
  if (mine.length === 0) return { ok: false, reason: `no signature by key ${name}+${keyId.toString('hex')}` };
  const good = mine.some((s) => s.signature.length === 64 && verify(null, Buffer.from(note.body, 'utf8'), publicKey, s.signature));
  if (!good) return { ok: false, reason: `signature by ${name} does not verify (note altered or signed by another key)` };
  return { ok: true, body: note.body, checkpoint };
}
