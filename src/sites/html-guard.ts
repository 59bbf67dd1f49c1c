/**
 * A cheap pre-scan that bounds tag nesting *before* the HTML parser runs. parse5 (cheerio's
 * parser) is quadratic in nesting depth — 200 000 nested `<div>`s take minutes — so a hostile
 * page is cut where its nesting first exceeds the cap, and the caller reports the cut.
 * Browsers cap DOM depth too (Blink at 512), so real pages never come close.
 *
 * The scan keeps a stack of open elements, ignoring void elements, self-closing tags, and
 * elements the HTML parser closes implicitly (p, li, td, …); an end tag pops up to its match.
 * Raw-text elements (script, style, …) and comments are skipped whole.
 */

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'command', 'basefont', 'bgsound', 'frame', 'image']);
const IMPLICIT = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'colgroup', 'caption', 'rb', 'rt', 'rtc', 'rp', 'html', 'head', 'body']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'noscript']);

const TAG_RE = /<(!--|\/?)([a-zA-Z][a-zA-Z0-9:-]*)?[^>]*?(\/?)>|<!--/g;

const closeTagCache = new Map<string, RegExp>();

function closeTagRe(name: string): RegExp {
  let re = closeTagCache.get(name);
  if (!re) {
    re = new RegExp(`</${name}`, 'gi');
    closeTagCache.set(name, re);
  }
  return re;
}

export interface NestingGuard {
  html: string;
  /** Deepest nesting seen in the part kept. */
  maxDepthSeen: number;
  /** Character offset where the input was cut, when it was. */
  cutAt?: number;
}

export function guardNesting(html: string, maxDepth: number): NestingGuard {
  const stack: string[] = [];
  let maxDepthSeen = 0;
  TAG_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG_RE.exec(html)) !== null) {
    if (m[0].startsWith('<!--')) {
      const end = html.indexOf('-->', m.index + 4);
      if (end < 0) break;
      TAG_RE.lastIndex = end + 3;
      continue;
    }
    const name = (m[2] ?? '').toLowerCase();
    if (!name) continue;
    if (m[1] === '/') {
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.length = at;
      continue;
    }
    if (RAW_TEXT.has(name)) {
      const close = closeTagRe(name);
      close.lastIndex = TAG_RE.lastIndex;
      const end = close.exec(html);
      if (!end) break;
      TAG_RE.lastIndex = end.index;
      continue;
    }
    if (VOID.has(name) || IMPLICIT.has(name) || m[3] === '/') continue;
    stack.push(name);
    if (stack.length > maxDepthSeen) maxDepthSeen = stack.length;
    if (stack.length > maxDepth) return { html: html.slice(0, m.index), maxDepthSeen, cutAt: m.index };
  }
  return { html, maxDepthSeen };
}
