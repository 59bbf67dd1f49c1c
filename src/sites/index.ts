export * from './types.js';
export {
  SiteSpec, ListingSpec, ApiSpec, PostSpec, SITE_ID_RE,
  type SiteDefinition, type SiteDefinitionInput, type ListingDefinition, type ApiDefinition, type PostDefinition,
} from './schema.js';
export { extractListing } from './extract.js';
export { extractPostPage } from './extract-post.js';
export { applyHook, loadHook, type HookContext, type SiteHookFn } from './hook.js';
export { checkOnionHost, isOnionHost, type OnionCheck } from './onion.js';
export { checkMirrorUrl } from './mirror.js';
export { derivePostKey, normalisePostPath, normaliseTitle, type PostKey } from './post-key.js';
export { parseDataSize, formatBytes } from './data-size.js';
export { parseDate } from './date-parse.js';
export { parseCountdown } from './countdown.js';
export { evaluateJsonPath } from './json-path.js';
export { listingUrl, mirrorBaseFor, resolveOnMirror, startPage, maxPages } from './urls.js';
export { builtinSiteIds, builtinSitePath, builtinSitesDir } from './builtin.js';
export { formatListingOutcome, formatPostOutcome } from './format-outcome.js';
