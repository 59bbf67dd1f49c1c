import { describe, expect, it } from 'vitest';
import { Rng, deriveSeed, rngFor } from '../../src/synth/index.js';

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(sa);
  });

  it('derives seeds from labels and numbers, order-sensitively', () => {
    expect(deriveSeed(1, 'patient', 5)).toBe(deriveSeed(1, 'patient', 5));
    expect(deriveSeed(1, 'patient', 5)).not.toBe(deriveSeed(1, 'patient', 6));
    expect(deriveSeed(1, 'a', 'b')).not.toBe(deriveSeed(1, 'b', 'a'));
    expect(deriveSeed(2 ** 40)).not.toBe(deriveSeed(0));
    expect(rngFor(7, 'x').next()).toBe(rngFor(7, 'x').next());
  });

  it('keeps helpers within their ranges', () => {
    const r = new Rng(1);
    for (let i = 0; i < 2000; i++) {
      const n = r.int(3, 9);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(9);
      const f = r.next();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
    expect(() => r.pick([])).toThrow(RangeError);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(r.sample([1, 2, 3, 4, 5, 6], 4)).size).toBe(4);
  });

  it('has roughly the right moments', () => {
    const r = new Rng(99);
    const n = 20_000;
    let sum = 0;
    let sq = 0;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const g = r.gaussian(10, 2);
      sum += g;
      sq += g * g;
      if (r.chance(0.3)) hits++;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(sq / n - mean * mean)).toBeCloseTo(2, 1);
    expect(hits / n).toBeCloseTo(0.3, 1);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) counts[r.weighted([['a', 3], ['b', 1]] as const)]++;
    expect(counts.a / 10_000).toBeCloseTo(0.75, 1);
  });
});
