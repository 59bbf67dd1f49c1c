import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { FingerprintStore } from '../store/fingerprint-store.js';
import type { CliIO } from './io.js';

export interface StoreOptions {
  fingerprints: string;
  keyFile?: string;
}

/** The options every fingerprint-store command shares. */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--fingerprints <dir>', 'fingerprint store folder', 'fingerprints')
    .option('--key-file <file>', 'fingerprint key file (default: $LEAKWATCH_FINGERPRINT_KEY_FILE, else ~/.config/leakwatch/fingerprint-<store>.key)');
}

export function openStore(io: CliIO, o: StoreOptions, create = false): FingerprintStore {
  return FingerprintStore.open(resolve(io.cwd, o.fingerprints), {
    create,
    env: io.env,
    ...(o.keyFile ? { keyFile: resolve(io.cwd, o.keyFile) } : {}),
  });
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}
