import { TorControl } from '../../../src/fetch/tor-control.js';

/**
 * The harness talks to its tor processes with leakwatch's own control-port client
 * (src/fetch/tor-control.ts), so every test run also exercises that client against real Tor.
 * This adds the one thing only the harness needs: waiting for a control port that is still
 * coming up (tor writes the cookie file a moment after it starts listening).
 */

export { TorControl };

/** Retries connect + cookie authentication until it works (bounded). */
export async function connectWhenReady(port: number, cookiePath: string, timeoutMs: number): Promise<TorControl> {
  const until = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < until) {
    try {
      return await TorControl.connect({ host: '127.0.0.1', port, cookiePath }, { timeoutMs: Math.max(500, Math.min(5000, until - performance.now())) });
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`control port 127.0.0.1:${port} not ready within ${timeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`);
}
