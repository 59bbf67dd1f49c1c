import { describe, expect, it } from 'vitest';
import { RunIndex } from '../../src/records/run-index.js';
import { ValueFilter } from '../../src/records/value-filter.js';

/** A seeded generator of 52-bit values (keyed hashes are uniform over 52 bits). */
function values52(seed: number): () => number {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    s ^= s >>> 13;
    return s >>> 0;
  };
  return () => (next() & 0xfffff) * 0x100000000 + next();
}

describe('the value filter in front of the record index', () => {
  it('never rejects a value that was added, and turns most others away (random data, several sizes)', () => {
    for (const [seed, count] of [
      [1, 1],
      [2, 100],
      [3, 20_000],
      [4, 300_000],
    ] as const) {
      const rnd = values52(seed);
      const members = Float64Array.from({ length: count }, rnd).sort();
      const filter = ValueFilter.build(members);
      const rejected = members.filter((h) => !filter.has(h));
      expect([...rejected], `members rejected at ${count} values`).toEqual([]);
      let passed = 0;
      const probes = 50_000;
      for (let i = 0; i < probes; i++) if (filter.has(rnd())) passed++;
      expect(passed / probes, `false positives at ${count} values`).toBeLessThan(0.08);
    }
  });

  it('is shared with the index: a filter over posted words answers the same', () => {
    const rnd = values52(9);
    const members = Float64Array.from({ length: 5000 }, rnd).sort();
    const a = ValueFilter.build(members);
    expect(a.words.buffer).toBeInstanceOf(SharedArrayBuffer);
    const b = new ValueFilter(structuredClone(a.words));
    for (let i = 0; i < 5000; i++) {
      const h = i % 2 ? (members[i] as number) : rnd();
      expect(b.has(h)).toBe(a.has(h));
    }
  });

  it('lets the index find every value it holds, with repeats and runs longer than its cap', () => {
    const rnd = values52(5);
    const distinct = Array.from({ length: 4000 }, rnd);
    // Most values once, some in runs of 2–400 cells (a shared date of birth, a common name).
    const cells: number[] = [];
    distinct.forEach((v, i) => {
      const times = i % 97 === 0 ? 2 + ((i * 7) % 400) : 1;
      for (let t = 0; t < times; t++) cells.push(v);
    });
    const hashes = Float64Array.from(cells).sort();
    const n = hashes.length;
    const index = new RunIndex({ hashes, rowNos: Int32Array.from({ length: n }, (_, i) => i), fields: new Uint8Array(n) });
    const probe = Float64Array.from([...distinct, ...Array.from({ length: 4000 }, rnd)]);
    const order = Uint32Array.from({ length: probe.length }, (_, i) => i);
    const lo = new Int32Array(probe.length);
    const hi = new Int32Array(probe.length);
    index.runs(probe, order, lo, hi);
    for (let i = 0; i < probe.length; i++) {
      const h = probe[i] as number;
      // The reference: a linear count in the sorted array.
      const first = hashes.indexOf(h);
      if (first < 0) {
        expect(lo[i], `value ${i} is not held`).toBe(-1);
        continue;
      }
      let last = first;
      while (last < n && hashes[last] === h) last++;
      expect(lo[i], `value ${i}`).toBe(first);
      expect(hi[i], `value ${i}`).toBe(Math.min(last, first + 256));
    }
  });
});
