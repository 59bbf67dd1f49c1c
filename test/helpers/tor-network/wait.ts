import type { TorProcess } from './tor-process.js';

/**
 * The harness's one way to wait: poll `check` until it returns a value, at most `timeoutMs`,
 * failing at once when one of `nodes` died or could not bind its port. The error says what
 * was awaited and shows the nodes' last log lines.
 */
export async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
  nodes: readonly TorProcess[],
  intervalMs = 200,
): Promise<T> {
  const until = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const dead = nodes.find((n) => n.fatal);
    if (dead?.fatal) throw dead.fatal;
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() >= until) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}\n${nodes.map((n) => n.tail(12)).join('\n')}`);
}
