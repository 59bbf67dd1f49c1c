import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { livePids, pidAlive, skipTorSuite, startTorNetwork } from '../helpers/tor-network/index.js';

// The harness never leaves a tor behind: not when a start fails, not when the test process
// exits, throws or is signalled. Everything is by PID (docs/tor-testing.md).

const SKIP = skipTorSuite('test/tor/harness');
const CHILD = join(PROJECT_ROOT, 'test', 'helpers', 'tor-network', 'cleanup-child.ts');

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !pidAlive(pid);
}

/** Runs cleanup-child.ts in `mode`; answers the tor PID it started, once the child has ended. */
async function childTorPid(mode: 'exit' | 'throw' | 'signal'): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const line = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child printed no TORPID within 30 s: ${out} ${err}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /TORPID (\d+) DIR (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', () => reject(new Error(`child exited before printing TORPID: ${out} ${err}`)));
  });
  if (mode === 'signal') child.kill('SIGTERM');
  await exited;
  rmSync(line[2]!, { recursive: true, force: true });
  return Number(line[1]);
}

describe.skipIf(SKIP)('tor-network harness cleanup', () => {
  it('a start that fails (here: an impossible consensus deadline) stops every tor it started and says why', async () => {
    const before = livePids();
    const err = await startTorNetwork({ services: [{ name: 'x', targetPort: 9 }], timeouts: { consensusMs: 300 } }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/the private Tor network did not start \(logs kept in .+\): timed out after 300 ms waiting for a consensus/);
    expect(livePids()).toEqual(before);
    const kept = /logs kept in (\S+)\)/.exec(err!.message)![1]!;
    rmSync(dirname(kept), { recursive: true, force: true });
  }, 60_000);

  for (const mode of ['exit', 'throw', 'signal'] as const) {
    it(`a test process that ends by ${mode === 'exit' ? 'process.exit' : mode === 'throw' ? 'an uncaught exception' : 'SIGTERM'} takes its tor with it`, async () => {
      const pid = await childTorPid(mode);
      expect(await waitGone(pid, 5000), `tor ${pid} outlived its test process`).toBe(true);
    }, 60_000);
  }
});
