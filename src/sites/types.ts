/**
 * What running a site definition on one page yields. The crawler acts on `status`:
 *  - `ok`: posts were found (possibly with warnings);
 *  - `no-content`: an empty, error, parked or unrendered page — a failed fetch, never
 *    "all victims removed";
 *  - `parser-broken`: the page looks real but the definition found nothing — alert a human;
 *  - `needs-human`: a captcha or DDoS queue — report, never retry in a loop.
 */

export interface ExtractedPost {
  /** Stable identity: hex digest of `keyBasis`; survives parser edits that keep the URL/title. */
  key: string;
  /** What the key was derived from: `id:<site id>`, `url:<normalised path>` or `title:<normalised>`. */
  keyBasis: string;
  /** Digest of the normalised title, always set: lets a store recognise a post whose key basis changed. */
  titleKey: string;
  title: string;
  /** Absolute URL of the post page, when the listing links to one. */
  url?: string;
  /** ISO 8601 instant of the printed date, when it parsed. */
  publishedAt?: string;
  dateText?: string;
  description?: string;
  /** ISO 8601 instant when the data is due to be published (countdown or printed date). */
  deadlineAt?: string;
  deadlineText?: string;
  dataSizeBytes?: number;
  dataSizeText?: string;
  /** Named extra values from the definition's `fields`. */
  fields: Record<string, string>;
}

export interface PageInfo {
  /** Bytes (or characters, for string input) actually parsed, after any cap. */
  bytes: number;
  truncated: boolean;
  /** Charset used to decode bytes, when bytes were given. */
  encoding?: string;
  title: string;
  textChars: number;
  /** How many elements (or JSON values) the item selector matched. */
  itemsMatched: number;
}

export type OutcomeStatus = 'ok' | 'no-content' | 'parser-broken' | 'needs-human';

export interface ListingOk {
  status: 'ok';
  posts: ExtractedPost[];
  /** Absolute URL of the next listing page, when there is one and the page cap allows it. */
  nextPage?: string;
  warnings: string[];
  page: PageInfo;
}

export interface ListingNotOk {
  status: Exclude<OutcomeStatus, 'ok'>;
  reason: string;
  warnings: string[];
  page: PageInfo;
}

export type ListingOutcome = ListingOk | ListingNotOk;

export interface PostFile {
  url: string;
  name?: string;
  sizeText?: string;
  sizeBytes?: number;
}

export interface PostPageOk {
  status: 'ok';
  description?: string;
  /** Absolute URLs of proof images, in page order, deduplicated. */
  images: string[];
  files: PostFile[];
  fileTree?: string;
  fields: Record<string, string>;
  warnings: string[];
  page: PageInfo;
}

export type PostPageOutcome = PostPageOk | ListingNotOk;

/** One page handed to an extractor: what the crawler fetched, or a saved file. */
export interface PageInput {
  /** Raw bytes (decoded using BOM / meta charset / contentType) or an already decoded string. */
  body: string | Uint8Array;
  /** The URL the page was fetched from: relative links resolve against it. */
  url: string;
  /** The response Content-Type, when known (charset and JSON detection). */
  contentType?: string;
  /** Capture time: reference for relative dates and countdowns. Defaults to now. */
  now?: Date;
  /** Listing page number being parsed (for template pagination); defaults to the start page. */
  page?: number;
}

export interface ExtractLimits {
  /** Larger inputs are cut to this many bytes (and the outcome says so). */
  maxInputBytes: number;
  /** Elements nested deeper than this are dropped (and the outcome says so). */
  maxDepth: number;
  /** At most this many items are read from one page. */
  maxItems: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxInputBytes: 5 * 1024 * 1024,
  maxDepth: 256,
  maxItems: 5000,
};
