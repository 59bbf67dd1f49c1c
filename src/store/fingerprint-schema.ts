/**
 * Schema of the fingerprint store. No column holds document text: text-derived values are
 * keyed hashes (see src/fingerprint/keys.ts); paths are the victim's own file names.
 */
export const FINGERPRINT_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE sets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  -- One row per file given on the command line (or found in a folder): what makes runs
  -- resumable and incremental.
  CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    error TEXT,
    added_at TEXT NOT NULL,
    UNIQUE (set_id, path)
  );
  -- One row per file or archive member with content.
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    type TEXT NOT NULL,
    depth INTEGER NOT NULL,
    text_chars INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    text_hash TEXT,
    simhash TEXT,
    winnow_count INTEGER NOT NULL,
    -- Documents with the same normalised text share a content id: copies of one document
    -- count as one when deciding whether a fingerprint is boilerplate.
    content_id INTEGER NOT NULL,
    UNIQUE (set_id, path)
  );
  CREATE INDEX documents_sha256 ON documents (sha256);
  CREATE INDEX documents_text_hash ON documents (text_hash) WHERE text_hash IS NOT NULL;
  CREATE INDEX documents_source ON documents (source_id);
  CREATE TABLE page_hashes (
    hash TEXT NOT NULL,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    PRIMARY KEY (hash, doc_id, page)
  ) WITHOUT ROWID;
  CREATE INDEX page_hashes_doc ON page_hashes (doc_id);
  CREATE TABLE winnow (
    hash INTEGER NOT NULL,
    doc_id INTEGER NOT NULL,
    pos INTEGER NOT NULL,
    PRIMARY KEY (hash, doc_id, pos)
  ) WITHOUT ROWID;
  CREATE INDEX winnow_doc ON winnow (doc_id);
  CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    pdq TEXT NOT NULL,
    quality INTEGER NOT NULL,
    page_render INTEGER NOT NULL
  );
  CREATE INDEX images_doc ON images (doc_id);
  `,
  // v2: record-level fingerprints (Exact Data Matching; src/store/record-store.ts, docs/records.md).
  `
  CREATE TABLE record_sets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- The schema as given (column names and kinds: no data) and the tables read, as JSON.
    schema TEXT NOT NULL,
    sources TEXT NOT NULL,
    rows INTEGER NOT NULL,
    cells INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    has_practice INTEGER NOT NULL
  );
  -- One row per record of the victim's table: its opaque record key (the victim's own id,
  -- needed to name the affected people back) and practice (a grouping label). No
  -- identifying value is stored here.
  CREATE TABLE record_rows (
    set_id INTEGER NOT NULL REFERENCES record_sets(id) ON DELETE CASCADE,
    row_no INTEGER NOT NULL,
    record_key TEXT NOT NULL,
    practice TEXT,
    fields INTEGER NOT NULL,
    PRIMARY KEY (set_id, row_no)
  ) WITHOUT ROWID;
  -- The cell index: keyed cell hashes sorted ascending, with the row and field of each, in
  -- chunks of parallel arrays (float64 hashes, int32 row numbers, uint8 field codes). Loaded
  -- whole for matching, where millions of lookups per second are needed.
  CREATE TABLE record_index (
    set_id INTEGER NOT NULL REFERENCES record_sets(id) ON DELETE CASCADE,
    chunk INTEGER NOT NULL,
    hashes BLOB NOT NULL,
    row_nos BLOB NOT NULL,
    fields BLOB NOT NULL,
    PRIMARY KEY (set_id, chunk)
  ) WITHOUT ROWID;
  `,
];
