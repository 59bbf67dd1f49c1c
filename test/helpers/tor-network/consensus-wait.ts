import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TorProcess } from './tor-process.js';
import { pollUntil } from './wait.js';

/**
 * Waits until every authority's cached microdescriptor consensus lists all relays. Clients
 * and the onion host start only after that: started against a one-relay consensus, a client
 * picked its guards from it and stalled for over a minute (../shared/notes/tor.md).
 */

export interface ConsensusInfo {
  relays: number;
  /** fresh-until − valid-after, seconds: the voting interval this consensus was made with. */
  intervalSeconds: number;
  /** Microdescriptors the consensus lists that this authority cannot serve yet. */
  missingMicrodescs: number;
}

/**
 * Digests (SHA-256, unpadded base64, as in the consensus's `m` lines) of the microdescriptors
 * in an authority's cache. Each runs from its `onion-key` line to the next annotation (`@…`)
 * or microdescriptor.
 */
export function microdescDigests(text: string): Set<string> {
  const digests = new Set<string>();
  let current: string[] | undefined;
  const flush = (): void => {
    if (current) digests.add(createHash('sha256').update(`${current.join('\n').replace(/\n+$/, '')}\n`).digest('base64').replace(/=+$/, ''));
    current = undefined;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('onion-key')) {
      flush();
      current = [line];
    } else if (line.startsWith('@')) flush();
    else current?.push(line);
  }
  flush();
  return digests;
}

export async function readConsensus(authorityDataDir: string): Promise<ConsensusInfo> {
  const read = (name: string): Promise<string> => readFile(join(authorityDataDir, name), 'utf8').catch(() => '');
  const text = await read('cached-microdesc-consensus');
  if (!text) return { relays: 0, intervalSeconds: 0, missingMicrodescs: 0 };
  const cached = microdescDigests(`${await read('cached-microdescs')}\n${await read('cached-microdescs.new')}`);
  const listed = [...text.matchAll(/^m (\S+)$/gm)].map((m) => m[1] ?? '');
  // "valid-after 2026-11-22 11:27:40" (UTC)
  const time = (key: string): number => {
    const stamp = new RegExp(`^${key} (\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d)$`, 'm').exec(text);
    return stamp ? Date.parse(`${stamp[1]}T${stamp[2]}Z`) : NaN;
  };
  const interval = (time('fresh-until') - time('valid-after')) / 1000;
  return {
    relays: text.split('\n').filter((l) => l.startsWith('r ')).length,
    intervalSeconds: Number.isFinite(interval) ? interval : 0,
    missingMicrodescs: listed.filter((d) => !cached.has(d)).length,
  };
}

/**
 * Also waits until each authority can serve every microdescriptor its consensus lists: an
 * authority that learnt a relay only from the others' votes fetches its descriptor later, and
 * a client asking it first is told "outdated dirinfo" and retries 10 s later (seen: 10–37 s
 * bootstrap stalls at "Loading relay descriptors").
 * And waits for a consensus made on the regular voting schedule (`intervalSeconds`), not the
 * fast initial one: in a test network the onion time period is 24 voting intervals long, so a
 * service published under a 5 s-interval consensus would change its blinded key (and its
 * HSDirs) with the next consensus, and a client asking in between gets 0xF0.
 * `nodes`: every process started so far (a dead one fails the wait at once).
 */
export async function waitForConsensus(
  authorities: readonly TorProcess[],
  relays: number,
  intervalSeconds: number,
  timeoutMs: number,
  nodes: readonly TorProcess[],
): Promise<void> {
  let seen: ConsensusInfo[] = [];
  try {
    await pollUntil(`a consensus listing all ${relays} relays, voted every ${intervalSeconds} s, with every microdescriptor at every authority`, timeoutMs, async () => {
      seen = await Promise.all(authorities.map((a) => readConsensus(a.dataDir)));
      return seen.every((c) => c.relays >= relays && c.intervalSeconds === intervalSeconds && c.missingMicrodescs === 0) ? true : undefined;
    }, nodes, 250);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('timed out')) {
      err.message += `\n(authorities' consensuses: ${seen.map((c) => `${c.relays} relays/${c.intervalSeconds} s/${c.missingMicrodescs} microdescs missing`).join(', ')})`;
    }
    throw err;
  }
}
