import { createHash } from 'node:crypto';

/**
 * Post identity that survives parser edits. Monitors that key posts on "whatever the parser
 * printed" re-announce old victims after every selector change and date fix. The key here is
 * derived, in order of preference, from:
 *   1. the site's own id for the post (JSON APIs usually have one),
 *   2. the post URL's normalised path + query (host dropped: mirrors differ; fragment dropped
 *      unless it is a `#/route`),
 *   3. the normalised title (case, whitespace, punctuation and accents ignored),
 * and never from field order or date text. `titleKey` is always given, so a store can still
 * recognise a post whose basis changed (a parser edit that starts extracting URLs).
 */

export interface PostKey {
  key: string;
  keyBasis: string;
  titleKey: string;
}

const TRACKING_PARAMS = /^(utm_|fbclid$|gclid$|ref$|_ga$)/i;

function digest(basis: string): string {
  return createHash('sha256').update(basis).digest('hex').slice(0, 32);
}

/** Case/whitespace/punctuation/accent-insensitive form of a title. */
export function normaliseTitle(title: string): string {
  const folded = title.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const letters = folded.replace(/[^\p{L}\p{N}]+/gu, '');
  return letters || folded.replace(/\s+/g, ' ').trim();
}

/** `/post/abc?id=x` from any URL of the post; undefined when the URL says nothing specific. */
export function normalisePostPath(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  let path = u.pathname.replace(/\/{2,}/g, '/').replace(/\/index\.(html?|php)$/i, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  // Hash-routed single-page apps keep the post in the fragment.
  if (path === '/' && u.hash.startsWith('#/')) path = u.hash.slice(1).replace(/\/+$/, '') || '/';
  try {
    path = decodeURI(path);
  } catch {
    // Keep the raw form: a malformed escape is still a stable string.
  }
  const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING_PARAMS.test(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.map(([k, v]) => `${k}=${v}`).join('&');
  if (path === '/' && !query) return undefined;
  return query ? `${path}?${query}` : path;
}

export function derivePostKey(parts: { id?: string; url?: string; title: string }): PostKey {
  const titleBasis = `title:${normaliseTitle(parts.title)}`;
  const titleKey = digest(titleBasis);
  const id = parts.id?.trim();
  if (id) return { key: digest(`id:${id}`), keyBasis: `id:${id}`, titleKey };
  const path = parts.url ? normalisePostPath(parts.url) : undefined;
  if (path) return { key: digest(`url:${path}`), keyBasis: `url:${path}`, titleKey };
  return { key: titleKey, keyBasis: titleBasis, titleKey };
}
