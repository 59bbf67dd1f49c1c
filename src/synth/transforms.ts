/**
 * Transformations that imitate what happens to stolen files before they are republished:
 * excerpts pasted into a post, light edits, re-wrapped text; re-encoded, resized, cropped and
 * rotated images. Detection-quality benchmarks apply these to corpus files and check that the
 * matcher still finds the original.
 *
 * Text transforms are pure functions of their arguments (randomness comes from the caller's
 * Rng). Image transforms go through sharp and keep the input's format unless stated.
 */
import sharp from 'sharp';
import { Rng, deriveSeed } from './rng.js';
import { CHRONIC_CONDITIONS, OCCUPATIONS, TRIGGERS } from './vocab-common.js';

const SPLIT = /(\s+)/;

/** Whitespace-separated words of `text`. */
function tokens(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/**
 * A contiguous run of `words` words of `text`, joined by single spaces (what a paste into a
 * forum post looks like). The whole text when it has no more words than asked for.
 */
export function excerpt(text: string, words: number, rng: Rng): string {
  const w = tokens(text);
  if (w.length <= words) return w.join(' ');
  const start = rng.int(0, w.length - words);
  return w.slice(start, start + words).join(' ');
}

/** Words for replacements and insertions: ordinary clinical English, not rare tokens. */
const REPLACEMENTS: readonly string[] = [
  ...new Set([...CHRONIC_CONDITIONS, ...OCCUPATIONS, ...TRIGGERS].flatMap((s) => s.split(/\W+/)).filter((w) => w.length > 2)),
];

/**
 * Edits about `fraction` of the words: each chosen word is replaced, deleted, or gets a word
 * inserted after it (one third each). Whitespace and line structure are kept.
 */
export function editWords(text: string, fraction: number, rng: Rng): string {
  const parts = text.split(SPLIT);
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i];
    if (!word || !rng.chance(fraction)) continue;
    const op = rng.int(0, 2);
        if (op === 0) parts[i] = rng.pick(REPLACEMENTS);
    else if (op === 2) parts[i] = `${word} ${rng.pick(REPLACEMENTS)}`;
    else {
      // Delete the word and its following separator, unless that separator ends a line.
      parts[i] = '';
      const sep = parts[i + 1];
      if (sep !== undefined && !sep.includes('\n')) parts[i + 1] = '';
    }
  }
  return parts.join('');
}

export interface ReflowOptions {
  /** Target line width in characters (default: random 45..110). */
  width?: number;
  /** Share of words whose case is changed (default 0.05). */
  caseFraction?: number;
  /** Share of word gaps that become double spaces (default 0.05). */
  doubleSpaceFraction?: number;
  /** Line ending (default CRLF). */
  eol?: string;
}

/**
 * The same words laid out differently: paragraphs re-wrapped at another width, the case of
 * some words changed, some double spaces, CRLF line endings. Paragraph breaks are kept.
 * Randomness is seeded from the text itself when no Rng is given, so reflow(text) is pure.
 */
export function reflow(text: string, rng: Rng = new Rng(deriveSeed(text.length, text.slice(0, 256))), opts: ReflowOptions = {}): string {
  const width = opts.width ?? rng.int(45, 110);
  const caseFraction = opts.caseFraction ?? 0.05;
  const dbl = opts.doubleSpaceFraction ?? 0.05;
  const eol = opts.eol ?? '\r\n';
  const paragraphs = text.split(/\r?\n\s*\r?\n/);
  const out: string[] = [];
  for (const p of paragraphs) {
    const lines: string[] = [];
    let line = '';
    for (let w of tokens(p)) {
      if (rng.chance(caseFraction)) {
        const style = rng.int(0, 2);
        w = style === 0 ? w.toUpperCase() : style === 1 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
      }
      if (line && line.length + 1 + w.length > width) {
        lines.push(line);
        line = w;
      } else {
        line = line ? `${line}${rng.chance(dbl) ? '  ' : ' '}${w}` : w;
      }
    }
    if (line) lines.push(line);
    out.push(lines.join(eol));
  }
  return out.join(eol + eol) + eol;
}

// ---- Images ---------------------------------------------------------------------------------

/** Re-encodes as JPEG at `quality` (default: random 40..60 from `rng`, or 50). */
export async function reencodeJpeg(image: Buffer, quality?: number, rng?: Rng): Promise<Buffer> {
  const q = quality ?? (rng ? rng.int(40, 60) : 50);
  return sharp(image).rotate().jpeg({ quality: q }).toBuffer();
}

/** Scales both sides by `factor` (default 0.5). */
export async function resizeImage(image: Buffer, factor = 0.5): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  const w = Math.max(1, Math.round((meta.width ?? 2) * factor));
  const h = Math.max(1, Math.round((meta.height ?? 2) * factor));
  return sharp(image).resize(w, h, { fit: 'fill' }).toBuffer();
}

/**
 * Crops `fraction` (default 5 %) of the width and of the height. The cut is split between
 * the two sides at random when an Rng is given, evenly otherwise.
 */
export async function cropImage(image: Buffer, fraction = 0.05, rng?: Rng): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  const W = meta.width ?? 0;
  const H = meta.height ?? 0;
  const cutW = Math.round(W * fraction);
  const cutH = Math.round(H * fraction);
  const left = rng ? rng.int(0, cutW) : Math.floor(cutW / 2);
  const top = rng ? rng.int(0, cutH) : Math.floor(cutH / 2);
  return sharp(image).extract({ left, top, width: W - cutW, height: H - cutH }).toBuffer();
}

/** Rotates by a multiple of 90 degrees (default 90, clockwise). */
export async function rotateImage(image: Buffer, degrees: 90 | 180 | 270 = 90): Promise<Buffer> {
  return sharp(image).rotate(degrees).toBuffer();
}
