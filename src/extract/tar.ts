/**
 * Tar members via tar-stream. Only regular-file entries are read; links and device/FIFO
 * entries are reported and skipped — their targets are names, and names are never used to
 * touch the filesystem. Byte budgets are charged upstream on the tar stream itself (see
 * archive.ts), so every entry type, even a hostile "directory" with data, is counted.
 */
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { InputError, LeakwatchError, isAbort, throwIfAborted } from '../errors.js';
import { type ExtractContext, type ExtractOutput, chargeEntry, failureOnce } from './context.js';
import { type ByteStream, type Held, memberPath, readMember, releaseHeld } from './member.js';

export type Recurse = (held: Held, path: string, depth: number) => AsyncGenerator<ExtractOutput>;

/** Members of the tar read from `input` (already metered), recursing into each. */
export async function* tarMembers(
  input: Readable,
  display: string,
  ctx: ExtractContext,
  depth: number,
  recurse: Recurse,
): AsyncGenerator<ExtractOutput> {
  // Pre-POSIX (v7) tars have no "ustar" magic; tar-stream still verifies each header's
  // checksum, which is what sniffing them relied on too.
  const ex = tar.extract({ allowUnknownFormat: true } as Parameters<typeof tar.extract>[0]);
  void pump(input, ex);
  const entries = ex[Symbol.asyncIterator]();
  try {
    while (true) {
      let next: IteratorResult<TarEntry>;
      try {
        next = await entries.next();
      } catch (err) {
        throw tarError(err, display);
      }
      if (next.done) return;
      const entry = next.value;
      const path = memberPath(display, entry.header.name);
      throwIfAborted(ctx.signal, path);
      try {
        chargeEntry(ctx, path);
      } catch (err) {
        const f = failureOnce(ctx, path, err);
        if (f) yield f;
        return;
      }
      const type = entry.header.type ?? 'file';
      if (type === 'directory') {
        await drain(entry);
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        await drain(entry);
        const what = type === 'symlink' ? 'symbolic link' : type === 'link' ? 'hard link' : `${type} entry`;
        yield {
          path,
          code: 'E_UNSUPPORTED',
          message: `${path}: ${what} skipped (link targets and special files are never followed)`,
        };
        continue;
      }
      let held: Held;
      try {
        held = await readMember(entry as unknown as ByteStream, ctx, { input: path });
      } catch (err) {
        if (isAbort(err)) throw err;
        // A member read fails only when the tar stream itself broke or a cap stopped it:
        // either way nothing after it can be read.
        const f = failureOnce(ctx, path, tarError(err, path));
        if (f) yield f;
        return;
      }
      try {
        yield* recurse(held, path, depth + 1);
      } finally {
        await releaseHeld(held);
      }
      if (ctx.budget?.exhausted) return;
    }
  } finally {
    ex.destroy();
    input.destroy();
  }
}

type TarExtract = ReturnType<typeof tar.extract>;
type TarEntry = TarExtract extends AsyncIterable<infer E> ? E : never;

/**
 * Feeds `input` into tar-stream's (streamx) extractor with backpressure. Errors go to the
 * extractor, where the entry iterator reports them; stops when the extractor is destroyed.
 */
async function pump(input: Readable, ex: TarExtract): Promise<void> {
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (ex.destroyed) return;
      if (!ex.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            ex.off('drain', done);
            ex.off('close', done);
            resolve();
          };
          ex.on('drain', done);
          ex.on('close', done);
        });
      }
    }
    if (!ex.destroyed) ex.end(undefined);
  } catch (err) {
    ex.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

async function drain(entry: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of entry) {
    // discard
  }
}

function tarError(err: unknown, input: string): Error {
  if (err instanceof LeakwatchError || isAbort(err)) return err as Error;
  const msg = err instanceof Error ? err.message : String(err);
  return new InputError('E_CORRUPT_FILE', `damaged archive: ${msg}`, { input, cause: err });
}
