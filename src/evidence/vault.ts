import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, unlinkSync } from 'node:fs';
import { link, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline as pipelineCb, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FatalError, InputError, throwIfAborted } from '../errors.js';
import { fsyncDir, writeFileAtomic } from './atomic-file.js';
import type { CustodyLog } from './custody-log.js';
import { HEX64 } from './digest.js';
import type { VaultKey } from './key-store.js';

/**
 * Published samples are stolen patient data: the vault keeps them encrypted at rest
 * (AES-256-GCM, a fresh random 96-bit nonce per file, streamed so a 2 GB sample never sits in
 * memory) or, by configuration, keeps only their hashes. Every decryption is written to the
 * custody log *before* any plaintext is produced (`access` for get, `export` for export).
 *
 * File: "LWVAULT1" ‖ key id (8) ‖ nonce (12) ‖ ciphertext ‖ GCM tag (16); the 28-byte header is
 * the AAD, so a blob cannot be re-labelled with another key id or nonce. Names are the
 * plaintext SHA-256 (already recorded everywhere; reveals nothing new). Metadata (file names
 * can hold patient names) is encrypted the same way in `<id>.meta`.
 */

export type VaultMode = 'encrypted' | 'hashes-only';

export interface SampleMeta {
  sourceUrl?: string;
  siteId?: string;
  captureId?: string;
  fileName?: string;
  mime?: string;
}

export interface VaultOptions {
  dir: string;
  mode?: VaultMode;
  /** Required in encrypted mode (`loadVaultKey`). */
  key?: VaultKey;
  /** Required to read samples back: every access is logged. */
  custodyLog?: CustodyLog;
  clock?: () => Date;
}

export interface VaultPutResult {
  id: string;
  sha256: string;
  bytes: number;
  encrypted: boolean;
}

export interface AccessRequest {
  actor: string;
  purpose: string;
  signal?: AbortSignal;
}

const MAGIC = Buffer.from('LWVAULT1');
const HEADER_BYTES = MAGIC.length + 8 + 12;
const TAG_BYTES = 16;

function tampered(id: string, why: string): FatalError {
  return new FatalError('E_VAULT_TAMPERED', `sample ${id}: ${why}`);
}

export class SampleVault {
  readonly mode: VaultMode;
  private readonly opts: VaultOptions;

  private constructor(opts: VaultOptions) {
    this.opts = opts;
    this.mode = opts.mode ?? 'encrypted';
    if (this.mode === 'encrypted' && !opts.key) throw new FatalError('E_VAULT_KEY', 'the sample vault encrypts samples and needs a key (vault.key or $LEAKWATCH_VAULT_KEY)');
  }

  static open(opts: VaultOptions): SampleVault {
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    return new SampleVault(opts);
  }

  private base(id: string): string {
    return join(this.opts.dir, id.slice(0, 2), id);
  }

  has(id: string): boolean {
    return HEX64.test(id) && (existsSync(`${this.base(id)}.sample`) || existsSync(`${this.base(id)}.json`));
  }

  private header(nonce: Buffer): Buffer {
    const key = this.opts.key as VaultKey;
    return Buffer.concat([MAGIC, Buffer.from(key.keyId, 'hex'), nonce]);
  }

  /** Stores a sample from a stream or a file path. */
  async put(source: Readable | string, meta: SampleMeta = {}, opts: { signal?: AbortSignal } = {}): Promise<VaultPutResult> {
    const input = typeof source === 'string' ? createReadStream(source) : source;
    const hash = createHash('sha256');
    let bytes = 0;
    const count = async function* (src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of src) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    };
    const signalOpt = opts.signal ? { signal: opts.signal } : {};

    if (this.mode === 'hashes-only') {
      // Only the hash is kept: the bytes go nowhere.
      const discard = new Writable({ write: (_chunk, _enc, cb) => cb() });
      await pipeline(input, count, discard, signalOpt);
      const id = hash.digest('hex');
      const base = this.base(id);
      mkdirSync(dirname(base), { recursive: true, mode: 0o700 });
      if (!existsSync(`${base}.json`)) writeFileAtomic(`${base}.json`, JSON.stringify({ sha256: id, bytes, storedAt: this.now().toISOString(), content: 'not kept (hashes-only vault)' }) + '\n', { mode: 0o600, overwrite: false });
      return { id, sha256: id, bytes, encrypted: false };
    }

    const nonce = randomBytes(12);
    const header = this.header(nonce);
    const cipher = createCipheriv('aes-256-gcm', (this.opts.key as VaultKey).key, nonce);
    cipher.setAAD(header);
    const tmp = join(this.opts.dir, `.incoming-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await writeThrough(tmp, signalOpt, input, count, async function* (src: AsyncIterable<Buffer>) {
        yield header;
        for await (const chunk of src) yield cipher.update(chunk);
        yield cipher.final();
        yield cipher.getAuthTag();
      });
      const id = hash.digest('hex');
      const base = this.base(id);
      mkdirSync(dirname(base), { recursive: true, mode: 0o700 });
      if (existsSync(`${base}.sample`)) {
        unlinkSync(tmp); // already stored: same content, keep the first copy and its metadata
      } else {
        await rename(tmp, `${base}.sample`);
        fsyncDir(dirname(base));
        writeFileAtomic(`${base}.meta`, this.sealSmall(Buffer.from(JSON.stringify({ ...meta, bytes, storedAt: this.now().toISOString() }), 'utf8')), { mode: 0o600 });
      }
      return { id, sha256: id, bytes, encrypted: true };
    } catch (err) {
      if (existsSync(tmp)) unlinkSync(tmp);
      throw err;
    }
  }

  /**
   * Decrypts a sample as a stream, after logging an `access` entry. The GCM tag and SHA-256
   * are checked at the end: the stream fails with E_VAULT_TAMPERED there, so treat the data as
   * unverified until it has ended without error (use `export` for a verified file).
   */
  async get(id: string, req: AccessRequest): Promise<{ stream: Readable; meta: SampleMeta & { bytes?: number }; sha256: string }> {
    const { path, header } = await this.prepareRead(id, req, 'access', {});
    const meta = this.readMeta(id);
    return { stream: this.decryptStream(id, path, header), meta, sha256: id };
  }

  /** Decrypts to `dest` (never replacing a file), verified before it appears; logs an `export` entry. */
  async export(id: string, dest: string, req: AccessRequest): Promise<{ path: string; sha256: string; bytes: number }> {
    const { path, header } = await this.prepareRead(id, req, 'export', { destination: dest });
    const tmp = join(dirname(dest), `.export-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await writeThrough(tmp, req.signal ? { signal: req.signal } : {}, this.decryptStream(id, path, header));
      // link() refuses to replace a file that appeared meanwhile; rename() would not.
      await link(tmp, dest).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EEXIST' ? new FatalError('E_EVIDENCE_EXISTS', `${dest} already exists`) : err;
      });
    } finally {
      if (existsSync(tmp)) unlinkSync(tmp);
    }
    return { path: dest, sha256: id, bytes: statSync(dest).size };
  }

  private async prepareRead(id: string, req: AccessRequest, type: 'access' | 'export', extra: Record<string, unknown>): Promise<{ path: string; header: Buffer }> {
    if (!HEX64.test(id)) throw new InputError('E_USAGE', `"${id}" is not a sample id (SHA-256 hex)`);
    if (!req.actor || !req.purpose) throw new FatalError('E_USAGE', 'reading a sample needs an actor and a purpose (both are logged)');
    if (this.mode === 'hashes-only' || !existsSync(`${this.base(id)}.sample`)) {
      throw new FatalError('E_VAULT_NOT_FOUND', this.mode === 'hashes-only' ? `the vault keeps hashes only: sample ${id} was not stored` : `no sample ${id} in the vault`);
    }
    if (type === 'export' && typeof extra.destination === 'string' && existsSync(extra.destination)) throw new FatalError('E_EVIDENCE_EXISTS', `${extra.destination} already exists`);
    if (!this.opts.custodyLog) throw new FatalError('E_USAGE', 'samples can only be read with a custody log to record the access');
    const path = `${this.base(id)}.sample`;
    const header = await this.readHeader(id, path);
    // Logged first: an access that cannot be recorded does not happen.
    await this.opts.custodyLog.append({ type, subject: id, actor: req.actor, details: { purpose: req.purpose, ...extra } }, req.signal ? { signal: req.signal } : {});
    return { path, header };
  }

  private async readHeader(id: string, path: string): Promise<Buffer> {
    const fh = await open(path, 'r');
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await fh.read(header, 0, HEADER_BYTES, 0);
      if (bytesRead < HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) throw tampered(id, 'not a vault file (bad header)');
      const keyId = header.subarray(MAGIC.length, MAGIC.length + 8).toString('hex');
      const mine = (this.opts.key as VaultKey).keyId;
      if (keyId !== mine) throw new FatalError('E_VAULT_KEY', `sample ${id} was encrypted with vault key ${keyId}; the loaded key is ${mine}`);
      return header;
    } finally {
      await fh.close();
    }
  }

  private decryptStream(id: string, path: string, header: Buffer): Readable {
    const size = statSync(path).size;
    if (size < HEADER_BYTES + TAG_BYTES) {
      return new Readable({
        read() {
          this.destroy(tampered(id, 'file truncated'));
        },
      });
    }
    // The tag sits at the end; read just those bytes, never the whole (possibly 2 GB) file.
    const tag = Buffer.alloc(TAG_BYTES);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
    } finally {
      closeSync(fd);
    }
    const decipher = createDecipheriv('aes-256-gcm', (this.opts.key as VaultKey).key, header.subarray(MAGIC.length + 8));
    decipher.setAAD(header);
    decipher.setAuthTag(tag);
    const hash = createHash('sha256');
    const body = size - HEADER_BYTES - TAG_BYTES;
    const source = body > 0 ? createReadStream(path, { start: HEADER_BYTES, end: HEADER_BYTES + body - 1 }) : Readable.from([]);
    const transform = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        const plain = decipher.update(chunk);
        hash.update(plain);
        cb(null, plain);
      },
      flush(cb) {
        let last: Buffer;
        try {
          last = decipher.final();
        } catch {
          cb(tampered(id, 'authentication failed (GCM tag): the file was altered or the key is wrong'));
          return;
        }
        hash.update(last);
        if (hash.digest('hex') !== id) {
          cb(tampered(id, 'decrypted content does not hash to its id'));
          return;
        }
        cb(null, last.length ? last : undefined);
      },
    });
    // pipeline() owns the error handling of both streams: a failed tag check destroys the
    // transform with that error (its reader sees it) and never surfaces as an uncaught event.
    pipelineCb(source, transform, () => {});
    return transform;
  }

  private readMeta(id: string): SampleMeta & { bytes?: number } {
    const p = `${this.base(id)}.meta`;
    if (!existsSync(p)) return {};
    return JSON.parse(this.openSmall(id, readFileSync(p)).toString('utf8')) as SampleMeta;
  }

  private sealSmall(plain: Buffer): Buffer {
    const nonce = randomBytes(12);
    const header = this.header(nonce);
    const c = createCipheriv('aes-256-gcm', (this.opts.key as VaultKey).key, nonce);
    c.setAAD(header);
    return Buffer.concat([header, c.update(plain), c.final(), c.getAuthTag()]);
  }

  private openSmall(id: string, blob: Buffer): Buffer {
    if (blob.length < HEADER_BYTES + TAG_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC)) throw tampered(id, 'metadata file damaged');
    const header = blob.subarray(0, HEADER_BYTES);
    const d = createDecipheriv('aes-256-gcm', (this.opts.key as VaultKey).key, header.subarray(MAGIC.length + 8));
    d.setAAD(header);
    d.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
    try {
      return Buffer.concat([d.update(blob.subarray(HEADER_BYTES, blob.length - TAG_BYTES)), d.final()]);
    } catch {
      throw tampered(id, 'metadata authentication failed');
    }
  }

  private now(): Date {
    return (this.opts.clock ?? (() => new Date()))();
  }
}

type Stage = (src: AsyncIterable<Buffer>) => AsyncIterable<Buffer>;

/**
 * Streams into a new file (0600) and fsyncs it. The file is created before anything is read, so
 * the caller's cleanup always finds it, and a plain write loop keeps memory to one chunk.
 */
async function writeThrough(path: string, opts: { signal?: AbortSignal }, source: Readable, ...stages: Stage[]): Promise<void> {
  let data: AsyncIterable<Buffer> = source as AsyncIterable<Buffer>;
  for (const stage of stages) data = stage(data);
  const fh = await open(path, 'wx', 0o600);
  try {
    for await (const chunk of data) {
      throwIfAborted(opts.signal);
      let off = 0;
      while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}
