import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { AbortError } from '../errors.js';
import type { Logger } from '../crawl/types.js';
import { isPidAlive, ownStartTime, processStartTime } from './process-identity.js';

/**
 * One lock file per site under `<dataDir>/locks/`, so `leakwatch crawl` from the system's cron
 * and `leakwatch daemon` never crawl the same site at the same time (two crawlers would double
 * the load on one small onion service and race on the same posts).
 *
 * Node has no flock(), so the lock is a file created atomically (O_EXCL, see create()) holding
 * the holder's pid, host, process start time and a heartbeat. The holder
 * rewrites the heartbeat every `heartbeatMs`. A lock is stale, and is taken over, when:
 *   - its pid is not running on this host;
 *   - its pid is running but is another process (pid reuse: the start time differs, or it is
 *     our own pid and we do not hold the lock);
 *   - its heartbeat is older than `staleAfterMs` (a hung holder, or one on another host whose
 *     pid cannot be checked).
 * Taking over goes through a short-lived guard file, so two processes that find the same
 * stale lock cannot both remove it and then each believe they hold a fresh one. A holder
 * whose lock was taken over notices at its next heartbeat and aborts its crawl (`lost`).
 */

export interface LockHolder {
  siteId: string;
  pid: number;
  host: string;
  /** When the holder took the lock (ISO 8601). */
  startedAt: string;
  /** Latest sign of life: the heartbeat written in the file, or the file's mtime if later. */
  heartbeatAt: string;
  /** Process start time from /proc (Linux), to tell a reused pid from the holder. */
  procStart?: string;
  /** Why the lock does not count any more; absent while it is held. */
  stale?: string;
}

export interface SiteLockOptions {
  /** How often a holder refreshes its heartbeat (default 15 s). */
  heartbeatMs?: number;
  /** A heartbeat older than this makes the lock stale (default 120 s). */
  staleAfterMs?: number;
  clock?: () => Date;
  log?: Logger;
}

export interface SiteLock {
  readonly siteId: string;
  readonly path: string;
  /** Fires if another process took the lock over (it judged us dead or hung). */
  readonly lost: AbortSignal;
  release(): void;
}

export type AcquireResult = { acquired: true; lock: SiteLock } | { acquired: false; holder: LockHolder };

export const LOCK_DIR = 'locks';
const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_STALE_AFTER_MS = 120_000;
/** A takeover guard older than this was left by a process killed mid-takeover. */
const GUARD_STALE_MS = 10_000;
const TAKEOVER_ROUNDS = 50;
const TAKEOVER_PAUSE_MS = 2;

/** A short synchronous pause (tryAcquire is synchronous so that it can be used anywhere). */
function pauseSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Locks held by this process, by path: released on exit, and authoritative for our own pid. */
const held = new Map<string, HeldLock>();
let exitHook = false;

function releaseAllOnExit(): void {
  if (exitHook) return;
  exitHook = true;
  // 'exit' handlers must be synchronous; every release step is.
  process.on('exit', () => {
    for (const lock of [...held.values()]) lock.release();
  });
}

interface LockFile {
  holder: LockHolder;
  ino: number;
  dev: number;
}

/** "already being crawled by pid 123 on host-a since …", for skip results and logs. */
export function describeHolder(h: LockHolder): string {
  const where = h.host === hostname() ? '' : ` on ${h.host}`;
  return `already being crawled by pid ${h.pid}${where} since ${h.startedAt} (heartbeat ${h.heartbeatAt})`;
}

export class SiteLocks {
  readonly dir: string;
  private readonly heartbeatMs: number;
  private readonly staleAfterMs: number;
  private readonly clock: () => Date;
  private readonly log: Logger | undefined;

  constructor(dir: string, options: SiteLockOptions = {}) {
    // Absolute, so the in-process registry sees one path per lock however the folder was named.
    this.dir = resolve(dir);
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log;
  }

  pathOf(siteId: string): string {
    // Site ids are slugs (validated by the site schema), so they are safe file names.
    return join(this.dir, `${siteId}.lock`);
  }

  /** Takes the site's lock if it is free or stale; never waits. */
  tryAcquire(siteId: string): AcquireResult {
    mkdirSync(this.dir, { recursive: true });
    const path = this.pathOf(siteId);
    // A stale lock removed in one round may be won by someone else in the next. While another
    // process is taking a stale lock over, wait a moment for its outcome (only ever after a
    // crash, and for a few milliseconds: never on the normal path).
    for (let round = 0; round < TAKEOVER_ROUNDS; round++) {
      const lock = this.create(siteId, path);
      if (lock) return { acquired: true, lock };
      const current = this.read(siteId, path);
      if (!current) continue; // released between our create and read: try again
      if (!current.holder.stale) return { acquired: false, holder: current.holder };
      if (this.removeStale(path, current) === 'busy') pauseSync(TAKEOVER_PAUSE_MS);
    }
    const last = this.read(siteId, path);
    const fallback: LockHolder = { siteId, pid: 0, host: '?', startedAt: '?', heartbeatAt: '?' };
    return { acquired: false, holder: last?.holder ?? fallback };
  }

  /** The site's lock as it stands (with `stale` set if it no longer counts), or undefined. */
  inspect(siteId: string): LockHolder | undefined {
    return this.read(siteId, this.pathOf(siteId))?.holder;
  }

  /** Every lock file in the folder. */
  list(): LockHolder[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.lock'))
      .map((n) => this.inspect(n.slice(0, -'.lock'.length)))
      .filter((h): h is LockHolder => h !== undefined);
  }

  /**
   * The lock file appears with its content already in it: written to a private file created
   * with O_EXCL, then hard-linked to the lock path (link() fails if the path exists, like
   * O_EXCL, and is atomic on local and NFS file systems). Nobody ever reads a half-written lock.
   */
  private create(siteId: string, path: string): HeldLock | undefined {
    const now = this.clock().toISOString();
    const own = ownStartTime();
    const holder: LockHolder = { siteId, pid: process.pid, host: hostname(), startedAt: now, heartbeatAt: now, ...(own ? { procStart: own } : {}) };
    const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
    const draftFd = openSync(draft, 'wx', 0o644);
    try {
      writeSync(draftFd, JSON.stringify(holder) + '\n');
    } finally {
      closeSync(draftFd);
    }
    try {
      linkSync(draft, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw err;
    } finally {
      unlinkQuietly(draft);
    }
    const fd = openSync(path, 'r+');
    const lock = new HeldLock(siteId, path, fd, holder, this.heartbeatMs, this.clock, this.log);
    held.set(path, lock);
    releaseAllOnExit();
    return lock;
  }

  private read(siteId: string, path: string): LockFile | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    let text: string;
    let st: ReturnType<typeof fstatSync>;
    try {
      st = fstatSync(fd);
      const buf = Buffer.alloc(Math.min(Math.max(st.size, 0), 4096));
      const n = readSync(fd, buf, 0, buf.length, 0);
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
    let parsed: Partial<LockHolder> = {};
    try {
      parsed = JSON.parse(text) as Partial<LockHolder>;
    } catch {
      // Caught mid-write, or not ours: judged by its mtime alone below.
    }
    const written = Date.parse(parsed.heartbeatAt ?? '');
    const beat = Math.max(Number.isFinite(written) ? written : 0, st.mtimeMs);
    const holder: LockHolder = {
      siteId,
      pid: typeof parsed.pid === 'number' ? parsed.pid : 0,
      host: typeof parsed.host === 'string' ? parsed.host : '?',
      startedAt: typeof parsed.startedAt === 'string' ? parsed.startedAt : new Date(st.birthtimeMs || st.mtimeMs).toISOString(),
      heartbeatAt: new Date(beat).toISOString(),
      ...(typeof parsed.procStart === 'string' ? { procStart: parsed.procStart } : {}),
    };
    const stale = this.staleness(holder, path, beat);
    if (stale) holder.stale = stale;
    return { holder, ino: st.ino, dev: st.dev };
  }

  private staleness(h: LockHolder, path: string, beatMs: number): string | undefined {
    if (h.host === hostname() && h.pid > 0) {
      if (h.pid === process.pid) {
        // Our own pid: only our in-memory registry knows whether we hold it.
        if (!held.has(path)) return `pid ${h.pid} is this process, which does not hold the lock (pid reused after the holder ended)`;
        return undefined;
      }
      if (!isPidAlive(h.pid)) return `pid ${h.pid} is not running`;
      const now = processStartTime(h.pid);
      if (h.procStart && now && now !== h.procStart) return `pid ${h.pid} now belongs to another process (pid reused)`;
    }
    const age = this.clock().getTime() - beatMs;
    if (age > this.staleAfterMs) return `no heartbeat for ${Math.round(age / 1000)} s`;
    return undefined;
  }

  /** Removes a stale lock, unless someone replaced it since we read it. */
  private removeStale(path: string, judged: LockFile): 'removed' | 'kept' | 'busy' {
    const guard = `${path}.takeover`;
    let fd: number;
    try {
      fd = openSync(guard, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Someone else is taking it over; a guard left by a process killed mid-takeover expires.
      const st = statSync(guard, { throwIfNoEntry: false });
      if (st && this.clock().getTime() - st.mtimeMs > GUARD_STALE_MS) unlinkQuietly(guard);
      return 'busy';
    }
    closeSync(fd);
    try {
      // Judge again under the guard: since we first read it, another process may have removed
      // the stale file and created its own fresh lock, and that new file may even have the
      // same inode number (freed inodes are reused at once), so identity is not enough.
      const now = this.read(judged.holder.siteId, path);
      if (now?.holder.stale && now.ino === judged.ino && now.dev === judged.dev) {
        unlinkQuietly(path);
        this.log?.warn(
          { event: 'lock-recovered', site: now.holder.siteId, pid: now.holder.pid, host: now.holder.host, since: now.holder.startedAt, reason: now.holder.stale },
          `recovered a stale lock on ${now.holder.siteId}: ${now.holder.stale}`,
        );
        return 'removed';
      }
      return 'kept';
    } finally {
      unlinkQuietly(guard);
    }
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** A lock this process holds: heartbeat timer, loss detection, release. */
class HeldLock implements SiteLock {
  readonly siteId: string;
  readonly path: string;
  private readonly controller = new AbortController();
  private fd: number | undefined;
  private readonly ino: number;
  private readonly dev: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    siteId: string,
    path: string,
    fd: number,
    private readonly holder: LockHolder,
    heartbeatMs: number,
    private readonly clock: () => Date,
    private readonly log: Logger | undefined,
  ) {
    this.siteId = siteId;
    this.path = path;
    this.fd = fd;
    const st = fstatSync(fd);
    this.ino = st.ino;
    this.dev = st.dev;
    this.timer = setInterval(() => this.beat(), heartbeatMs);
    // The heartbeat must never keep a finished process alive.
    this.timer.unref();
  }

  get lost(): AbortSignal {
    return this.controller.signal;
  }

  private write(): void {
    if (this.fd === undefined) return;
    const text = Buffer.from(JSON.stringify(this.holder) + '\n');
    // Overwritten in place: timestamps are fixed-width, so the length does not change and a
    // reader never sees the file empty or cut short (it is truncated only if it got shorter).
    writeSync(this.fd, text, 0, text.length, 0);
    if (fstatSync(this.fd).size > text.length) ftruncateSync(this.fd, text.length);
  }

  /**
   * Is the file at our path still ours? Inode numbers are reused as soon as a file is deleted,
   * so the content (our pid and start time) is checked as well.
   */
  private ownsPath(): boolean {
    const now = statSync(this.path, { throwIfNoEntry: false });
    if (!now || now.ino !== this.ino || now.dev !== this.dev) return false;
    try {
      const h = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<LockHolder>;
      return h.pid === this.holder.pid && h.startedAt === this.holder.startedAt && h.host === this.holder.host;
    } catch {
      return false;
    }
  }

  private beat(): void {
    if (this.fd === undefined) return;
    if (!this.ownsPath()) {
      this.log?.error({ event: 'lock-lost', site: this.siteId }, `the lock on ${this.siteId} was taken over by another process; stopping this crawl`);
      this.controller.abort(new AbortError(`the lock on ${this.siteId} was taken over by another process`));
      this.close();
      return;
    }
    this.holder.heartbeatAt = this.clock().toISOString();
    try {
      this.write();
    } catch (err) {
      // A full disk must not kill the crawl; the lock just looks older to others.
      this.log?.warn({ event: 'lock-heartbeat-failed', site: this.siteId, error: (err as Error).message }, 'could not refresh the lock heartbeat');
    }
  }

  private close(): void {
    clearInterval(this.timer);
    held.delete(this.path);
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Already closed.
      }
      this.fd = undefined;
    }
  }

  release(): void {
    if (this.fd === undefined) return;
    // Only our own file: after a takeover the path belongs to someone else.
    if (this.ownsPath()) unlinkQuietly(this.path);
    this.close();
  }
}
