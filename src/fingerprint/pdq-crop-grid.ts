import type { LumaImage } from '../extract/types.js';
import { pdqHash } from './pdq.js';

/**
 * Off-centre crops, searched from the sample's side. PDQ moves 30–60 bits when a picture loses
 * a few percent more on one side than the other, and the corpus can only afford a few stored
 * variants (centred crops keeping 97, 94 and 90 %). But a sample that is a crop of a known
 * picture still *contains* the known picture's centred crop, at an offset that depends on how
 * the cut was split between the sides: so the sample's own sub-crops at a grid of offsets
 * include one close to that stored variant. Two shapes are tried, each on a 3 × 3 grid:
 *
 *  - the sample lost ~5 % per side (crop 95 %): the stored 90 % variant is 0.947 of the sample,
 *    at an offset of 0–5.3 % of its size;
 *  - the sample lost ~2.5 % per side (5 % of the area): the stored 94 % variant is 0.964 of the
 *    sample, at an offset of 0.5–3.1 %.
 *
 * Measured on the synthetic photos and passport scans (bench quality): the best grid cell of a
 * true crop is mostly within 24 bits, but with 18 tries an unrelated passport (one template,
 * another person) came to 22 bits, so a grid hit is trusted only when it passes the matcher's
 * ratio test (`pdqCropRatio`): every other document's pictures must be clearly further away,
 * which template pictures never are. Cells
 * are hashed from a half-resolution copy when the image is large: PDQ reduces to 64 × 64
 * anyway, and this keeps the 18 extra hashes to about a third of their full-size cost.
 */

interface GridShape {
  /** Cell size relative to the sample. */
  keep: number;
  /** Offsets of the cell's top-left corner, relative to the sample's size. */
  from: number;
  to: number;
}

const SHAPES: readonly GridShape[] = [
  { keep: 0.947, from: 0, to: 0.0526 },
  { keep: 0.964, from: 0.005, to: 0.031 },
];
const STEPS = 3;
/** Under this many pixels a side there is nothing to shift: no grid. */
export const CROP_GRID_MIN_SIDE = 64;

/** The w × h region of `img` whose top-left corner is (x0, y0). */
export function cropLuma(img: LumaImage, x0: number, y0: number, w: number, h: number): LumaImage {
  const luma = new Float32Array(w * h);
  for (let y = 0; y < h; y++) luma.set(img.luma.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  return { width: w, height: h, luma };
}

/** 2 × 2 box average: half the width and height. */
function halve(img: LumaImage): LumaImage {
  const w = img.width >> 1;
  const h = img.height >> 1;
  const luma = new Float32Array(w * h);
  const src = img.luma;
  for (let y = 0; y < h; y++) {
    const row = 2 * y * img.width;
    for (let x = 0; x < w; x++) {
      const i = row + 2 * x;
      luma[y * w + x] = (src[i]! + src[i + 1]! + src[i + img.width]! + src[i + img.width + 1]!) / 4;
    }
  }
  return { width: w, height: h, luma };
}

/** PDQ hashes of the sample's sub-crops (18: two shapes × 3 × 3 offsets); [] for small images. */
export function pdqCropGrid(image: LumaImage): string[] {
  if (image.width < CROP_GRID_MIN_SIDE || image.height < CROP_GRID_MIN_SIDE) return [];
  const img = Math.min(image.width, image.height) >= 256 ? halve(image) : image;
  const out: string[] = [];
  for (const s of SHAPES) {
    const w = Math.round(img.width * s.keep);
    const h = Math.round(img.height * s.keep);
    for (let i = 0; i < STEPS; i++) {
      for (let j = 0; j < STEPS; j++) {
        const fx = s.from + ((s.to - s.from) * i) / (STEPS - 1);
        const fy = s.from + ((s.to - s.from) * j) / (STEPS - 1);
        const x0 = Math.min(img.width - w, Math.round(fx * img.width));
        const y0 = Math.min(img.height - h, Math.round(fy * img.height));
        out.push(pdqHash(cropLuma(img, x0, y0, w, h)).hash);
      }
    }
  }
  return out;
}
