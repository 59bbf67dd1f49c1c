/**
 * Caps HTML element nesting before cheerio sees the markup. htmlparser2 keeps its open-element
 * stack with Array.unshift/shift, so each tag costs O(depth): 200 000 nested or unclosed tags
 * take ~25 s (measured). This linear pre-pass tokenizes the way htmlparser2 does (tag names
 * after `<letter`, quotes only after `=`, raw text in script/style/title/textarea/xmp),
 * tracks a conservative open-element stack, and drops opening tags beyond `maxDepth` —
 * their text stays. Markup within the cap is returned unchanged (same string).
 */

const VOID = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex',
  'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp']);
/** Case-insensitive finders for raw-text end tags (regex search: no per-tag lowercasing). */
const RAW_END = new Map([...RAW_TEXT].map((t) => [t, new RegExp(`</${t}`, 'gi')]));

const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;

export interface DepthLimited {
  html: string;
  /** Opening tags removed because they were nested deeper than the cap. */
  dropped: number;
}

/** End index (exclusive) of a tag's attributes, i.e. just past its `>` (or the input end). */
function skipAttributes(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x3e) return i + 1; // >
    if (c === 0x3d) {
      // = : a value follows, quoted or not
      i++;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      const q = s.charCodeAt(i);
      if (q === 0x22 || q === 0x27) {
        const end = s.indexOf(q === 0x22 ? '"' : "'", i + 1);
        i = end < 0 ? n : end + 1;
      }
      continue;
    }
    i++;
  }
  return n;
}

function readName(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isSpace(c) || c === 0x2f || c === 0x3e) break;
    i++;
  }
  return i;
}

/** Removes opening tags nested deeper than `maxDepth`; returns the input itself when none are. */
export function limitNesting(html: string, maxDepth: number): DepthLimited {
  const n = html.length;
  const stack: string[] = [];
  const drops: [number, number][] = [];
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0 || lt + 1 >= n) break;
    const c = html.charCodeAt(lt + 1);
    if (isLetter(c)) {
      const nameEnd = readName(html, lt + 1);
      const name = html.slice(lt + 1, nameEnd).toLowerCase();
      const end = skipAttributes(html, nameEnd);
      i = end;
      if (VOID.has(name)) continue;
      if (RAW_TEXT.has(name)) {
        // Raw text: nothing inside is markup; jump past the matching close tag.
        const re = RAW_END.get(name)!;
        re.lastIndex = end;
        const close = re.exec(html);
        i = close ? close.index : n;
        continue;
      }
      if (stack.length >= maxDepth) drops.push([lt, end]);
      else stack.push(name);
    } else if (c === 0x2f && lt + 2 < n && isLetter(html.charCodeAt(lt + 2))) {
      const nameEnd = readName(html, lt + 2);
      const name = html.slice(lt + 2, nameEnd).toLowerCase();
      const gt = html.indexOf('>', nameEnd);
      i = gt < 0 ? n : gt + 1;
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.length = at;
    } else if (c === 0x21 && html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
    } else if (c === 0x21 || c === 0x3f || c === 0x2f) {
      // <!doctype>, <![CDATA[...]]>, <?pi?>, </ bogus>: up to the next '>'
      const end = html.indexOf('>', lt + 2);
      i = end < 0 ? n : end + 1;
    } else {
      i = lt + 1; // a lone '<' is text
    }
  }
  if (drops.length === 0) return { html, dropped: 0 };
  const parts: string[] = [];
  let from = 0;
  for (const [s, e] of drops) {
    parts.push(html.slice(from, s));
    from = e;
  }
  parts.push(html.slice(from));
  return { html: parts.join(''), dropped: drops.length };
}
