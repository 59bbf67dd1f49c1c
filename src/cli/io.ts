/**
 * The CLI writes only through this interface, so `run(argv)` can be called from tests and
 * capture everything, while `main.ts` streams to the real terminal.
 */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: progress bars instead of periodic lines. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal?: AbortSignal;
  /** Default process.stdin (tests pass their own, e.g. `web hash-password`). */
  stdin?: NodeJS.ReadableStream;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Exit codes, documented in the README. */
export const EXIT = {
  OK: 0,
  /** `match`: at least one match was found. */
  MATCH: 1,
  /** Any fatal error: bad usage, unreadable store, missing key. */
  ERROR: 2,
} as const;

export function captureIO(overrides: Partial<CliIO> = {}): CliIO & { stdoutText(): string; stderrText(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    isTTY: false,
    env: process.env,
    cwd: process.cwd(),
    ...overrides,
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
  };
}
