import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { checkpointDetails, entryHash, entryShapeProblem, GENESIS_PREV, type CustodyEntry } from './custody-entry.js';
import { sha256 } from './digest.js';
import { custodyNoteName, spkiFingerprint } from './key-store.js';
import { MerkleTree, verifyConsistency, verifyInclusion } from './merkle.js';
import { verifyCheckpointNote, type Checkpoint } from './signed-note.js';

/**
 * Offline verification of a custody log: needs only the log text, the custody public key,
 * and optionally the signed head and externally kept checkpoints. Pure: the caller reads files.
 * Every problem is listed (with line and seq), not just the first.
 */

export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** Stable identifier of the check, e.g. `hash-mismatch`, `log-truncated`. */
  check: string;
  message: string;
  line?: number;
}

export interface SignedTreeHead {
  source: string;
  treeSize: number;
  rootHash: string;
  /** Signature valid, and the log's first treeSize entries hash to rootHash. */
  matchesLog: boolean;
}

export interface CaptureInLog {
  seq: number;
  line: number;
  /** Tree head whose inclusion proof for this entry verified, when one covers it. */
  provenBy?: { source: string; treeSize: number };
}

export interface LogVerification {
  ok: boolean;
  entries: number;
  checkpoints: SignedTreeHead[];
  head?: SignedTreeHead;
  external: SignedTreeHead[];
  capture?: CaptureInLog;
  problems: Problem[];
}

export interface VerifyLogInput {
  text: string;
  /** Custody-log public key; without it no checkpoint can be trusted (reported as an error). */
  publicKey?: KeyObject;
  /** Contents of `<log>.head`, or null when that file is missing. Undefined = not checked. */
  head?: string | null;
  /** Checkpoint notes kept elsewhere (mailed to counsel, timestamped), by name. */
  externalCheckpoints?: { source: string; text: string }[];
  /** Require a `capture` entry whose subject is this package SHA-256. */
  packageSha256?: string;
}

interface ParsedLine {
  line: number;
  entry?: CustodyEntry;
  leaf: Buffer;
}

export function verifyCustodyLog(input: VerifyLogInput): LogVerification {
  const problems: Problem[] = [];
  const add = (severity: Severity, check: string, message: string, line?: number): void => {
    problems.push({ severity, check, message, ...(line !== undefined ? { line } : {}) });
  };

  // 1. Lines, and a torn tail reported precisely.
  let body = input.text;
  if (body.length > 0 && !body.endsWith('\n')) {
    const start = body.lastIndexOf('\n') + 1;
    const lineNo = body.slice(0, start).split('\n').length;
    const tornBytes = Buffer.byteLength(body.slice(start), 'utf8');
    add('error', 'torn-tail', `line ${lineNo} (byte offset ${Buffer.byteLength(body.slice(0, start), 'utf8')}, ${tornBytes} bytes) has no terminating newline: an append was interrupted; it is not counted as an entry`, lineNo);
    body = body.slice(0, start);
  }
  const rawLines = body.length ? body.slice(0, -1).split('\n') : [];

  // 2. Each entry: shape, own hash, position (seq), link to the previous entry.
  const parsed: ParsedLine[] = [];
  let expectedSeq = 0;
  let expectedPrev = GENESIS_PREV;
  let lastTs = '';
  rawLines.forEach((raw, i) => {
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      add('error', 'bad-json', `line ${line} is not JSON`, line);
      parsed.push({ line, leaf: sha256(raw) });
      return;
    }
    const shape = entryShapeProblem(value);
    if (shape) {
      add('error', 'bad-entry', `line ${line}: ${shape}`, line);
      parsed.push({ line, leaf: sha256(raw) });
      return;
    }
    const e = value as CustodyEntry;
    const actual = entryHash(e);
    if (actual !== e.hash) add('error', 'hash-mismatch', `line ${line} (seq ${e.seq}): content does not match its hash — the entry was edited`, line);
    if (raw !== canonicalJson(e)) add('warning', 'not-canonical', `line ${line} is not in canonical form (reformatted; its hash covers the canonical form)`, line);
    if (e.seq !== expectedSeq) {
      const why = e.seq > expectedSeq ? `${e.seq - expectedSeq} entr${e.seq - expectedSeq === 1 ? 'y' : 'ies'} missing before it` : 'entries out of order or duplicated';
      add('error', 'seq', `line ${line}: seq ${e.seq}, expected ${expectedSeq} (${why})`, line);
    }
    if (e.prev !== expectedPrev) add('error', 'chain-break', `line ${line} (seq ${e.seq}): prev does not match the hash of the entry before it — an entry was removed, inserted or moved`, line);
    if (lastTs && e.ts < lastTs) add('warning', 'time-backwards', `line ${line} (seq ${e.seq}): ts ${e.ts} is earlier than the entry before it`, line);
    lastTs = e.ts;
    expectedSeq = e.seq + 1;
    expectedPrev = e.hash;
    // The leaf is the hash of what the entry actually says, so checkpoints test the content.
    parsed.push({ line, entry: e, leaf: Buffer.from(actual, 'hex') });
  });

  const tree = new MerkleTree(parsed.map((p) => p.leaf));
  const n = tree.size;
  const key = input.publicKey;
  const name = key ? custodyNoteName(key) : undefined;

  // 3. Signed tree heads: in-log checkpoints, the head file, external copies.
  const checkNote = (note: string, source: string, line?: number): (Checkpoint & { source: string }) | undefined => {
    if (!key || !name) return undefined;
    const r = verifyCheckpointNote(note, name, key);
    if (!r.ok) {
      add('error', 'checkpoint-signature', `${source}: ${r.reason}`, line);
      return undefined;
    }
    if (r.checkpoint.origin !== name) add('error', 'checkpoint-origin', `${source}: origin "${r.checkpoint.origin}" is not this log's (${name})`, line);
    return { ...r.checkpoint, source };
  };
  const matchRoot = (cp: Checkpoint & { source: string }, line?: number): boolean => {
    if (cp.treeSize > n) {
      add('error', 'log-truncated', `${cp.source} is signed for ${cp.treeSize} entries but the log has ${n}: ${cp.treeSize - n} entr${cp.treeSize - n === 1 ? 'y was' : 'ies were'} removed from the end (or the log is not the one signed)`, line);
      return false;
    }
    if (!tree.root(cp.treeSize).equals(cp.rootHash)) {
      add('error', 'root-mismatch', `${cp.source}: the first ${cp.treeSize} entries no longer hash to the signed root — an entry was edited, removed, inserted or reordered, even if the chain was rebuilt`, line);
      return false;
    }
    return true;
  };
  const view = (cp: Checkpoint & { source: string }, matches: boolean): SignedTreeHead => ({ source: cp.source, treeSize: cp.treeSize, rootHash: cp.rootHash.toString('hex'), matchesLog: matches });

  if (!key && (parsed.some((p) => p.entry?.type === 'checkpoint') || input.head || input.externalCheckpoints?.length)) {
    add('error', 'no-key', 'no custody-log public key given (--keys): checkpoints and the signed head cannot be verified');
  }

  const checkpoints: SignedTreeHead[] = [];
  const trusted: (Checkpoint & { source: string })[] = [];
  let previous: (Checkpoint & { source: string }) | undefined;
  parsed.forEach((p, index) => {
    if (p.entry?.type !== 'checkpoint') return;
    const src = `checkpoint at line ${p.line} (seq ${p.entry.seq})`;
    const d = checkpointDetails(p.entry);
    if (!d) {
      add('error', 'checkpoint-details', `${src}: details lack treeSize/rootHash/note/keyFingerprint`, p.line);
      return;
    }
    if (key && d.keyFingerprint !== spkiFingerprint(key)) add('error', 'checkpoint-key', `${src}: signed by key ${d.keyFingerprint.slice(0, 16)}…, not the given custody key`, p.line);
    const cp = checkNote(d.note, src, p.line);
    if (!cp) return;
    if (cp.treeSize !== d.treeSize || cp.rootHash.toString('hex') !== d.rootHash) {
      add('error', 'checkpoint-details', `${src}: treeSize/rootHash fields differ from the signed note`, p.line);
    }
    // A checkpoint commits to the entries before it; one that claims more was moved or entries vanished.
    if (cp.treeSize > index) add('error', 'checkpoint-position', `${src} covers ${cp.treeSize} entries but only ${index} precede it`, p.line);
    const matches = matchRoot(cp, p.line);
    checkpoints.push(view(cp, matches));
    if (previous) checkConsistency(previous, cp, p.line);
    previous = cp;
    if (matches) trusted.push(cp);
  });

  function checkConsistency(a: Checkpoint & { source: string }, b: Checkpoint & { source: string }, line?: number): void {
    if (b.treeSize < a.treeSize) {
      add('error', 'consistency', `${b.source} (size ${b.treeSize}) is smaller than the earlier ${a.source} (size ${a.treeSize})`, line);
      return;
    }
    if (a.treeSize === 0 || b.treeSize > n) return;
    // The proof comes from the log as it is now; it verifies only if both signed roots describe it.
    const proof = tree.consistencyProof(a.treeSize, b.treeSize);
    if (!verifyConsistency(a.treeSize, b.treeSize, a.rootHash, b.rootHash, proof)) {
      add('error', 'consistency', `${b.source} is not an append-only extension of ${a.source} as the log stands`, line);
    }
  }

  let head: SignedTreeHead | undefined;
  if (input.head === null && n > 0) {
    add('error', 'head-missing', 'the signed head (<log>.head) is missing: removal of the last entries cannot be ruled out');
  } else if (typeof input.head === 'string') {
    const cp = checkNote(input.head, 'signed head');
    if (cp) {
      const matches = matchRoot(cp);
      head = view(cp, matches);
      if (matches) trusted.push(cp);
      if (previous && cp.treeSize >= previous.treeSize) checkConsistency(previous, cp);
      if (cp.treeSize < n) add('warning', 'head-behind', `signed head covers ${cp.treeSize} of ${n} entries (an append finished after the head was last written)`);
    }
  }

  const external: SignedTreeHead[] = [];
  for (const ext of input.externalCheckpoints ?? []) {
    const cp = checkNote(ext.text, ext.source);
    if (!cp) continue;
    const matches = matchRoot(cp);
    external.push(view(cp, matches));
    if (matches) trusted.push(cp);
  }

  // 4. The package's capture entry, with an inclusion proof against a signed tree head.
  let capture: CaptureInLog | undefined;
  if (input.packageSha256) {
    const index = parsed.findIndex((p) => p.entry?.type === 'capture' && p.entry.subject === input.packageSha256);
    const found = parsed[index];
    if (!found?.entry) {
      add('error', 'capture-missing', `no capture entry for package ${input.packageSha256} in the log`);
    } else {
      capture = { seq: found.entry.seq, line: found.line };
      const covering = trusted.filter((cp) => cp.treeSize > index).sort((a, b) => a.treeSize - b.treeSize)[0];
      if (!covering) {
        add('warning', 'capture-unproven', `capture entry (line ${found.line}) is not yet covered by a signed checkpoint or head`, found.line);
      } else if (verifyInclusion(index, covering.treeSize, found.leaf, tree.inclusionProof(index, covering.treeSize), covering.rootHash)) {
        capture.provenBy = { source: covering.source, treeSize: covering.treeSize };
      } else {
        add('error', 'capture-inclusion', `capture entry (line ${found.line}) is not included in ${covering.source}`, found.line);
      }
    }
  }

  return {
    ok: !problems.some((p) => p.severity === 'error'),
    entries: n,
    checkpoints,
    ...(head ? { head } : {}),
    external,
    ...(capture ? { capture } : {}),
    problems,
  };
}
