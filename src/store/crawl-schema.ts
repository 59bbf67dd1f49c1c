/**
 * Schema of the crawl state database (`data/leakwatch.db`). Versioned migrations: append a new
 * string to add a version; never edit a released one.
 */
export const CRAWL_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE mirrors (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    url TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'unknown' CHECK (state IN ('unknown', 'up', 'down')),
    last_ok_at TEXT,
    last_error_at TEXT,
    last_error TEXT,
    last_error_code TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_latency_ms INTEGER,
    UNIQUE (site_id, url)
  );
  -- One row per fetch attempt of a listing page: health history (uptime, latency charts).
  CREATE TABLE mirror_checks (
    id INTEGER PRIMARY KEY,
    mirror_id INTEGER NOT NULL REFERENCES mirrors(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    ok INTEGER NOT NULL,
    latency_ms INTEGER,
    outcome TEXT NOT NULL,
    error_code TEXT
  );
  CREATE INDEX mirror_checks_mirror ON mirror_checks (mirror_id, at);
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    reason TEXT,
    pid INTEGER,
    pages INTEGER NOT NULL DEFAULT 0,
    posts_seen INTEGER NOT NULL DEFAULT 0,
    posts_new INTEGER NOT NULL DEFAULT 0,
    posts_changed INTEGER NOT NULL DEFAULT 0,
    samples_new INTEGER NOT NULL DEFAULT 0,
    matches_new INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_site ON runs (site_id, started_at);
  -- Every fetched page, as fetched. The bytes live in the content-addressed blob store.
  CREATE TABLE captures (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    site_id TEXT NOT NULL,
    mirror_id INTEGER REFERENCES mirrors(id),
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    transport TEXT NOT NULL,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    body_bytes INTEGER NOT NULL,
    content_type TEXT,
    screenshot_sha256 TEXT,
    dom_sha256 TEXT,
    outcome TEXT
  );
  CREATE INDEX captures_site ON captures (site_id, fetched_at);
  -- A post is identified by (site, key); the key survives parser edits (src/sites/post-key.ts).
  CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    post_key TEXT NOT NULL,
    title_key TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    published_at TEXT,
    description TEXT,
    deadline_at TEXT,
    data_size_bytes INTEGER,
    content_hash TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    last_changed_at TEXT NOT NULL,
    first_capture_id INTEGER REFERENCES captures(id),
    last_capture_id INTEGER REFERENCES captures(id),
    post_page_fetched_at TEXT,
    -- Complete listing loads in a row that did not show the post; removal is concluded only
    -- after several (never from a partial or failed load).
    missing_loads INTEGER NOT NULL DEFAULT 0,
    removed_at TEXT,
    UNIQUE (site_id, post_key)
  );
  CREATE INDEX posts_title ON posts (site_id, title_key);
  -- A published sample file: one row per (site, content).
  CREATE TABLE samples (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    content_type TEXT,
    sniffed_type TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    vault_ref TEXT,
    matched_at TEXT,
    UNIQUE (site_id, sha256)
  );
  -- Where a sample was seen: post, URL, mirror, capture (a sample can be posted several times).
  CREATE TABLE sample_sightings (
    id INTEGER PRIMARY KEY,
    sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    post_id INTEGER REFERENCES posts(id),
    mirror_id INTEGER REFERENCES mirrors(id),
    url TEXT NOT NULL,
    capture_id INTEGER REFERENCES captures(id),
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    UNIQUE (sample_id, url)
  );
  -- Download attempts that failed or were refused (caps), so they are not retried in a loop.
  CREATE TABLE sample_failures (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    post_id INTEGER REFERENCES posts(id),
    url TEXT NOT NULL,
    at TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    UNIQUE (site_id, url)
  );
  -- Matches of a sample (or a member inside it) against the fingerprint store.
  CREATE TABLE matches (
    id INTEGER PRIMARY KEY,
    sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    member_path TEXT NOT NULL,
    member_sha256 TEXT NOT NULL,
    set_name TEXT NOT NULL,
    document TEXT NOT NULL,
    document_sha256 TEXT NOT NULL,
    method TEXT NOT NULL,
    score REAL NOT NULL,
    explanation TEXT NOT NULL,
    details TEXT NOT NULL,
    found_at TEXT NOT NULL,
    UNIQUE (sample_id, member_path, set_name, document)
  );
  CREATE INDEX matches_document ON matches (set_name, document);
  CREATE TABLE warnings (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX warnings_site ON warnings (site_id, at);
  `,
  // v2: alerts, cases and the notification outbox (src/store/alert-store.ts, docs/alerts.md).
  `
  -- A case groups alerts that expose at least one common known document. A merged case keeps
  -- its row (merged_into points at the survivor) so old ids in tickets still resolve.
  CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    merged_into INTEGER REFERENCES cases(id),
    merged_at TEXT
  );
  CREATE TABLE case_merges (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    merged_case_id INTEGER NOT NULL REFERENCES cases(id),
    alert_id INTEGER,
    at TEXT NOT NULL
  );
  -- One alert per (site, published sample). uid + version name each notification.
  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    site_id TEXT NOT NULL,
    sample_sha256 TEXT NOT NULL,
    sample_id INTEGER REFERENCES samples(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acked')),
    mirror_url TEXT NOT NULL,
    post_id INTEGER,
    post_title TEXT,
    post_url TEXT,
    sample_url TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    seen_count INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    acked_at TEXT,
    acked_by TEXT,
    ack_note TEXT,
    UNIQUE (site_id, sample_sha256)
  );
  CREATE INDEX alerts_case ON alerts (case_id);
  CREATE INDEX alerts_status ON alerts (status, last_seen_at);
  -- Where the sample was seen: one row per (mirror, post URL, sample URL).
  CREATE TABLE alert_sightings (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    sighting_key TEXT NOT NULL,
    mirror_url TEXT NOT NULL,
    post_id INTEGER,
    post_title TEXT,
    post_url TEXT,
    sample_url TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    seen_count INTEGER NOT NULL DEFAULT 1,
    UNIQUE (alert_id, sighting_key)
  );
  -- Known documents the sample exposes, per member of the sample.
  CREATE TABLE alert_documents (
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    set_name TEXT NOT NULL,
    document TEXT NOT NULL,
    document_sha256 TEXT NOT NULL,
    member_path TEXT NOT NULL,
    member_sha256 TEXT,
    method TEXT NOT NULL,
    score REAL NOT NULL,
    explanation TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    PRIMARY KEY (alert_id, set_name, document, member_path)
  );
  CREATE INDEX alert_documents_document ON alert_documents (set_name, document);
  -- What happened to an alert: created, seen-again, escalated, case-merged, acked.
  CREATE TABLE alert_events (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX alert_events_alert ON alert_events (alert_id, id);
  -- One notification per alert version; the payload is the exact JSON body sent.
  CREATE TABLE alert_notifications (
    id TEXT PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    alert_version INTEGER NOT NULL,
    event TEXT NOT NULL,
    created_at TEXT NOT NULL,
    payload TEXT NOT NULL
  );
  -- The outbox: one row per (notification, channel). Backoff state lives here so retries
  -- survive restarts; lease_until keeps two delivering processes off the same row.
  CREATE TABLE alert_outbox (
    id INTEGER PRIMARY KEY,
    notification_id TEXT NOT NULL REFERENCES alert_notifications(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    delivered_at TEXT,
    dead_at TEXT,
    last_error TEXT,
    UNIQUE (notification_id, channel)
  );
  CREATE INDEX alert_outbox_due ON alert_outbox (status, next_attempt_at);
  -- Every delivery attempt, as it happened. Error text is redacted before it gets here.
  CREATE TABLE alert_delivery_attempts (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES alert_outbox(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    channel TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed', 'timeout', 'aborted')),
    duration_ms INTEGER NOT NULL,
    http_status INTEGER,
    smtp_code INTEGER,
    error TEXT
  );
  CREATE INDEX alert_delivery_attempts_outbox ON alert_delivery_attempts (outbox_id, id);
  `,
  // v3: records of the victim's patient table a sample exposes (Exact Data Matching;
  // src/store/sample-records.ts, docs/records.md). By record key only, never a value.
  `
  CREATE TABLE sample_records (
    sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    record_set TEXT NOT NULL,
    record_key TEXT NOT NULL,
    practice TEXT,
    -- Identifying fields seen together, comma-separated (e.g. "dob,name,nhi").
    fields TEXT NOT NULL,
    member_path TEXT NOT NULL,
    member_sha256 TEXT NOT NULL,
    found_at TEXT NOT NULL,
    PRIMARY KEY (sample_id, record_set, record_key, member_path)
  );
  CREATE INDEX sample_records_key ON sample_records (record_set, record_key);
  `,
];
