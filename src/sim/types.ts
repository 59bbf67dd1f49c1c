import type { DocFormat, FileFormat, Kind } from '../synth/index.js';

/**
 * Public types of the leak-site simulator. Everything a test can ask the simulator to serve
 * is data here, so a test can say "post X publishes stolen document Y" without building HTML.
 */

/**
 * How a simulated site looks. Each style has a matching definition in sites/sim/:
 *  - `blog`: static listing → post pages (description, proof images, sample links);
 *  - `paged`: listing spread over pages (`?page=N`, with a "next" link);
 *  - `api`: HTML app shell + JSON endpoint `/api/v1/leaks?page=N`;
 *  - `js-only`: content inserted by a script; a plain HTTP GET sees an empty shell;
 *  - `queue`: a DDoS queue / captcha page in front of everything (needs a human);
 *  - `hostile`: malformed HTML, deep nesting, a huge sample and zip bombs;
 *  - `cp1251`, `latin1`: pages in windows-1251 / ISO-8859-1 declared by `<meta>`.
 */
export type SiteStyle = 'blog' | 'paged' | 'api' | 'js-only' | 'queue' | 'hostile' | 'cp1251' | 'latin1';

/** Latency range in ms, drawn uniformly per request: `[min, max]`. */
export type LatencyRangeMs = readonly [number, number];

/**
 * A mirror that is down: `refuse` closes its port (connection refused), `reset` accepts the
 * connection and resets it once the request arrives.
 */
export type DownMode = 'refuse' | 'reset';

export interface SimMirrorSpec {
  /** Per-request latency before the response starts; overrides the simulator-wide latency. */
  latencyMs?: LatencyRangeMs;
  /** A slow mirror uses `slowLatencyMs` of the simulator options unless latencyMs is given. */
  slow?: boolean;
  /** Start down. */
  down?: DownMode | false;
}

/**
 * Where one published file's bytes come from. Corpus files are named by their path relative to
 * the stolen corpus (the `path` of generateCorpus's manifest entries).
 */
export type SimFileSource =
  /** Exact bytes of a stolen-corpus file. */
  | { kind: 'stolen'; path: string }
  /** A stolen-corpus image, downscaled and cropped like a screenshot (a near-duplicate). */
  | { kind: 'stolen-screenshot'; path: string }
  /** Text document `index` of the unrelated id space (other patients), in `format`. */
  | { kind: 'unrelated'; index: number; format: DocFormat }
  /** A photo-like image from the unrelated id space. */
  | { kind: 'unrelated-photo'; index: number; format?: 'png' | 'jpeg' }
  /** A zip "proof pack": stolen files, unrelated documents and filler files. */
  | { kind: 'proof-pack'; stolen: string[]; unrelated: Array<{ index: number; format: DocFormat }>; filler: number }
  /** Generated on the fly and streamed, never held in memory (incompressible bytes). */
  | { kind: 'huge'; sizeBytes: number }
  /** Decompression bomb: `members` entries of `memberBytes` zero bytes each; nested = zips of that zip. */
  | { kind: 'zip-bomb'; members: number; memberBytes: number; nested?: number }
  /** Literal bytes (a test's own sample). */
  | { kind: 'bytes'; bytes: Uint8Array; contentType?: string }
  /** A file on disk, streamed. */
  | { kind: 'disk'; path: string };

export interface SimFileInput {
  /** File name as shown and in the URL. */
  name: string;
  source: SimFileSource;
}

/** What a published file contains, for tests and the crawl answer key. */
export interface SimFileContent {
  /** Name inside the file (the member name for a zip), or the file name. */
  name: string;
  origin: 'stolen' | 'unrelated' | 'filler' | 'hostile' | 'external';
  /** Path in the stolen corpus, for stolen content. */
  corpusPath?: string;
  /** `exact` bytes of the corpus file, or a `screenshot`-like derivative of an image. */
  transform?: 'exact' | 'screenshot';
}

export interface SimFile {
  name: string;
  /** `image` = a proof image on the post page, `file` = a download link. */
  role: 'image' | 'file';
  /** URL path on every mirror of the site. */
  path: string;
  contentType: string;
  source: SimFileSource;
  contents: SimFileContent[];
  /** True when matching this file against the stolen corpus should find something. */
  expectMatch: boolean;
}

export interface SimPostInput {
  title: string;
  /** URL id; default: derived from the title. */
  slug?: string;
  website?: string;
  /** Default: the simulator's clock. */
  publishedAt?: Date | string;
  /** Publication deadline (a countdown is shown while it is in the future). */
  deadlineAt?: Date | string;
  dataSizeText?: string;
  description?: string;
  images?: SimFileInput[];
  files?: SimFileInput[];
  /** File-tree text shown on the post page. */
  fileTree?: string;
}

export interface SimPost {
  /** URL id, unique per site. */
  slug: string;
  /** The site's own post id (used by the JSON API). */
  id: string;
  title: string;
  website: string;
  /** ISO 8601. */
  publishedAt: string;
  deadlineAt?: string;
  dataSizeText: string;
  /** parseDataSize(dataSizeText), as the extractor computes it. */
  dataSizeBytes: number;
  description: string;
  /** Path of the post page. */
  path: string;
  images: SimFile[];
  files: SimFile[];
  fileTree?: string;
}

export interface SimSiteSpec {
  id: string;
  style: SiteStyle;
  name?: string;
  /** Default: one mirror. */
  mirrors?: SimMirrorSpec[];
  /** Generated victim posts (count; default per style), or explicit posts. */
  posts?: number | SimPostInput[];
  /** Add the style's default sample posts (stolen / unrelated / hostile files). Default true. */
  samplePosts?: boolean;
  /** Posts per listing page (paged and api styles). */
  postsPerPage?: number;
}

export interface StolenCorpusSpec {
  /** The options generateCorpus was (or would be) called with. */
  seed: number;
  documents: number;
  mix?: Partial<Record<Kind, number>>;
  formats?: readonly FileFormat[];
  layout?: 'patient' | 'practice';
}

export interface SimulatorOptions {
  seed: number;
  /** Default: the simulator's standard set (defaultSimSites()). */
  sites?: SimSiteSpec[];
  /** The "stolen" corpus posts publish from. Default: { seed, documents: 30 }. */
  corpus?: StolenCorpusSpec;
  /**
   * Read stolen files from this directory instead of rendering them. Must hold a corpus
   * generated with `corpus` (or, without `corpus`, any files: they are listed and sorted).
   */
  corpusDir?: string;
  /** Latency of every mirror not configured otherwise. Default [0, 0]. */
  latencyMs?: LatencyRangeMs;
  /** Latency of mirrors marked slow. Default [1000, 2000]. */
  slowLatencyMs?: LatencyRangeMs;
  /** Size of the hostile site's huge sample. Default 2 GiB. */
  hugeFileBytes?: number;
  /** Zip bomb shape: members × memberBytes zero bytes. Default 16 × 64 MiB. */
  zipBomb?: { members: number; memberBytes: number };
  /** The simulator's clock: dates, countdowns. Default a fixed instant (SIM_NOW) for determinism. */
  now?: Date | (() => Date);
  /** Answer 421 to requests whose Host header is not the mirror's onion name. */
  requireOnionHost?: boolean;
  signal?: AbortSignal;
}

export interface SimMirrorInfo {
  index: number;
  onionHost: string;
  port: number;
  /** http://127.0.0.1:port */
  baseUrl: string;
  /** http://<onionHost>/ — the URL a crawler uses through the proxy. */
  url: string;
}

export interface SimSiteInfo {
  id: string;
  name: string;
  style: SiteStyle;
  /** The first mirror's onion host, port and loopback URL. */
  onionHost: string;
  port: number;
  baseUrl: string;
  /** http://<onionHost>/ of the first mirror. */
  url: string;
  mirrors: SimMirrorInfo[];
}

export interface RequestRecord {
  seq: number;
  siteId: string;
  mirror: number;
  method: string;
  /** Path and query as requested. */
  path: string;
  /** The Host header as received (the onion name when the client went through the proxy). */
  host: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** ISO 8601 time the request arrived. */
  at: string;
  /** Set when the response finished (or the connection was reset: 0). */
  status?: number;
  /** Body bytes written. */
  bytesSent?: number;
  /** A fault that answered this request instead of the page. */
  fault?: FaultKind;
  /** Why the simulator answered 500 (a sample that failed to render): a simulator bug. */
  error?: string;
}

/**
 * A one-off fault for "partial load" tests:
 *  - `empty`: 200 with a 0-byte body; `short`: 200 with the first ~300 bytes of the real page;
 *  - `error`: 502 nginx page; `not-found`: 404 nginx page;
 *  - `no-posts`: the site's real layout with zero posts (looks real: "parser may be broken");
 *  - `captcha`: a DDoS-queue page; `reset`: connection reset after half the body;
 *  - `stall`: headers sent, body never finished (until close).
 */
export type FaultKind = 'empty' | 'short' | 'error' | 'not-found' | 'no-posts' | 'captcha' | 'reset' | 'stall';

export interface FaultSpec {
  kind: FaultKind;
  /** `listing` (default): listing pages and the JSON endpoint; `any`; or an exact path+query. */
  match?: 'listing' | 'any' | string;
  /** How many requests get the fault (default 1). */
  times?: number;
  /** Only on this mirror (default any). */
  mirror?: number;
}
