import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FatalError } from '../errors.js';

/**
 * Writes a file so that readers see either nothing/the old file or the complete new one:
 * temp file in the same folder, fsync, then rename (replace) or link (no-replace), then fsync
 * the folder so the new name survives a power cut.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, opts: { mode?: number; overwrite?: boolean } = {}): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'wx', opts.mode ?? 0o644);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    if (opts.overwrite === false) {
      // link() fails with EEXIST instead of silently replacing, unlike rename().
      linkSync(tmp, path);
      unlinkSync(tmp);
    } else {
      renameSync(tmp, path);
    }
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already moved
    }
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new FatalError('E_EVIDENCE_EXISTS', `${path} already exists; refusing to replace it`);
    throw err;
  }
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems do not support fsync on directories; the data itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Appends one buffer with O_APPEND and fsyncs before returning. */
export function appendDurable(path: string, data: string): void {
  const fd = openSync(path, 'a', 0o600);
  try {
    const buf = Buffer.from(data, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
