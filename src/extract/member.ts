/**
 * Reading one archive member out of its (decompressing) stream: counts the bytes that
 * actually arrive — headers are never trusted —, hashes them, keeps them in memory or in a
 * counter-named temp file, and stops keeping (but goes on hashing) past the size caps.
 */
import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { throwIfAborted } from '../errors.js';
import { type ExtractContext, MEMORY_MEMBER_BYTES, formatBytes } from './context.js';
import { SNIFF_BYTES } from './sniff.js';

/** A member's bytes after reading, with hash and size of what was actually read. */
export type Held =
  | { kind: 'bytes'; bytes: Buffer; sha256: string; size: number }
  | { kind: 'file'; path: string; sha256: string; size: number }
  /** Larger than the caps: only hashed; `head` is kept for sniffing the type. */
  | { kind: 'oversize'; head: Buffer; sha256: string; size: number; reason: string };

/** A readable byte stream: Node streams and tar-stream's streamx entries both qualify. */
export type ByteStream = AsyncIterable<Buffer | Uint8Array | string> & { destroy(error?: Error): unknown };

export interface ReadMemberOptions {
  /** Display path of the member, for errors. */
  input: string;
  /**
   * Called with each chunk's length and the member's running total before the chunk is
   * used; throws to stop (budget, ratio). Omitted when the bytes are metered upstream.
   */
  meter?: (chunkBytes: number, memberBytes: number) => void;
}

/** Removes a spilled member's file; harmless for in-memory members. */
export async function releaseHeld(held: Held): Promise<void> {
  if (held.kind === 'file') await rm(held.path, { force: true });
}

/** Drains `stream` into a Held, enforcing the member caps; destroys the stream on error. */
export async function readMember(stream: ByteStream, ctx: ExtractContext, opts: ReadMemberOptions): Promise<Held> {
  const keepCap = Math.min(ctx.limits.maxMemberBytes, ctx.limits.maxContentBytes);
  const hash = createHash('sha256');
  let size = 0;
  let chunks: Buffer[] | undefined = [];
  let head: Buffer | undefined;
  let spillPath: string | undefined;
  let spill: Awaited<ReturnType<typeof open>> | undefined;
  let oversize = false;
  try {
    for await (const raw of stream) {
      throwIfAborted(ctx.signal, opts.input);
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      size += chunk.length;
      opts.meter?.(chunk.length, size);
      hash.update(chunk);
      if (oversize) continue;
      if (size > keepCap) {
        // Past the cap: keep only the head for sniffing; drop what was kept so far.
        oversize = true;
        head = headOf(chunks, spillPath ? await readHead(spillPath) : undefined, chunk);
        chunks = undefined;
        if (spill) await spill.close();
        spill = undefined;
        if (spillPath) await rm(spillPath, { force: true });
        spillPath = undefined;
        continue;
      }
      if (spill) {
        await spill.write(chunk);
      } else if (size > MEMORY_MEMBER_BYTES) {
        // 'wx' = O_CREAT|O_EXCL: the fresh counter-named path must not exist (no symlink games).
        spillPath = await ctx.temp.newFile();
        spill = await open(spillPath, 'wx', 0o600);
        for (const c of chunks!) await spill.write(c);
        await spill.write(chunk);
        chunks = undefined;
      } else {
        chunks!.push(chunk);
      }
    }
    const sha256 = hash.digest('hex');
    if (oversize) {
      const which = size > ctx.limits.maxMemberBytes ? 'maxMemberBytes' : 'maxContentBytes';
      return {
        kind: 'oversize',
        head: head ?? Buffer.alloc(0),
        sha256,
        size,
        reason: `content not extracted: larger than ${formatBytes(keepCap)} (${which})`,
      };
    }
    if (spill) {
      await spill.close();
      spill = undefined;
      return { kind: 'file', path: spillPath!, sha256, size };
    }
    return { kind: 'bytes', bytes: Buffer.concat(chunks!), sha256, size };
  } catch (err) {
    stream.destroy();
    if (spill) await spill.close().catch(() => undefined);
    if (spillPath) await rm(spillPath, { force: true });
    throw err;
  }
}

function headOf(chunks: Buffer[] | undefined, spilledHead: Buffer | undefined, last: Buffer): Buffer {
  if (spilledHead) return spilledHead;
  const all = Buffer.concat([...(chunks ?? []), last]);
  return all.subarray(0, SNIFF_BYTES);
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Member name for display only: backslashes as `/`, leading `/` and `./` stripped, control
 * characters (NUL included) shown as U+FFFD. `..` stays visible: the name is evidence.
 */
export function displayMemberName(name: string): string {
  let n = name.replace(/\\/g, '/');
  // eslint-disable-next-line no-control-regex
  n = n.replace(/[\u0000-\u001f\u007f]/g, '\uFFFD');
  let prev: string;
  do {
    prev = n;
    n = n.replace(/^\/+/, '').replace(/^\.\/+/, '');
  } while (n !== prev);
  n = n.replace(/\/{2,}/g, '/');
  return n === '' ? '(unnamed)' : n;
}

/** Display path of a member: `outer.zip!/dir/file.pdf`. */
export function memberPath(archiveDisplay: string, name: string): string {
  return `${archiveDisplay}!/${displayMemberName(name)}`;
}
