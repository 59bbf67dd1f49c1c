import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/shared.js';

/**
 * The CLI as a real child process (`node --import tsx src/cli/main.ts …`), the way systemd or
 * cron runs it: its own pid, real signals, JSON logs on stderr. bin/leakwatch.js is not used
 * because it runs the CLI in a grandchild, and a SIGKILL must hit the crawler itself.
 */

export interface LogLine {
  level: number;
  time: string;
  msg: string;
  event?: string;
  site?: string;
  status?: string;
  [key: string]: unknown;
}

export interface CliProcess {
  child: ChildProcess;
  pid: number;
  /** Every JSON log line written so far. */
  logs: LogLine[];
  stderr(): string;
  stdout(): string;
  /** Resolves with the first log line (from the start) that satisfies `pred`; rejects after `timeoutMs`. */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let err = '';
  let out = '';
  let partial = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => {
    const text = c.toString();
    err += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    }
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const w of [...waiters]) w();
  });
  return {
    child,
    pid: child.pid as number,
    logs,
    stderr: () => err,
    stdout: () => out,
    exited,
    waitForLog(pred, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const hit = logs.find(pred);
          if (hit) finish(() => resolve(hit));
          else if (done) finish(() => reject(new Error(`process exited before: ${what}\n${err.slice(-3000)}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for: ${what}\n${err.slice(-3000)}`))), timeoutMs);
        function finish(then: () => void): void {
          clearTimeout(timer);
          waiters.delete(check);
          then();
        }
        waiters.add(check);
        check();
      });
    },
  };
}

/** Polls `fn` until it returns a value other than undefined/false; rejects after `timeoutMs`. */
export async function until<T>(fn: () => T | undefined | false, timeoutMs: number, what: string, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
