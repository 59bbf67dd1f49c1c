import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTorBinaries } from './tor-binaries.js';
import { TorProcess } from './tor-process.js';

/**
 * A child process for test/tor/harness.test.ts: starts one tor through the harness (network
 * disabled, and *without* __OwningControllerProcess, so only the harness's exit handlers can
 * stop it), prints `TORPID <pid> DIR <temp dir>`, then ends the way argv[2] says:
 *  - `exit`: process.exit(3) — a worker torn down by its pool;
 *  - `throw`: an uncaught exception;
 *  - `signal`: waits for SIGTERM/SIGINT from the parent.
 * The parent then checks the tor PID is gone.
 */

const mode = process.argv[2] ?? 'exit';
const bin = requireTorBinaries();
const dir = mkdtempSync(join(tmpdir(), 'leakwatch-tor-cleanup-'));
const empty = join(dir, 'empty');
writeFileSync(empty, '');
const torrc = join(dir, 'torrc');
writeFileSync(torrc, [`DataDirectory ${join(dir, 'data')}`, 'SocksPort 0', 'DisableNetwork 1', 'Log notice stdout', `GeoIPFile ${empty}`, `GeoIPv6File ${empty}`, ''].join('\n'));
const tor = new TorProcess({ name: 'lonely', dataDir: dir, torrcPath: torrc }, bin.tor, empty);
tor.start();
await tor.waitForLog(/DisableNetwork is set|Bootstrapped 0%/, 30_000, 'tor to start');
process.stdout.write(`TORPID ${tor.pid} DIR ${dir}\n`);
if (mode === 'exit') setTimeout(() => process.exit(3), 50);
else if (mode === 'throw') setTimeout(() => {
  throw new Error('a test blew up');
}, 50);
else setInterval(() => undefined, 1000);
