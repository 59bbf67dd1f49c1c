import { STATUS_CODES } from 'node:http';
import { gzipSync } from 'node:zlib';
import { WARCRecord, WARCSerializer, WARC_1_1 } from 'warcio';
import { sha256, sha256Hex } from './digest.js';
import type { Capture, CapturedExchange, HeaderMap } from './types.js';

/**
 * Builds `archive/capture.warc.gz` in memory with warcio: WARC/1.1, one gzip member per
 * record (so the CDXJ index can address each record by offset/length), SHA-256 block and
 * payload digests. Record ids are derived from the capture id and record position, and gzip
 * has no timestamps, so the same capture always yields the same bytes.
 */

export type ArtifactRole = 'page' | 'resource' | 'screenshot' | 'pdf' | 'rendered-dom' | 'extracted-text';

export interface Artifact {
  role: ArtifactRole;
  /** File inside the package that holds the record. */
  path: string;
  /** WARC-Target-URI of the record. */
  uri: string;
  recordId: string;
  warcType: 'response' | 'resource';
  /** SHA-256 of the payload (HTTP body, or the resource itself), hex. */
  sha256: string;
  bytes: number;
  mime: string;
}

export const WARC_PATH = 'archive/capture.warc.gz';
export const WARC_NAME = 'capture.warc.gz';

interface RecordSpec {
  type: 'warcinfo' | 'request' | 'response' | 'resource' | 'metadata';
  uri: string;
  date: Date;
  recordId: string;
  contentType?: string;
  statusline?: string;
  httpHeaders?: [string, string][];
  payload: Uint8Array;
  extraWarcHeaders?: [string, string][];
}

/** Deterministic record id: a UUID (version 8, RFC 9562 custom) from SHA-256 of its identity. */
function recordId(captureId: string, index: number, uri: string): string {
  const h = sha256(`leakwatch-warc-record\n${captureId}\n${index}\n${uri}`).subarray(0, 16);
  h[6] = ((h[6] as number) & 0x0f) | 0x80;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `<urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}>`;
}

function headerPairs(headers: HeaderMap): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, String(v).replace(/[\r\n]+/g, ' ')]);
  }
  return out;
}

function headerValue(headers: HeaderMap, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  if (!key) return undefined;
  const v = headers[key];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * The transport hands over the decoded body; the WARC must not claim an encoding the stored
 * bytes do not have, so the transfer headers are kept under X-Archive-Orig-* (pywb's prefix
 * for rewritten headers) and Content-Length is set to the stored length.
 */
function responseHeaders(headers: HeaderMap, bodyBytes: number): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of headerPairs(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-encoding' && value.trim().toLowerCase() !== 'identity') out.push([`X-Archive-Orig-${name}`, value]);
    else if (lower === 'transfer-encoding') out.push([`X-Archive-Orig-${name}`, value]);
    else if (lower === 'content-length') {
      if (value.trim() !== String(bodyBytes)) out.push([`X-Archive-Orig-${name}`, value]);
    } else out.push([name, value]);
  }
  // Always state the stored length: replay tools rely on it, and the original (if different) is kept above.
  out.push(['Content-Length', String(bodyBytes)]);
  return out;
}

function requestLine(method: string, url: string): string {
  const u = new URL(url);
  return `${method.toUpperCase()} ${u.pathname}${u.search} HTTP/1.1`;
}

function requestHeaders(headers: HeaderMap, url: string): [string, string][] {
  const pairs = headerPairs(headers);
  if (!pairs.some(([n]) => n.toLowerCase() === 'host')) pairs.unshift(['Host', new URL(url).host]);
  return pairs;
}

function mimeOf(headers: HeaderMap): string {
  return (headerValue(headers, 'content-type') ?? 'application/octet-stream').split(';')[0]?.trim() || 'application/octet-stream';
}

const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');

export interface WarcPlan {
  specs: RecordSpec[];
  artifacts: Artifact[];
  pageRecordId: string;
}

/** Every record except the capture.json metadata record, plus the artifact list for capture.json. */
export function planWarc(capture: Capture, softwareVersion: string): WarcPlan {
  const specs: RecordSpec[] = [];
  const artifacts: Artifact[] = [];
  const push = (spec: Omit<RecordSpec, 'recordId'>): string => {
    const id = recordId(capture.captureId, specs.length, spec.uri);
    specs.push({ ...spec, recordId: id });
    return id;
  };
  const artifact = (role: ArtifactRole, uri: string, id: string, warcType: Artifact['warcType'], payload: Uint8Array, mime: string): void => {
    artifacts.push({ role, path: WARC_PATH, uri, recordId: id, warcType, sha256: sha256Hex(payload), bytes: payload.length, mime });
  };

  const info: [string, string][] = [
    ['software', `${capture.tool.name}/${capture.tool.version} (leakwatch evidence ${softwareVersion}; warcio.js)`],
    ['format', 'WARC File Format 1.1'],
    ['conformsTo', 'http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/'],
    ['isPartOf', capture.captureId],
    ['description', oneLine(`Capture of ${capture.targetUrl} (site ${capture.siteId}, mirror ${capture.mirror}) over Tor via SOCKS ${capture.socks.host}:${capture.socks.port}, ${capture.transport} transport`)],
  ];
  if (capture.operator) info.push(['operator', oneLine(capture.operator)]);
  if (capture.tool.userAgent) info.push(['http-header-user-agent', oneLine(capture.tool.userAgent)]);
  const infoText = Buffer.from(info.map(([k, v]) => `${k}: ${v}\r\n`).join(''), 'utf8');
  push({ type: 'warcinfo', uri: '', date: capture.startedAt, contentType: 'application/warc-fields', payload: infoText });

  const exchange = (ex: CapturedExchange, url: string, role: 'page' | 'resource'): string => {
    const date = ex.fetchedAt ?? capture.startedAt;
    const resId = push({
      type: 'response',
      uri: url,
      date,
      statusline: `HTTP/1.1 ${ex.response.status} ${STATUS_CODES[ex.response.status] ?? ''}`.trimEnd(),
      httpHeaders: responseHeaders(ex.response.headers, ex.response.body.length),
      payload: ex.response.body,
    });
    artifact(role, url, resId, 'response', ex.response.body, mimeOf(ex.response.headers));
    push({
      type: 'request',
      uri: url,
      date,
      statusline: requestLine(ex.request.method, url),
      httpHeaders: requestHeaders(ex.request.headers, url),
      payload: new Uint8Array(0),
      extraWarcHeaders: [['WARC-Concurrent-To', resId]],
    });
    return resId;
  };

  const pageRecordId = exchange({ request: capture.request, response: capture.response }, capture.finalUrl, 'page');
  for (const res of capture.resources ?? []) exchange(res, res.request.url, 'resource');

  const resource = (role: ArtifactRole, scheme: string, payload: Uint8Array | undefined, mime: string): void => {
    if (!payload) return;
    const uri = `urn:${scheme}:${capture.finalUrl}`;
    const id = push({ type: 'resource', uri, date: capture.finishedAt, contentType: mime, payload, extraWarcHeaders: [['WARC-Refers-To', pageRecordId]] });
    artifact(role, uri, id, 'resource', payload, mime);
  };
  resource('screenshot', 'view', capture.screenshotPng, 'image/png');
  resource('pdf', 'pdf', capture.pagePdf, 'application/pdf');
  resource('rendered-dom', 'dom', capture.renderedDom === undefined ? undefined : Buffer.from(capture.renderedDom, 'utf8'), 'text/html; charset=utf-8');
  resource('extracted-text', 'text', capture.extractedText === undefined ? undefined : Buffer.from(capture.extractedText, 'utf8'), 'text/plain; charset=utf-8');
  return { specs, artifacts, pageRecordId };
}

export const CAPTURE_METADATA_URI = (captureId: string): string => `urn:leakwatch:capture:${captureId}`;

/** Adds the metadata record holding capture.json (it refers to the page response). */
export function withCaptureMetadata(plan: WarcPlan, captureId: string, captureJson: Uint8Array, date: Date): RecordSpec[] {
  const uri = CAPTURE_METADATA_URI(captureId);
  return [
    ...plan.specs,
    {
      type: 'metadata',
      uri,
      date,
      recordId: recordId(captureId, plan.specs.length, uri),
      contentType: 'application/json',
      payload: captureJson,
      extraWarcHeaders: [['WARC-Refers-To', plan.pageRecordId]],
    },
  ];
}

async function serializeRecord(spec: RecordSpec, filename: string): Promise<Uint8Array> {
  const warcHeaders: [string, string][] = [['WARC-Record-ID', spec.recordId], ...(spec.extraWarcHeaders ?? [])];
  if (spec.contentType) warcHeaders.push(['Content-Type', spec.contentType]);
  const record = WARCRecord.create(
    {
      ...(spec.uri ? { url: spec.uri } : {}),
      date: spec.date.toISOString(),
      type: spec.type,
      warcVersion: WARC_1_1,
      warcHeaders,
      ...(spec.type === 'warcinfo' ? { filename } : {}),
      ...(spec.httpHeaders ? { httpHeaders: spec.httpHeaders } : {}),
      ...(spec.statusline ? { statusline: spec.statusline } : {}),
    },
    [spec.payload],
  );
  return WARCSerializer.serialize(record, { gzip: false, digest: { algo: 'sha-256', prefix: 'sha256:', base32: false } });
}

/** Serialises every record as its own gzip member (zlib, no mtime: byte-stable). */
export async function serializeWarc(specs: RecordSpec[]): Promise<Buffer> {
  const members: Buffer[] = [];
  for (const spec of specs) members.push(gzipSync(await serializeRecord(spec, WARC_NAME), { level: 9 }));
  return Buffer.concat(members);
}
