import { needsHumanReason, noContentReason, type PageFacts } from './page-signals.js';
import type { SiteDefinition } from './schema.js';
import type { ListingNotOk, PageInfo } from './types.js';

/**
 * Decides what a page that yielded too few posts means. Order matters: a captcha page is also
 * short, so "needs a human" is checked before "no content"; "parser broken" is what is left
 * when the page looks like a real page.
 */
export function classifyShortfall(
  site: SiteDefinition,
  facts: PageFacts,
  page: PageInfo,
  brokenReason: string,
  warnings: string[],
): ListingNotOk {
  const human = needsHumanReason(facts, site.needsHuman);
  if (human) return { status: 'needs-human', reason: human, warnings, page };
  const empty = noContentReason(facts, site.noContent);
  if (empty) return { status: 'no-content', reason: empty, warnings, page };
  return { status: 'parser-broken', reason: brokenReason, warnings, page };
}

/** Warnings for a page that did yield posts but also looks like a captcha or error page. */
export function suspiciousPageWarnings(site: SiteDefinition, facts: PageFacts): string[] {
  const out: string[] = [];
  const human = needsHumanReason(facts, site.needsHuman);
  if (human) out.push(`posts were found, but the page also looks like a ${human}`);
  return out;
}

export function describePage(facts: PageFacts): string {
  const title = facts.title ? `title "${facts.title.slice(0, 60)}"` : 'no title';
  return `${title}, ${facts.text.length} characters of text`;
}
