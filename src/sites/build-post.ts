import { parseCountdown } from './countdown.js';
import { parseDataSize } from './data-size.js';
import { parseDate } from './date-parse.js';
import { createHash } from 'node:crypto';
import { derivePostKey, normaliseTitle } from './post-key.js';
import type { ExtractedPost } from './types.js';

/**
 * Turns the strings a definition pulled out of one item into a post: dates, deadlines and
 * sizes parsed, identity derived. Shared by the HTML and JSON extractors so both behave alike.
 * A value that does not parse is kept as text and reported, never silently guessed.
 */

export interface RawPost {
  title?: string;
  id?: string;
  url?: string;
  dateText?: string;
  description?: string;
  deadlineText?: string;
  dataSizeText?: string;
  fields: Record<string, string>;
}

export interface ParseSpecs {
  date?: { format: string; timezone: string };
  deadline?: { format: string; timezone: string };
}

export function buildPost(raw: RawPost, specs: ParseSpecs, now: Date, label: string, warnings: string[]): ExtractedPost | undefined {
  const title = raw.title?.trim();
  if (!title) {
    warnings.push(`${label}: no title, item skipped`);
    return undefined;
  }
  const post: ExtractedPost = { ...derivePostKey({ id: raw.id, url: raw.url, title }), title, fields: raw.fields };
  if (raw.url) post.url = raw.url;
  if (raw.description) post.description = raw.description;

  if (raw.dateText && specs.date) {
    post.dateText = raw.dateText;
    const d = parseDate(raw.dateText, specs.date.format, { timeZone: specs.date.timezone, now });
    if (d) post.publishedAt = d.toISOString();
    else warnings.push(`${label} ("${title}"): date "${raw.dateText}" does not match format ${specs.date.format}`);
  }

  if (raw.deadlineText && specs.deadline) {
    post.deadlineText = raw.deadlineText;
    if (specs.deadline.format === 'countdown') {
      const ms = parseCountdown(raw.deadlineText);
      if (ms !== undefined) post.deadlineAt = new Date(now.getTime() + ms).toISOString();
      else warnings.push(`${label} ("${title}"): countdown "${raw.deadlineText}" not understood`);
    } else {
      const d = parseDate(raw.deadlineText, specs.deadline.format, { timeZone: specs.deadline.timezone, now });
      if (d) post.deadlineAt = d.toISOString();
      else warnings.push(`${label} ("${title}"): deadline "${raw.deadlineText}" does not match format ${specs.deadline.format}`);
    }
  }

  if (raw.dataSizeText) {
    post.dataSizeText = raw.dataSizeText;
    const bytes = parseDataSize(raw.dataSizeText);
    if (bytes !== undefined) post.dataSizeBytes = bytes;
    else warnings.push(`${label} ("${title}"): data size "${raw.dataSizeText}" not understood`);
  }
  return post;
}

/**
 * Handles repeated keys on one page. The same post shown twice (same title) is dropped; two
 * different titles sharing one URL (a site reusing a download link — Vice Society does) are
 * both kept, the later one keyed by URL + title, so neither victim is lost.
 */
export function dedupePosts(posts: ExtractedPost[], warnings: string[]): ExtractedPost[] {
  const byKey = new Map<string, ExtractedPost>();
  const out: ExtractedPost[] = [];
  for (const p of posts) {
    const first = byKey.get(p.key);
    if (!first) {
      byKey.set(p.key, p);
      out.push(p);
      continue;
    }
    if (first.titleKey === p.titleKey) {
      warnings.push(`duplicate post "${p.title}" (${p.keyBasis}) skipped`);
      continue;
    }
    const keyBasis = `${p.keyBasis}|title:${normaliseTitle(p.title)}`;
    const distinct = { ...p, keyBasis, key: createHash('sha256').update(keyBasis).digest('hex').slice(0, 32) };
    if (byKey.has(distinct.key)) continue;
    warnings.push(`"${p.title}" shares its link with "${first.title}"; keyed by link and title`);
    byKey.set(distinct.key, distinct);
    out.push(distinct);
  }
  return out;
}
