import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthorityInfo } from './torrc.js';

/**
 * Keys of one directory authority: `tor-gencert` makes the v3 identity, signing key and
 * certificate (with an empty passphrase on stdin), and `tor --list-fingerprint` creates the
 * relay identity and prints its RSA fingerprint. Both are needed for the `DirAuthority` line
 * every node of the network carries.
 */

/** RSA-3072 key generation is quick but its time varies, and a loaded 2-core machine stretches it. */
const KEYGEN_TIMEOUT_MS = 120_000;

function run(file: string, args: string[], input: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}

export async function createAuthorityKeys(
  bin: { tor: string; gencert: string },
  dataDir: string,
  nickname: string,
  orPort: number,
  dirPort: number,
): Promise<AuthorityInfo> {
  const keys = join(dataDir, 'keys');
  await mkdir(keys, { recursive: true, mode: 0o700 });
  await run(
    bin.gencert,
    [
      '--create-identity-key', '--passphrase-fd', '0', '-m', '12', '-a', `127.0.0.1:${dirPort}`,
      '-i', join(keys, 'authority_identity_key'), '-s', join(keys, 'authority_signing_key'), '-c', join(keys, 'authority_certificate'),
    ],
    '\n',
    KEYGEN_TIMEOUT_MS,
  );
  const cert = await readFile(join(keys, 'authority_certificate'), 'utf8');
  const v3Ident = /^fingerprint ([0-9A-F]{40})$/m.exec(cert)?.[1];
  if (!v3Ident) throw new Error(`no fingerprint line in ${join(keys, 'authority_certificate')}`);
  const rsaFingerprint = await createRelayKeys(bin.tor, dataDir, nickname);
  return { nickname, orPort, dirPort, v3Ident, rsaFingerprint };
}

/** Creates a relay's identity (and onion) keys without starting it; answers its RSA fingerprint. */
export async function createRelayKeys(torBin: string, dataDir: string, nickname: string): Promise<string> {
  await mkdir(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  // DisableNetwork: this run only creates the keys and prints the fingerprint.
  const out = await run(
    torBin,
    ['--ignore-missing-torrc', '-f', '/dev/null', '--defaults-torrc', '/dev/null', '--DataDirectory', dataDir, '--Nickname', nickname,
      '--ORPort', '1', '--DisableNetwork', '1', '--list-fingerprint', '--quiet'],
    '',
    KEYGEN_TIMEOUT_MS,
  );
  const line = out.split('\n').find((l) => l.startsWith(`${nickname} `));
  const fingerprint = line?.slice(nickname.length + 1).replace(/\s+/g, '');
  if (!fingerprint || !/^[0-9A-F]{40}$/.test(fingerprint)) throw new Error(`unexpected --list-fingerprint output: ${out}`);
  return fingerprint;
}
