/**
 * How leak sites post documents as pictures, for the OCR benchmark: a page scan rescaled,
 * recompressed, turned a little, cropped, cut to a part, or photographed with a phone
 * (perspective, uneven light, a desk around the page). Deterministic per seed.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import sharp from 'sharp';
import type { Rng } from '../src/synth/index.js';

export interface PictureTransform {
  name: string;
  apply(page: Buffer, rng: Rng): Promise<Buffer>;
}

const WHITE = { r: 255, g: 255, b: 255 };

async function rotate(page: Buffer, deg: number, quality: number): Promise<Buffer> {
  return sharp(page).rotate(deg, { background: WHITE }).jpeg({ quality }).toBuffer();
}

/**
 * A phone photo of a printed page: the page drawn as a trapezoid (top edge narrower: the
 * phone is held below the page's centre and tilted) on a darker desk, brighter at one side,
 * slightly blurred and saved as a JPEG. The trapezoid is drawn as 4 px horizontal strips,
 * each scaled to its row's width: a perspective warp with nothing but a 2D canvas.
 */
async function phonePhoto(page: Buffer, rng: Rng): Promise<Buffer> {
  const img = await loadImage(page);
  const outW = 1100;
  const outH = 1400;
  const canvas = createCanvas(outW, outH);
  const ctx = canvas.getContext('2d');
  const desk = rng.int(70, 120);
  ctx.fillStyle = `rgb(${desk + 20},${desk + 10},${desk})`;
  ctx.fillRect(0, 0, outW, outH);
  const topW = outW * rng.float(0.68, 0.76);
  const botW = outW * rng.float(0.88, 0.94);
  const pageH = outH * 0.9;
  const y0 = (outH - pageH) / 2;
  const skew = rng.float(-30, 30);
  const strip = 4;
  for (let sy = 0; sy < img.height; sy += strip) {
    const t = sy / img.height;
    const w = topW + (botW - topW) * t;
    const x = (outW - w) / 2 + skew * (1 - t);
    // Rows nearer the camera are taller: y grows slightly faster at the bottom.
    const y = y0 + pageH * (t * 0.85 + t * t * 0.15);
    const t2 = Math.min(1, (sy + strip) / img.height);
    const y2 = y0 + pageH * (t2 * 0.85 + t2 * t2 * 0.15);
    ctx.drawImage(img, 0, sy, img.width, Math.min(strip, img.height - sy), x, y, w, y2 - y + 0.5);
  }
  // Uneven light: a soft shadow falling across one side.
  const g = ctx.createLinearGradient(0, 0, outW, 0);
  g.addColorStop(0, `rgba(0,0,0,${rng.float(0.05, 0.18).toFixed(2)})`);
  g.addColorStop(1, 'rgba(0,0,0,0)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, outW, outH);
  const png = canvas.toBuffer('image/png');
  return sharp(png).blur(0.6).jpeg({ quality: 60 }).toBuffer();
}

export const PICTURE_TRANSFORMS: PictureTransform[] = [
  { name: 'page at 100 % (PNG)', apply: async (p) => p },
  { name: 'scaled to 75 %', apply: (p) => sharp(p).resize({ width: Math.round(1240 * 0.75) }).png().toBuffer() },
  { name: 'scaled to 50 %', apply: (p) => sharp(p).resize({ width: 620 }).png().toBuffer() },
  { name: 'JPEG q40', apply: (p) => sharp(p).jpeg({ quality: 40 }).toBuffer() },
  { name: 'JPEG q60, 75 %', apply: (p) => sharp(p).resize({ width: 930 }).jpeg({ quality: 60 }).toBuffer() },
  { name: 'rotated 1–3°, JPEG q50', apply: (p, rng) => rotate(p, rng.float(1, 3) * (rng.float(0, 1) < 0.5 ? -1 : 1), 50) },
  {
    name: 'cropped 10 %',
    apply: async (p, rng) => {
      const m = await sharp(p).metadata();
      const w = m.width!;
      const h = m.height!;
      const cw = Math.round(w * 0.1);
      const ch = Math.round(h * 0.1);
      const left = rng.int(0, cw);
      const top = rng.int(0, ch);
      return sharp(p).extract({ left, top, width: w - cw, height: h - ch }).png().toBuffer();
    },
  },
  {
    name: 'partial page (top half)',
    apply: async (p) => {
      const m = await sharp(p).metadata();
      return sharp(p).extract({ left: 0, top: 0, width: m.width!, height: Math.round(m.height! * 0.5) }).jpeg({ quality: 60 }).toBuffer();
    },
  },
  { name: 'phone photo (perspective, shadow, JPEG q60)', apply: phonePhoto },
  { name: 'page turned 90° (sideways), JPEG q60', apply: (p) => sharp(p).rotate(90).jpeg({ quality: 60 }).toBuffer() },
];
