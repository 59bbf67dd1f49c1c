import type { NeedsHumanDefinition, NoContentDefinition } from './schema.js';

/**
 * Why a page without posts has none. The answer decides what the crawler may conclude:
 * a captcha/queue needs a human; an empty/error/parked/unrendered page is a failed fetch;
 * only a page that looks real yet yields nothing means the parser is broken.
 * Nothing here ever concludes that victims were removed.
 */

export interface PageFacts {
  /** Decoded body as parsed (after the cap). */
  raw: string;
  title: string;
  /** Visible text, whitespace collapsed. */
  text: string;
  noscriptText: string;
}

/** Captcha / DDoS-protection / queue pages seen on leak sites (LockBit, Clop, EndGame front-ends). */
export const DEFAULT_NEEDS_HUMAN_PATTERNS: readonly string[] = [
  '\\bcaptcha\\b',
  '\\bddos[- ]?(protection|guard|filter)\\b',
  'checking your browser',
  '\\b(you are|you\'re) in (the )?queue\\b',
  '\\bqueue position\\b',
  '\\bwaiting room\\b',
  'are you (a )?human',
  'not a robot',
  'enter the (code|characters|symbols|text) (shown|from|in|on)',
  'solve the (puzzle|challenge)',
  'verify (that )?you are human',
  '\\baccess (is )?(temporarily )?limited\\b.{0,60}\\b(wait|queue)\\b',
];

/** Markup markers of captcha widgets, matched on the raw HTML. */
const NEEDS_HUMAN_MARKUP = /(g-recaptcha|h-captcha|hcaptcha\.com|cf-browser-verification|cf_chl_|name=["']captcha|id=["']captcha)/i;

/** HTTP-error, default-server and Tor-error pages. Matched on the title, or on short texts. */
export const DEFAULT_ERROR_PATTERNS: readonly string[] = [
  '^\\s*(4\\d\\d|5\\d\\d)\\b\\s*[-:]?\\s*[a-z][a-z -]{2,40}$',
  '\\b(404|410)\\b.{0,20}not found\\b',
  '\\b(403)\\b.{0,20}forbidden\\b',
  '\\b50[0234]\\b.{0,30}(internal server error|bad gateway|service (temporarily )?unavailable|gateway time-?out)',
  '\\bwelcome to nginx\\b',
  '\\bapache2? .{0,20}default page\\b',
  '^\\s*it works!?\\s*$',
  '^\\s*index of /',
  '\\bonion ?site (has disconnected|not found)\\b',
  'error establishing a database connection',
  '\\b(site|server) (is )?(temporarily )?(down|under maintenance|unavailable)\\b',
  '\\bunable to connect\\b',
];

/** Parked / expired / for-sale domain pages (clearnet mirrors and dead redirectors). */
export const DEFAULT_PARKED_PATTERNS: readonly string[] = [
  '\\bthis domain (name )?(has )?expired\\b',
  '\\bdomain (name )?(is|may be) for sale\\b',
  '\\bbuy this domain\\b',
  '\\b(parked|parking) (domain|page)\\b',
  '\\bdomain parking\\b',
  '\\bthis domain is parked\\b',
  '\\brenew (this|your) domain\\b',
];

/** Error/parked phrases in a long page are more likely a victim's description than the page. */
const SHORT_TEXT_CHARS = 3000;

function firstMatch(patterns: readonly string[], ...texts: string[]): string | undefined {
  for (const p of patterns) {
    const re = new RegExp(p, 'imu');
    if (texts.some((t) => t && re.test(t))) return p;
  }
  return undefined;
}

function excerpt(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A reason when the page is a captcha / queue, else undefined. */
export function needsHumanReason(facts: PageFacts, spec: NeedsHumanDefinition): string | undefined {
  const own = firstMatch(spec.patterns, facts.title, facts.text);
  if (own) return `captcha/queue page (matched /${own}/)`;
  if (!spec.defaultPatterns) return undefined;
  const hit = firstMatch(DEFAULT_NEEDS_HUMAN_PATTERNS, facts.title, facts.text, facts.noscriptText);
  if (hit) return `captcha/queue page (matched /${hit}/${facts.title ? `, title "${excerpt(facts.title)}"` : ''})`;
  if (NEEDS_HUMAN_MARKUP.test(facts.raw.slice(0, 256 * 1024))) return 'captcha widget in the page markup';
  return undefined;
}

/** Empty mount points of client-rendered apps: `<div id="app"></div>`, `#root`, `#__next`. */
const SPA_MOUNT_RE = /<div[^>]+id=["'](app|root|__next|__nuxt|q-app)["'][^>]*>\s*<\/div>/i;

/** A reason when the page is empty / an error / parked / an unrendered app shell, else undefined. */
export function noContentReason(facts: PageFacts, spec: NoContentDefinition): string | undefined {
  const bodyChars = facts.raw.trim().length;
  if (bodyChars === 0) return 'empty body (0 bytes)';
  const shortText = facts.text.length <= SHORT_TEXT_CHARS;
  const own = firstMatch(spec.patterns, facts.title, shortText ? facts.text : '');
  if (own) return `matched no-content pattern /${own}/`;
  if (spec.defaultPatterns) {
    const err = firstMatch(DEFAULT_ERROR_PATTERNS, facts.title, shortText ? facts.text : '');
    if (err) return `error page: "${excerpt(facts.title || facts.text)}"`;
    const parked = firstMatch(DEFAULT_PARKED_PATTERNS, facts.title, shortText ? facts.text : '');
    if (parked) return `parked or expired domain page: "${excerpt(facts.title || facts.text)}"`;
    const jsNotice = /enable javascript|requires javascript|javascript (is )?(disabled|required)|doesn't work properly without javascript/i.test(facts.noscriptText + ' ' + facts.text);
    if (facts.text.length < spec.minTextChars && (SPA_MOUNT_RE.test(facts.raw) || jsNotice)) {
      return `single-page-app shell without rendered content (${facts.text.length} characters of text; this site may need transport: browser, or its JSON API)`;
    }
  }
  if (bodyChars < spec.minBodyChars) return `body too short (${bodyChars} characters, minimum ${spec.minBodyChars}): partial load or placeholder`;
  if (facts.text.length < spec.minTextChars) return `almost no visible text (${facts.text.length} characters, minimum ${spec.minTextChars})`;
  return undefined;
}
