import { z } from 'zod';
import { parseDataSize } from '../sites/data-size.js';
import { SiteId, SiteSpec, ScheduleSpec } from '../sites/schema.js';

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

export const FingerprintSetSpec = z.strictObject({
  id: SiteId.describe('name of the fingerprint set'),
  path: z.string().min(1).optional().describe('default: <fingerprintsDir>/<id>'),
});

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

const base = {
  version: z.literal(1).default(1).describe('config format version'),
  tor: TorSpec,
  dataDir: z.string().min(1).default('data').describe('database, raw captures, samples'),
  fingerprintsDir: z.string().min(1).default('fingerprints'),
  fingerprintSets: z.array(FingerprintSetSpec).default([]).describe('sets to match samples against; empty = every set in fingerprintsDir'),
  limits: LimitsSpec,
  sitesDir: z.string().min(1).optional().describe('folder of site definitions, one <id>.yaml per site'),
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
