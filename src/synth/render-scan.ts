/**
 * "Scanned page" renderer: the document drawn as text on an A4 page at 150 dpi
 * (1240 x 1754), on slightly grey paper, a fraction of a degree askew, with dust specks,
 * as PNG or JPEG. This is the screenshot/scan case: no text layer, so only image
 * fingerprints (or OCR) can connect it to the original.
 *
 * Fonts: we register Liberation Sans from pdfjs-dist (a dependency already) instead of
 * relying on system fonts, so a scan renders the same pixels on every machine that has the
 * same @napi-rs/canvas build.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
import type { SynthDocument } from './documents.js';
import { layoutDocument } from './layout.js';
import { rngFor } from './rng.js';

export const SCAN_WIDTH = 1240;
export const SCAN_HEIGHT = 1754;

let fontFamily: string | undefined;

/** The font family every canvas drawing in synth uses; registers it on first call. */
export function synthFontFamily(): string {
  if (fontFamily) return fontFamily;
  fontFamily = 'sans-serif';
  try {
    const pkg = createRequire(import.meta.url).resolve('pdfjs-dist/package.json');
    const dir = join(dirname(pkg), 'standard_fonts');
    const regular = join(dir, 'LiberationSans-Regular.ttf');
    const bold = join(dir, 'LiberationSans-Bold.ttf');
    if (existsSync(regular) && GlobalFonts.registerFromPath(regular, 'LeakwatchSynthSans')) {
      if (existsSync(bold)) GlobalFonts.registerFromPath(bold, 'LeakwatchSynthSans');
      fontFamily = 'LeakwatchSynthSans';
    }
  } catch {
    // Fall back to whatever sans-serif the system has; pixels may then differ by machine.
  }
  return fontFamily;
}

export type ScanFormat = 'png' | 'jpeg';

export interface ScanOptions {
  format?: ScanFormat;
    /** JPEG quality 1..100 (default 85). */
  quality?: number;
  /** Render at most this many pages (default: all). */
  maxPages?: number;
}

function fontSpec(size: number, bold: boolean): string {
  return `${bold ? 'bold ' : ''}${size.toFixed(1)}px ${synthFontFamily()}`;
}

const advanceCache = new Map<string, Map<number, number>>();
let measureCtx: SKRSContext2D | undefined;

/**
 * Text width as the sum of per-character advances, cached per font. Ignores kerning, which
 * moves a line by a pixel or two: irrelevant for wrapping, and 10x faster than measureText
 * per candidate line.
 */
function measure(text: string, size: number, bold: boolean): number {
  const spec = fontSpec(size, bold);
  let widths = advanceCache.get(spec);
  if (!widths) {
    widths = new Map();
    advanceCache.set(spec, widths);
  }
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let w = widths.get(code);
    if (w === undefined) {
      measureCtx ??= createCanvas(8, 8).getContext('2d');
      measureCtx.font = spec;
      w = measureCtx.measureText(String.fromCharCode(code)).width;
      widths.set(code, w);
    }
    total += w;
  }
  return total;
}

function paper(ctx: SKRSContext2D, seed: number): void {
  const rng = rngFor(seed, 'paper');
  // Scanner glass is never white: a faint top-to-bottom shading on grey-white paper.
  const g = ctx.createLinearGradient(0, 0, 0, SCAN_HEIGHT);
  const base = rng.int(238, 246);
  g.addColorStop(0, `rgb(${base},${base},${base - 3})`);
  g.addColorStop(1, `rgb(${base - 6},${base - 6},${base - 9})`);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, SCAN_WIDTH, SCAN_HEIGHT);
  ctx.fillStyle = 'rgba(60,60,60,0.55)';
  const specks = rng.int(80, 260);
  for (let i = 0; i < specks; i++) {
    ctx.beginPath();
    ctx.arc(rng.float(0, SCAN_WIDTH), rng.float(0, SCAN_HEIGHT), rng.float(0.4, 1.6), 0, Math.PI * 2);
    ctx.fill();
  }
}

/** Renders every page of `doc`; page images in order. */
export async function renderScanPages(doc: SynthDocument, opts: ScanOptions = {}): Promise<Buffer[]> {
    const pages = layoutDocument(doc, { pageWidth: SCAN_WIDTH, pageHeight: SCAN_HEIGHT, margin: 118, fontSize: 21, leading: 1.38, measure });
  const out: Buffer[] = [];
  for (const [i, lines] of pages.slice(0, opts.maxPages ?? pages.length).entries()) {
    const seed = rngFor(doc.id, 'scan', i).uint32();
    const rng = rngFor(seed, 'skew');
    const canvas = createCanvas(SCAN_WIDTH, SCAN_HEIGHT);
        const ctx = canvas.getContext('2d');
    ctx.lang = 'en'; // with a registered font, text then renders identically on every OS
    paper(ctx, seed);
    ctx.save();
    // A slightly skewed, slightly offset page, as a hand-fed scanner produces.
    ctx.translate(SCAN_WIDTH / 2 + rng.float(-6, 6), SCAN_HEIGHT / 2 + rng.float(-6, 6));
    ctx.rotate((rng.float(-0.6, 0.6) * Math.PI) / 180);
    ctx.translate(-SCAN_WIDTH / 2, -SCAN_HEIGHT / 2);
    const ink = rng.int(25, 55);
    ctx.fillStyle = `rgb(${ink},${ink},${ink + 4})`;
    ctx.textBaseline = 'alphabetic';
    for (const l of lines) {
      if (!l.text) continue;
      ctx.font = fontSpec(l.size, l.bold);
      ctx.fillText(l.text, l.x, l.y);
    }
    if (pages.length > 1) {
      ctx.font = fontSpec(16, false);
      ctx.fillText(`Page ${i + 1} of ${pages.length}`, SCAN_WIDTH - 118 - 110, SCAN_HEIGHT - 60);
    }
    ctx.restore();
            // Scanners save text pages as 8-bit greyscale. The page is drawn in near-greys, so the
    // green channel is the grey image; a one-band PNG from sharp is also much faster to
    // encode than canvas's RGBA PNG.
    const px = ctx.getImageData(0, 0, SCAN_WIDTH, SCAN_HEIGHT).data;
    const band = Buffer.allocUnsafe(SCAN_WIDTH * SCAN_HEIGHT);
    for (let p = 0, q = 1; p < band.length; p++, q += 4) band[p] = px[q]!;
    const grey = sharp(band, { raw: { width: SCAN_WIDTH, height: SCAN_HEIGHT, channels: 1 } }).toColourspace('b-w').withDensity(150);
    out.push(opts.format === 'jpeg' ? await grey.jpeg({ quality: opts.quality ?? 85 }).toBuffer() : await grey.png({ compressionLevel: 6 }).toBuffer());
  }
  return out;
}

/** The first page only: what a leak site's "proof" screenshot usually shows. */
export async function renderScan(doc: SynthDocument, opts: ScanOptions = {}): Promise<Buffer> {
  const first = (await renderScanPages(doc, { ...opts, maxPages: 1 }))[0];
  if (!first) throw new Error('document has no pages');
  return first;
}
