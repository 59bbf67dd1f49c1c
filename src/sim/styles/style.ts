import type { IncomingMessage } from 'node:http';
import type { SimResponse, SiteView } from '../html.js';
import type { SimPost } from '../types.js';

/**
 * One site style: its URL scheme and page renderers. The router serves sample files, faults,
 * latency and the request log for every style; a style only draws pages.
 */
export interface StyleModule {
  /** Path (and query) of a post's page. */
  postPath(post: { slug: string; id: string }): string;
  /** The listing page number a request asks for, or undefined when it is not a listing. */
  listingPage(url: URL): number | undefined;
  /** Listing page `page` (HTML, or JSON for the api style) from `view.posts`. */
  renderListing(view: SiteView, page: number): SimResponse | Promise<SimResponse>;
  renderPost(view: SiteView, post: SimPost): Promise<SimResponse>;
  /** Other routes of the style (app shell, scripts); undefined = not found. */
  extra?(url: URL, view: SiteView): SimResponse | undefined | Promise<SimResponse | undefined>;
  /** Runs before routing: a queue/captcha front-end answers here. */
  gate?(req: IncomingMessage, view: SiteView): SimResponse | undefined;
}

/** `?page=N` of a URL (1 when absent); undefined when it is not a positive integer. */
export function pageParam(url: URL): number | undefined {
  const raw = url.searchParams.get('page');
  if (raw === null) return 1;
  return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : undefined;
}
