import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FatalError } from '../errors.js';
import type { ExtractFailure } from '../extract/types.js';
import { deriveKeys, type FingerprintKeys } from '../fingerprint/keys.js';
import type { ItemFingerprint } from '../fingerprint/types.js';
import { FINGERPRINT_MIGRATIONS } from './fingerprint-schema.js';
import { resolveKey, type KeyLocation } from './key-file.js';
import { migrate } from './migrate.js';

export const FINGERPRINT_DB = 'fingerprints.db';

export interface SourceFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface SetSummary {
  name: string;
  createdAt: string;
  sources: number;
  failedSources: number;
  documents: number;
  bytes: number;
  textDocuments: number;
  winnowFingerprints: number;
  images: number;
}

export interface OpenOptions extends KeyLocation {
  /** Create the folder, database and key when missing (only `fingerprint add` does). */
  create?: boolean;
  readonly?: boolean;
  /** Clock, injected so tests and evidence get deterministic times. */
  now?: () => Date;
}

/**
 * The fingerprint store: one SQLite database under `fingerprints/`, plus the key kept
 * elsewhere. All SQL of the fingerprint tiers lives here and in fingerprint-queries.ts.
 */
export class FingerprintStore {
  readonly db: Database.Database;
  readonly keys: FingerprintKeys;
  readonly keySource: string;
  readonly storeId: string;
  readonly dir: string;
  private readonly now: () => Date;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(dir: string, db: Database.Database, keys: FingerprintKeys, keySource: string, storeId: string, now: () => Date) {
    this.dir = dir;
    this.db = db;
    this.keys = keys;
    this.keySource = keySource;
    this.storeId = storeId;
    this.now = now;
  }

  static open(dir: string, options: OpenOptions): FingerprintStore {
    const file = join(dir, FINGERPRINT_DB);
    const exists = existsSync(file);
    if (!exists && !options.create) {
      throw new FatalError('E_STORE', `no fingerprint store in ${dir} (expected ${FINGERPRINT_DB}); create one with "leakwatch fingerprint add"`);
    }
    mkdirSync(dir, { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: Boolean(options.readonly) && exists, fileMustExist: !options.create });
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 10000');
      if (!options.readonly) migrate(db, FINGERPRINT_MIGRATIONS, file);
    } catch (err) {
      if (err instanceof FatalError) throw err;
      throw new FatalError('E_STORE', `cannot open fingerprint store ${file}: ${(err as Error).message}`, { cause: err });
    }
    const now = options.now ?? (() => new Date());
    const meta = (k: string): string | undefined =>
      (db.prepare('SELECT value FROM meta WHERE key = ?').get(k) as { value: string } | undefined)?.value;
    let storeId = meta('store_id');
    try {
      if (!storeId) {
        if (options.readonly) throw new FatalError('E_STORE', `${file} is not an initialised fingerprint store`);
        storeId = randomBytes(8).toString('hex');
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('store_id', storeId);
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('created_at', now().toISOString());
      }
      const resolved = resolveKey(storeId, options, Boolean(options.create));
      const keys = deriveKeys(resolved.key);
      const keyId = meta('key_id');
      if (!keyId) {
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('key_id', keys.keyId);
      } else if (keyId !== keys.keyId) {
        throw new FatalError('E_STORE_KEY', `the key from ${resolved.source} is not the key of the fingerprint store in ${dir} (key id ${keys.keyId}, store expects ${keyId})`);
      }
      return new FingerprintStore(dir, db, keys, resolved.source, storeId, now);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Prepared statements are cached: ingest runs the same few per document. */
  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  setId(name: string): number | undefined {
    return (this.db.prepare('SELECT id FROM sets WHERE name = ?').get(name) as { id: number } | undefined)?.id;
  }

  ensureSet(name: string): number {
    const id = this.setId(name);
    if (id !== undefined) return id;
    return Number(this.db.prepare('INSERT INTO sets (name, created_at) VALUES (?, ?)').run(name, this.now().toISOString()).lastInsertRowid);
  }

  /** Set ids for names (all sets when none given); unknown names are an error. */
  resolveSets(names: readonly string[] | undefined): Map<number, string> {
    const rows = this.db.prepare('SELECT id, name FROM sets ORDER BY name').all() as { id: number; name: string }[];
    const all = new Map(rows.map((r) => [r.id, r.name]));
    if (!names || names.length === 0) return all;
    const byName = new Map(rows.map((r) => [r.name, r.id]));
    const missing = names.filter((n) => !byName.has(n));
    if (missing.length) {
      throw new FatalError('E_USAGE', `unknown fingerprint set${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (known: ${rows.map((r) => r.name).join(', ') || 'none'})`);
    }
    return new Map(names.map((n) => [byName.get(n) as number, n]));
  }

  /** What the store knows of a source file: used to skip unchanged files on resume. */
  sourceState(setId: number, path: string): (SourceFile & { status: 'done' | 'failed' }) | undefined {
    const row = this.db.prepare('SELECT path, size, mtime_ms, status FROM sources WHERE set_id = ? AND path = ?').get(setId, path) as
      | { path: string; size: number; mtime_ms: number; status: 'done' | 'failed' }
      | undefined;
    return row && { path: row.path, size: row.size, mtimeMs: row.mtime_ms, status: row.status };
  }

  /**
   * Stores one source file's fingerprints atomically, replacing what an earlier run stored
   * for it. The source is marked done in the same transaction, so an interrupted run
   * resumes exactly after the last file it completed.
   */
  writeSource(setId: number, source: SourceFile, items: readonly ItemFingerprint[], failures: readonly ExtractFailure[]): void {
    const db = this.db;
    const fatal = items.length === 0 && failures.length > 0;
    const error = failures.length ? failures.map((f) => `${f.path}: ${f.message}`).join('\n').slice(0, 4000) : null;
    db.transaction(() => {
      const old = this.stmt('SELECT id FROM sources WHERE set_id = ? AND path = ?').get(setId, source.path) as { id: number } | undefined;
      if (old) {
        this.stmt('DELETE FROM winnow WHERE doc_id IN (SELECT id FROM documents WHERE source_id = ?)').run(old.id);
        this.stmt('DELETE FROM sources WHERE id = ?').run(old.id);
      }
      const sourceId = Number(
        this
          .stmt('INSERT INTO sources (set_id, path, size, mtime_ms, status, error, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(setId, source.path, source.size, Math.trunc(source.mtimeMs), fatal ? 'failed' : 'done', error, this.now().toISOString()).lastInsertRowid,
      );
      for (const item of items) this.insertDocument(setId, sourceId, item);
    })();
  }

  private insertDocument(setId: number, sourceId: number, item: ItemFingerprint): void {
    const sameContent =
      (item.textHash
        ? (this.stmt('SELECT content_id FROM documents WHERE text_hash = ? LIMIT 1').get(item.textHash) as { content_id: number } | undefined)
        : undefined) ??
      (this.stmt('SELECT content_id FROM documents WHERE sha256 = ? LIMIT 1').get(item.sha256) as { content_id: number } | undefined);
    const docId = Number(
      this
        .stmt(
          `INSERT INTO documents (set_id, source_id, path, sha256, size, type, depth, text_chars, tokens, text_hash, simhash, winnow_count, content_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          setId,
          sourceId,
          item.path,
          item.sha256,
          item.size,
          item.type,
          item.depth,
          item.textChars,
          item.tokens,
          item.textHash ?? null,
          item.simhash ?? null,
          item.winnowHashes.length,
          sameContent?.content_id ?? 0,
        ).lastInsertRowid,
    );
    if (!sameContent) this.stmt('UPDATE documents SET content_id = id WHERE id = ?').run(docId);
    if (item.pageHashes) {
      const page = this.stmt('INSERT OR IGNORE INTO page_hashes (hash, doc_id, page) VALUES (?, ?, ?)');
      item.pageHashes.forEach((h, i) => {
        if (h) page.run(h, docId, i + 1);
      });
    }
    const win = this.stmt('INSERT OR IGNORE INTO winnow (hash, doc_id, pos) VALUES (?, ?, ?)');
    for (let i = 0; i < item.winnowHashes.length; i++) win.run(item.winnowHashes[i], docId, item.winnowPositions[i]);
    const img = this.stmt('INSERT INTO images (doc_id, label, pdq, quality, page_render) VALUES (?, ?, ?, ?, ?)');
    for (const p of item.pdq) img.run(docId, p.label, p.hash, p.quality, p.pageRender ? 1 : 0);
  }

  listSets(): SetSummary[] {
    const rows = this.db.prepare('SELECT id, name FROM sets ORDER BY name').all() as { id: number; name: string }[];
    return rows.map((r) => this.summary(r.id));
  }

  summary(setId: number): SetSummary {
    const db = this.db;
    const set = db.prepare('SELECT name, created_at FROM sets WHERE id = ?').get(setId) as { name: string; created_at: string };
    const src = db.prepare(`SELECT COUNT(*) AS n, SUM(status = 'failed') AS failed, COALESCE(SUM(size), 0) AS bytes FROM sources WHERE set_id = ?`).get(setId) as {
      n: number;
      failed: number | null;
      bytes: number;
    };
    const docs = db
      .prepare('SELECT COUNT(*) AS n, SUM(text_hash IS NOT NULL) AS text, COALESCE(SUM(winnow_count), 0) AS win FROM documents WHERE set_id = ?')
      .get(setId) as { n: number; text: number | null; win: number };
    const images = db.prepare('SELECT COUNT(*) AS n FROM images JOIN documents d ON d.id = images.doc_id WHERE d.set_id = ?').get(setId) as { n: number };
    return {
      name: set.name,
      createdAt: set.created_at,
      sources: src.n,
      failedSources: src.failed ?? 0,
      documents: docs.n,
      bytes: src.bytes,
      textDocuments: docs.text ?? 0,
      winnowFingerprints: docs.win,
      images: images.n,
    };
  }

  /** Failed sources of a set, for `fingerprint stats`. */
  failures(setId: number, limit = 50): { path: string; error: string }[] {
    return this.db.prepare(`SELECT path, error FROM sources WHERE set_id = ? AND status = 'failed' ORDER BY path LIMIT ?`).all(setId, limit) as {
      path: string;
      error: string;
    }[];
  }

  removeSet(name: string): boolean {
    const id = this.setId(name);
    if (id === undefined) return false;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM winnow WHERE doc_id IN (SELECT id FROM documents WHERE set_id = ?)').run(id);
      this.db.prepare('DELETE FROM sets WHERE id = ?').run(id);
    })();
    return true;
  }
}
