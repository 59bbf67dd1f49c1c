import type { ContentType } from '../extract/types.js';
import type { HostPolicyInput } from './target-policy.js';

/** Public request/response shapes of the fetch layer. */

/** Of the successful attempt. connectMs/ttfbMs: of its last hop (after redirects). */
export interface Timings {
  /** Hop start → connected through the proxy (SOCKS reply + onion circuit). */
  connectMs: number;
  /** Hop start → response headers. */
  ttfbMs: number;
  /** Active time of all hops, to the last byte (excludes politeness and retry waits). */
  totalMs: number;
}

/** Per-phase deadlines, ms; 0 disables one. */
export interface PhaseTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  totalMs: number;
}

export interface FetchOptions {
  signal?: AbortSignal;
}

interface RequestBase extends HostPolicyInput {
  url: string;
  /** Decides the SOCKS credentials (circuit isolation) and the cookie compartment. */
  siteId: string;
  maxBytes: number;
  referer?: string;
  /** Extra request headers (e.g. from the site definition). */
  headers?: Record<string, string>;
  /** Extra cookies sent with the jar's, e.g. a session cookie from config. */
  cookies?: Record<string, string>;
  /** Per-request override of the transport's phase timeouts. */
  timeouts?: Partial<PhaseTimeouts>;
}

export interface PageRequest extends RequestBase {
  accept?: string;
}

export interface PageResult {
  /** Final URL, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string | string[]>;
  /** Decoded body (Content-Encoding removed), at most maxBytes. */
  body: Buffer;
  contentType: string;
  timings: Timings;
  /** URLs that answered with a redirect, in order (the final URL is not included). */
  redirects: string[];
  transport: 'http';
  /** Attempts used (1 = no retry). */
  attempts: number;
}

export interface DownloadRequest extends RequestBase {
  /** Where the file ends up; written as `<dest>.part` and renamed on success. */
  dest: string;
  /** Name used as a tie-breaker by the type sniffer (e.g. the link text). */
  fileName?: string;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  /** Hex SHA-256 of the bytes as served, computed while streaming. */
  sha256: string;
  contentType: string;
  /** Type from the bytes themselves. */
  sniffed?: ContentType;
  url: string;
  status: number;
  headers: Record<string, string | string[]>;
  redirects: string[];
  timings: Timings;
  transport: 'http';
  attempts: number;
}

/** What the crawler needs from the HTTP transport. */
export interface Transport {
  fetchPage(req: PageRequest, opts?: FetchOptions): Promise<PageResult>;
  download(req: DownloadRequest, opts?: FetchOptions): Promise<DownloadResult>;
}
