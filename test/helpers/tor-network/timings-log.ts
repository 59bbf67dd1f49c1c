import { appendFileSync } from 'node:fs';
import type { BootstrapTimings } from './tor-network.js';

/**
 * Prints a network's bootstrap timings with the suite's name, and appends them as a JSON
 * line to $LEAKWATCH_TOR_TIMINGS when set — how the figures in docs/tor-testing.md were
 * collected over repeated runs.
 */
export function recordTimings(suite: string, timings: BootstrapTimings, extra: Record<string, number | string> = {}): void {
  const round = (ms: number): number => Math.round(ms) / 1000;
  const line = {
    suite,
    at: new Date().toISOString(),
    readySeconds: round(timings.readyMs),
    consensusSeconds: round(timings.consensusMs),
    clientBootstrappedSeconds: round(timings.clientBootstrappedMs),
    descriptorsSeconds: round(timings.descriptorsMs),
    keysSeconds: round(timings.keysMs),
    attempts: timings.attempts,
    clientRestarts: timings.clientRestarts,
    ...extra,
  };
  console.info(`[tor-network] ${suite}: ready in ${line.readySeconds} s (keys ${line.keysSeconds} s, consensus ${line.consensusSeconds} s, client ${line.clientBootstrappedSeconds} s, descriptors ${line.descriptorsSeconds} s)`);
  const file = process.env.LEAKWATCH_TOR_TIMINGS;
  if (file) appendFileSync(file, `${JSON.stringify(line)}\n`);
}
