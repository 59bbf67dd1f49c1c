import { load, type CheerioAPI } from 'cheerio';
import type { AnyNode, ParentNode } from 'domhandler';
import { limitNesting } from '../extract/html-depth.js';

/**
 * Parses HTML into a cheerio document that is safe to query: nesting beyond `maxDepth` is cut
 * off (cheerio's text and traversal helpers recurse, and a hostile page of 100 000 nested
 * `<div>`s would otherwise overflow the stack), and the visible text is computed iteratively.
 */

export interface HtmlDoc {
  $: CheerioAPI;
  title: string;
  /** Visible text (no script/style/noscript/template), whitespace collapsed. */
  text: string;
  /** Text of `<noscript>` blocks: where SPA shells say "enable JavaScript". */
  noscriptText: string;
  warnings: string[];
}

const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'head']);
// Inline elements do not separate words ("<b>Nex</b>tlabs" is one word); all others do.
const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var']);

function hasChildren(node: AnyNode): node is AnyNode & ParentNode {
  return 'children' in node && Array.isArray((node as ParentNode).children);
}

/** Drops children of nodes deeper than maxDepth; returns how many subtrees were cut. */
function capDepth(root: AnyNode, maxDepth: number): number {
  let cut = 0;
  const stack: Array<[AnyNode, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [AnyNode, number];
    if (!hasChildren(node)) continue;
    if (depth >= maxDepth && node.children.length > 0) {
      for (const child of node.children) child.parent = null;
      node.children = [];
      cut += 1;
      continue;
    }
    for (const child of node.children) stack.push([child, depth + 1]);
  }
  return cut;
}

/** Text of a subtree without recursion; `skip` names elements whose text is not visible. */
export function textOf(node: AnyNode, skip: ReadonlySet<string> = INVISIBLE): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as AnyNode;
    if (n.type === 'text') {
      parts.push((n as unknown as { data: string }).data);
      continue;
    }
    const name = 'name' in n ? (n as { name: string }).name : undefined;
    if (name !== undefined && skip.has(name)) continue;
    // <br> and block boundaries separate words that the markup runs together.
    if (name !== undefined && n !== node && !INLINE.has(name)) parts.push(name === 'br' ? '\n' : ' ');
    if (hasChildren(n)) for (let i = n.children.length - 1; i >= 0; i -= 1) stack.push(n.children[i] as AnyNode);
  }
  return parts.join('');
}

export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/** Nesting the pre-pass lets through to the parser; deeper opening tags are dropped (text kept). */
const PARSER_DEPTH_FACTOR = 2;

export function parseHtml(html: string, maxDepth: number): HtmlDoc {
  const warnings: string[] = [];
  // The same linear pre-pass as file extraction: parsers are quadratic in nesting depth.
  const limited = limitNesting(html, maxDepth * PARSER_DEPTH_FACTOR);
  if (limited.dropped > 0) {
    warnings.push(`markup nests deeper than ${maxDepth * PARSER_DEPTH_FACTOR} levels: ${limited.dropped} deeper opening tags were dropped before parsing`);
  }
  const $ = load(limited.html);
  const root = $.root()[0];
  if (root) {
    const cut = capDepth(root, maxDepth);
    if (cut > 0) warnings.push(`markup nested deeper than ${maxDepth} levels was dropped (${cut} subtrees)`);
  }
  const titleEl = $('title').first()[0];
  const title = titleEl ? collapseWhitespace(textOf(titleEl, new Set())) : '';
  const body = $('body')[0] ?? root;
  const text = body ? collapseWhitespace(textOf(body)) : '';
  const noscriptText = collapseWhitespace($('noscript').toArray().map((n) => textOf(n, new Set())).join(' '));
  return { $, title, text, noscriptText, warnings };
}
