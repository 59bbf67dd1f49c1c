import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../src/schedule/process-identity.js';
import { describeHolder, SiteLocks } from '../../src/schedule/site-lock.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { useTempDir } from '../helpers/tmp.js';
import { until } from './cli-process.js';

const tmp = useTempDir('leakwatch-lock-');
const FIXTURE = join(PROJECT_ROOT, 'test', 'schedule', 'fixtures', 'hold-lock.ts');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

interface ChildResult {
  acquired: boolean;
  pid?: number;
  holder?: { pid: number };
}

/** A child process that tries the lock (after `goFile` appears, if given) and holds it. */
function holder(dir: string, siteId: string, holdMs = 0, goFile?: string): { child: ChildProcess; result: Promise<ChildResult>; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, siteId, String(holdMs), ...(goFile ? [goFile] : [])], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const result = new Promise<ChildResult>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string) as ChildResult);
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before answering: ${err}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, result, exited };
}

function writeLock(path: string, fields: Record<string, unknown>, mtime?: Date): void {
  writeFileSync(path, JSON.stringify(fields) + '\n');
  if (mtime) utimesSync(path, mtime, mtime);
}

describe('per-site lock', () => {
  it('is exclusive within a process and released on release()', () => {
    const dir = tmp();
    const a = new SiteLocks(dir);
    const b = new SiteLocks(dir);
    const first = a.tryAcquire('site-a');
    expect(first.acquired).toBe(true);
    const second = b.tryAcquire('site-a');
    expect(second).toMatchObject({ acquired: false, holder: { pid: process.pid, host: hostname() } });
    expect(second.acquired ? '' : describeHolder(second.holder)).toMatch(new RegExp(`^already being crawled by pid ${process.pid} since `));
    // Another site is independent.
    const other = b.tryAcquire('site-b');
    expect(other.acquired).toBe(true);
    if (first.acquired) first.lock.release();
    expect(existsSync(a.pathOf('site-a'))).toBe(false);
    const third = b.tryAcquire('site-a');
    expect(third.acquired).toBe(true);
    if (third.acquired) third.lock.release();
    if (other.acquired) other.lock.release();
  });

  it('records pid, host, start time and heartbeat in the lock file', () => {
    const dir = tmp();
    const locks = new SiteLocks(dir);
    const got = locks.tryAcquire('s');
    expect(got.acquired).toBe(true);
    const content = JSON.parse(readFileSync(locks.pathOf('s'), 'utf8')) as Record<string, unknown>;
    expect(content).toMatchObject({ siteId: 's', pid: process.pid, host: hostname() });
    expect(typeof content.startedAt).toBe('string');
    expect(typeof content.heartbeatAt).toBe('string');
    if (process.platform === 'linux') expect(content.procStart).toBe(processStartTime(process.pid));
    if (got.acquired) got.lock.release();
  });

  it('is exclusive across processes, and a lock left by a killed child process is recovered', async () => {
    const dir = tmp();
    const h = holder(dir, 'victim-site');
    expect(await h.result).toMatchObject({ acquired: true, pid: h.child.pid });
    const locks = new SiteLocks(dir);
    const blocked = locks.tryAcquire('victim-site');
    expect(blocked).toMatchObject({ acquired: false, holder: { pid: h.child.pid } });

    h.child.kill('SIGKILL');
    await h.exited;
    // The file is still there (no exit hook runs on SIGKILL), but its pid is gone.
    expect(existsSync(locks.pathOf('victim-site'))).toBe(true);
    expect(locks.inspect('victim-site')?.stale).toMatch(/not running/);
    const taken = locks.tryAcquire('victim-site');
    expect(taken.acquired).toBe(true);
    expect(JSON.parse(readFileSync(locks.pathOf('victim-site'), 'utf8'))).toMatchObject({ pid: process.pid });
    if (taken.acquired) taken.lock.release();
  });

  it('a child that exits normally releases its lock', async () => {
    const dir = tmp();
    const h = holder(dir, 's', 200);
    expect((await h.result).acquired).toBe(true);
    await h.exited;
    expect(existsSync(join(dir, 's.lock'))).toBe(false);
  });

  it('recovers a lock whose pid was reused by another process, or is our own pid', () => {
    const dir = tmp();
    const locks = new SiteLocks(dir);
    const now = new Date().toISOString();
    // Our parent is alive, but the recorded start time is not its start time: a reused pid.
    writeLock(locks.pathOf('reused'), { siteId: 'reused', pid: process.ppid, host: hostname(), startedAt: now, heartbeatAt: now, procStart: '1' });
    if (process.platform === 'linux') expect(locks.inspect('reused')?.stale).toMatch(/pid reused/);
    // Our own pid (e.g. a container restarted with the same pid), but we do not hold it.
    writeLock(locks.pathOf('own'), { siteId: 'own', pid: process.pid, host: hostname(), startedAt: now, heartbeatAt: now });
    expect(locks.inspect('own')?.stale).toMatch(/this process/);
    const got = locks.tryAcquire('own');
    expect(got.acquired).toBe(true);
    if (got.acquired) got.lock.release();
  });

  it('treats a live holder with a fresh heartbeat as held, and an old heartbeat as stale', () => {
    const dir = tmp();
    const locks = new SiteLocks(dir, { staleAfterMs: 60_000 });
    const procStart = processStartTime(process.ppid);
    const fresh = new Date().toISOString();
    writeLock(locks.pathOf('live'), { siteId: 'live', pid: process.ppid, host: hostname(), startedAt: fresh, heartbeatAt: fresh, ...(procStart ? { procStart } : {}) });
    expect(locks.inspect('live')?.stale).toBeUndefined();
    expect(locks.tryAcquire('live')).toMatchObject({ acquired: false, holder: { pid: process.ppid } });

    const old = new Date(Date.now() - 10 * 60_000);
    writeLock(locks.pathOf('hung'), { siteId: 'hung', pid: process.ppid, host: hostname(), startedAt: old.toISOString(), heartbeatAt: old.toISOString(), ...(procStart ? { procStart } : {}) }, old);
    expect(locks.inspect('hung')?.stale).toMatch(/no heartbeat for \d+ s/);
    // Another host: the pid cannot be checked, so only the heartbeat counts.
    writeLock(locks.pathOf('remote'), { siteId: 'remote', pid: 1, host: 'elsewhere.invalid', startedAt: fresh, heartbeatAt: fresh });
    expect(locks.inspect('remote')?.stale).toBeUndefined();
    writeLock(locks.pathOf('remote-old'), { siteId: 'remote-old', pid: 1, host: 'elsewhere.invalid', startedAt: old.toISOString(), heartbeatAt: old.toISOString() }, old);
    expect(locks.inspect('remote-old')?.stale).toMatch(/no heartbeat/);
  });

  it('refreshes its heartbeat, and notices when the lock was taken over', async () => {
    const dir = tmp();
    const locks = new SiteLocks(dir, { heartbeatMs: 30 });
    const got = locks.tryAcquire('s');
    if (!got.acquired) throw new Error('not acquired');
    const first = (JSON.parse(readFileSync(locks.pathOf('s'), 'utf8')) as { heartbeatAt: string }).heartbeatAt;
    await until(() => (JSON.parse(readFileSync(locks.pathOf('s'), 'utf8')) as { heartbeatAt: string }).heartbeatAt !== first, 10_000, 'a new heartbeat');
    // Someone judged us dead and replaced the file: we must stop, and not delete their lock.
    const now = new Date().toISOString();
    writeLock(join(dir, 'replacement'), { siteId: 's', pid: process.ppid, host: hostname(), startedAt: now, heartbeatAt: now });
    renameSync(join(dir, 'replacement'), locks.pathOf('s'));
    await until(() => got.lock.lost.aborted, 10_000, 'the lock to be reported lost');
    got.lock.release();
    expect(JSON.parse(readFileSync(locks.pathOf('s'), 'utf8'))).toMatchObject({ pid: process.ppid });
  });

  it('lets exactly one of several processes take over the same stale lock', async () => {
    const dir = tmp();
    const locks = new SiteLocks(dir);
    const old = new Date(Date.now() - 3_600_000);
    // A holder that no longer exists (pid far beyond pid_max on Linux).
    writeLock(locks.pathOf('contested'), { siteId: 'contested', pid: 99_999_999, host: hostname(), startedAt: old.toISOString(), heartbeatAt: old.toISOString() }, old);
    const go = join(dir, 'go');
    const racers = Array.from({ length: 4 }, () => holder(dir, 'contested', 0, go));
    // Let them all start up and spin on the go file, then release them together.
    await new Promise((r) => setTimeout(r, 1500));
    writeFileSync(go, '');
    const results = await Promise.all(racers.map((r) => r.result));
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => !x.acquired)) expect(r.holder?.pid).toBe(winners[0]?.pid);
    expect(JSON.parse(readFileSync(locks.pathOf('contested'), 'utf8'))).toMatchObject({ pid: winners[0]?.pid });
  });
});
