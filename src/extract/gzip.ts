/**
 * gzip: a plain `.gz` holds one member; a `.tar.gz`/`.tgz` is a tar inside (told by the ustar
 * header of the decompressed stream, not by the name) and is treated as ONE archive level,
 * so its members read `x.tar.gz!/a.txt`. Output is metered as it is produced: total budget
 * and the stream's compression ratio stop a bomb after ~1 MiB, not after it filled memory.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError, LeakwatchError, isAbort, throwIfAborted } from '../errors.js';
import { type ExtractContext, type ExtractOutput, chargeBytes, chargeEntry, checkRatio, failureOnce } from './context.js';
import { type Held, memberPath, readMember, releaseHeld } from './member.js';
import { isTarHeader } from './sniff.js';
import { type Recurse, tarMembers } from './tar.js';

export type StreamSource = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'file'; path: string };

/** The raw bytes of a source as a stream (files in 1 MiB chunks; nothing held whole). */
export function sourceStream(src: StreamSource): Readable {
  if (src.kind === 'file') return createReadStream(src.path, { highWaterMark: 1024 * 1024 });
  const b = src.bytes;
  return Readable.from([Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)], {
    objectMode: false,
  });
}

/**
 * Chunks of `input`, gunzipped when `gunzip`, each charged to the archive budget (and, for
 * gzip, checked against the ratio of output to compressed input consumed so far).
 */
export async function* meteredChunks(
  input: Readable,
  ctx: ExtractContext,
  display: string,
  gunzip: boolean,
): AsyncGenerator<Buffer> {
  let compressed = 0;
  let out = 0;
  let stream: Readable = input;
  if (gunzip) {
    input.on('data', (c: Buffer) => {
      compressed += c.length;
    });
    const z = createGunzip({ chunkSize: 64 * 1024 });
    // pipe() would not forward source errors: do it by hand so a read error ends iteration.
    input.on('error', (err) => z.destroy(err));
    stream = input.pipe(z);
  }
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      throwIfAborted(ctx.signal, display);
      out += chunk.length;
      chargeBytes(ctx, chunk.length, display);
      if (gunzip) checkRatio(ctx, out, compressed, display);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof LeakwatchError || isAbort(err)) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new InputError('E_CORRUPT_FILE', `damaged ${gunzip ? 'gzip' : 'archive'} data: ${msg}`, {
      input: display,
      cause: err,
    });
  } finally {
    stream.destroy();
    input.destroy();
  }
}

/** Name of the single member of a plain .gz, for display: `report.csv.gz` → `report.csv`. */
export function gunzippedName(display: string): string {
  const base = display.slice(display.lastIndexOf('/') + 1);
  if (/\.tgz$/i.test(base)) return base.replace(/\.tgz$/i, '.tar');
  const stripped = base.replace(/(\.gz|\.gzip|-gz|\.z)$/i, '');
  return stripped === '' ? 'data' : stripped;
}

/** Members of a gzip source: a tar's members, or the one decompressed member. */
export async function* gzipMembers(
  src: StreamSource,
  display: string,
  ctx: ExtractContext,
  depth: number,
  recurse: Recurse,
): AsyncGenerator<ExtractOutput> {
  const chunks = meteredChunks(sourceStream(src), ctx, display, true);
  // Peek at the first 512 decompressed bytes: a ustar header means tar.gz.
  const headParts: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  try {
    while (headLen < 512) {
      const r = await chunks.next();
      if (r.done) {
        ended = true;
        break;
      }
      headParts.push(r.value);
      headLen += r.value.length;
    }
  } catch (err) {
    await chunks.return(undefined);
    throw err;
  }
  const head = Buffer.concat(headParts);
  const rest = Readable.from(
    (async function* () {
      try {
        if (head.length > 0) yield head;
        if (!ended) yield* chunks;
      } finally {
        await chunks.return(undefined);
      }
    })(),
    { objectMode: false },
  );

  if (isTarHeader(head)) {
    yield* tarMembers(rest, display, ctx, depth, recurse);
    return;
  }

  const path = memberPath(display, gunzippedName(display));
  let held: Held;
  try {
    throwIfAborted(ctx.signal, path);
    chargeEntry(ctx, path);
    held = await readMember(rest, ctx, { input: path });
  } catch (err) {
    rest.destroy();
    if (isAbort(err)) throw err;
    const f = failureOnce(ctx, path, err);
    if (f) yield f;
    return;
  }
  try {
    yield* recurse(held, path, depth + 1);
  } finally {
    await releaseHeld(held);
  }
}
