import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where Debian's `tor` and `tor-gencert` are, and whether the Tor suite may run here.
 * Debian installs tor in /usr/sbin, which is not on every user's PATH, so that is searched
 * too. In CI (`CI` set) the suite never skips: a missing binary must fail the run loudly,
 * because a silently skipped "proof on real Tor" proves nothing.
 */

export interface TorBinaries {
  tor: string;
  gencert: string;
}

function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Both binaries, or a sentence saying what is missing and how to install it. */
export function findTorBinaries(): { ok: true; bin: TorBinaries } | { ok: false; reason: string } {
  const tor = findExecutable('tor');
  const gencert = findExecutable('tor-gencert');
  if (tor && gencert) return { ok: true, bin: { tor, gencert } };
  const missing = [tor ? undefined : 'tor', gencert ? undefined : 'tor-gencert'].filter(Boolean).join(' and ');
  return { ok: false, reason: `${missing} not found (install Debian's package: apt-get install -y tor)` };
}

export function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * True when a Tor suite should be skipped: only outside CI, and only because the binary is
 * absent (then with a message saying so). Everything else — a network that does not start, a
 * bootstrap that times out — is a test failure, never a skip.
 */
export function skipTorSuite(suite: string): boolean {
  const found = findTorBinaries();
  if (found.ok) return false;
  if (inCi()) return false; // beforeAll then throws: CI must fail, not skip
  console.warn(`${suite} SKIPPED: ${found.reason}. In CI this suite fails instead of skipping.`);
  return true;
}

/** The binaries, or an error that explains the failure (used in beforeAll). */
export function requireTorBinaries(): TorBinaries {
  const found = findTorBinaries();
  if (!found.ok) throw new Error(`cannot start the private Tor network: ${found.reason}`);
  return found.bin;
}
