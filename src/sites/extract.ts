import { extractHtmlListing } from './extract-html.js';
import { extractJsonListing } from './extract-json.js';
import type { SiteDefinition } from './schema.js';
import type { ExtractLimits, ListingOutcome, PageInput } from './types.js';

/**
 * The listing extractor the crawler calls: picks HTML or JSON mode from the definition.
 * Pure and synchronous; a site's code hook (if any) is applied by `applyHook` afterwards.
 */
export function extractListing(site: SiteDefinition, input: PageInput, limits: Partial<ExtractLimits> = {}): ListingOutcome {
  if (site.api) return extractJsonListing(site, site.api, input, limits);
  if (site.listing) return extractHtmlListing(site, site.listing, input, limits);
  // The schema requires one of the two; a hand-built object without either is a bug.
  throw new TypeError(`site "${site.id}" has neither listing nor api`);
}
