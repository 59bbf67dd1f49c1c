import { join } from 'node:path';

/** Where evidence lives under the data folder (default `data/`); the crawler and CLI agree on it. */
export interface EvidencePaths {
  keys: string;
  packages: string;
  custodyLog: string;
  /** Beside the log: `<dir of custodyLog>/checkpoints`. */
  checkpoints: string;
  vault: string;
}

export function evidencePaths(dataDir: string): EvidencePaths {
  return {
    keys: join(dataDir, 'keys'),
    packages: join(dataDir, 'evidence'),
    custodyLog: join(dataDir, 'custody', 'custody.jsonl'),
    checkpoints: join(dataDir, 'custody', 'checkpoints'),
    vault: join(dataDir, 'samples'),
  };
}

export const TSA_URL_ENV = 'LEAKWATCH_TSA_URL';
export const TSA_CERT_ENV = 'LEAKWATCH_TSA_CERT';
