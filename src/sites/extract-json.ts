import { buildPost, dedupePosts, type RawPost } from './build-post.js';
import { classifyShortfall } from './classify.js';
import { decodeBody } from './decode.js';
import { resolveLink } from './field-html.js';
import { combineValues } from './field-value.js';
import { parseHtml } from './html-doc.js';
import { evaluateJsonPath, parseJsonPath } from './json-path.js';
import type { PageFacts } from './page-signals.js';
import type { JsonField } from './schema-fields.js';
import type { ApiDefinition, SiteDefinition } from './schema.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits, type ExtractedPost, type ListingOutcome, type PageInfo, type PageInput } from './types.js';
import { startPage, templateNextPage } from './urls.js';

/**
 * Runs a JSON-API definition on one response body. A body that is not JSON (an HTML error,
 * captcha or app shell served instead) is classified like an HTML page; an empty list is
 * "no content", a path that leads nowhere is "parser broken".
 */

function stringsOf(values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
    else out.push(JSON.stringify(v));
  }
  return out;
}

function readJsonField(item: unknown, field: JsonField | undefined): string | undefined {
  if (!field) return undefined;
  return combineValues(stringsOf(evaluateJsonPath(item, field.path)), field);
}

function readItem(item: unknown, api: ApiDefinition, baseUrl: string): RawPost {
  const fields: Record<string, string> = {};
  for (const [name, spec] of Object.entries(api.fields)) {
    const v = readJsonField(item, spec);
    if (v !== undefined) fields[name] = v;
  }
  const href = readJsonField(item, api.postUrl);
  return {
    title: readJsonField(item, api.title),
    id: readJsonField(item, api.id),
    url: href ? resolveLink(href, baseUrl) : undefined,
    dateText: readJsonField(item, api.date),
    description: readJsonField(item, api.description),
    deadlineText: readJsonField(item, api.deadline),
    dataSizeText: readJsonField(item, api.dataSize),
    fields,
  };
}

/** The container the items path fans out of (`data.items[*]` → `data.items`), if any. */
function containerOf(json: unknown, itemsPath: string): unknown[] | undefined {
  const segments = parseJsonPath(itemsPath);
  const last = segments[segments.length - 1];
  if (last?.kind !== 'all') return undefined;
  let current: unknown[] = [json];
  for (const seg of segments.slice(0, -1)) {
    current = current.flatMap((v) => {
      if (seg.kind === 'key' && v && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, seg.key)) return [(v as Record<string, unknown>)[seg.key]];
      if (seg.kind === 'index' && Array.isArray(v)) return seg.index < v.length ? [v[seg.index] as unknown] : [];
      if (seg.kind === 'all' && Array.isArray(v)) return v as unknown[];
      return [];
    });
  }
  return current;
}

export function extractJsonListing(site: SiteDefinition, api: ApiDefinition, input: PageInput, limitsIn: Partial<ExtractLimits> = {}): ListingOutcome {
  const limits = { ...DEFAULT_EXTRACT_LIMITS, ...limitsIn };
  const now = input.now ?? new Date();
  const decoded = decodeBody(input.body, limits.maxInputBytes, input.contentType);
  const warnings = [...decoded.warnings];
  const basePage: PageInfo = { bytes: decoded.bytes, truncated: decoded.truncated, encoding: decoded.encoding, title: '', textChars: 0, itemsMatched: 0 };

  let json: unknown;
  try {
    json = JSON.parse(decoded.text.replace(/^\uFEFF/, ''));
  } catch (err) {
    // Not JSON: an error page, captcha or app shell served in its place. Classify it as HTML.
    const doc = parseHtml(decoded.text, limits.maxDepth);
    const facts: PageFacts = { raw: decoded.text, title: doc.title, text: doc.text, noscriptText: doc.noscriptText };
    const page = { ...basePage, title: doc.title, textChars: doc.text.length };
    const outcome = classifyShortfall(site, facts, page, '', [...warnings, ...doc.warnings]);
    if (outcome.status !== 'parser-broken') return outcome;
    const why = decoded.truncated ? 'JSON cut off by the input size cap' : `body is not JSON (${err instanceof Error ? err.message : String(err)})`;
    return { status: 'no-content', reason: why, warnings: outcome.warnings, page };
  }

  let items = evaluateJsonPath(json, api.items);
  const page: PageInfo = { ...basePage, textChars: decoded.text.length, itemsMatched: items.length };
  if (items.length === 0) {
    const container = containerOf(json, api.items);
    const emptyList = container !== undefined && container.length > 0 && container.every((c) => (Array.isArray(c) ? c.length === 0 : c !== null && typeof c === 'object' && Object.keys(c).length === 0));
    if (emptyList) return { status: 'no-content', reason: `the endpoint returned an empty list at "${api.items}"`, warnings, page };
    return { status: 'parser-broken', reason: `items path "${api.items}" found nothing in the JSON`, warnings, page };
  }
  if (items.length > limits.maxItems) {
    warnings.push(`items path matched ${items.length} values; only the first ${limits.maxItems} were read`);
    items = items.slice(0, limits.maxItems);
  }

  const posts: ExtractedPost[] = [];
  items.forEach((item, i) => {
    const post = buildPost(readItem(item, api, input.url), { date: api.date, deadline: api.deadline }, now, `item ${i + 1}`, warnings);
    if (post) posts.push(post);
  });
  const unique = dedupePosts(posts, warnings);
  if (unique.length < api.expectItems.min) {
    const why = unique.length === 0 ? `${items.length} items but no title at "${api.title.path}"` : `only ${unique.length} posts, expected at least ${api.expectItems.min}`;
    return { status: 'parser-broken', reason: why, warnings, page };
  }
  if (api.expectItems.max !== undefined && unique.length > api.expectItems.max) {
    warnings.push(`${unique.length} posts, more than the expected maximum ${api.expectItems.max}`);
  }
  let nextPage: string | undefined;
  if (api.pagination) {
    const next = templateNextPage(site, input.url, input.page ?? startPage(site));
    if (next.capped) warnings.push(`page cap reached (${api.pagination.maxPages} pages): later pages not followed`);
    nextPage = next.url;
  }
  return nextPage ? { status: 'ok', posts: unique, nextPage, warnings, page } : { status: 'ok', posts: unique, warnings, page };
}
