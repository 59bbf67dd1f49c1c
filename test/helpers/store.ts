import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExtractedItem } from '../../src/extract/types.js';
import { fingerprintItem } from '../../src/fingerprint/fingerprint-item.js';
import type { ItemFingerprint } from '../../src/fingerprint/types.js';
import { FingerprintStore } from '../../src/store/fingerprint-store.js';

/** The key tests use unless they ask for a fresh one: results are then the same on every run. */
export const TEST_KEY_HEX = '4c65616b776174636820746573742066696e6765727072696e74206b65792031';

/**
 * A real store in a temp dir, with its key file in the same temp dir (never the user's).
 * The key is fixed so every run computes the same fingerprints; `randomKey` makes a new one.
 */
export function tempStore(dir: string, options: { randomKey?: boolean } = {}): FingerprintStore {
  const keyFile = join(dir, 'keys', 'fp.key');
  if (!options.randomKey) {
    mkdirSync(join(dir, 'keys'), { recursive: true });
    writeFileSync(keyFile, TEST_KEY_HEX + '\n', { mode: 0o600 });
  }
  return FingerprintStore.open(join(dir, 'fingerprints'), { create: true, env: {}, keyFile });
}

export function textItem(path: string, text: string): ExtractedItem {
  const bytes = Buffer.from(text);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, type: 'text', depth: 0, text, images: [], warnings: [] };
}

/** Adds text documents to a set, one source per document. */
export function addTexts(store: FingerprintStore, set: string, docs: Record<string, string>): void {
  const setId = store.ensureSet(set);
  for (const [path, text] of Object.entries(docs)) {
    const fp = fingerprintItem(textItem(path, text), store.keys);
    store.writeSource(setId, { path, size: fp.size, mtimeMs: 0 }, [fp], []);
  }
}

export function sampleOf(store: FingerprintStore, text: string, path = 'sample.txt'): ItemFingerprint {
  return fingerprintItem(textItem(path, text), store.keys, { dihedral: true });
}
