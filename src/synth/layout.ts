/**
 * A tiny page layout engine shared by the pdf-lib and scan renderers: greedy word wrap at a
 * measured width, tables as fixed columns, page breaks. (pdfkit has its own text flow and
 * uses it: a different producer should break lines differently, as real re-exports do.)
 */
import type { Block, SynthDocument } from './documents.js';

export interface LayoutStyle {
  pageWidth: number;
  pageHeight: number;
  margin: number;
  fontSize: number;
  /** Line advance as a multiple of the font size. */
  leading: number;
  /** Width of `text` at `size` in page units. */
  measure: (text: string, size: number, bold: boolean) => number;
}

export interface PlacedLine {
  text: string;
  x: number;
  /** Baseline, measured from the top of the page. */
  y: number;
  size: number;
  bold: boolean;
}

export type PageLines = PlacedLine[];

/** Greedy word wrap; words longer than the width are placed on their own line, unbroken. */
export function wrap(text: string, width: number, size: number, bold: boolean, measure: LayoutStyle['measure']): string[] {
  const out: string[] = [];
  for (const rawLine of text.split('\n')) {
    const words = rawLine.split(/\s+/).filter((w) => w.length > 0);
    let line = '';
    for (const w of words) {
      const candidate = line ? `${line} ${w}` : w;
      if (line && measure(candidate, size, bold) > width) {
        out.push(line);
        line = w;
      } else {
        line = candidate;
      }
    }
    out.push(line);
  }
  return out;
}

interface Cursor {
  pages: PageLines[];
  y: number;
}

function place(style: LayoutStyle, cur: Cursor, text: string, x: number, size: number, bold: boolean): void {
  const advance = size * style.leading;
  if (cur.y + advance > style.pageHeight - style.margin) {
    cur.pages.push([]);
    cur.y = style.margin;
  }
  cur.y += advance;
  cur.pages[cur.pages.length - 1]?.push({ text, x, y: cur.y, size, bold });
}

function tableColumns(style: LayoutStyle, columns: readonly string[], rows: readonly (readonly string[])[], size: number): number[] {
  const all = [columns, ...rows];
  const gap = size * 1.5;
  const widths = columns.map((_, c) => Math.max(...all.map((r) => style.measure(r[c] ?? '', size, c === 0))) + gap);
  const total = widths.reduce((a, b) => a + b, 0);
  const avail = style.pageWidth - 2 * style.margin;
  const scale = total > avail ? avail / total : 1;
  const xs: number[] = [];
  let x = style.margin;
  for (const w of widths) {
    xs.push(x);
    x += w * scale;
  }
  return xs;
}

/** Lays out every block of `doc`; returns lines per page (at least one page). */
export function layoutDocument(doc: SynthDocument, style: LayoutStyle): PageLines[] {
  const cur: Cursor = { pages: [[]], y: style.margin };
  const width = style.pageWidth - 2 * style.margin;
  const size = style.fontSize;
  const gapAfter = (b: Block): number => size * (b.type === 'heading' ? 0.2 : 0.6);
  for (const b of doc.blocks) {
    switch (b.type) {
      case 'letterhead':
        b.lines.forEach((l, i) => {
          const s = i === 0 ? size * 1.5 : size * 0.9;
          for (const w of wrap(l, width, s, i === 0, style.measure)) place(style, cur, w, style.margin, s, i === 0);
        });
        break;
      case 'title':
        place(style, cur, b.text, style.margin, size * 1.3, true);
        break;
      case 'heading':
        place(style, cur, b.text, style.margin, size * 1.05, true);
        break;
      case 'fields':
        for (const f of b.fields) {
          for (const w of wrap(`${f.label}: ${f.value}`, width, size, false, style.measure)) place(style, cur, w, style.margin, size, false);
        }
        break;
      case 'paragraph':
        for (const w of wrap(b.text, width, size, false, style.measure)) place(style, cur, w, style.margin, size, false);
        break;
      case 'table': {
        const s = size * 0.95;
        const xs = tableColumns(style, b.columns, b.rows, s);
        const row = (cells: readonly string[], bold: boolean): void => {
          place(style, cur, cells[0] ?? '', xs[0] ?? style.margin, s, bold);
          const last = cur.pages[cur.pages.length - 1];
          const y = cur.y;
          cells.slice(1).forEach((c, i) => {
            if (c) last?.push({ text: c, x: xs[i + 1] ?? style.margin, y, size: s, bold });
          });
        };
        row(b.columns, true);
        for (const r of b.rows) row(r, false);
        break;
      }
    }
    cur.y += gapAfter(b);
  }
  return cur.pages.filter((p, i) => p.length > 0 || i === 0);
}
