import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AbortError, InputError, LimitError, type LeakwatchError } from '../../src/errors.js';
import { decodeImage, lumaFromRaw } from '../../src/extract/image.js';
import { pdqHammingHex, pdqHash } from '../../src/fingerprint/pdq.js';
import { fixturePath } from '../helpers/shared.js';

const LIMITS = { maxImagePixels: 100_000_000 };
const JPEG = fixturePath('pdq', 'square-256x256.jpg');

/** Deterministic RGB pixels with structure at several scales. */
function rgbPixels(width: number, height: number): Buffer {
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      px[o] = (x * 255) / width;
      px[o + 1] = 128 + 120 * Math.sin(x / 23) * Math.cos(y / 17);
      px[o + 2] = ((x >> 5) + (y >> 5)) & 1 ? 220 : 30;
    }
  }
  return px;
}

function rawPng(px: Buffer, width: number, height: number, channels: 1 | 2 | 3 | 4 = 3): Promise<Buffer> {
  return sharp(px, { raw: { width, height, channels } }).png().toBuffer();
}

/** Index of the first differing value, or -1 (much faster than toEqual on 262 144 floats). */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Runs fn, expecting a LeakwatchError; returns it for inspection. */
async function failure(fn: () => Promise<unknown>): Promise<LeakwatchError> {
  try {
    await fn();
  } catch (err) {
    return err as LeakwatchError;
  }
  throw new Error('expected a failure');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A well-formed PNG whose header claims width × height RGB pixels but holds one row of data. */
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1 + 3 * 64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodeImage', () => {
  it('decodes a JPEG to luma of the same size when ≤ 512 px', async () => {
    const img = await decodeImage(readFileSync(JPEG), LIMITS);
    expect([img.width, img.height]).toEqual([256, 256]);
    expect(img.luma).toBeInstanceOf(Float32Array);
    expect(img.luma.length).toBe(256 * 256);
    expect(Math.min(...img.luma)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...img.luma)).toBeLessThanOrEqual(255);
  });

  it('computes luma as 0.299 R + 0.587 G + 0.114 B', async () => {
    const px = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const img = await decodeImage(await rawPng(px, 4, 1), LIMITS);
    const expected = [0.299 * 255, 0.587 * 255, 0.114 * 255, 0.299 * 10 + 0.587 * 20 + 0.114 * 30];
    expected.forEach((v, i) => expect(img.luma[i]).toBeCloseTo(v, 4));
  });

  it.each([
    [1000, 700],
    [700, 513],
    [100, 1000],
    [1432, 812],
  ])('resamples %i×%i to 512×512 exactly as the reference (nearest ⌊x·W/512⌋)', async (w, h) => {
    const px = rgbPixels(w, h);
    const decoded = await decodeImage(await rawPng(px, w, h), LIMITS);
    const direct = await lumaFromRaw(px, w, h, 3);
    expect([decoded.width, decoded.height]).toEqual([512, 512]);
    expect([direct.width, direct.height]).toEqual([512, 512]);
    expect(firstDifference(decoded.luma, direct.luma)).toBe(-1);
  });

  it('keeps images of at most 512 px a side at their size', async () => {
    const px = rgbPixels(512, 300);
    const img = await decodeImage(await rawPng(px, 512, 300), LIMITS);
    expect([img.width, img.height]).toEqual([512, 300]);
    expect(firstDifference(img.luma, (await lumaFromRaw(px, 512, 300, 3)).luma)).toBe(-1);
  });

  it('streams very large images through libvips (48 Mpx) and still lands near the exact result', async () => {
    // Smooth content upscaled from 80×60 so the big JPEG is cheap to make and to compare.
    const seed = Buffer.alloc(80 * 60 * 3);
    for (let i = 0; i < seed.length; i++) seed[i] = ((i * 2654435761) >>> 0) % 251;
    const from = (w: number, h: number) =>
      sharp(seed, { raw: { width: 80, height: 60, channels: 3 } }).resize(w, h, { kernel: 'cubic' });
    const big = await from(8000, 6000).jpeg({ quality: 80 }).toBuffer();
    const img = await decodeImage(big, LIMITS);
    expect([img.width, img.height]).toEqual([512, 512]);
    const reference = pdqHash(await decodeImage(await from(800, 600).png().toBuffer(), LIMITS));
    expect(pdqHammingHex(pdqHash(img).hash, reference.hash)).toBeLessThanOrEqual(16);
  });

  it('applies EXIF orientation before hashing', async () => {
    const upright = sharp(rgbPixels(300, 200), { raw: { width: 300, height: 200, channels: 3 } });
    const uprightJpeg = await upright.clone().jpeg({ quality: 95 }).toBuffer();
    // Orientation 6 = "rotate 90° clockwise to display": store the pixels turned anticlockwise.
    const stored = await sharp(uprightJpeg).rotate(270).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(stored).metadata()).orientation).toBe(6);
    const a = await decodeImage(uprightJpeg, LIMITS);
    const b = await decodeImage(stored, LIMITS);
    expect([b.width, b.height]).toEqual([300, 200]);
    expect(pdqHammingHex(pdqHash(a).hash, pdqHash(b).hash)).toBeLessThanOrEqual(8);
  });

  describe('pixel formats all reduce to the same luma', () => {
    const w = 320;
    const h = 240;
    const px = rgbPixels(w, h);
    const reference = async () => pdqHash(await decodeImage(await rawPng(px, w, h), LIMITS)).hash;

    it('grey (1 channel) equals the same grey as RGB', async () => {
      const grey = Buffer.alloc(w * h);
      for (let i = 0; i < grey.length; i++) grey[i] = px[i * 3]!;
      const asRgb = Buffer.alloc(w * h * 3);
      for (let i = 0; i < grey.length; i++) asRgb.fill(grey[i]!, i * 3, i * 3 + 3);
      const g = await decodeImage(await rawPng(grey, w, h, 1), LIMITS);
      const c = await decodeImage(await rawPng(asRgb, w, h, 3), LIMITS);
      for (let i = 0; i < g.luma.length; i++) expect(Math.abs(g.luma[i]! - c.luma[i]!)).toBeLessThan(1e-3);
    });

    it('alpha is dropped, not composited (as the reference)', async () => {
      const rgba = Buffer.alloc(w * h * 4);
      for (let i = 0; i < w * h; i++) {
        px.copy(rgba, i * 4, i * 3, i * 3 + 3);
        rgba[i * 4 + 3] = i % 7 === 0 ? 0 : 128;
      }
      const a = await decodeImage(await rawPng(rgba, w, h, 4), LIMITS);
      expect(firstDifference(a.luma, (await lumaFromRaw(px, w, h, 3)).luma)).toBe(-1);
      expect(firstDifference((await lumaFromRaw(rgba, w, h, 4)).luma, a.luma)).toBe(-1);
    });

    it('16-bit PNG is read as 8-bit', async () => {
      const png16 = await sharp(px, { raw: { width: w, height: h, channels: 3 } })
        .toColourspace('rgb16')
        .png()
        .toBuffer();
      expect((await sharp(png16).metadata()).depth).toBe('ushort');
      const a = await decodeImage(png16, LIMITS);
      const b = await lumaFromRaw(px, w, h, 3);
      let maxDiff = 0;
      for (let i = 0; i < a.luma.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.luma[i]! - b.luma[i]!));
      expect(maxDiff).toBeLessThanOrEqual(1);
    });

    it('CMYK JPEG is converted to sRGB', async () => {
      // A photo: the synthetic pattern's saturated colours fall outside the CMYK gamut.
      const photo = readFileSync(JPEG);
      const cmyk = await sharp(photo).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
      expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
      const got = pdqHash(await decodeImage(cmyk, LIMITS)).hash;
      const want = pdqHash(await decodeImage(photo, LIMITS)).hash;
      // Read as RGB(A) without conversion the image would come out inverted: ~256 bits away.
      expect(pdqHammingHex(got, want)).toBeLessThanOrEqual(10);
    });

    it.each(['webp', 'gif', 'tiff'] as const)('%s decodes', async (format) => {
      const bytes = await sharp(px, { raw: { width: w, height: h, channels: 3 } })
        .toFormat(format, format === 'webp' ? { lossless: true } : {})
        .toBuffer();
      const got = pdqHash(await decodeImage(bytes, LIMITS)).hash;
      expect(pdqHammingHex(got, await reference())).toBeLessThanOrEqual(16);
    });
  });

  describe('robustness: every failure is a typed error naming the input', () => {
    it('0-byte file → E_CORRUPT_FILE', async () => {
      const err = await failure(() => decodeImage(new Uint8Array(0), { ...LIMITS, input: 'empty.jpg' }));
      expect(err).toBeInstanceOf(InputError);
      expect(err.code).toBe('E_CORRUPT_FILE');
      expect(err.input).toBe('empty.jpg');
      expect(err.message).toContain('empty.jpg');
    });

    it('random bytes → E_CORRUPT_FILE', async () => {
      const bytes = new Uint8Array(4096);
      let s = 12345;
      for (let i = 0; i < bytes.length; i++) bytes[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
      const err = await failure(() => decodeImage(bytes, { ...LIMITS, input: 'noise.bin' }));
      expect(err).toBeInstanceOf(InputError);
      expect(err.code).toBe('E_CORRUPT_FILE');
      expect(err.message).toContain('noise.bin');
    });

    it('truncated JPEG → E_CORRUPT_FILE', async () => {
      const whole = readFileSync(JPEG);
      const err = await failure(() =>
        decodeImage(whole.subarray(0, Math.floor(whole.length / 2)), { ...LIMITS, input: 'cut.jpg' }),
      );
      expect(err).toBeInstanceOf(InputError);
      expect(err.code).toBe('E_CORRUPT_FILE');
      expect(err.message).toContain('cut.jpg');
    });

    it('a JPEG with a benign libjpeg warning (extraneous bytes before a marker) still decodes', async () => {
      const whole = readFileSync(JPEG);
      const at = whole.indexOf(Buffer.from([0xff, 0xdb])); // first quantisation table
      const warned = Buffer.concat([whole.subarray(0, at), Buffer.from([1, 2, 3, 4]), whole.subarray(at)]);
      const a = pdqHash(await decodeImage(warned, LIMITS)).hash;
      expect(a).toBe(pdqHash(await decodeImage(whole, LIMITS)).hash);
    });

    it('a PNG header claiming 100000×100000 px fails fast with E_TOO_LARGE, without allocating', async () => {
      const bomb = pngClaiming(100_000, 100_000);
      expect(bomb.length).toBeLessThan(200);
      const rssBefore = process.memoryUsage().rss;
      const t = performance.now();
      const err = await failure(() => decodeImage(bomb, { ...LIMITS, input: 'bomb.png' }));
      expect(performance.now() - t).toBeLessThan(1000);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
      expect(err).toBeInstanceOf(LimitError);
      expect(err.code).toBe('E_TOO_LARGE');
      expect(err.message).toContain('bomb.png');
      expect(err.message).toContain('100000×100000');
    });

    it('an image over maxImagePixels → E_TOO_LARGE', async () => {
      const err = await failure(() => decodeImage(readFileSync(JPEG), { maxImagePixels: 256 * 255, input: 'big.jpg' }));
      expect(err).toBeInstanceOf(LimitError);
      expect(err.code).toBe('E_TOO_LARGE');
      expect(err.input).toBe('big.jpg');
    });

    it('a 1×1 image decodes and hashes with quality 0', async () => {
      const img = await decodeImage(await rawPng(Buffer.from([200, 10, 10]), 1, 1), LIMITS);
      expect([img.width, img.height]).toEqual([1, 1]);
      expect(pdqHash(img)).toEqual({ hash: '0'.repeat(64), quality: 0 });
    });

    it('SVG is refused with E_UNSUPPORTED', async () => {
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
      const err = await failure(() => decodeImage(svg, { ...LIMITS, input: 'x.svg' }));
      expect(err).toBeInstanceOf(InputError);
      expect(err.code).toBe('E_UNSUPPORTED');
    });

    it('BMP (which the bundled libvips cannot read) → E_UNSUPPORTED, not corrupt', async () => {
      const bmp = Buffer.alloc(58);
      bmp.write('BM', 0, 'ascii');
      bmp.writeUInt32LE(58, 2);
      bmp.writeUInt32LE(54, 10);
      bmp.writeUInt32LE(40, 14);
      bmp.writeInt32LE(1, 18);
      bmp.writeInt32LE(1, 22);
      bmp.writeUInt16LE(1, 26);
      bmp.writeUInt16LE(24, 28);
      const err = await failure(() => decodeImage(bmp, { ...LIMITS, input: 'scan.bmp' }));
      expect(err).toBeInstanceOf(InputError);
      expect(err.code).toBe('E_UNSUPPORTED');
      expect(err.message).toContain('scan.bmp');
    });

    it('an aborted signal → E_ABORTED', async () => {
      const ac = new AbortController();
      ac.abort();
      const err = await failure(() => decodeImage(readFileSync(JPEG), { ...LIMITS, signal: ac.signal, input: 'a.jpg' }));
      expect(err).toBeInstanceOf(AbortError);
      expect(err.code).toBe('E_ABORTED');
    });

    it('an abort during decoding rejects promptly', async () => {
      const ac = new AbortController();
      const p = decodeImage(readFileSync(JPEG), { ...LIMITS, signal: ac.signal, input: 'a.jpg' });
      ac.abort();
      expect((await failure(() => p)).code).toBe('E_ABORTED');
    });
  });
});

describe('lumaFromRaw', () => {
  it('leaves ≤ 512 px images at their size and handles grey + alpha', async () => {
    const ga = Buffer.from([10, 255, 20, 0, 30, 255, 40, 255]);
    const img = await lumaFromRaw(ga, 2, 2, 2);
    expect([img.width, img.height]).toEqual([2, 2]);
    expect(Array.from(img.luma)).toEqual([10, 20, 30, 40]);
  });

  it('rejects pixel data shorter than width × height × channels', async () => {
    const err = await failure(() => lumaFromRaw(new Uint8Array(10), 4, 4, 3, { input: 'page 3' }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.code).toBe('E_CORRUPT_FILE');
    expect(err.message).toContain('page 3');
  });
});
