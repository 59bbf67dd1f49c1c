import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { allValues, combineValues } from './field-value.js';
import { textOf } from './html-doc.js';
import type { HtmlField } from './schema-fields.js';

/**
 * Reads an HTML field relative to a scope (one listing item, or the whole page).
 * `defaultAttr` is what link-like fields read when the definition names no attribute: an
 * element without it falls back to its first descendant that has it (`<td><a href>` works).
 */

export interface FieldScope {
  $: CheerioAPI;
  /** The item; undefined = the whole document. */
  scope?: Cheerio<AnyNode>;
}

function rawStrings(ctx: FieldScope, field: HtmlField, defaultAttr?: string): string[] {
  const { $, scope } = ctx;
  let matched: Cheerio<AnyNode>;
  if (field.selector) matched = scope ? scope.find(field.selector) : $(field.selector);
  else matched = scope ?? $.root();
  const out: string[] = [];
  for (const el of matched.toArray()) {
    const attr = field.attr ?? defaultAttr;
    if (!attr) {
      out.push(textOf(el, new Set(['script', 'style', 'noscript', 'template'])));
      continue;
    }
    const node = $(el);
    let value = node.attr(attr);
    if (value === undefined && field.attr === undefined) value = node.find(`[${attr}]`).first().attr(attr);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** The field's value, or undefined when nothing matched. */
export function readHtmlField(ctx: FieldScope, field: HtmlField, defaultAttr?: string): string | undefined {
  return combineValues(rawStrings(ctx, field, defaultAttr), field);
}

/** Every value of the field (for lists). */
export function readHtmlFieldAll(ctx: FieldScope, field: HtmlField, defaultAttr?: string): string[] {
  return allValues(rawStrings(ctx, field, defaultAttr), field);
}

/** Resolves a link against the page URL; undefined for javascript:, mailto: and garbage. */
export function resolveLink(href: string, baseUrl: string): string | undefined {
  const trimmed = href.trim();
  if (!trimmed || /^(javascript|mailto|data|tel):/i.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed, baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}
