import type { SiteDefinition } from './schema.js';

/**
 * Where a site's pages are, relative to a mirror. Paths in definitions are relative to the
 * mirror URL, so the same definition works on every mirror (and `/blog/` mirrors keep their
 * prefix for relative paths such as `?paged=2`).
 */

export function resolveOnMirror(mirror: string, path: string): string {
  return new URL(path, mirror).href;
}

function fillPage(template: string, page: number): string {
  return template.split('{page}').join(String(page));
}

/** Start page number of the site's listing (1 unless the definition says otherwise). */
export function startPage(site: SiteDefinition): number {
  return site.listing?.pagination?.startPage ?? site.api?.pagination?.startPage ?? 1;
}

/** Page cap of the site's listing. */
export function maxPages(site: SiteDefinition): number {
  return site.listing?.pagination?.maxPages ?? site.api?.pagination?.maxPages ?? 1;
}

/**
 * URL of listing page `page` on `mirror`. The first page is `listing.path` / `api.endpoint`;
 * later pages use the pagination template (next-link sites are followed by link instead).
 */
export function listingUrl(site: SiteDefinition, mirror: string, page = startPage(site)): string {
  const template = site.listing?.pagination?.template ?? site.api?.pagination?.template;
  if (template && page !== startPage(site)) return resolveOnMirror(mirror, fillPage(template, page));
  const first = site.api ? fillPage(site.api.endpoint, page) : (site.listing?.path ?? '');
  return resolveOnMirror(mirror, first);
}

/**
 * The mirror base a fetched page belongs to: the configured mirror with the same origin, or
 * (a saved page, a redirect) the page's origin with the first mirror's path.
 */
export function mirrorBaseFor(site: SiteDefinition, pageUrl: string): string {
  const page = new URL(pageUrl);
  const same = site.mirrors.find((m) => new URL(m).origin === page.origin);
  if (same) return same;
  const first = site.mirrors[0];
  return new URL(first ? new URL(first).pathname : '/', page.origin).href;
}

/** Next page by template: undefined once the cap is reached. */
export function templateNextPage(site: SiteDefinition, pageUrl: string, page: number): { url?: string; capped: boolean } {
  const template = site.listing?.pagination?.template ?? site.api?.pagination?.template;
  if (!template) return { capped: false };
  const next = page + 1;
  if (next - startPage(site) >= maxPages(site)) return { capped: true };
  return { url: resolveOnMirror(mirrorBaseFor(site, pageUrl), fillPage(template, next)), capped: false };
}
