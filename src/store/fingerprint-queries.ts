import type { FingerprintStore } from './fingerprint-store.js';

/**
 * Read side of the fingerprint store, as used by the matcher. Index-backed lookups only:
 * nothing here scans a table per sample.
 */
export interface DocRow {
  id: number;
  setId: number;
  path: string;
  sha256: string;
  type: string;
  tokens: number;
  winnowCount: number;
}

export interface DocVectors {
  /** Highest document id + 1: the typed arrays below are indexed by document id. */
  size: number;
  setId: Int32Array;
  contentId: Int32Array;
  winnowCount: Int32Array;
  /** Documents that have a simhash, with its halves (parallel arrays). */
  simDoc: Int32Array;
  simHi: Uint32Array;
  simLo: Uint32Array;
  /** Document id → index into the sim arrays, or -1 when the document has no simhash. */
  simEntry: Int32Array;
}

export interface ImageRow {
  docId: number;
  label: string;
  pdq: string;
  quality: number;
  pageRender: boolean;
}

export class FingerprintQueries {
  constructor(private readonly store: FingerprintStore) {}

  docsBySha256(sha256: string): number[] {
    return (this.store.stmt('SELECT id FROM documents WHERE sha256 = ?').all(sha256) as { id: number }[]).map((r) => r.id);
  }

  docsByTextHash(hash: string): number[] {
    return (this.store.stmt('SELECT id FROM documents WHERE text_hash = ?').all(hash) as { id: number }[]).map((r) => r.id);
  }

  pagesByHash(hash: string): { docId: number; page: number }[] {
    return (this.store.stmt('SELECT doc_id, page FROM page_hashes WHERE hash = ?').all(hash) as { doc_id: number; page: number }[]).map((r) => ({
      docId: r.doc_id,
      page: r.page,
    }));
  }

  /** Postings of one winnowing fingerprint, at most `limit` rows (enough to see it is common). */
  winnowPostings(hash: number, limit: number): { docId: number; pos: number }[] {
    return (this.store.stmt('SELECT doc_id, pos FROM winnow WHERE hash = ? LIMIT ?').all(hash, limit) as { doc_id: number; pos: number }[]).map((r) => ({
      docId: r.doc_id,
      pos: r.pos,
    }));
  }

  docs(ids: readonly number[]): Map<number, DocRow> {
    const out = new Map<number, DocRow>();
    const stmt = this.store.stmt('SELECT id, set_id, path, sha256, type, tokens, winnow_count FROM documents WHERE id = ?');
    for (const id of ids) {
      const r = stmt.get(id) as
        | { id: number; set_id: number; path: string; sha256: string; type: string; tokens: number; winnow_count: number }
        | undefined;
      if (r) out.set(id, { id: r.id, setId: r.set_id, path: r.path, sha256: r.sha256, type: r.type, tokens: r.tokens, winnowCount: r.winnow_count });
    }
    return out;
  }

  /** Compact per-document arrays for the in-memory indexes (one table scan). */
  loadDocVectors(): DocVectors {
    const db = this.store.db;
    const max = (db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM documents').get() as { m: number }).m;
    const size = max + 1;
    const setId = new Int32Array(size).fill(-1);
    const contentId = new Int32Array(size);
    const winnowCount = new Int32Array(size);
    const simEntry = new Int32Array(size).fill(-1);
    const simCount = (db.prepare('SELECT COUNT(*) AS n FROM documents WHERE simhash IS NOT NULL').get() as { n: number }).n;
    const simDoc = new Int32Array(simCount);
    const simHi = new Uint32Array(simCount);
    const simLo = new Uint32Array(simCount);
    let s = 0;
    const rows = db.prepare('SELECT id, set_id, content_id, winnow_count, simhash FROM documents').raw(true).iterate() as IterableIterator<
      [number, number, number, number, string | null]
    >;
    for (const [id, set, content, win, sim] of rows) {
      setId[id] = set;
      contentId[id] = content;
      winnowCount[id] = win;
      if (sim !== null && s < simCount) {
        simDoc[s] = id;
        simEntry[id] = s;
        simHi[s] = parseInt(sim.slice(0, 8), 16) >>> 0;
        simLo[s] = parseInt(sim.slice(8), 16) >>> 0;
        s++;
      }
    }
    return { size, setId, contentId, winnowCount, simDoc: simDoc.subarray(0, s), simHi: simHi.subarray(0, s), simLo: simLo.subarray(0, s), simEntry };
  }

  /** Every stored image hash at or above the quality gate. */
  *images(minQuality: number): IterableIterator<ImageRow> {
    const rows = this.store.db.prepare('SELECT doc_id, label, pdq, quality, page_render FROM images WHERE quality >= ?').raw(true).iterate(minQuality) as IterableIterator<
      [number, string, string, number, number]
    >;
    for (const [docId, label, pdq, quality, pageRender] of rows) yield { docId, label, pdq, quality, pageRender: pageRender === 1 };
  }

  imageCount(minQuality: number): number {
    return (this.store.db.prepare('SELECT COUNT(*) AS n FROM images WHERE quality >= ?').get(minQuality) as { n: number }).n;
  }
}
