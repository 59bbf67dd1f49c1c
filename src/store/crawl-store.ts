import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FatalError } from '../errors.js';
import type { SampleResult } from '../match/types.js';
import type { ExtractedPost } from '../sites/types.js';
import { BlobStore } from './blob-store.js';
import { CRAWL_MIGRATIONS } from './crawl-schema.js';
import { migrate } from './migrate.js';

export const CRAWL_DB = 'leakwatch.db';

export interface CaptureRecord {
  runId?: number;
  siteId: string;
  mirrorId?: number;
  /** listing | post | api | sample-page */
  kind: string;
  url: string;
  finalUrl: string;
  fetchedAt: string;
  transport: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  contentType?: string;
  screenshot?: Uint8Array;
  dom?: string;
  outcome?: string;
}

export interface PostUpsert {
  id: number;
  isNew: boolean;
  changed: boolean;
}

export interface RunStats {
  pages: number;
  postsSeen: number;
  postsNew: number;
  postsChanged: number;
  samplesNew: number;
  matchesNew: number;
}

/** What identifies the visible content of a post: a change here is a "changed post". */
function postContentHash(p: ExtractedPost): string {
  return createHash('sha256')
    .update(JSON.stringify([p.title, p.url ?? '', p.description ?? '', p.deadlineAt ?? '', p.dataSizeBytes ?? null, p.publishedAt ?? '']))
    .digest('hex');
}

/**
 * The crawl state: mirrors and their health, runs, captures, posts, samples and matches, in
 * `data/leakwatch.db` (WAL). Every write that belongs together is one transaction, so a kill
 * at any point leaves the database as it was before or after that step, never between.
 */
export class CrawlStore {
  readonly db: Database.Database;
  readonly blobs: BlobStore;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(db: Database.Database, blobs: BlobStore) {
    this.db = db;
    this.blobs = blobs;
  }

  static open(dataDir: string): CrawlStore {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, CRAWL_DB);
    let db: Database.Database;
    try {
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 10000');
      migrate(db, CRAWL_MIGRATIONS, file);
    } catch (err) {
      if (err instanceof FatalError) throw err;
      throw new FatalError('E_STORE', `cannot open the crawl database ${file}: ${(err as Error).message}`, { cause: err });
    }
    return new CrawlStore(db, new BlobStore(join(dataDir, 'blobs')));
  }

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

  // ---- mirrors and health -------------------------------------------------------------

  mirrorId(siteId: string, url: string): number {
    this.stmt('INSERT OR IGNORE INTO mirrors (site_id, url) VALUES (?, ?)').run(siteId, url);
    return (this.stmt('SELECT id FROM mirrors WHERE site_id = ? AND url = ?').get(siteId, url) as { id: number }).id;
  }

  /** Records one fetch of a mirror's listing: health state, latency, failure streak. */
  recordCheck(mirrorId: number, c: { at: string; ok: boolean; latencyMs?: number; outcome: string; errorCode?: string; error?: string }): void {
    this.db.transaction(() => {
      this.stmt('INSERT INTO mirror_checks (mirror_id, at, ok, latency_ms, outcome, error_code) VALUES (?, ?, ?, ?, ?, ?)').run(
        mirrorId,
        c.at,
        c.ok ? 1 : 0,
        c.latencyMs ?? null,
        c.outcome,
        c.errorCode ?? null,
      );
      if (c.ok) {
        this.stmt(`UPDATE mirrors SET state = 'up', last_ok_at = ?, consecutive_failures = 0, last_latency_ms = ? WHERE id = ?`).run(c.at, c.latencyMs ?? null, mirrorId);
      } else {
        this.stmt(
          `UPDATE mirrors SET state = 'down', last_error_at = ?, last_error = ?, last_error_code = ?, consecutive_failures = consecutive_failures + 1 WHERE id = ?`,
        ).run(c.at, c.error ?? c.outcome, c.errorCode ?? null, mirrorId);
      }
    })();
  }

  // ---- runs ---------------------------------------------------------------------------

  startRun(siteId: string, at: string, pid = process.pid): number {
    return Number(this.stmt('INSERT INTO runs (site_id, started_at, pid) VALUES (?, ?, ?)').run(siteId, at, pid).lastInsertRowid);
  }

  finishRun(runId: number, at: string, status: string, reason: string | undefined, s: RunStats): void {
    this.stmt(
      `UPDATE runs SET finished_at = ?, status = ?, reason = ?, pages = ?, posts_seen = ?, posts_new = ?, posts_changed = ?, samples_new = ?, matches_new = ? WHERE id = ?`,
    ).run(at, status, reason ?? null, s.pages, s.postsSeen, s.postsNew, s.postsChanged, s.samplesNew, s.matchesNew, runId);
  }

  /** Posts seen by the last complete ("ok") run of a site: the baseline for shrink warnings. */
  lastCompleteRunPosts(siteId: string): number | undefined {
    const r = this.stmt(`SELECT posts_seen AS n FROM runs WHERE site_id = ? AND status = 'ok' ORDER BY id DESC LIMIT 1`).get(siteId) as { n: number } | undefined;
    return r?.n;
  }

  /** Runs left "running" by a process that died: closed as interrupted on the next start. */
  closeAbandonedRuns(at: string, isAlive: (pid: number) => boolean): number {
    const rows = this.stmt(`SELECT id, pid FROM runs WHERE status = 'running'`).all() as { id: number; pid: number | null }[];
    let n = 0;
    for (const r of rows) {
      if (r.pid !== null && isAlive(r.pid)) continue;
      this.stmt(`UPDATE runs SET status = 'interrupted', finished_at = ?, reason = 'the process running it ended' WHERE id = ?`).run(at, r.id);
      n++;
    }
    return n;
  }

  // ---- captures -----------------------------------------------------------------------

  addCapture(c: CaptureRecord): { id: number; bodySha256: string } {
    // Blobs first: a crash after them leaves only an unreferenced blob, never a dangling row.
    const bodySha256 = this.blobs.put(c.body);
    const screenshotSha = c.screenshot ? this.blobs.put(c.screenshot) : null;
    const domSha = c.dom !== undefined ? this.blobs.put(Buffer.from(c.dom)) : null;
    const id = Number(
      this.stmt(
        `INSERT INTO captures (run_id, site_id, mirror_id, kind, url, final_url, fetched_at, transport, status, headers, body_sha256, body_bytes, content_type, screenshot_sha256, dom_sha256, outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        c.runId ?? null,
        c.siteId,
        c.mirrorId ?? null,
        c.kind,
        c.url,
        c.finalUrl,
        c.fetchedAt,
        c.transport,
        c.status,
        JSON.stringify(c.headers),
        bodySha256,
        c.body.length,
        c.contentType ?? null,
        screenshotSha,
        domSha,
        c.outcome ?? null,
      ).lastInsertRowid,
    );
    return { id, bodySha256 };
  }

  // ---- posts --------------------------------------------------------------------------

  /**
   * Inserts or refreshes a post. A post whose key changed because a parser edit changed its
   * key basis (e.g. the URL selector) is recognised by its title and re-keyed, so old
   * victims never reappear as new.
   */
  upsertPost(siteId: string, p: ExtractedPost, captureId: number | undefined, at: string, seenThisRun: ReadonlySet<number>): PostUpsert {
    const hash = postContentHash(p);
    return this.db.transaction((): PostUpsert => {
      let row = this.stmt('SELECT id, content_hash FROM posts WHERE site_id = ? AND post_key = ?').get(siteId, p.key) as { id: number; content_hash: string } | undefined;
      if (!row) {
        const byTitle = this.stmt('SELECT id, content_hash FROM posts WHERE site_id = ? AND title_key = ? ORDER BY last_seen_at DESC').all(siteId, p.titleKey) as {
          id: number;
          content_hash: string;
        }[];
        row = byTitle.find((r) => !seenThisRun.has(r.id));
        if (row) this.stmt('UPDATE posts SET post_key = ? WHERE id = ?').run(p.key, row.id);
      }
      if (!row) {
        const id = Number(
          this.stmt(
            `INSERT INTO posts (site_id, post_key, title_key, title, url, published_at, description, deadline_at, data_size_bytes, content_hash, first_seen_at, last_seen_at, last_changed_at, first_capture_id, last_capture_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(siteId, p.key, p.titleKey, p.title, p.url ?? null, p.publishedAt ?? null, p.description ?? null, p.deadlineAt ?? null, p.dataSizeBytes ?? null, hash, at, at, at, captureId ?? null, captureId ?? null)
            .lastInsertRowid,
        );
        return { id, isNew: true, changed: false };
      }
      const changed = row.content_hash !== hash;
      this.stmt(
        `UPDATE posts SET title = ?, title_key = ?, url = ?, published_at = COALESCE(?, published_at), description = COALESCE(?, description), deadline_at = COALESCE(?, deadline_at),
           data_size_bytes = COALESCE(?, data_size_bytes), content_hash = ?, last_seen_at = ?, last_changed_at = CASE WHEN ? THEN ? ELSE last_changed_at END,
           last_capture_id = COALESCE(?, last_capture_id), missing_loads = 0, removed_at = NULL WHERE id = ?`,
      ).run(p.title, p.titleKey, p.url ?? null, p.publishedAt ?? null, p.description ?? null, p.deadlineAt ?? null, p.dataSizeBytes ?? null, hash, at, changed ? 1 : 0, at, captureId ?? null, row.id);
      return { id: row.id, isNew: false, changed };
    })();
  }

  /**
   * After a COMPLETE listing load (every page fetched and parsed ok): posts not seen count one
   * more missing load, and are marked removed only after `removeAfterLoads` such loads in a
   * row. Partial or failed loads never call this, so they can never "remove" a victim.
   */
  recordCompleteListing(siteId: string, seen: ReadonlySet<number>, at: string, removeAfterLoads: number): { removed: number } {
    return this.db.transaction(() => {
      const rows = this.stmt('SELECT id FROM posts WHERE site_id = ? AND removed_at IS NULL').all(siteId) as { id: number }[];
      let removed = 0;
      for (const r of rows) {
        if (seen.has(r.id)) continue;
        this.stmt('UPDATE posts SET missing_loads = missing_loads + 1 WHERE id = ?').run(r.id);
        const m = this.stmt('SELECT missing_loads FROM posts WHERE id = ?').get(r.id) as { missing_loads: number };
        if (m.missing_loads >= removeAfterLoads) {
          this.stmt('UPDATE posts SET removed_at = ? WHERE id = ?').run(at, r.id);
          removed++;
        }
      }
      return { removed };
    })();
  }

  markPostPageFetched(postId: number, at: string): void {
    this.stmt('UPDATE posts SET post_page_fetched_at = ? WHERE id = ?').run(at, postId);
  }

  postPageFetched(postId: number): boolean {
    return Boolean((this.stmt('SELECT post_page_fetched_at AS t FROM posts WHERE id = ?').get(postId) as { t: string | null } | undefined)?.t);
  }

  // ---- samples and matches --------------------------------------------------------------

  /** The sample already downloaded from this URL on this site, if any. */
  sampleByUrl(siteId: string, url: string): number | undefined {
    const r = this.stmt('SELECT s.id FROM sample_sightings x JOIN samples s ON s.id = x.sample_id WHERE s.site_id = ? AND x.url = ?').get(siteId, url) as
      | { id: number }
      | undefined;
    return r?.id;
  }

  failedSampleUrl(siteId: string, url: string): { code: string; attempts: number } | undefined {
    return this.stmt('SELECT code, attempts FROM sample_failures WHERE site_id = ? AND url = ?').get(siteId, url) as { code: string; attempts: number } | undefined;
  }

  recordSampleFailure(siteId: string, postId: number | undefined, url: string, at: string, code: string, message: string): void {
    this.stmt(
      `INSERT INTO sample_failures (site_id, post_id, url, at, code, message) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (site_id, url) DO UPDATE SET at = excluded.at, code = excluded.code, message = excluded.message, attempts = attempts + 1`,
    ).run(siteId, postId ?? null, url, at, code, message);
  }

  /** Stores a downloaded sample (deduplicated by content) and where it was seen. */
  addSample(
    siteId: string,
    s: { sha256: string; bytes: number; contentType?: string; sniffedType?: string; vaultRef?: string },
    sighting: { postId?: number; mirrorId?: number; url: string; captureId?: number },
    at: string,
  ): { id: number; isNew: boolean } {
    return this.db.transaction(() => {
      const existing = this.stmt('SELECT id FROM samples WHERE site_id = ? AND sha256 = ?').get(siteId, s.sha256) as { id: number } | undefined;
      let id: number;
      if (existing) {
        id = existing.id;
        this.stmt('UPDATE samples SET last_seen_at = ?, vault_ref = COALESCE(vault_ref, ?) WHERE id = ?').run(at, s.vaultRef ?? null, id);
      } else {
        id = Number(
          this.stmt('INSERT INTO samples (site_id, sha256, bytes, content_type, sniffed_type, first_seen_at, last_seen_at, vault_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
            siteId,
            s.sha256,
            s.bytes,
            s.contentType ?? null,
            s.sniffedType ?? null,
            at,
            at,
            s.vaultRef ?? null,
          ).lastInsertRowid,
        );
      }
      this.stmt(
        `INSERT INTO sample_sightings (sample_id, post_id, mirror_id, url, capture_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sample_id, url) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
      ).run(id, sighting.postId ?? null, sighting.mirrorId ?? null, sighting.url, sighting.captureId ?? null, at, at);
      this.stmt('DELETE FROM sample_failures WHERE site_id = ? AND url = ?').run(siteId, sighting.url);
      return { id, isNew: !existing };
    })();
  }

  touchSample(sampleId: number, url: string, at: string): void {
    this.db.transaction(() => {
      this.stmt('UPDATE samples SET last_seen_at = ? WHERE id = ?').run(at, sampleId);
      this.stmt('UPDATE sample_sightings SET last_seen_at = ? WHERE sample_id = ? AND url = ?').run(at, sampleId, url);
    })();
  }

  isSampleMatched(sampleId: number): boolean {
    return Boolean((this.stmt('SELECT matched_at AS t FROM samples WHERE id = ?').get(sampleId) as { t: string | null } | undefined)?.t);
  }

  /** Stores the match results of a sample (all its members) and marks it matched; returns new matches. */
  addMatches(sampleId: number, results: readonly SampleResult[], at: string): number {
    return this.db.transaction(() => {
      let added = 0;
      const ins = this.stmt(
        `INSERT OR IGNORE INTO matches (sample_id, member_path, member_sha256, set_name, document, document_sha256, method, score, explanation, details, found_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const r of results) {
        for (const m of r.matches) {
          added += ins.run(sampleId, r.path, r.sha256, m.set, m.document, m.documentSha256, m.method, m.score, m.explanation, JSON.stringify(m.details), at).changes;
        }
      }
      this.stmt('UPDATE samples SET matched_at = ? WHERE id = ?').run(at, sampleId);
      return added;
    })();
  }

  addWarning(siteId: string, runId: number | undefined, at: string, kind: string, message: string): void {
    this.stmt('INSERT INTO warnings (site_id, run_id, at, kind, message) VALUES (?, ?, ?, ?, ?)').run(siteId, runId ?? null, at, kind, message);
  }
}
