/**
 * Photo-like images and passport-scan-like images, deterministic per seed.
 *
 * Photos: a smooth multi-colour gradient, a handful of soft-edged blobs and shapes, and
 * multi-octave texture noise. The low-frequency structure is what PDQ hashes, so two photos
 * from different seeds differ by about half of PDQ's 256 bits, and the texture keeps PDQ's
 * quality score high (flat images score low and are ignored by matchers).
 *
 * Passport scans: a fictional "Utopia" (UTO, ICAO's specimen country code) data page with a
 * portrait, printed fields and a machine-readable zone with valid ICAO 9303 check digits,
 * lying slightly askew on a scanner bed. Everything on them is synthetic.
 */
import sharp from 'sharp';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Patient } from './patients.js';
import { addDays, ageOn, REFERENCE_DATE } from './patients.js';
import { type Rng, rngFor } from './rng.js';
import { synthFontFamily } from './render-scan.js';

export type ImageFormat = 'png' | 'jpeg';

export interface ImageOptions {
  format?: ImageFormat;
  /** JPEG quality (default 88). */
  quality?: number;
}

async function encodeRaw(rgba: Buffer, width: number, height: number, opts: ImageOptions): Promise<Buffer> {
  const img = sharp(rgba, { raw: { width, height, channels: 4 } }).removeAlpha();
  return opts.format === 'jpeg' ? img.jpeg({ quality: opts.quality ?? 88 }).toBuffer() : img.png({ compressionLevel: 6 }).toBuffer();
}

function colour(rng: Rng, alpha = 1): string {
  return `rgba(${rng.int(0, 255)},${rng.int(0, 255)},${rng.int(0, 255)},${alpha.toFixed(2)})`;
}

/** A closed, smooth random blob around (cx, cy). */
function blob(ctx: SKRSContext2D, rng: Rng, cx: number, cy: number, r: number): void {
  const n = rng.int(5, 9);
  const pts = Array.from({ length: n }, (_, i) => {
    const a = (i / n) * Math.PI * 2;
    const rr = r * rng.float(0.55, 1.25);
    return [cx + Math.cos(a) * rr, cy + Math.sin(a) * rr] as const;
  });
  ctx.beginPath();
  for (let i = 0; i <= n; i++) {
    const [x0, y0] = pts[i % n] ?? [cx, cy];
    const [x1, y1] = pts[(i + 1) % n] ?? [cx, cy];
    const mx = (x0 + x1) / 2;
    const my = (y0 + y1) / 2;
    if (i === 0) ctx.moveTo(mx, my);
    else ctx.quadraticCurveTo(x0, y0, mx, my);
  }
  ctx.closePath();
  ctx.fill();
}

/**
 * Adds smooth value noise (several octaves) and fine grain to RGBA pixels, in place. The
 * smooth field is computed at half resolution (each value covers 2 x 2 pixels): it is
 * smooth anyway, and this quarters the cost of the most expensive loop in image generation.
 */
function texture(px: Uint8ClampedArray, w: number, h: number, rng: Rng, strength: number, smooth = true, grain = 10): void {
  const octaves = smooth
    ? [
        { cell: 48, amp: strength },
        { cell: 12, amp: strength * 0.5 },
        { cell: 3, amp: strength * 0.3 },
      ]
    : [];
  const fw = (w + 1) >> 1;
  const fh = (h + 1) >> 1;
  const field = new Float32Array(fw * fh);
  // Per-column lattice index and smoothstep weight are the same on every row: compute once.
  const colIndex = new Int32Array(fw);
  const colWeight = new Float32Array(fw);
  for (const { cell, amp } of octaves) {
    const gw = Math.ceil(fw / cell) + 2;
    const gh = Math.ceil(fh / cell) + 2;
    const grid = new Float32Array(gw * gh);
    for (let i = 0; i < grid.length; i++) grid[i] = (rng.next() * 2 - 1) * amp;
    for (let x = 0; x < fw; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const f = gx - x0;
      colIndex[x] = x0;
      colWeight[x] = f * f * (3 - 2 * f);
    }
    for (let y = 0; y < fh; y++) {
      const gy = y / cell;
      const y0 = Math.floor(gy);
      const fy = gy - y0;
      const sy = fy * fy * (3 - 2 * fy);
      const row = y0 * gw;
      const out = y * fw;
      for (let x = 0; x < fw; x++) {
        const i = row + colIndex[x]!;
        const sx = colWeight[x]!;
        const a = grid[i]!;
        const c = grid[i + gw]!;
        const top = a + (grid[i + 1]! - a) * sx;
        const bot = c + (grid[i + gw + 1]! - c) * sx;
        field[out + x]! += top + (bot - top) * sy;
      }
    }
  }
  // Grain from a cheap xorshift: per-pixel calls to the main generator would dominate the cost.
  let s = rng.uint32() | 1;
  for (let y = 0, i = 0; y < h; y++) {
    const frow = (y >> 1) * fw;
    for (let x = 0; x < w; x++, i += 4) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const n = field[frow + (x >> 1)]! + ((s & 255) / 255 - 0.5) * grain;
      px[i] = px[i]! + n;
      px[i + 1] = px[i + 1]! + n * 0.92;
      px[i + 2] = px[i + 2]! + n * 0.85;
    }
  }
}

/** Sizes phones and cameras commonly produce, scaled down to keep generation fast. */
const PHOTO_SIZES: ReadonlyArray<readonly [number, number]> = [[1024, 768], [960, 720], [768, 1024], [800, 600], [1200, 675], [720, 960]];

/** Draws a photo-like picture on a canvas context of the given size. */
function paintPhoto(ctx: SKRSContext2D, rng: Rng, w: number, h: number): void {
  const g = ctx.createLinearGradient(rng.float(0, w), 0, rng.float(0, w), h);
  g.addColorStop(0, colour(rng));
  g.addColorStop(rng.float(0.3, 0.7), colour(rng));
  g.addColorStop(1, colour(rng));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  const shapes = rng.int(5, 11);
  for (let i = 0; i < shapes; i++) {
    const cx = rng.float(0, w);
    const cy = rng.float(0, h);
    const r = rng.float(0.08, 0.35) * Math.min(w, h);
    const radial = ctx.createRadialGradient(cx, cy, r * 0.1, cx, cy, r * 1.2);
    radial.addColorStop(0, colour(rng, rng.float(0.7, 1)));
    radial.addColorStop(1, colour(rng, rng.float(0.2, 0.8)));
    ctx.fillStyle = radial;
    const shape = rng.int(0, 2);
    if (shape === 0) blob(ctx, rng, cx, cy, r);
    else if (shape === 1) {
      ctx.beginPath();
      ctx.ellipse(cx, cy, r, r * rng.float(0.4, 1), rng.float(0, Math.PI), 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.save();
      ctx.translate(cx, cy);
      ctx.rotate(rng.float(0, Math.PI));
      ctx.fillRect(-r, -r * 0.4, r * 2, r * rng.float(0.5, 1.2));
      ctx.restore();
    }
  }
}

/** A photo-like image (PNG or JPEG) that depends only on `seed`. */
export async function renderPhoto(seed: number, opts: ImageOptions = {}): Promise<Buffer> {
  const rng = rngFor(seed, 'photo');
  const [w, h] = rng.pick(PHOTO_SIZES);
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  paintPhoto(ctx, rng, w, h);
  const data = ctx.getImageData(0, 0, w, h);
  texture(data.data, w, h, rng, rng.float(14, 26));
  return encodeRaw(Buffer.from(data.data.buffer, data.data.byteOffset, data.data.byteLength), w, h, opts);
}

// ---- Passport data page -------------------------------------------------------------------

const MRZ_VALUES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** ICAO 9303 check digit: weights 7, 3, 1; digits and A-Z (10..35) count, '<' is 0. */
export function mrzCheckDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const v = MRZ_VALUES.indexOf(field.charAt(i));
    sum += (v < 0 ? 0 : v) * [7, 3, 1][i % 3]!;
  }
  return String(sum % 10);
}

function mrzName(s: string): string {
  return s.toUpperCase().replace(/[^A-Z]+/g, '<');
}

function yymmdd(iso: string): string {
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

export interface PassportData {
  number: string;
  surname: string;
  givenNames: string;
  sex: 'F' | 'M' | 'X';
  dateOfBirth: string;
  placeOfBirth: string;
  issued: string;
  expires: string;
  mrz: [string, string];
}

/** The synthetic passport of a patient: fields and a two-line, 44-character MRZ. */
export function passportData(patient: Patient, seed: number): PassportData {
  const rng = rngFor(seed, 'passport', patient.recordKey);
  const number = `SP${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
  let issued = addDays(REFERENCE_DATE, -rng.int(30, 3600));
  if (issued <= patient.dateOfBirth) issued = addDays(patient.dateOfBirth, rng.int(20, 60));
  if (issued > REFERENCE_DATE) issued = REFERENCE_DATE;
  // Children's passports run five years, adults' ten.
  const expires = addDays(issued, ageOn(patient.dateOfBirth, issued) < 16 ? 1826 : 3652);
  const sexCode = patient.sex === 'X' ? '<' : patient.sex;
  const names = `${mrzName(patient.familyName)}<<${mrzName([patient.givenName, patient.middleName].filter(Boolean).join(' '))}`;
  const line1 = `P<UTO${names}`.padEnd(44, '<').slice(0, 44);
  const personal = '<'.repeat(14);
    const dob = yymmdd(patient.dateOfBirth);
  const exp = yymmdd(expires);
  const body = `${number}${mrzCheckDigit(number)}UTO${dob}${mrzCheckDigit(dob)}${sexCode}${exp}${mrzCheckDigit(exp)}${personal}${mrzCheckDigit(personal)}`;
  const composite = mrzCheckDigit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43));
  return {
    number,
    surname: patient.familyName.toUpperCase(),
    givenNames: [patient.givenName, patient.middleName].filter(Boolean).join(' ').toUpperCase(),
    sex: patient.sex,
    dateOfBirth: patient.dateOfBirth,
    placeOfBirth: patient.address.city.toUpperCase(),
    issued,
    expires,
    mrz: [line1, body + composite],
  };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
function passportDate(iso: string): string {
  return `${iso.slice(8, 10)} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
}

function portrait(ctx: SKRSContext2D, rng: Rng, x: number, y: number, w: number, h: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  const bg = rng.int(185, 235);
  ctx.fillStyle = `rgb(${bg},${bg + rng.int(-10, 10)},${bg + rng.int(0, 20)})`;
  ctx.fillRect(x, y, w, h);
  const skin = rng.pick(['#f1d3bd', '#e0b08f', '#c68b63', '#9c6645', '#6e4530', '#f5dcc8']);
  const hair = rng.pick(['#1c1410', '#3b2a1f', '#6b4a2b', '#a0743f', '#c9b48a', '#777777']);
  // Shoulders, neck, head, hair: a passport-photo silhouette with per-person proportions.
  ctx.fillStyle = colour(rng);
  ctx.beginPath();
  ctx.ellipse(x + w / 2, y + h * 1.02, w * rng.float(0.48, 0.62), h * 0.3, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = skin;
  ctx.fillRect(x + w * 0.42, y + h * 0.55, w * 0.16, h * 0.2);
  const hw = w * rng.float(0.26, 0.33);
  const hh = h * rng.float(0.27, 0.33);
  ctx.fillStyle = hair;
  ctx.beginPath();
  ctx.ellipse(x + w / 2, y + h * 0.4 - hh * rng.float(0.05, 0.3), hw * rng.float(1.02, 1.3), hh * rng.float(0.9, 1.2), 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = skin;
  ctx.beginPath();
  ctx.ellipse(x + w / 2, y + h * 0.44, hw, hh, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = 'rgba(30,20,20,0.8)';
  for (const dx of [-0.35, 0.35]) {
    ctx.beginPath();
    ctx.ellipse(x + w / 2 + dx * hw, y + h * 0.41, hw * 0.1, hh * 0.05, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.fillRect(x + w / 2 - hw * 0.25, y + h * 0.57, hw * 0.5, hh * 0.04);
  ctx.restore();
}

/**
 * A scan of the synthetic passport data page belonging to `patient`. The passport's content
 * depends on (seed, patient); `scan` varies only the placement on the scanner bed, so two
 * scans of the same passport are different files of the same page.
 */
export async function renderPassport(patient: Patient, seed: number, opts: ImageOptions = {}, scan = 0): Promise<Buffer> {
  const rng = rngFor(seed, 'passport-scan', patient.recordKey, scan);
  const data = passportData(patient, seed);
  const font = synthFontFamily();
    // Drawn in card units (1180 x 830) and scaled onto a 1200 x 860 scanner bed (~250 dpi).
  const [W, H] = [1200, 860];
  const [cw, ch] = [1180, 830];
  const scale = 0.84;
    const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  ctx.lang = 'en';
  const bed = rng.int(225, 250);
  ctx.fillStyle = `rgb(${bed},${bed},${bed})`;
  ctx.fillRect(0, 0, W, H);
  ctx.save();
    ctx.translate(W / 2 + rng.float(-90, 90), H / 2 + rng.float(-60, 60));
    ctx.rotate((rng.float(-4, 4) * Math.PI) / 180);
  ctx.scale(scale, scale);
  ctx.translate(-cw / 2, -ch / 2);
  ctx.shadowColor = 'rgba(0,0,0,0.35)';
  ctx.shadowBlur = 18;
  ctx.fillStyle = '#e9efe6';
  ctx.beginPath();
  ctx.roundRect(0, 0, cw, ch, 28);
  ctx.fill();
  ctx.shadowBlur = 0;
  ctx.shadowColor = 'rgba(0,0,0,0)';
  // Guilloche-like security lines.
  ctx.strokeStyle = 'rgba(70,120,110,0.22)';
  ctx.lineWidth = 1.2;
  for (let k = 0; k < 26; k++) {
    ctx.beginPath();
    for (let x = 0; x <= cw; x += 8) {
      const y = 120 + k * 22 + Math.sin(x / 37 + k * 0.7) * 14 + Math.sin(x / 11 + k) * 3;
      if (x === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  ctx.fillStyle = '#1d3b4a';
  ctx.font = `bold 40px ${font}`;
  ctx.fillText('UTOPIA', 40, 62);
  ctx.font = `26px ${font}`;
  ctx.fillText('PASSPORT / PASSEPORT', 420, 62);
  ctx.font = `18px ${font}`;
  ctx.fillText('SPECIMEN - SYNTHETIC TEST DOCUMENT', 40, 98);
  portrait(ctx, rngFor(seed, 'portrait', patient.recordKey), 50, 130, 300, 390);
  const fields: Array<[string, string]> = [
    ['Type / Code', `P   UTO   ${data.number}`],
    ['Surname', data.surname],
    ['Given names', data.givenNames],
    ['Nationality', 'UTOPIAN'],
    ['Date of birth', passportDate(data.dateOfBirth)],
    ['Sex / Place of birth', `${data.sex}   ${data.placeOfBirth}`],
    ['Date of issue', passportDate(data.issued)],
    ['Date of expiry', passportDate(data.expires)],
  ];
  fields.forEach(([label, value], i) => {
    const y = 150 + i * 50;
    ctx.fillStyle = '#3f5f6a';
    ctx.font = `15px ${font}`;
    ctx.fillText(label, 390, y);
    ctx.fillStyle = '#111111';
    ctx.font = `bold 25px ${font}`;
    ctx.fillText(value, 390, y + 27);
  });
  // MRZ: drawn one character per fixed cell, as OCR-B is monospaced.
  ctx.fillStyle = '#f4f6f2';
  ctx.fillRect(0, ch - 190, cw, 190);
  ctx.fillStyle = '#111111';
  ctx.font = `32px ${font}`;
  data.mrz.forEach((line, row) => {
    for (let i = 0; i < line.length; i++) ctx.fillText(line.charAt(i), 44 + i * 25.3, ch - 110 + row * 62);
  });
  ctx.restore();
  const px = ctx.getImageData(0, 0, W, H);
        texture(px.data, W, H, rng, 0, false, 5);
  return encodeRaw(Buffer.from(px.data.buffer, px.data.byteOffset, px.data.byteLength), W, H, opts);
}
