import { existsSync, mkdirSync, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FatalError } from '../errors.js';
import { appendDurable, fsyncDir, writeFileAtomic } from './atomic-file.js';
import {
  entryHash, entryLine, entryShapeProblem, GENESIS_PREV, leafOf, sealEntry,
  type CustodyEntry, type CustodyEvent, type UnsignedEntry,
} from './custody-entry.js';
import { withFileLock } from './file-lock.js';
import { custodyNoteName, type KeyPair } from './key-store.js';
import { MerkleAccumulator } from './merkle.js';
import { checkpointBody, signNote } from './signed-note.js';
import { createTimestampRequest } from './timestamp-request.js';

/**
 * The append-only, hash-chained custody log (JSONL) and its writer.
 *
 * Concurrency: one writer at a time, across processes, through an exclusive lock file
 * (`<log>.lock`, O_EXCL) taken for each append; within a process appends are queued. Each
 * entry is one write() on an O_APPEND descriptor followed by fsync, so a crash can at worst
 * leave a torn last line (no newline) — which the writer refuses to build on and `verify`
 * reports by line and byte offset. Before appending, the writer reads whatever other
 * processes appended since its last look and checks their chain, so it never forks the log.
 *
 * After every append it rewrites `<log>.head`, an Ed25519-signed checkpoint of the whole log:
 * deleting the last entries then shows as a log shorter than its signed head. Every
 * `checkpointEvery` entries it also appends a `checkpoint` entry (the signed note inside the
 * log), optionally copied with an RFC 3161 request to `checkpointsDir` for external anchoring.
 */

export interface CustodyLogOptions {
  /** Ed25519 custody key (`loadCustodyKey`). */
  key: KeyPair;
  clock?: () => Date;
  /** Non-checkpoint entries between automatic checkpoints; 0 = only explicit `checkpoint()`. */
  checkpointEvery?: number;
  /** Also write each checkpoint as `checkpoint-<size>.note` (+ `.tsq`) here. */
  checkpointsDir?: string;
  /** Default `<log>.head`. */
  headPath?: string;
  lockTimeoutMs?: number;
  /** Actor recorded on automatic checkpoint entries. */
  actor?: string;
}

export const DEFAULT_CHECKPOINT_EVERY = 32;

interface LogState {
  /** Bytes of the log already read and checked. */
  offset: number;
  nextSeq: number;
  lastHash: string;
  sinceCheckpoint: number;
  tree: MerkleAccumulator;
}

export function headPathFor(logPath: string): string {
  return `${logPath}.head`;
}

export class CustodyLog {
  readonly path: string;
  readonly headPath: string;
  readonly noteName: string;
  private readonly opts: CustodyLogOptions;
  private readonly clock: () => Date;
  private state: LogState = { offset: 0, nextSeq: 0, lastHash: GENESIS_PREV, sinceCheckpoint: 0, tree: new MerkleAccumulator() };
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, opts: CustodyLogOptions) {
    if (opts.key.privateKey.asymmetricKeyType !== 'ed25519') throw new FatalError('E_KEY_MISSING', 'the custody log needs the Ed25519 custody-log key');
    this.path = path;
    this.opts = opts;
    this.clock = opts.clock ?? (() => new Date());
    this.headPath = opts.headPath ?? headPathFor(path);
    this.noteName = custodyNoteName(opts.key.publicKey);
  }

  /** Opens (creating the folder if needed); nothing is read until the first append. */
  static open(path: string, opts: CustodyLogOptions): CustodyLog {
    const dir = dirname(path);
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      fsyncDir(dirname(dir));
    }
    return new CustodyLog(path, opts);
  }

  /** Entries in the log as of the last append or read by this writer. */
  get size(): number {
    return this.state.nextSeq;
  }

  append(event: CustodyEvent, opts: { signal?: AbortSignal } = {}): Promise<CustodyEntry> {
    if ((event.type as string) === 'checkpoint') throw new FatalError('E_USAGE', 'checkpoint entries are written by checkpoint()');
    if (!event.actor) throw new FatalError('E_USAGE', 'a custody entry needs an actor');
    return this.serialized(opts.signal, () => {
      const entry = this.writeEntry({ type: event.type, subject: event.subject, actor: event.actor, details: event.details ?? {} });
      const every = this.opts.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
      if (every > 0 && this.state.sinceCheckpoint >= every) this.writeCheckpoint();
      this.writeHead();
      return entry;
    });
  }

  /** Appends a signed checkpoint over every entry so far (e.g. at the end of a crawl run). */
  checkpoint(opts: { signal?: AbortSignal } = {}): Promise<CustodyEntry> {
    return this.serialized(opts.signal, () => {
      const entry = this.writeCheckpoint();
      this.writeHead();
      return entry;
    });
  }

  private serialized<T>(signal: AbortSignal | undefined, fn: () => T): Promise<T> {
    const run = async (): Promise<T> =>
      withFileLock(
        `${this.path}.lock`,
        () => {
          this.catchUp();
          return fn();
        },
        { timeoutMs: this.opts.lockTimeoutMs ?? 10_000, ...(signal ? { signal } : {}) },
      );
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Reads and checks what was appended since our last look (by us or another process). */
  private catchUp(): void {
    if (!existsSync(this.path)) {
      if (this.state.offset > 0) throw new FatalError('E_CUSTODY_INVALID', `${this.path} disappeared after ${this.state.nextSeq} entries`);
      return;
    }
    const fd = openSync(this.path, 'r');
    let bytes: Buffer;
    try {
      const size = fstatSync(fd).size;
      if (size < this.state.offset) throw new FatalError('E_CUSTODY_INVALID', `${this.path} shrank from ${this.state.offset} to ${size} bytes: entries were removed`);
      bytes = Buffer.alloc(size - this.state.offset);
      let got = 0;
      while (got < bytes.length) got += readSync(fd, bytes, got, bytes.length - got, this.state.offset + got);
    } finally {
      closeSync(fd);
    }
    if (bytes.length === 0) return;
    const text = bytes.toString('utf8');
    const lastNl = text.lastIndexOf('\n');
    if (lastNl !== text.length - 1) {
      const tornStart = this.state.offset + Buffer.byteLength(text.slice(0, lastNl + 1), 'utf8');
      const lineNo = this.state.nextSeq + text.slice(0, lastNl + 1).split('\n').length;
      throw new FatalError(
        'E_CUSTODY_TORN',
        `${this.path}: line ${lineNo} (byte ${tornStart}) is a torn, unterminated entry (${bytes.length - (tornStart - this.state.offset)} bytes) left by an interrupted append; ` +
          'refusing to append after it. Keep a copy of the log, check it with "leakwatch evidence verify --log", then move the torn bytes aside.',
      );
    }
    let offset = this.state.offset;
    for (const line of text.slice(0, -1).split('\n')) {
      const where = `${this.path}: line ${this.state.nextSeq + 1}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new FatalError('E_CUSTODY_INVALID', `${where} is not JSON; refusing to append to a damaged log`);
      }
      const shape = entryShapeProblem(parsed);
      if (shape) throw new FatalError('E_CUSTODY_INVALID', `${where}: ${shape}; refusing to append to a damaged log`);
      const e = parsed as CustodyEntry;
      if (e.seq !== this.state.nextSeq || e.prev !== this.state.lastHash || entryHash(e) !== e.hash) {
        throw new FatalError('E_CUSTODY_INVALID', `${where} breaks the hash chain; refusing to append (run "leakwatch evidence verify --log")`);
      }
      this.state.tree.push(leafOf(e.hash));
      this.state.lastHash = e.hash;
      this.state.nextSeq++;
      this.state.sinceCheckpoint = e.type === 'checkpoint' ? 0 : this.state.sinceCheckpoint + 1;
      offset += Buffer.byteLength(line, 'utf8') + 1;
    }
    this.state.offset = offset;
  }

  private writeEntry(fields: Pick<UnsignedEntry, 'type' | 'subject' | 'actor' | 'details'>): CustodyEntry {
    const entry = sealEntry({ seq: this.state.nextSeq, prev: this.state.lastHash, ts: this.clock().toISOString(), ...fields });
    const line = entryLine(entry);
    const created = !existsSync(this.path);
    appendDurable(this.path, line);
    if (created) fsyncDir(dirname(this.path));
    this.state.offset += Buffer.byteLength(line, 'utf8');
    this.state.tree.push(leafOf(entry.hash));
    this.state.lastHash = entry.hash;
    this.state.nextSeq++;
    this.state.sinceCheckpoint = entry.type === 'checkpoint' ? 0 : this.state.sinceCheckpoint + 1;
    return entry;
  }

  private signedNote(): { note: string; treeSize: number; root: Buffer } {
    const treeSize = this.state.tree.size;
    const root = this.state.tree.root();
    const note = signNote(checkpointBody({ origin: this.noteName, treeSize, rootHash: root }), this.noteName, this.opts.key.privateKey);
    return { note, treeSize, root };
  }

  private writeCheckpoint(): CustodyEntry {
    const { note, treeSize, root } = this.signedNote();
    const entry = this.writeEntry({
      type: 'checkpoint',
      subject: root.toString('hex'),
      actor: this.opts.actor ?? 'leakwatch',
      details: { treeSize, rootHash: root.toString('hex'), note, keyFingerprint: this.opts.key.fingerprint },
    });
    const dir = this.opts.checkpointsDir;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `checkpoint-${treeSize}.note`);
      if (!existsSync(file)) {
        writeFileAtomic(file, note, { overwrite: false });
        writeFileAtomic(`${file}.tsq`, createTimestampRequest(Buffer.from(note, 'utf8')).der, { overwrite: false });
      }
    }
    return entry;
  }

  private writeHead(): void {
    writeFileAtomic(this.headPath, this.signedNote().note, { mode: 0o644 });
  }
}
