import { canonicalJson } from './canonical-json.js';
import { HEX64, sha256Hex } from './digest.js';

/**
 * One custody-log line. `hash` = SHA-256 of the canonical JSON (RFC 8785 key order, no
 * whitespace) of the entry without `hash`; `prev` = the previous entry's hash, so editing,
 * removing or moving any entry breaks every link after it. The Merkle leaf of an entry is
 * its 32-byte hash, so checkpoints commit to the same values the chain does.
 */

export const CUSTODY_TYPES = ['capture', 'alert', 'export', 'access', 'takedown', 'checkpoint'] as const;
export type CustodyEventType = (typeof CUSTODY_TYPES)[number];

/** `prev` of the first entry. */
export const GENESIS_PREV = '0'.repeat(64);

export interface CustodyEntry {
  seq: number;
  prev: string;
  /** ISO 8601 UTC, from the writer's clock (not independently trusted: see checkpoints' timestamps). */
  ts: string;
  type: CustodyEventType;
  /** What the event is about: package SHA-256, alert id, sample id, tree root… */
  subject: string;
  /** Who: operator name, service account, or the process (e.g. "crawler"). */
  actor: string;
  details: Record<string, unknown>;
  hash: string;
}

export type UnsignedEntry = Omit<CustodyEntry, 'hash'>;

export interface CustodyEvent {
  type: Exclude<CustodyEventType, 'checkpoint'>;
  subject: string;
  actor: string;
  details?: Record<string, unknown>;
}

export function entryHash(entry: UnsignedEntry): string {
  const { seq, prev, ts, type, subject, actor, details } = entry;
  return sha256Hex(canonicalJson({ seq, prev, ts, type, subject, actor, details }));
}

export function sealEntry(entry: UnsignedEntry): CustodyEntry {
  return { ...entry, hash: entryHash(entry) };
}

/** The exact line written to the log (newline included). */
export function entryLine(entry: CustodyEntry): string {
  return canonicalJson(entry) + '\n';
}

export function leafOf(hashHex: string): Buffer {
  return Buffer.from(hashHex, 'hex');
}

const ENTRY_KEYS = ['actor', 'details', 'hash', 'prev', 'seq', 'subject', 'ts', 'type'];

/** Structural check of a parsed line; returns what is wrong, or undefined when the shape is right. */
export function entryShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  const missing = ENTRY_KEYS.filter((k) => !(k in o));
  if (missing.length) return `missing field(s): ${missing.join(', ')}`;
  const extra = keys.filter((k) => !ENTRY_KEYS.includes(k));
  if (extra.length) return `unexpected field(s): ${extra.join(', ')}`;
  if (!Number.isSafeInteger(o.seq) || (o.seq as number) < 0) return 'seq is not a non-negative integer';
  if (typeof o.prev !== 'string' || !HEX64.test(o.prev)) return 'prev is not a SHA-256 hex value';
  if (typeof o.hash !== 'string' || !HEX64.test(o.hash)) return 'hash is not a SHA-256 hex value';
  if (typeof o.ts !== 'string' || Number.isNaN(Date.parse(o.ts))) return 'ts is not a date';
  if (typeof o.type !== 'string' || !(CUSTODY_TYPES as readonly string[]).includes(o.type)) return `type "${String(o.type)}" is not one of ${CUSTODY_TYPES.join('|')}`;
  if (typeof o.subject !== 'string') return 'subject is not a string';
  if (typeof o.actor !== 'string' || o.actor.length === 0) return 'actor is empty';
  if (typeof o.details !== 'object' || o.details === null || Array.isArray(o.details)) return 'details is not an object';
  return undefined;
}

export interface CheckpointDetails {
  treeSize: number;
  rootHash: string;
  note: string;
  keyFingerprint: string;
}

export function checkpointDetails(entry: CustodyEntry): CheckpointDetails | undefined {
  const d = entry.details;
  if (typeof d.treeSize !== 'number' || typeof d.rootHash !== 'string' || typeof d.note !== 'string' || typeof d.keyFingerprint !== 'string') return undefined;
  return { treeSize: d.treeSize, rootHash: d.rootHash, note: d.note, keyFingerprint: d.keyFingerprint };
}
