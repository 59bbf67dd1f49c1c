/**
 * Fast "is there text in this picture?" test, run before OCR so that photo-heavy dumps do not
 * pay ~1 s of OCR per holiday snap. Printed text has a signature that photos lack: many
 * high-contrast vertical strokes (steep left-right steps in brightness) packed into
 * horizontal bands — the text lines — separated by quiet gaps. Photos have few such steps,
 * or have them spread evenly (texture, foliage) so rows do not alternate busy/quiet.
 *
 * The test works on a small grey copy (long side PRECHECK_SIDE px). The image is cut into
 * vertical strips so that a line tilted by a few degrees (a phone photo) still forms a band
 * within one strip. Pure: pixels in, verdict out.
 */

/** Long side of the grey copy the pre-check looks at. */
export const PRECHECK_SIDE = 512;

/** A brightness step at least this large between neighbouring pixels is a stroke edge. */
const EDGE_STEP = 48;
/** Strip width in pixels: narrow enough that a 3° tilt moves a line < 4 px within it. */
const STRIP_PX = 64;
/** A row of a strip is busy when at least this share of its pixels are stroke edges. */
const BUSY_ROW_SHARE = 0.06;
/** Text-line bands are this many rows tall at most (taller busy runs are texture, not text). */
const MAX_BAND_ROWS = 24;
/** A strip is text-like with at least this many line bands. */
const MIN_BANDS_PER_STRIP = 3;
/** Fewer edge pixels than this share: blank, flat or blurred; nothing to read. */
const MIN_EDGE_SHARE = 0.003;
/** Share of strips that must be text-like (text rarely spans all of a photo's width). */
const MIN_TEXT_STRIP_SHARE = 0.2;

export interface TextPrecheck {
  /** Whether OCR should run. */
  textLike: boolean;
  /** Share of pixels that are stroke edges. */
  edgeShare: number;
  /** Strips examined and how many of them show ≥ MIN_BANDS_PER_STRIP text-line bands. */
  strips: number;
  textStrips: number;
  /** Most text-line bands found in one strip. */
  maxBands: number;
}

/**
 * Judges a grey image (one byte a pixel, row-major, long side ≤ ~PRECHECK_SIDE for speed).
 */
export function precheckText(grey: Uint8Array, width: number, height: number): TextPrecheck {
  const strips = Math.max(1, Math.floor(width / STRIP_PX));
  const stripW = Math.floor(width / strips);
  const busy = new Uint16Array(strips * height);
  let edges = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x + 1 < strips * stripW; x++) {
      const d = grey[row + x + 1]! - grey[row + x]!;
      if (d >= EDGE_STEP || d <= -EDGE_STEP) {
        edges++;
        busy[Math.floor(x / stripW) * height + y]! += 1;
      }
    }
  }
  const edgeShare = edges / Math.max(1, width * height);
  const minBusy = Math.max(2, Math.ceil(stripW * BUSY_ROW_SHARE));
  let textStrips = 0;
  let maxBands = 0;
  for (let s = 0; s < strips; s++) {
    let bands = 0;
    let run = 0;
    for (let y = 0; y <= height; y++) {
      const isBusy = y < height && busy[s * height + y]! >= minBusy;
      if (isBusy) run++;
      else {
        // A band of 2..MAX_BAND_ROWS busy rows closed by a quiet row: one line of text.
        if (run >= 2 && run <= MAX_BAND_ROWS) bands++;
        run = 0;
      }
    }
    maxBands = Math.max(maxBands, bands);
    if (bands >= MIN_BANDS_PER_STRIP) textStrips++;
  }
  const textLike = edgeShare >= MIN_EDGE_SHARE && textStrips >= Math.max(1, Math.ceil(strips * MIN_TEXT_STRIP_SHARE));
  return { textLike, edgeShare, strips, textStrips, maxBands };
}
