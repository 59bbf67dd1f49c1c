import { z } from 'zod';
import { parseDataSize } from '../sites/data-size.js';
import { SiteId, SiteSpec, ScheduleSpec } from '../sites/schema.js';
import { TimeZone } from '../sites/schema-fields.js';
import { cronTimeZone } from '../schedule/cron-schedule.js';

/**
 * The `leakwatch.yaml` schema. Strict objects everywhere: a misspelt key is an error with a
 * suggestion, not a silently ignored setting. Relative paths are resolved against the config
 * file's directory by the loader; units are in the key names (…Ms, …Bytes).
 */

/** Bytes as a number, or as text like "8 MB" / "2 GiB" (binary multiples, see data-size.ts). */
export const ByteSize = z.union([
  z.number().int().min(1),
  z.string().transform((text, ctx) => {
    const n = parseDataSize(text);
    if (n === undefined || n < 1) {
      ctx.addIssue({ code: 'custom', message: 'expected a size such as 8 MB, 2 GiB or a number of bytes' });
      return z.NEVER;
    }
    return n;
  }),
]);

const Port = z.number().int().min(1).max(65535);

export const TorSpec = z
  .strictObject({
    socksHost: z.string().min(1).default('127.0.0.1').describe('Tor SOCKS5 host; names are always resolved by Tor (socks5h)'),
    socksPort: Port.default(9050).describe('9050 for the tor daemon, 9150 for Tor Browser'),
    controlPort: Port.optional().describe('Tor control port, for bootstrap checks and NEWNYM'),
    controlPassword: z.string().optional().describe('control port password; use ${ENV_VAR}'),
    controlCookiePath: z.string().optional().describe('control_auth_cookie file (cookie authentication)'),
  })
  .default({ socksHost: '127.0.0.1', socksPort: 9050 });

const LIMIT_DEFAULTS = {
  maxPageBytes: 5 * 1024 ** 2,
  maxSampleBytes: 2 * 1024 ** 3,
  maxRunSampleBytes: 20 * 1024 ** 3,
  connectTimeoutMs: 60_000,
  pageTimeoutMs: 90_000,
  idleTimeoutMs: 60_000,
  browserTimeoutMs: 120_000,
  sampleIdleTimeoutMs: 120_000,
  maxRedirects: 3,
  retries: 3,
  concurrency: 4,
  perHostConcurrency: 1,
  perHostDelayMs: 2000,
} as const;

export const LimitsSpec = z
  .strictObject({
    maxPageBytes: ByteSize.default(LIMIT_DEFAULTS.maxPageBytes).describe('largest listing/post page kept and parsed'),
    maxSampleBytes: ByteSize.default(LIMIT_DEFAULTS.maxSampleBytes).describe('largest single sample file downloaded'),
    maxRunSampleBytes: ByteSize.default(LIMIT_DEFAULTS.maxRunSampleBytes).describe('total sample bytes downloaded per run'),
    connectTimeoutMs: z.number().int().min(1000).default(LIMIT_DEFAULTS.connectTimeoutMs).describe('SOCKS connect + onion circuit'),
    pageTimeoutMs: z.number().int().min(1000).default(LIMIT_DEFAULTS.pageTimeoutMs).describe('whole page fetch'),
    idleTimeoutMs: z.number().int().min(1000).default(LIMIT_DEFAULTS.idleTimeoutMs).describe('no bytes received for this long = failed'),
    browserTimeoutMs: z.number().int().min(1000).default(LIMIT_DEFAULTS.browserTimeoutMs).describe('browser transport: navigation + rendering'),
    sampleIdleTimeoutMs: z.number().int().min(1000).default(LIMIT_DEFAULTS.sampleIdleTimeoutMs).describe('sample download stalled for this long = failed'),
    maxRedirects: z.number().int().min(0).max(20).default(LIMIT_DEFAULTS.maxRedirects),
    retries: z.number().int().min(0).max(10).default(LIMIT_DEFAULTS.retries).describe('retries of retryable failures, with backoff'),
    concurrency: z.number().int().min(1).max(64).default(LIMIT_DEFAULTS.concurrency).describe('fetches in flight, all sites together'),
    perHostConcurrency: z.number().int().min(1).max(16).default(LIMIT_DEFAULTS.perHostConcurrency),
    perHostDelayMs: z.number().int().min(0).default(LIMIT_DEFAULTS.perHostDelayMs).describe('pause between requests to one host'),
  })
  .default(LIMIT_DEFAULTS);

/** A set inside the fingerprint store in fingerprintsDir (`leakwatch fingerprint list`). */
export const FingerprintSetSpec = z.string().min(1).describe('name of a fingerprint set');

/** A shipped definition used by id, with a few top-level keys replaced. */
export const BuiltinSiteRef = z.strictObject({
  builtin: SiteId.describe('id of a definition shipped in sites/'),
  name: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
  mirrors: z.array(z.string()).min(1).optional().describe('replaces the shipped mirror list'),
  allowClearnet: z.boolean().optional(),
  transport: z.enum(['http', 'browser']).optional(),
  schedule: ScheduleSpec.optional(),
  headers: z.record(z.string(), z.string()).optional(),
});
export type BuiltinSiteRefInput = z.input<typeof BuiltinSiteRef>;

// ---- alerts (src/alert, docs/alerts.md) ---------------------------------------------------

const AlertSeverity = z.enum(['low', 'medium', 'high', 'critical']);
const HttpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const channelBase = {
  name: SiteId.describe('channel name: appears in the outbox, in attempts and in logs (never the URL or secret)'),
  minSeverity: AlertSeverity.default('low').describe('alerts below this severity are not sent to this channel'),
  timeoutMs: z.number().int().min(1000).max(300_000).default(10_000).describe('whole delivery attempt: connect, send, response'),
};

export const WebhookChannelSpec = z.strictObject({
  type: z.literal('webhook'),
  ...channelBase,
  url: HttpUrl.describe('receives a JSON POST'),
  secret: z.string().min(16).describe('HMAC-SHA256 key for X-Leakwatch-Signature; use ${ENV_VAR}'),
  headers: z.record(z.string(), z.string()).default({}).describe('extra request headers (e.g. an API key: use ${ENV_VAR})'),
});

export const SlackChannelSpec = z.strictObject({
  type: z.literal('slack'),
  ...channelBase,
  url: HttpUrl.describe('Slack-compatible incoming webhook URL; it is a secret, use ${ENV_VAR}'),
});

export const EmailChannelSpec = z
  .strictObject({
    type: z.literal('email'),
    ...channelBase,
    host: z.string().min(1).describe('SMTP server'),
    port: Port.default(587),
    security: z.enum(['starttls', 'tls', 'none']).default('starttls').describe('starttls (required, port 587), tls (implicit, port 465), none (trusted local relay only)'),
    user: z.string().min(1).optional().describe('use ${ENV_VAR}'),
    pass: z.string().min(1).optional().describe('use ${ENV_VAR}'),
    from: z.string().min(3).describe('sender, e.g. "leakwatch <leakwatch@example.org>"'),
    to: z.array(z.email({ error: 'expected an email address' })).min(1),
    subjectPrefix: z.string().default('[leakwatch]'),
  })
  .superRefine((c, ctx) => {
    if ((c.user === undefined) !== (c.pass === undefined)) ctx.addIssue({ code: 'custom', path: [c.user === undefined ? 'user' : 'pass'], message: 'user and pass go together' });
  });

export const LogChannelSpec = z.strictObject({
  type: z.literal('log'),
  ...channelBase,
  level: z.enum(['info', 'warn', 'error']).default('warn'),
});

export const AlertChannelSpec = z.discriminatedUnion('type', [WebhookChannelSpec, SlackChannelSpec, EmailChannelSpec, LogChannelSpec], {
  error: 'type must be one of: webhook, slack, email, log',
});

export const ALERT_DELIVERY_DEFAULTS = { maxAttempts: 30, initialDelayMs: 30_000, maxDelayMs: 3_600_000, backoffFactor: 2, jitterRatio: 0.2, maxPerRun: 100 };
/** Shared with src/alert/severity.ts, so the rule's defaults are written once. */
export const ALERT_SEVERITY_DEFAULTS = {
  criticalDocuments: 10,
  strongScore: 0.8,
  identityDocuments: ['passport', '(^|[^a-z])id[-_ ]?(card|doc|scan)', 'identity', 'national[-_ ]?id', 'driv(ers?|ing)[-_ ]?licen[cs]e'],
};

const RegexText = z.string().min(1).superRefine((text, ctx) => {
  try {
    new RegExp(text, 'i');
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a valid regular expression' });
  }
});

export const AlertsSpec = z
  .strictObject({
    channels: z.array(AlertChannelSpec).default([]).describe('where alerts are sent; empty = alerts are only stored'),
    notifyOnSeenAgain: z.enum(['never', 'new-mirror', 'always']).default('never').describe('notify when an alerted sample is seen again'),
    notifyOnEscalation: z.boolean().default(true).describe('notify when an alert gains documents or severity'),
    delivery: z
      .strictObject({
        maxAttempts: z.number().int().min(1).max(1000).default(ALERT_DELIVERY_DEFAULTS.maxAttempts).describe('then the notification is dead-lettered (still listed)'),
        initialDelayMs: z.number().int().min(100).default(ALERT_DELIVERY_DEFAULTS.initialDelayMs),
        maxDelayMs: z.number().int().min(100).default(ALERT_DELIVERY_DEFAULTS.maxDelayMs),
        backoffFactor: z.number().min(1).max(10).default(ALERT_DELIVERY_DEFAULTS.backoffFactor),
        jitterRatio: z.number().min(0).max(1).default(ALERT_DELIVERY_DEFAULTS.jitterRatio),
        maxPerRun: z.number().int().min(1).default(ALERT_DELIVERY_DEFAULTS.maxPerRun).describe('deliveries attempted per pass'),
      })
      .default(ALERT_DELIVERY_DEFAULTS),
    severity: z
      .strictObject({
        criticalDocuments: z.number().int().min(1).default(ALERT_SEVERITY_DEFAULTS.criticalDocuments),
        strongScore: z.number().min(0).max(1).default(ALERT_SEVERITY_DEFAULTS.strongScore),
        identityDocuments: z.array(RegexText).default(ALERT_SEVERITY_DEFAULTS.identityDocuments).describe('regular expressions over document paths (case-insensitive)'),
      })
      .default(ALERT_SEVERITY_DEFAULTS),
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.channels.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'name'], message: `duplicate channel name "${c.name}"` });
      seen.add(c.name);
    });
  })
  .default({ channels: [], notifyOnSeenAgain: 'never', notifyOnEscalation: true, delivery: ALERT_DELIVERY_DEFAULTS, severity: ALERT_SEVERITY_DEFAULTS });

export type AlertsSettings = z.output<typeof AlertsSpec>;
export type AlertChannelSettings = z.output<typeof AlertChannelSpec>;

// ---- scheduling and logs (src/schedule, docs/operations.md) ---------------------------

export const SCHEDULE_DEFAULTS = {
  cron: '*/30 * * * *',
  timezone: 'UTC',
  jitterMs: 120_000,
  siteConcurrency: 2,
  shutdownTimeoutMs: 30_000,
  deliveryIntervalMs: 60_000,
  failingAfterRuns: 3,
} as const;

export const ScheduleDefaultsSpec = z
  .strictObject({
    cron: ScheduleSpec.shape.cron.default(SCHEDULE_DEFAULTS.cron).describe('when sites without their own schedule are crawled (5 fields, or 6 with seconds)'),
    timezone: TimeZone.refine((tz) => cronTimeZone(tz) !== undefined, { message: 'offsets must be whole hours here; use an IANA name such as Europe/Berlin' })
      .default(SCHEDULE_DEFAULTS.timezone)
      .describe('zone the cron expression is read in'),
    jitterMs: z.number().int().min(0).max(3_600_000).default(SCHEDULE_DEFAULTS.jitterMs).describe('random delay (0..jitterMs) before each run, so sites are not all hit on the minute'),
    siteConcurrency: z.number().int().min(1).max(32).default(SCHEDULE_DEFAULTS.siteConcurrency).describe('sites the daemon crawls at the same time'),
    shutdownTimeoutMs: z.number().int().min(1000).max(600_000).default(SCHEDULE_DEFAULTS.shutdownTimeoutMs).describe('on SIGTERM/SIGINT, in-flight crawls get this long to stop'),
    deliveryIntervalMs: z.number().int().min(1000).default(SCHEDULE_DEFAULTS.deliveryIntervalMs).describe('the daemon delivers pending alert notifications this often'),
    failingAfterRuns: z.number().int().min(1).max(100).default(SCHEDULE_DEFAULTS.failingAfterRuns).describe('status: a site whose mirrors are all down for this many runs in a row is failing'),
  })
  .default(SCHEDULE_DEFAULTS);

export const LogSpec = z
  .strictObject({
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('least important log level written (daemon; crawl takes --log-level)'),
  })
  .default({ level: 'info' });

export type ScheduleSettings = z.output<typeof ScheduleDefaultsSpec>;
export type LogSettings = z.output<typeof LogSpec>;

// ---- web dashboard (src/web, docs/dashboard.md) ---------------------------------------

/** `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`, as printed by `leakwatch web hash-password`. */
export const PASSWORD_HASH_RE = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;

export const WebSpec = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1').describe('address `leakwatch serve` binds; anything but loopback needs users or proxyAuth'),
    port: Port.default(8470),
    secureCookies: z.boolean().default(false).describe('mark session cookies Secure (set it when the dashboard is reached over https, e.g. behind a TLS proxy)'),
    sessionIdleMs: z.number().int().min(60_000).max(7 * 24 * 3_600_000).default(30 * 60_000).describe('a session unused this long is logged out'),
    users: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'letters, digits and . _ @ - only (at most 64)'),
          passwordHash: z.string().regex(PASSWORD_HASH_RE, 'expected the output of "leakwatch web hash-password"'),
        }),
      )
      .default([])
      .describe('dashboard users; when empty and bound to loopback, a single local user "local" is signed in automatically'),
    proxyAuth: z
      .strictObject({
        header: z.string().regex(/^[A-Za-z0-9-]+$/).describe('request header the reverse proxy sets to the signed-in user (e.g. X-Forwarded-User)'),
        trustedProxies: z.array(z.string().min(1)).min(1).describe('addresses the proxy connects from; the header is ignored from anyone else'),
      })
      .optional()
      .describe('single sign-on through a reverse proxy that authenticates users and passes the name in a header'),
  })
  .superRefine((w, ctx) => {
    const seen = new Set<string>();
    w.users.forEach((u, i) => {
      if (seen.has(u.name)) ctx.addIssue({ code: 'custom', path: ['users', i, 'name'], message: `duplicate user "${u.name}"` });
      seen.add(u.name);
    });
  })
  .default({ host: '127.0.0.1', port: 8470, secureCookies: false, sessionIdleMs: 30 * 60_000, users: [] });

export type WebSettings = z.output<typeof WebSpec>;

const base = {
  version: z.literal(1).default(1).describe('config format version'),
  tor: TorSpec,
  dataDir: z.string().min(1).default('data').describe('database, raw captures, samples'),
  fingerprintsDir: z.string().min(1).default('fingerprints'),
  fingerprintSets: z.array(FingerprintSetSpec).default([]).describe('names of the sets to match samples against; empty = every set in the store in fingerprintsDir'),
  limits: LimitsSpec,
  sitesDir: z.string().min(1).optional().describe('folder of site definitions, one <id>.yaml per site'),
  alerts: AlertsSpec.describe('alert channels and delivery (docs/alerts.md)'),
  schedule: ScheduleDefaultsSpec.describe('the daemon: default schedule, jitter, concurrency, shutdown (docs/operations.md)'),
  log: LogSpec,
  web: WebSpec.describe('the web dashboard, `leakwatch serve` (docs/dashboard.md)'),
};

/** What the loader validates first; sites are validated one by one (built-ins merged first). */
export const ConfigShell = z.strictObject({ ...base, sites: z.array(z.unknown()).default([]) });

/** The whole file as editors see it (JSON Schema export). */
export const ConfigFile = z.strictObject({
  ...base,
  sites: z.array(z.union([BuiltinSiteRef, SiteSpec])).default([]).describe('sites to watch: `builtin: <id>` or a full definition'),
});

export type ConfigShellOutput = z.output<typeof ConfigShell>;
export type Limits = z.output<typeof LimitsSpec>;
export type TorSettings = z.output<typeof TorSpec>;
