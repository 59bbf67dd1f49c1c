/**
 * Zip reading with yauzl. Headers are attacker-controlled, so sizes are checked here against
 * the bytes that actually come out (counted for the ratio, member and total caps, and compared
 * with the header's claim) rather than by yauzl: its validation fails the whole archive on one
 * lying stored entry, ours fails only that member. File names are decoded here too
 * (decodeStrings: false): with yauzl's decoding a single `../` name aborts the whole archive,
 * and we want to report such members, not lose the rest.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { InputError, LimitError, isAbort, throwIfAborted } from '../errors.js';
import { type ExtractContext, RATIO_GRACE_BYTES, chargeBytes, chargeEntry, checkRatio, formatBytes } from './context.js';
import { type Held, memberPath, readMember, releaseHeld } from './member.js';

export type ZipSource = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'file'; path: string };

export interface ZipMember {
  /** Raw (decoded, not normalised) name from the central directory. */
  name: string;
  /** Display path `archive!/name`. */
  path: string;
  entry: yauzl.Entry;
}

const OPEN_OPTIONS: yauzl.Options = {
  lazyEntries: true,
  autoClose: false,
  decodeStrings: false,
  validateEntrySizes: false,
  strictFileNames: false,
};

/** Opens a zip; a damaged one becomes InputError E_CORRUPT_FILE naming `display`. */
export async function openZip(src: ZipSource, display: string): Promise<yauzl.ZipFile> {
  let zip: yauzl.ZipFile;
  try {
    zip =
      src.kind === 'file'
        ? await yauzl.openPromise(src.path, OPEN_OPTIONS)
        : await yauzl.fromBufferPromise(toBuffer(src.bytes), OPEN_OPTIONS);
  } catch (err) {
    throw zipError(err, display);
  }
  // Errors yauzl emits after our iteration stopped listening must not crash the process.
  zip.on('error', () => undefined);
  return zip;
}

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Maps yauzl/zlib errors to typed input errors. */
export function zipError(err: unknown, input: string): Error {
  if (err instanceof InputError || isAbort(err)) return err as Error;
  const msg = err instanceof Error ? err.message : String(err);
  if (/encrypt/i.test(msg)) return new InputError('E_ARCHIVE_ENCRYPTED', `encrypted zip: ${msg}`, { input, cause: err });
  return new InputError('E_CORRUPT_FILE', `damaged zip: ${msg}`, { input, cause: err });
}

/** Entries of an open zip with decoded names; stops at maxArchiveEntries (LimitError). */
export async function* zipEntries(zip: yauzl.ZipFile, display: string, ctx: ExtractContext): AsyncGenerator<ZipMember> {
  const it = zip.eachEntry();
  while (true) {
    let next: IteratorResult<yauzl.Entry>;
    try {
      next = await it.next();
    } catch (err) {
      throw zipError(err, display);
    }
    if (next.done) return;
    const entry = next.value;
    const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
    const path = memberPath(display, name);
    throwIfAborted(ctx.signal, path);
    chargeEntry(ctx, path);
    yield { name, path, entry };
  }
}

/** Whether the entry is a directory (no content to extract). */
export function isZipDirectory(m: ZipMember): boolean {
  return m.name.endsWith('/') && m.entry.uncompressedSize === 0;
}

/**
 * Reads one member with all checks. Throws InputError per member (encrypted, unsupported
 * method, damaged data, size lies) and LimitError for ratio/total caps.
 */
export async function readZipMember(zip: yauzl.ZipFile, m: ZipMember, ctx: ExtractContext): Promise<Held> {
  const { entry, path } = m;
  if (entry.isEncrypted()) {
    throw new InputError('E_ARCHIVE_ENCRYPTED', 'member is encrypted (password-protected); not extracted', {
      input: path,
    });
  }
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new InputError('E_UNSUPPORTED', `unsupported zip compression method ${entry.compressionMethod}`, {
      input: path,
    });
  }
  // A bomb with honest headers is refused before any byte is inflated; one whose headers lie
  // is caught below while streaming (output is also checked against the claimed size).
  const claimedRatio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (entry.uncompressedSize > RATIO_GRACE_BYTES && claimedRatio > ctx.limits.maxCompressionRatio) {
    throw new LimitError(
      'E_ARCHIVE_LIMIT',
      `its header claims ${formatBytes(entry.uncompressedSize)} from ${formatBytes(entry.compressedSize)}: compression ratio above ${ctx.limits.maxCompressionRatio}:1, refused before inflating (looks like a decompression bomb)`,
      { input: path },
    );
  }
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (err) {
    throw zipError(err, path);
  }
  // The central directory's compressed size bounds what yauzl reads from the file, so the
  // ratio below is against bytes that really exist in the archive.
  const compressed = entry.compressedSize;
  const claimed = entry.uncompressedSize;
  let held: Held;
  try {
    held = await readMember(stream, ctx, {
      input: path,
      meter: (n, total) => {
        chargeBytes(ctx, n, path);
        checkRatio(ctx, total, compressed, path);
        // Stop at the first byte beyond the header's claim: a lie, and maybe a bomb.
        if (total > claimed) throw sizeLie(path, claimed, 'more than');
      },
    });
  } catch (err) {
    if (err instanceof LimitError || isAbort(err)) throw err;
    throw zipError(err, path);
  }
  if (held.size !== claimed) {
    await releaseHeld(held);
    throw sizeLie(path, claimed, `only ${held.size} bytes, not`);
  }
  return held;
}

function sizeLie(input: string, claimed: number, what: string): InputError {
  return new InputError('E_CORRUPT_FILE', `member holds ${what} the ${claimed} bytes its header claims`, { input });
}
