/**
 * Page text from pdfjs text items. PDFs have no words, only positioned glyph runs: two runs
 * side by side may be one word or two, and a new line is only a jump in y. Gluing words
 * ("patientrecord") or splitting them breaks every text fingerprint downstream, so spaces and
 * line breaks are inferred from geometry when pdfjs does not already supply them.
 */

/** The fields of a pdfjs TextItem we use (TextMarkedContent entries lack `str`). */
export interface PositionedText {
  str: string;
  /** [a, b, c, d, e, f]: e/f are the run's origin, |(c, d)| its font size in user space. */
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

function isPositioned(x: unknown): x is PositionedText {
  return typeof x === 'object' && x !== null && typeof (x as PositionedText).str === 'string' &&
    Array.isArray((x as PositionedText).transform);
}

/** Lines of a page, words separated by single spaces where the layout shows a gap. */
export function layoutPageText(items: readonly unknown[]): string {
  let out = '';
  let prev: { y: number; end: number; size: number } | undefined;
  for (const raw of items) {
    if (!isPositioned(raw)) continue;
    const t = raw.transform;
    const x = Number(t[4]) || 0;
    const y = Number(t[5]) || 0;
    // Font size: length of the transform's vertical column (handles scaled/rotated runs).
    const size = Math.hypot(Number(t[2]) || 0, Number(t[3]) || 0) || raw.height || 1;
    if (raw.str === '') {
      if (raw.hasEOL && out !== '' && !out.endsWith('\n')) out += '\n';
      continue;
    }
    if (prev && out !== '' && !out.endsWith('\n')) {
      const sameLine = Math.abs(y - prev.y) <= Math.max(prev.size, size) * 0.5;
      if (!sameLine) {
        out += '\n';
      } else {
        const gap = x - prev.end;
        const spaced = /\s$/.test(out) || /^\s/.test(raw.str);
        // A gap of ~0.15 em is wider than kerning and narrower than any real space; a jump
        // backwards on the same baseline is a new column or an overprint: keep them apart.
        if (!spaced && (gap > size * 0.15 || gap < -size)) out += ' ';
      }
    }
    out += raw.str;
    if (raw.hasEOL) out += '\n';
    prev = { y, end: x + (Number(raw.width) || 0), size };
  }
  return out
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

/** Characters that count towards pdfRenderTextThreshold: whitespace collapsed, trimmed. */
export function normalisedLength(text: string): number {
  return text.replace(/\s+/g, ' ').trim().length;
}
