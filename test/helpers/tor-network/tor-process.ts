import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { registerPid, unregisterPid } from './process-registry.js';

/**
 * One `tor` process: started from its torrc, its notice log kept (in memory for waits, on disk
 * for post-mortems), stopped by the PID it was started with. Every wait is bounded and, when
 * it fails, says what the process last logged — a stalled network must explain itself.
 */

export interface TorNodeSpec {
  /** Nickname and directory name, e.g. `auth0`, `relay1`, `onion`, `client`. */
  name: string;
  dataDir: string;
  torrcPath: string;
}

/** A line Tor logs when it cannot bind a port we picked: the start is retried with new ports. */
export class PortInUseError extends Error {}

const KEEP_LINES = 400;

export class TorProcess {
  readonly name: string;
  readonly dataDir: string;
  readonly torrcPath: string;
  private child: ChildProcess | undefined;
  private lines: string[] = [];
  private listeners = new Set<(line: string) => void>();
  private exited: Promise<void> = Promise.resolve();
  private exitInfo: string | undefined;
  private logFile: WriteStream | undefined;
  private stopping = false;
  /** Set when the process died on its own or could not bind a port: waits stop at once. */
  fatal: Error | undefined;
  startedAt = 0;

  constructor(spec: TorNodeSpec, private readonly torBin: string, private readonly defaultsTorrc: string) {
    this.name = spec.name;
    this.dataDir = spec.dataDir;
    this.torrcPath = spec.torrcPath;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** The last lines tor logged (notice level), for error messages. */
  tail(n = 25): string {
    return this.lines.slice(-n).map((l) => `  [${this.name}] ${l}`).join('\n');
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.lines = [];
    this.exitInfo = undefined;
    this.fatal = undefined;
    this.stopping = false;
    this.startedAt = performance.now();
    // --defaults-torrc: our own empty file, so a system-wide torrc-defaults cannot add options.
    const child = spawn(this.torBin, ['--defaults-torrc', this.defaultsTorrc, '-f', this.torrcPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error(`could not start tor for ${this.name}`);
    this.child = child;
    registerPid(child.pid);
    this.logFile = createWriteStream(join(this.dataDir, 'stdout.log'), { flags: 'a' });
    let partial = '';
    const onData = (chunk: Buffer): void => {
      this.logFile?.write(chunk);
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.push(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const pid = child.pid;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = signal ? `killed by ${signal}` : `exited with code ${code}`;
        unregisterPid(pid);
        this.logFile?.end();
        this.push(`(process ${this.exitInfo})`);
        if (!this.stopping) this.fatal ??= new Error(`${this.name} ${this.exitInfo} unexpectedly\n${this.tail()}`);
        resolve();
      });
    });
    child.once('error', (err) => this.push(`(spawn error: ${err.message})`));
  }

  private push(line: string): void {
    if (/Could not bind to .*Address already in use/.test(line)) this.fatal ??= new PortInUseError(`${this.name}: ${line}`);
    this.lines.push(line);
    if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
    for (const l of [...this.listeners]) l(line);
  }

  /**
   * Resolves with the first log line (since start) matching `pattern`. Rejects when the process
   * exits, cannot bind a port (PortInUseError), or the time is up.
   */
  waitForLog(pattern: RegExp, timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (line: string): boolean => {
        if (pattern.test(line)) {
          done();
          resolve(line);
          return true;
        }
        if (/Could not bind to .*Address already in use/.test(line)) {
          done();
          reject(new PortInUseError(`${this.name}: ${line}`));
          return true;
        }
        if (this.exitInfo !== undefined) {
          done();
          reject(new Error(`${this.name} ${this.exitInfo} while waiting for ${what}\n${this.tail()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.tail()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      for (const line of this.lines) if (check(line)) return;
      this.listeners.add(check);
    });
  }

  /** SIGTERM (tor exits at once, relays included), SIGKILL if it lingers. Bounded. */
  async stop(graceMs = 5000): Promise<void> {
    const child = this.child;
    if (!child?.pid || this.exitInfo !== undefined) return;
    const pid = child.pid;
    this.stopping = true;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const timedOut = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await Promise.race([this.exited, sleep(2000)]);
    }
    unregisterPid(pid);
  }

  /** SIGKILL, for a service that should vanish without a goodbye (no circuit teardown). */
  async kill(): Promise<void> {
    const pid = this.child?.pid;
    if (!pid || this.exitInfo !== undefined) return;
    this.stopping = true;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await Promise.race([this.exited, sleep(2000)]);
    unregisterPid(pid);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
