/**
 * The commented starter `leakwatch.yaml` that `leakwatch init` writes. A test checks that it
 * loads without problems, so the starter can never ship broken.
 */
export const STARTER_CONFIG = `# leakwatch configuration. Check it with: leakwatch config check
# Editor support: leakwatch config schema > leakwatch.schema.json, then keep the next line.
# yaml-language-server: $schema=./leakwatch.schema.json
version: 1

# Tor's SOCKS port. Every request goes through it, hostnames resolved by Tor (socks5h).
# Values may use \${ENV_VAR}; values from the environment are never printed back.
tor:
  socksHost: 127.0.0.1
  socksPort: 9050          # 9150 for Tor Browser
  # controlPort: 9051      # for bootstrap checks / NEWNYM
  # controlPassword: \${TOR_CONTROL_PASSWORD}

# Relative paths are relative to this file.
dataDir: data              # database, raw captures, downloaded samples
fingerprintsDir: fingerprints

# Fingerprint sets to match downloaded samples against. Empty = every set in fingerprintsDir.
fingerprintSets: []
#  - id: acme-2024          # <fingerprintsDir>/acme-2024
#  - id: legal-archive
#    path: /srv/fingerprints/legal

# Sizes take "8 MB" / "2 GiB" (binary multiples) or plain bytes; times are milliseconds.
limits:
  maxPageBytes: 5 MiB      # listing/post pages larger than this are cut and reported
  maxSampleBytes: 2 GiB    # per downloaded file
  maxRunSampleBytes: 20 GiB
  connectTimeoutMs: 60000  # onion circuits are slow to build
  pageTimeoutMs: 90000
  idleTimeoutMs: 60000
  browserTimeoutMs: 120000
  sampleIdleTimeoutMs: 120000
  maxRedirects: 3
  retries: 3
  concurrency: 4           # fetches in flight, all sites together
  perHostConcurrency: 1
  perHostDelayMs: 2000     # be polite: one onion service = one small server

# Alerts: where matches are reported (docs/alerts.md). Channels are your own endpoints,
# reached directly, not through Tor. Put secrets in the environment: \${NAME}.
alerts:
  channels: []
#  - name: soc
#    type: webhook           # JSON POST, signed: X-Leakwatch-Signature (see docs/alerts.md)
#    url: https://soc.example.org/hooks/leakwatch
#    secret: \${LEAKWATCH_WEBHOOK_SECRET}
#    minSeverity: medium     # low | medium | high | critical
#  - name: slack
#    type: slack             # Slack-compatible incoming webhook; the URL is a secret
#    url: \${SLACK_WEBHOOK_URL}
#  - name: security-team
#    type: email
#    host: smtp.example.org
#    port: 587
#    security: starttls      # tls (port 465) | none (trusted local relay only)
#    user: \${SMTP_USER}
#    pass: \${SMTP_PASS}
#    from: leakwatch <leakwatch@example.org>
#    to: [security@example.org]
#  - name: log
#    type: log
  notifyOnSeenAgain: never   # never | new-mirror | always
  notifyOnEscalation: true   # when an alert gains documents or severity
  delivery:
    maxAttempts: 30          # then dead-lettered: leakwatch alerts outbox --status dead
    initialDelayMs: 30000    # doubling each time, with jitter,
    maxDelayMs: 3600000      # up to an hour apart (about a day in all)

# The daemon (leakwatch daemon): when sites without their own \`schedule\` are crawled, and how.
# Cron: minute hour day month weekday (a 6th leading field = seconds). See docs/operations.md.
schedule:
  cron: "*/30 * * * *"       # every 30 minutes
  timezone: UTC              # IANA name, e.g. Europe/Berlin
  jitterMs: 120000           # random delay before each run, up to 2 minutes
  siteConcurrency: 2         # sites crawled at the same time
  shutdownTimeoutMs: 30000   # SIGTERM: in-flight crawls get this long to stop
  deliveryIntervalMs: 60000  # pending alert notifications are retried this often
  failingAfterRuns: 3        # status: every mirror down this many runs in a row = failing

# Logs: JSON lines on stderr (readable on a terminal). debug | info | warn | error
log:
  level: info

# The web dashboard (leakwatch serve; docs/dashboard.md). Loopback only unless users or
# proxyAuth are set. Password hashes come from: leakwatch web hash-password < password.txt
# web:
#   host: 127.0.0.1
#   port: 8470
#   secureCookies: false     # true when users reach it over https (a TLS reverse proxy)
#   users:
#     - name: counsel
#       passwordHash: scrypt$...
#   proxyAuth:               # or: single sign-on through a reverse proxy
#     header: X-Forwarded-User
#     trustedProxies: [127.0.0.1]

# Optional: a folder with one <id>.yaml site definition per file.
# sitesDir: sites.d

# Sites to watch. Use a shipped definition by id (leakwatch sites list --builtin), optionally
# replacing top-level keys such as mirrors/schedule/enabled, or write a full definition.
sites: []
#  - builtin: lockbit3
#    mirrors:
#      - http://lockbitapt2yfbt7lchxejug47kmqvqqxvvjpqkmevv4l3azl3gy6pyd.onion/
#    schedule: { cron: "0 */4 * * *", timezone: UTC }
#
#  - id: example-blog
#    name: Example leak blog
#    mirrors:
#      - http://<56-character v3 address>.onion/
#    transport: http          # or browser, for sites that render with JavaScript
#    listing:
#      item: article.post
#      title: h2 a
#      postUrl: h2 a          # href, resolved against the page URL
#      date: { selector: time, attr: datetime, format: iso }
#      dataSize: .size        # "1.2 TB" -> bytes
#      pagination: { next: a.next, maxPages: 10 }
#    post:
#      description: .entry-content
#      images: { selector: .proof img }
#      files: { item: a.download, size: { selector: .size } }
`;
