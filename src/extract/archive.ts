/**
 * Opening archives (zip, tar, gzip/tar.gz) and recursing into their members. One byte and
 * entry budget covers a top-level archive and everything nested in it; nesting depth is
 * capped; a bad member becomes a failure for that member and the walk goes on, a spent
 * budget stops every level.
 */
import { Readable } from 'node:stream';
import { LimitError, isAbort } from '../errors.js';
import { type ExtractContext, type ExtractOutput, failureOnce, newBudget, toFailure } from './context.js';
import { gzipMembers, meteredChunks, sourceStream, type StreamSource } from './gzip.js';
import { type Held, releaseHeld } from './member.js';
import { type Recurse, tarMembers } from './tar.js';
import { isZipDirectory, openZip, readZipMember, zipEntries } from './zip.js';

export type { Recurse } from './tar.js';
export type ArchiveType = 'zip' | 'tar' | 'gzip';

/** Members of the archive `src` (itself at `depth`), each extracted through `recurse`. */
export async function* archiveMembers(
  type: ArchiveType,
  src: StreamSource,
  display: string,
  ctx: ExtractContext,
  depth: number,
  recurse: Recurse,
): AsyncGenerator<ExtractOutput> {
  if (depth >= ctx.limits.maxArchiveDepth) {
    yield toFailure(
      display,
      new LimitError(
        'E_ARCHIVE_LIMIT',
        `archive nested deeper than ${ctx.limits.maxArchiveDepth} levels (maxArchiveDepth); members not extracted`,
        { input: display },
      ),
    );
    return;
  }
  const topLevel = ctx.budget === undefined;
  if (topLevel) ctx.budget = newBudget(display);
  try {
    if (type === 'zip') {
      yield* zipMembers(src, display, ctx, depth, recurse);
    } else if (type === 'tar') {
      const stream = Readable.from(meteredChunks(sourceStream(src), ctx, display, false), { objectMode: false });
      yield* tarMembers(stream, display, ctx, depth, recurse);
    } else {
      yield* gzipMembers(src, display, ctx, depth, recurse);
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    const f = failureOnce(ctx, display, err);
    if (f) yield f;
  } finally {
    if (topLevel) ctx.budget = undefined;
  }
}

async function* zipMembers(
  src: StreamSource,
  display: string,
  ctx: ExtractContext,
  depth: number,
  recurse: Recurse,
): AsyncGenerator<ExtractOutput> {
  const zip = await openZip(src, display);
  try {
    for await (const m of zipEntries(zip, display, ctx)) {
      if (isZipDirectory(m)) continue;
      let held: Held;
      try {
        held = await readZipMember(zip, m, ctx);
      } catch (err) {
        if (isAbort(err)) throw err;
        const f = failureOnce(ctx, m.path, err);
        if (f) yield f;
        if (ctx.budget?.exhausted) return;
        continue;
      }
      try {
        yield* recurse(held, m.path, depth + 1);
      } finally {
        await releaseHeld(held);
      }
      if (ctx.budget?.exhausted) return;
    }
  } finally {
    zip.close();
  }
}
