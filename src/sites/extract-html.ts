import { buildPost, dedupePosts, type RawPost } from './build-post.js';
import { classifyShortfall, describePage, suspiciousPageWarnings } from './classify.js';
import { decodeBody } from './decode.js';
import { readHtmlField, resolveLink, type FieldScope } from './field-html.js';
import { parseHtml } from './html-doc.js';
import type { PageFacts } from './page-signals.js';
import type { ListingDefinition, SiteDefinition } from './schema.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits, type ExtractedPost, type ListingOutcome, type PageInfo, type PageInput } from './types.js';
import { startPage, templateNextPage } from './urls.js';

/**
 * Runs an HTML listing definition on one page: pure (string/bytes + URL in, outcome out), no
 * network, bounded work (input cap, depth cap, item cap).
 */

function readItem(ctx: FieldScope, listing: ListingDefinition, pageUrl: string): RawPost {
  const href = listing.postUrl ? readHtmlField(ctx, listing.postUrl, 'href') : undefined;
  const fields: Record<string, string> = {};
  for (const [name, spec] of Object.entries(listing.fields)) {
    const v = readHtmlField(ctx, spec);
    if (v !== undefined) fields[name] = v;
  }
  return {
    title: readHtmlField(ctx, listing.title),
    id: listing.id ? readHtmlField(ctx, listing.id) : undefined,
    url: href ? resolveLink(href, pageUrl) : undefined,
    dateText: listing.date ? readHtmlField(ctx, listing.date) : undefined,
    description: listing.description ? readHtmlField(ctx, listing.description) : undefined,
    deadlineText: listing.deadline ? readHtmlField(ctx, listing.deadline) : undefined,
    dataSizeText: listing.dataSize ? readHtmlField(ctx, listing.dataSize) : undefined,
    fields,
  };
}

export function extractHtmlListing(site: SiteDefinition, listing: ListingDefinition, input: PageInput, limitsIn: Partial<ExtractLimits> = {}): ListingOutcome {
  const limits = { ...DEFAULT_EXTRACT_LIMITS, ...limitsIn };
  const now = input.now ?? new Date();
  const decoded = decodeBody(input.body, limits.maxInputBytes, input.contentType);
  const warnings = [...decoded.warnings];
  const doc = parseHtml(decoded.text, limits.maxDepth);
  warnings.push(...doc.warnings);
  const facts: PageFacts = { raw: decoded.text, title: doc.title, text: doc.text, noscriptText: doc.noscriptText };

  let items = doc.$(listing.item).toArray();
  const page: PageInfo = {
    bytes: decoded.bytes, truncated: decoded.truncated, encoding: decoded.encoding,
    title: doc.title, textChars: doc.text.length, itemsMatched: items.length,
  };
  if (items.length > limits.maxItems) {
    warnings.push(`item selector matched ${items.length} elements; only the first ${limits.maxItems} were read`);
    items = items.slice(0, limits.maxItems);
  }

  const posts: ExtractedPost[] = [];
  items.forEach((el, i) => {
    const raw = readItem({ $: doc.$, scope: doc.$(el) }, listing, input.url);
    const post = buildPost(raw, { date: listing.date, deadline: listing.deadline }, now, `item ${i + 1}`, warnings);
    if (post) posts.push(post);
  });
  const unique = dedupePosts(posts, warnings);

  const min = listing.expectItems.min;
  if (unique.length < min) {
    const why = items.length === 0
      ? `item selector "${listing.item}" matched nothing on a page that looks real (${describePage(facts)})`
      : unique.length === 0
        ? `item selector matched ${items.length} elements but no title was found in any (title: ${JSON.stringify(listing.title)})`
        : `only ${unique.length} posts, expected at least ${min}`;
    return classifyShortfall(site, facts, page, why, warnings);
  }
  if (listing.expectItems.max !== undefined && unique.length > listing.expectItems.max) {
    warnings.push(`${unique.length} posts, more than the expected maximum ${listing.expectItems.max}: is the item selector too broad?`);
  }
  warnings.push(...suspiciousPageWarnings(site, facts));

  let nextPage: string | undefined;
  const pagination = listing.pagination;
  if (pagination) {
    const pageNo = input.page ?? startPage(site);
    if (pageNo - pagination.startPage + 1 >= pagination.maxPages) {
      warnings.push(`page cap reached (${pagination.maxPages} pages): later pages not followed`);
    } else if (pagination.next) {
      const href = readHtmlField({ $: doc.$ }, pagination.next, 'href');
      const url = href ? resolveLink(href, input.url) : undefined;
      if (url && url !== new URL(input.url).href) nextPage = url;
    } else {
      nextPage = templateNextPage(site, input.url, pageNo).url;
    }
  }
  return nextPage ? { status: 'ok', posts: unique, nextPage, warnings, page } : { status: 'ok', posts: unique, warnings, page };
}
