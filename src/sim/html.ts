import type { SampleStore } from './samples.js';
import type { SimFile, SimPost, SiteStyle } from './types.js';

/**
 * Shared pieces of simulated pages: escaping, the date/size/countdown spellings leak sites
 * use, nginx error pages, and the view of a site that page renderers get.
 */

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** What a page renderer sees of a site: its posts as of this request. */
export interface SiteView {
  id: string;
  name: string;
  style: SiteStyle;
  seed: number;
  /** Newest first. */
  posts: readonly SimPost[];
  postsPerPage: number;
  now: Date;
  samples: SampleStore;
}

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function html(body: string, status = 200, contentType = 'text/html; charset=utf-8'): SimResponse {
  return { status, headers: { 'content-type': contentType }, body };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** Dates in the spellings the simulated sites print (all UTC). */
export function formatDate(iso: string, format: 'ymd' | 'dmy-slash' | 'dmy-dot' | 'mdy-name' | 'dmy-slash-hm'): string {
  const d = new Date(iso);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  switch (format) {
    case 'ymd': return `${y}-${pad(m)}-${pad(day)}`;
    case 'dmy-slash': return `${pad(day)}/${pad(m)}/${y}`;
    case 'dmy-dot': return `${pad(day)}.${pad(m)}.${y}`;
    case 'mdy-name': return `${MONTHS[m - 1] ?? ''} ${day}, ${y}`;
    case 'dmy-slash-hm': return `${pad(day)}/${pad(m)}/${y} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }
}

/** "3D 04h 12m 09s" until the deadline, or undefined once it has passed. */
export function countdownText(deadlineIso: string | undefined, now: Date, units: readonly [string, string, string, string] = ['D', 'h', 'm', 's']): string | undefined {
  if (!deadlineIso) return undefined;
  let s = Math.floor((Date.parse(deadlineIso) - now.getTime()) / 1000);
  if (s <= 0) return undefined;
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${d}${units[0]} ${pad(h)}${units[1]} ${pad(m)}${units[2]} ${pad(s)}${units[3]}`;
}

/** Sizes as leak sites print them: binary multiples labelled KB/MB/GB, one decimal. */
export function sizeText(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i] ?? 'TB'}`;
}

/** The first `max` characters of a description, cut at a word, for listing excerpts. */
export function excerptOf(text: string, max = 160): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))}…`;
}

const REASONS: Record<number, string> = { 404: 'Not Found', 416: 'Requested Range Not Satisfiable', 500: 'Internal Server Error', 421: 'Misdirected Request', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable' };

/** nginx's own error page, as a dead backend behind a leak site's front-end shows it. */
export function nginxError(status: number): SimResponse {
  const line = `${status} ${REASONS[status] ?? 'Error'}`;
  return html(`<html>\r\n<head><title>${line}</title></head>\r\n<body>\r\n<center><h1>${line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`, status);
}

/** Sizes of a post's files (renders them if not done yet: the page shows exact sizes). */
export async function fileSizes(view: SiteView, files: readonly SimFile[]): Promise<number[]> {
  return Promise.all(files.map(async (f) => (await view.samples.body(f.source)).size));
}

/** The listing page `page` (1-based) of a paginated site; empty beyond the last page. */
export function pageSlice<T>(items: readonly T[], perPage: number, page: number): T[] {
  return items.slice((page - 1) * perPage, page * perPage);
}

export function pageCount(items: number, perPage: number): number {
  return Math.max(1, Math.ceil(items / perPage));
}
