import type { MatchMethod } from '../match/types.js';

/** What the crawler hands the evidence stage for one capture of one page. */

export type HeaderMap = Record<string, string | string[]>;

export interface CapturedRequest {
  method: string;
  url: string;
  headers: HeaderMap;
}

export interface CapturedResponse {
  status: number;
  /** Headers as received. */
  headers: HeaderMap;
  /**
   * Body as the transport returned it. The HTTP transport removes Content-Encoding, so the
   * WARC stores these bytes and keeps the original Content-Encoding/Length as
   * X-Archive-Orig-* headers (see docs/evidence.md); capture.json keeps the headers verbatim.
   */
  body: Uint8Array;
}

export interface CapturedExchange {
  request: CapturedRequest;
  response: CapturedResponse;
  /** When this exchange happened; default: the capture's startedAt. */
  fetchedAt?: Date;
}

export interface CaptureTool {
  name: string;
  version: string;
  gitCommit?: string;
  browser?: string;
  userAgent?: string;
  viewport?: { width: number; height: number };
}

export interface Capture {
  /** Stable id; also names the package file, so [A-Za-z0-9._-] only. */
  captureId: string;
  caseId?: string;
  injunctionRef?: string;
  siteId: string;
  mirror: string;
  targetUrl: string;
  finalUrl: string;
  /** URLs that answered with a redirect, in order (final URL not included). */
  redirects: string[];
  transport: 'http' | 'browser';
  socks: { host: string; port: number };
  torVersion?: string;
  startedAt: Date;
  finishedAt: Date;
  request: CapturedRequest;
  response: CapturedResponse;
  resources?: CapturedExchange[];
  /** Full-page screenshot (browser transport). */
  screenshotPng?: Uint8Array;
  pagePdf?: Uint8Array;
  renderedDom?: string;
  extractedText?: string;
  /** Page title for pages.jsonl; default: the <title> of the DOM or body. */
  title?: string;
  tool: CaptureTool;
  /** Person or job that ran the capture. */
  operator?: string;
}

/** One known document matched in a sample found on the page — hashes and scores only. */
export interface MatchRecord {
  sampleUrl: string;
  sampleSha256: string;
  sampleBytes: number;
  set: string;
  document: string;
  documentSha256: string;
  method: MatchMethod;
  score: number;
}

export interface PackageFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface PackageSignature {
  /** `sha256:<hex>` of datapackage.json: what is signed. */
  hash: string;
  /** Base64 raw r‖s ECDSA P-384 / SHA-256 signature over the UTF-8 `hash` string. */
  signature: string;
  /** Base64 DER SPKI of the signing key. */
  publicKey: string;
  /** SHA-256 of the SPKI DER, hex. */
  keyFingerprint: string;
  created: string;
}

export interface EvidencePackage {
  path: string;
  /** SHA-256 of the .wacz file: the package's identity in the custody log. */
  sha256: string;
  bytes: number;
  files: PackageFile[];
  signature: PackageSignature;
  /** `<path>.tsq`: RFC 3161 request over the signature bytes, to submit when online. */
  timestampRequestPath: string;
}
