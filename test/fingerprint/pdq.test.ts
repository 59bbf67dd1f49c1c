import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { FatalError } from '../../src/errors.js';
import { decodeImage } from '../../src/extract/image.js';
import type { LumaImage } from '../../src/extract/types.js';
import {
  DIHEDRAL_NAMES,
  pdqDihedral,
  pdqDistance,
  pdqFromWords,
  pdqHammingHex,
  pdqHash,
  pdqToWords,
} from '../../src/fingerprint/pdq.js';
import { SHARED_MISSING, fixturePath, sharedPath } from '../helpers/shared.js';

const LIMITS = { maxImagePixels: 100_000_000 };

function readExpected(csvPath: string): { file: string; hash: string }[] {
  return readFileSync(csvPath, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [file, hash] = line.split(',');
      return { file: file!, hash: hash! };
    });
}

async function hashFile(path: string): Promise<{ hash: string; quality: number }> {
  return pdqHash(await decodeImage(readFileSync(path), { ...LIMITS, input: path }));
}

async function hashBytes(bytes: Uint8Array): Promise<{ hash: string; quality: number }> {
  return pdqHash(await decodeImage(bytes, LIMITS));
}

/** Checks every reference image: distance ≤ 10 when quality ≥ 80 (HMA's conformance rule). */
async function checkConformance(csvPath: string): Promise<void> {
  const rows: string[] = [];
  const failures: string[] = [];
  for (const { file, hash } of readExpected(csvPath)) {
    const got = await hashFile(join(dirname(csvPath), file));
    const d = pdqHammingHex(got.hash, hash);
    rows.push(`${file}: quality ${got.quality}, distance ${d}`);
    if (got.quality >= 80 && d > 10) failures.push(`${file}: distance ${d} (got ${got.hash})`);
  }
  console.info(`PDQ conformance (${csvPath}):\n  ${rows.join('\n  ')}`);
  expect(failures).toEqual([]);
}

describe('PDQ conformance with the C++ reference', () => {
  it('matches the committed reference fixtures (test/fixtures/pdq)', async () => {
    await checkConformance(fixturePath('pdq', 'expected-cpp.csv'));
  });

  const sharedCsv = sharedPath('fixtures', 'pdq', 'expected-cpp.csv');
  it.skipIf(!sharedCsv)(sharedCsv ? 'matches every image in ../shared/fixtures/pdq' : SHARED_MISSING, async () => {
    await checkConformance(sharedCsv!);
  });
});

describe('pdqHash', () => {
  it('thresholds at the median: exactly 128 bits set for a detailed image', async () => {
    const { hash, quality } = await hashFile(fixturePath('pdq', 'square-256x256.jpg'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(quality).toBe(100);
    expect(pdqHammingHex(hash, '0'.repeat(64))).toBe(128);
  });

  it('returns an all-zero hash with quality 0 below 5 px, as the reference', () => {
    const tiny: LumaImage = { width: 4, height: 300, luma: new Float32Array(1200).fill(100) };
    expect(pdqHash(tiny)).toEqual({ hash: '0'.repeat(64), quality: 0 });
  });

  it('gives quality 0 for a flat image and high quality for structure', () => {
    const flat: LumaImage = { width: 100, height: 80, luma: new Float32Array(8000).fill(128) };
    expect(pdqHash(flat).quality).toBe(0);
    const stripes: LumaImage = { width: 100, height: 80, luma: new Float32Array(8000) };
    for (let i = 0; i < 8000; i++) stripes.luma[i] = (i % 100 >> 3) & 1 ? 255 : 0;
    expect(pdqHash(stripes).quality).toBeGreaterThanOrEqual(80);
  });

  it('hashes a 64×64 input directly (the reference skips filtering there)', () => {
    const img: LumaImage = { width: 64, height: 64, luma: new Float32Array(4096) };
    for (let i = 0; i < 4096; i++) img.luma[i] = ((i * 37) % 251) + (i >> 6);
    const a = pdqHash(img);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pdqDihedral(img).hashes[0]).toBe(a.hash);
  });

  it('does not modify its input', () => {
    const img: LumaImage = { width: 50, height: 40, luma: new Float32Array(2000).map((_, i) => i % 256) };
    const copy = img.luma.slice();
    pdqHash(img);
    pdqDihedral(img);
    expect(img.luma).toEqual(copy);
  });
});

describe('pdqDihedral', () => {
  // sharp's rotate() turns clockwise; the reference's rot90 is anticlockwise.
  const transforms: [string, (s: Sharp) => Sharp][] = [
    ['rot90', (s) => s.rotate(270)],
    ['rot180', (s) => s.rotate(180)],
    ['rot270', (s) => s.rotate(90)],
    ['flipX', (s) => s.flip()],
    ['flipY', (s) => s.flop()],
    ['transpose', (s) => s.rotate(90).flip()],
    ['transverse', (s) => s.rotate(90).flop()],
  ];

  it('returns the 8 hashes in the documented order, the first being pdqHash', async () => {
    const img = await decodeImage(readFileSync(fixturePath('pdq', 'square-128x128.jpg')), LIMITS);
    const d = pdqDihedral(img);
    expect(d.hashes).toHaveLength(8);
    expect(d.hashes[0]).toBe(pdqHash(img).hash);
    expect(d.quality).toBe(pdqHash(img).quality);
    expect(new Set(d.hashes).size).toBe(8);
  });

  it.each(transforms)('%s of the original is near the hash of the transformed pixels', async (name, op) => {
    const bytes = readFileSync(fixturePath('pdq', 'square-128x128.jpg'));
    const original = pdqDihedral(await decodeImage(bytes, LIMITS));
    const transformed = await hashBytes(await op(sharp(bytes)).png().toBuffer());
    const k = DIHEDRAL_NAMES.indexOf(name as (typeof DIHEDRAL_NAMES)[number]);
    // Not 0: the reference's 64×64 sampling points and even-width box windows are not
    // mirror-symmetric, so transformed pixels sample a grid shifted by about a pixel.
    expect(pdqHammingHex(original.hashes[k]!, transformed.hash)).toBeLessThanOrEqual(31);
    expect(pdqHammingHex(original.hashes[0]!, transformed.hash)).toBeGreaterThanOrEqual(90);
  });
});

/** Deterministic PRNG (mulberry32) so generated images are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A photo-like RGB image: smooth gradients, a few shapes with soft edges, sensor-like noise. */
async function photoLike(width = 800, height = 600, seed = 7): Promise<Buffer> {
  const rnd = prng(seed);
  const px = Buffer.alloc(width * height * 3);
  const shapes = Array.from({ length: 40 }, () => ({
    cx: rnd() * width,
    cy: rnd() * height,
    r: 15 + rnd() * 75,
    square: rnd() < 0.4,
    rgb: [rnd() * 255, rnd() * 255, rnd() * 255],
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let c = [40 + (170 * x) / width, 60 + (130 * y) / height, 128 + 90 * Math.sin(x / 37) * Math.cos(y / 29)];
      for (const s of shapes) {
        const dx = Math.abs(x - s.cx);
        const dy = Math.abs(y - s.cy);
        const dist = s.square ? Math.max(dx, dy) : Math.hypot(dx, dy);
        const alpha = Math.min(1, Math.max(0, (s.r - dist) / 4)); // soft edge
        if (alpha > 0) c = c.map((v, i) => v * (1 - alpha) + s.rgb[i]! * alpha);
      }
      const o = (y * width + x) * 3;
      for (let i = 0; i < 3; i++) px[o + i] = Math.max(0, Math.min(255, Math.round(c[i]! + (rnd() - 0.5) * 24)));
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

describe('near-duplicates of a photo-like image stay within 31 bits', () => {
  const ready = photoLike();

  it('is a high-quality image to begin with', async () => {
    const { quality } = await hashBytes(await ready);
    expect(quality).toBeGreaterThanOrEqual(80);
  });

  const variants: [string, (s: Sharp) => Promise<Buffer>][] = [
    ['re-encoded as JPEG q50', (s) => s.jpeg({ quality: 50 }).toBuffer()],
    ['resized to 50 %', (s) => s.resize(400, 300).png().toBuffer()],
    // 5 % of the area (1.25 % off each edge). PDQ is not crop-tolerant: 5 % off each dimension
    // (2.5 % per edge) moves real photos (the reference's bridge) by 40–55 bits.
    ['cropped by 5 %', (s) => s.extract({ left: 10, top: 8, width: 780, height: 585 }).png().toBuffer()],
  ];
  it.each(variants)('%s', async (_name, make) => {
    const png = await ready;
    const original = await hashBytes(png);
    const variant = await hashBytes(await make(sharp(png)));
    const d = pdqHammingHex(original.hash, variant.hash);
    expect(d).toBeLessThanOrEqual(31);
  });

  it('an unrelated photo-like image is far away', async () => {
    const a = await hashBytes(await ready);
    const b = await hashBytes(await photoLike(800, 600, 99));
    expect(pdqHammingHex(a.hash, b.hash)).toBeGreaterThan(60);
  });
});

describe('hash words and distances', () => {
  const a = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
  const b = 'd0f8f1ccc0f4a84d0a370a3a228f67f0b36e2ed5b6623e1d33e6339c4e9c9b22';

  it('round-trips hex through words, packed at offsets', () => {
    const packed = new Uint32Array(24);
    pdqToWords(a, packed, 8);
    pdqToWords(b.toUpperCase(), packed, 16);
    expect(pdqFromWords(packed, 8)).toBe(a);
    expect(pdqFromWords(packed, 16)).toBe(b);
    expect(pdqFromWords(packed, 0)).toBe('0'.repeat(64));
  });

  it('counts differing bits', () => {
    const packed = new Uint32Array(24);
    pdqToWords(a, packed, 8);
    pdqToWords(b, packed, 16);
    let expected = 0;
    for (let i = 0; i < 64; i++) {
      let x = Number.parseInt(a[i]!, 16) ^ Number.parseInt(b[i]!, 16);
      for (; x; x &= x - 1) expected++;
    }
    expect(pdqDistance(packed, 8, packed, 16)).toBe(expected);
    expect(pdqHammingHex(a, b)).toBe(expected);
    expect(pdqHammingHex(a, a)).toBe(0);
    expect(pdqHammingHex('0'.repeat(64), 'f'.repeat(64))).toBe(256);
    expect(pdqDistance(packed, 0, packed, 8)).toBe(pdqHammingHex(a, '0'.repeat(64)));
  });

  it('rejects malformed hashes with E_USAGE', () => {
    expect(() => pdqToWords('abc')).toThrow(FatalError);
    expect(() => pdqHammingHex(a, `${a.slice(0, 63)}g`)).toThrow(/not a PDQ hash/);
    try {
      pdqToWords('');
    } catch (err) {
      expect((err as FatalError).code).toBe('E_USAGE');
    }
  });
});
