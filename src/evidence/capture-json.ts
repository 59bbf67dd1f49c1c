import { InputError } from '../errors.js';
import { METHOD_RANK } from '../match/types.js';
import { HEX64, sha256Hex } from './digest.js';
import { onionIdentity, type OnionIdentity } from './onion-key.js';
import type { Artifact } from './warc-build.js';
import type { Capture, HeaderMap, MatchRecord } from './types.js';

/**
 * `evidence/capture.json` and `evidence/match.json`: the human- and machine-readable account
 * of one capture. Field order is fixed by construction, so the bytes are deterministic.
 */

export const CAPTURE_SCHEMA = 'leakwatch.capture/1';
export const MATCH_SCHEMA = 'leakwatch.match/1';

export interface CaptureJson {
  schema: typeof CAPTURE_SCHEMA;
  captureId: string;
  caseId: string | null;
  injunctionRef: string | null;
  siteId: string;
  mirror: string;
  targetUrl: string;
  finalUrl: string;
  redirects: string[];
  /** Null for a clearnet capture. */
  onion: OnionIdentity | null;
  network: {
    via: 'tor';
    transport: 'http' | 'browser';
    socks: { host: string; port: number };
    torVersion: string | null;
    /** Over Tor the remote IP is the local proxy's: the onion key above identifies the server. */
    remoteIp: null;
  };
  http: { method: string; requestUrl: string; status: number; headers: HeaderMap; serverDate: string | null; bodySha256: string; bodyBytes: number };
  time: { startedAt: string; finishedAt: string; packagedAt: string; clockSource: string };
  tool: { name: string; version: string; gitCommit: string | null; browser: string | null; userAgent: string | null; viewport: { width: number; height: number } | null };
  operator: string | null;
  artifacts: Artifact[];
}

export interface MatchJson {
  schema: typeof MATCH_SCHEMA;
  captureId: string;
  matcher: { name: string; version: string };
  /** Only hashes, sizes, names and scores: never sample or document contents. */
  matches: MatchRecord[];
}

export const CAPTURE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const CLOCK_SOURCE = 'system clock of the capturing host (UTC); not independently verified — see the RFC 3161 timestamp beside the package';

function headerValue(headers: HeaderMap, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : headers[key];
  return Array.isArray(v) ? v.join(', ') : v;
}

function fail(message: string, input: string): never {
  throw new InputError('E_EVIDENCE_INPUT', message, { input });
}

/** Rejects input that would make a misleading package, before anything is written. */
export function checkCaptureInput(capture: Capture, matches: MatchRecord[]): void {
  const id = capture.captureId;
  if (!CAPTURE_ID.test(id)) fail('captureId must be 1–128 characters of [A-Za-z0-9._-], starting with a letter or digit', String(id));
  for (const [name, url] of [['targetUrl', capture.targetUrl], ['finalUrl', capture.finalUrl], ['request.url', capture.request.url]] as const) {
    try {
      new URL(url);
    } catch {
      fail(`${name} is not an absolute URL`, id);
    }
  }
  if (!(capture.startedAt instanceof Date) || !(capture.finishedAt instanceof Date) || Number.isNaN(capture.startedAt.getTime()) || Number.isNaN(capture.finishedAt.getTime())) {
    fail('startedAt and finishedAt must be valid Dates', id);
  }
  if (capture.finishedAt < capture.startedAt) fail('finishedAt is before startedAt', id);
  if (!Number.isInteger(capture.response.status) || capture.response.status < 100 || capture.response.status > 999) fail('response.status is not an HTTP status', id);
  for (const m of matches) {
    if (!HEX64.test(m.sampleSha256) || !HEX64.test(m.documentSha256)) fail('match hashes must be lower-case hex SHA-256', id);
    if (!(m.method in METHOD_RANK)) fail(`unknown match method "${String(m.method)}"`, id);
    if (!(m.score >= 0 && m.score <= 1)) fail('match score must be within 0..1', id);
    if (!Number.isSafeInteger(m.sampleBytes) || m.sampleBytes < 0) fail('sampleBytes must be a byte count', id);
  }
}

export function buildCaptureJson(capture: Capture, artifacts: Artifact[], packagedAt: Date): CaptureJson {
  const t = capture.tool;
  return {
    schema: CAPTURE_SCHEMA,
    captureId: capture.captureId,
    caseId: capture.caseId ?? null,
    injunctionRef: capture.injunctionRef ?? null,
    siteId: capture.siteId,
    mirror: capture.mirror,
    targetUrl: capture.targetUrl,
    finalUrl: capture.finalUrl,
    redirects: [...capture.redirects],
    onion: onionIdentity(capture.finalUrl) ?? null,
    network: {
      via: 'tor',
      transport: capture.transport,
      socks: { host: capture.socks.host, port: capture.socks.port },
      torVersion: capture.torVersion ?? null,
      remoteIp: null,
    },
    http: {
      method: capture.request.method.toUpperCase(),
      requestUrl: capture.request.url,
      status: capture.response.status,
      headers: capture.response.headers,
      serverDate: headerValue(capture.response.headers, 'date') ?? null,
      bodySha256: sha256Hex(capture.response.body),
      bodyBytes: capture.response.body.length,
    },
    time: {
      startedAt: capture.startedAt.toISOString(),
      finishedAt: capture.finishedAt.toISOString(),
      packagedAt: packagedAt.toISOString(),
      clockSource: CLOCK_SOURCE,
    },
    tool: {
      name: t.name,
      version: t.version,
      gitCommit: t.gitCommit ?? null,
      browser: t.browser ?? null,
      userAgent: t.userAgent ?? null,
      viewport: t.viewport ? { width: t.viewport.width, height: t.viewport.height } : null,
    },
    operator: capture.operator ?? null,
    artifacts,
  };
}

/** Copies only the whitelisted fields, so nothing else a caller attaches can leak into the package. */
export function buildMatchJson(captureId: string, matches: MatchRecord[], matcher: { name: string; version: string }): MatchJson {
  return {
    schema: MATCH_SCHEMA,
    captureId,
    matcher: { name: matcher.name, version: matcher.version },
    matches: matches.map((m) => ({
      sampleUrl: m.sampleUrl,
      sampleSha256: m.sampleSha256,
      sampleBytes: m.sampleBytes,
      set: m.set,
      document: m.document,
      documentSha256: m.documentSha256,
      method: m.method,
      score: m.score,
    })),
  };
}

export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8');
}

/** Page title for pages.jsonl: explicit, else the first <title> of the DOM or body. */
export function pageTitle(capture: Capture): string {
  if (capture.title) return capture.title;
  const html = capture.renderedDom ?? Buffer.from(capture.response.body).toString('utf8');
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(html.slice(0, 200_000));
  return (m?.[1] ?? '').replace(/\s+/g, ' ').trim() || capture.finalUrl;
}
