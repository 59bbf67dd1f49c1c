import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { AbortError, RetryableError } from '../errors.js';

/**
 * An exclusive lock file (`O_CREAT | O_EXCL`), for "one writer at a time" across processes.
 * Node has no flock(); O_EXCL creation is atomic on local file systems, and the holder's pid
 * in the file lets a later process take over a lock left by a crashed one on the same host.
 *
 * Known limit: taking over a stale lock has a small race if two processes notice the same
 * dead holder at once; the rename-aside below makes the loser retry instead of both winning
 * in nearly every case, and it only matters after a crash.
 */

export interface LockOptions {
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

function holderAlive(text: string): boolean {
  const [pidText, host] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  // A lock from another host (shared folder) cannot be checked: assume it is held.
  if (!Number.isInteger(pid) || pid <= 0 || host !== hostname()) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryAcquire(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx', 0o600);
    try {
      writeSync(fd, `${process.pid} ${hostname()} ${new Date().toISOString()}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return false; // released between our open and read: try again next poll
  }
  if (holderAlive(text)) return false;
  const aside = `${lockPath}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(lockPath, aside);
    unlinkSync(aside);
  } catch {
    // Someone else took it over first.
  }
  return false;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(t);
      reject(new AbortError('waiting for a lock was aborted', { cause: signal?.reason }));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export async function withFileLock<T>(lockPath: string, fn: () => Promise<T> | T, opts: LockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pollMs = opts.pollMs ?? 20;
  const started = Date.now();
  while (!tryAcquire(lockPath)) {
    if (opts.signal?.aborted) throw new AbortError('waiting for a lock was aborted', { cause: opts.signal.reason });
    if (Date.now() - started > timeoutMs) {
      throw new RetryableError('E_CUSTODY_LOCKED', `${lockPath} is held by another process (waited ${timeoutMs} ms)`);
    }
    await sleep(pollMs, opts.signal);
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      // Already gone (someone judged it stale): nothing to release.
    }
  }
}
