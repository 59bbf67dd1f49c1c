import type { LeakwatchConfig } from '../config/load.js';
import type { BrowserRequest, BrowserResult } from '../fetch/browser.js';
import type { Transport } from '../fetch/types.js';
import type { SampleMatcher } from '../ingest/sample-matcher.js';
import type { SampleResult } from '../match/types.js';
import type { NamedExposure, RecordScanner } from '../records/index.js';
import type { CrawlStore } from '../store/crawl-store.js';

/** The logging surface the crawler needs (pino's, so a pino logger can be passed in). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export interface BrowserLike {
  fetchPage(req: BrowserRequest, opts?: { signal?: AbortSignal }): Promise<BrowserResult>;
}

/** A page as the crawler keeps it, whichever transport fetched it. */
export interface FetchedPage {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  contentType: string;
  transport: 'http' | 'browser';
  screenshot?: Buffer;
  dom?: string;
  latencyMs: number;
  redirects: string[];
  fetchedAt: string;
}

/** What the crawler hands on when a downloaded sample matched known documents. */
export interface MatchedSample {
  siteId: string;
  mirrorUrl: string;
  runId: number;
  post?: { id: number; title: string; url?: string };
  sample: { id: number; sha256: string; bytes: number; url: string; isNew: boolean };
  results: SampleResult[];
  /** Records of the victim's patient table the sample exposes (record sets only; docs/records.md). */
  records?: NamedExposure[];
  /** The capture of the page that linked the sample (post page or listing). */
  captureId?: number;
  page?: FetchedPage;
  at: string;
}

/** Where downloaded samples go once matched: an encrypted vault, or nowhere (hashes only). */
export interface SampleKeeper {
  /** Keeps the sample at `path` (an encrypted copy); the caller deletes the plaintext afterwards. */
  keep(path: string, meta: { siteId: string; sha256: string; url: string }): Promise<string | undefined>;
}

export interface CrawlDeps {
  config: LeakwatchConfig;
  store: CrawlStore;
  http: Transport;
  browser?: BrowserLike;
  /** Absent when there is no fingerprint store: samples are then kept unmatched. */
  samples?: SampleMatcher;
  /** Absent when the fingerprint store has no record sets. */
  records?: RecordScanner;
  keeper?: SampleKeeper;
  /**
   * Raises the alert of a sample with at least one match or exposed record. Runs inside the
   * transaction that stores the sample and its matches, so a crash (kill -9) can never leave a
   * matched sample without its alert: the next run finds the sample known and would not ask again.
   */
  raiseAlert?: (m: MatchedSample) => void;
  /** Called after that for the same samples (evidence packages). Errors are logged, never fatal. */
  onMatched?: (m: MatchedSample) => Promise<void>;
  clock: () => Date;
  log: Logger;
  /** Folder for downloads in progress (created by the caller). */
  tempDir: string;
  signal?: AbortSignal;
}

/** `skipped`: another process held the site's lock (src/schedule/site-lock.ts); not a failure. */
export type SiteRunStatus = 'ok' | 'partial' | 'failed' | 'needs-human' | 'parser-broken' | 'interrupted' | 'skipped';

export interface SiteRunResult {
  siteId: string;
  runId: number;
  status: SiteRunStatus;
  reason?: string;
  mirror?: string;
  pages: number;
  postsSeen: number;
  postsNew: number;
  postsChanged: number;
  postsRemoved: number;
  samplesNew: number;
  samplesFailed: number;
  matchesNew: number;
  warnings: string[];
}
