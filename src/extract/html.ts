/**
 * Visible text of an HTML document. Uses cheerio's htmlparser2 build (`cheerio/slim`): a
 * linear tokenizer without parse5's adoption-agency reparenting, which can go quadratic on
 * hostile mis-nested markup. htmlparser2's own open-element stack costs O(depth) per tag, so
 * nesting is capped first (html-depth.ts). The tree is walked with an explicit stack, never
 * by recursion, so deep trees cannot overflow the call stack.
 */
import { load } from 'cheerio/slim';
import { limitNesting } from './html-depth.js';

/** Deeper nesting than this is flattened before parsing (see html-depth.ts). */
const MAX_HTML_DEPTH = 512;

/** The parts of a domhandler node the walk needs (kept local to avoid a transitive type dep). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  children?: DomNode[];
}

/**
 * Elements whose content is never shown as text on the page. `head` itself is not dropped:
 * htmlparser2 does not move stray body content out of an unclosed head the way browsers do,
 * so dropping it would hide text a browser shows.
 */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'title', 'meta', 'link', 'iframe']);

/** Elements that start a new line: text on either side must not be glued into one word. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'dir',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'option', 'p', 'pre',
  'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
]);

/** Table cells and similar: separated by a tab so adjacent cells stay separate tokens. */
const CELL = new Set(['td', 'th']);

/** Whitespace-preserving elements. */
const PRE = new Set(['pre', 'textarea', 'listing', 'plaintext', 'xmp']);

type Frame = { node: DomNode; exit: false } | { node: DomNode; exit: true };

/** Visible text with block boundaries as newlines; whitespace collapsed within lines. */
export function htmlToText(html: string): string {
  const $ = load(limitNesting(html, MAX_HTML_DEPTH).html, { xml: false });
  const root = $.root().get(0) as unknown as DomNode | undefined;
  if (!root) return '';
  const out: string[] = [];
  let preDepth = 0;
  const stack: Frame[] = [{ node: root, exit: false }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const node = frame.node;
    if (node.type === 'text') {
      const data = node.data ?? '';
      out.push(preDepth > 0 ? data : data.replace(/[ \t\r\n\f\v]+/g, ' '));
      continue;
    }
    if (node.type === 'cdata') {
      // Only reachable for foreign content (svg/math); its text children are visible.
      for (let i = (node.children?.length ?? 0) - 1; i >= 0; i--) stack.push({ node: node.children![i]!, exit: false });
      continue;
    }
    const isElement = node.type === 'tag' || node.type === 'script' || node.type === 'style';
    const name = isElement ? (node.name ?? '').toLowerCase() : '';
    if (frame.exit) {
      if (PRE.has(name)) preDepth--;
      if (BLOCK.has(name)) out.push('\n');
      else if (CELL.has(name)) out.push('\t');
      continue;
    }
    if (node.type !== 'root' && !isElement) continue; // comments, doctype, processing instructions
    if (HIDDEN.has(name)) continue;
    if (name === 'br') {
      out.push('\n');
      continue;
    }
    if (BLOCK.has(name)) out.push('\n');
    if (PRE.has(name)) preDepth++;
    stack.push({ node, exit: true });
    const kids = node.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, exit: false });
  }
  return tidyLines(out.join(''));
}

/** Trims each line, collapses runs of spaces, drops empty lines. */
export function tidyLines(text: string): string {
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[ \u00a0]+/g, ' ').replace(/ ?\t ?/g, '\t').replace(/\t{2,}/g, '\t').trim();
    if (line !== '') lines.push(line);
  }
  return lines.join('\n');
}
