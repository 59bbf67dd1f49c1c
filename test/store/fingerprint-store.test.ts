import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FingerprintStore } from '../../src/store/fingerprint-store.js';
import { addTexts, tempStore } from '../helpers/store.js';
import { useTempDir } from '../helpers/tmp.js';
import { randomText } from '../helpers/words.js';

const tmp = useTempDir();

describe('FingerprintStore', () => {
  it('keeps its key outside the database, mode 0600, and refuses a missing or wrong key', () => {
    const dir = tmp();
    const store = tempStore(dir, { randomKey: true });
    addTexts(store, 'clinic', { 'a.txt': randomText(300, 1) });
    store.close();
    const keyFile = join(dir, 'keys', 'fp.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'fingerprints', 'fingerprints.db'))).toBe(true);

    expect(() => FingerprintStore.open(join(dir, 'fingerprints'), { env: {}, keyFile: join(dir, 'missing.key') })).toThrow(/fingerprint key not found/);
    const other = FingerprintStore.open(join(dir, 'other'), { create: true, env: {}, keyFile: join(dir, 'other.key') });
    other.close();
    expect(() => FingerprintStore.open(join(dir, 'fingerprints'), { env: {}, keyFile: join(dir, 'other.key') })).toThrow(/is not the key of the fingerprint store/);
    const env = { LEAKWATCH_FINGERPRINT_KEY: readFileSync(keyFile, 'utf8').trim() };
    FingerprintStore.open(join(dir, 'fingerprints'), { env }).close();
  });

  it('holds no plaintext of the documents it fingerprints', () => {
    const dir = tmp();
    const store = tempStore(dir);
    const text = randomText(2_000, 2);
    addTexts(store, 'clinic', { 'notes/secret.txt': text });
    store.close();
    const db = new Database(join(dir, 'fingerprints', 'fingerprints.db'), { readonly: true });
    const dump = JSON.stringify(
      ['meta', 'sets', 'sources', 'documents', 'page_hashes', 'winnow', 'images'].map((t) => db.prepare(`SELECT * FROM ${t}`).all()),
    );
    db.close();
    // No word of the text (of 6+ letters) appears anywhere in the database.
    const words = [...new Set(text.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 6))];
    expect(words.length).toBeGreaterThan(50);
    expect(words.filter((w) => dump.includes(w))).toEqual([]);
    const raw = readFileSync(join(dir, 'fingerprints', 'fingerprints.db'), 'latin1');
    expect(words.filter((w) => raw.includes(w))).toEqual([]);
  });

  it('lists, summarises and removes sets', () => {
    const store = tempStore(tmp());
    addTexts(store, 'a', { 'x.txt': randomText(300, 1), 'y.txt': randomText(300, 2) });
    addTexts(store, 'b', { 'z.txt': randomText(300, 3) });
    expect(store.listSets().map((s) => [s.name, s.documents])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(store.removeSet('a')).toBe(true);
    expect(store.removeSet('a')).toBe(false);
    expect(store.listSets().map((s) => s.name)).toEqual(['b']);
    const left = store.db.prepare('SELECT COUNT(*) AS n FROM winnow').get() as { n: number };
    expect(left.n).toBe(store.summary(store.setId('b')!).winnowFingerprints);
    store.close();
  });

  it('reports a corrupt database file clearly', () => {
    const dir = tmp();
    const fp = join(dir, 'fingerprints');
    FingerprintStore.open(fp, { create: true, env: {}, keyFile: join(dir, 'k') }).close();
    writeFileSync(join(fp, 'fingerprints.db'), 'this is not sqlite'.repeat(300));
    expect(() => FingerprintStore.open(fp, { env: {}, keyFile: join(dir, 'k') })).toThrow(/cannot open fingerprint store/);
  });
});
