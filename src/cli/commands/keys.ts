import { resolve } from 'node:path';
import type { Command } from 'commander';
import { evidencePaths, exportPublicKeys, initKeys, writePublicKeys, type PublicKeyInfo } from '../../evidence/index.js';
import type { CommandContext, RegisterCommand } from '../context.js';
import { json } from '../table.js';

/**
 * `leakwatch keys init|export`: the evidence keys (package signing, custody log, sample vault).
 * Private keys stay in the key folder (0700, files 0600); export prints only public keys.
 */

interface KeyDirOptions {
  dir?: string;
  dataDir: string;
  json?: boolean;
}

function withKeyDir(cmd: Command): Command {
  return cmd
    .option('--dir <dir>', 'key folder (default: <data-dir>/keys)')
    .option('--data-dir <dir>', 'data folder', 'data')
    .option('--json', 'machine-readable output');
}

export function keyDir(ctx: CommandContext, o: { dir?: string; dataDir: string }): string {
  return resolve(ctx.io.cwd, o.dir ?? evidencePaths(o.dataDir).keys);
}

function describe(k: PublicKeyInfo): string {
  const what = k.role === 'package-signing' ? 'package signing (WACZ signatures)' : 'custody log (checkpoint signatures)';
  return `${what}, ${k.algorithm}\n  fingerprint SHA-256(SPKI): ${k.fingerprint}\n${k.noteVerifierKey ? `  note verifier key: ${k.noteVerifierKey}\n` : ''}${k.pem}`;
}

export const registerKeys: RegisterCommand = (program, ctx) => {
  const { io } = ctx;
  const keys = program.command('keys').description('create and export the evidence signing keys');

  withKeyDir(keys.command('init').description('create the package-signing (ECDSA P-384), custody-log (Ed25519) and sample-vault (AES-256) keys')).action(
    (o: KeyDirOptions) => {
      const r = initKeys(keyDir(ctx, o));
      for (const w of r.warnings) io.err(`warning: ${w}\n`);
      if (o.json) {
        io.out(json({ dir: r.dir, files: r.files, publicKeys: r.publicKeys }));
        return;
      }
      io.out(`created keys in ${r.dir} (private keys mode 0600; back the folder up offline — packages cannot be re-signed and the vault cannot be read without it)\n\n`);
      for (const k of r.publicKeys) io.out(describe(k) + '\n');
    },
  );

  withKeyDir(keys.command('export').description('print the public keys and fingerprints for counsel (never the private keys)'))
    .option('--out <dir>', 'also write the public keys (PEM + public-keys.json) to this folder')
    .action((o: KeyDirOptions & { out?: string }) => {
      const dir = keyDir(ctx, o);
      const infos = exportPublicKeys(dir);
      const written = o.out ? writePublicKeys(dir, resolve(io.cwd, o.out)) : [];
      if (o.json) {
        io.out(json({ keys: infos, ...(o.out ? { written } : {}) }));
        return;
      }
      for (const k of infos) io.out(describe(k) + '\n');
      if (o.out) io.out(`wrote ${written.length ? written.join(', ') : 'nothing (already up to date)'}\n`);
    });
};
