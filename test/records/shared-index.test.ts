import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanRecordsInFile, sharedRecordMatcher } from '../../src/records/index.js';
import { RunIndex } from '../../src/records/run-index.js';
import { patientTableCsv } from '../../src/synth/index.js';
import { useTempDir } from '../helpers/tmp.js';
import { recordEnv, SEED } from './helpers.js';

const tmp = useTempDir();

describe('one record index shared by scanning threads', () => {
  it('a matcher over the posted index finds what the loading one finds, reading the same memory', async () => {
    const dir = tmp();
    const env = await recordEnv(dir);
    const dump = join(dir, 'dump.csv');
    writeFileSync(dump, patientTableCsv(SEED, 40, 'main', 100));
    const sets = env.matcher.shared();
    // structuredClone is what postMessage does to it: SharedArrayBuffers are shared, not copied.
    const posted = structuredClone(sets);
    for (const s of posted) for (const a of [s.index.hashes, s.index.cells, s.index.dir]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    const cells = posted[0]?.index.cells as Int32Array;
    const before = cells[0] as number;
    (sets[0]?.index.cells as Int32Array)[0] = before + 1;
    expect(cells[0]).toBe(before + 1);
    (sets[0]?.index.cells as Int32Array)[0] = before;

    const own = await scanRecordsInFile(env.matcher, dump, 'dump.csv');
    const other = await scanRecordsInFile(sharedRecordMatcher(env.store, posted), dump, 'dump.csv');
    const key = (r: typeof own): string[] => r.exposures.map((e) => `${e.rowNo}:${[...e.fields].sort().join('+')}`).sort();
    expect(own.exposures.length).toBe(40);
    expect(key(other)).toEqual(key(own));
    env.store.close();
  });

  it('an index rebuilt from its parts looks up every value as the original does', () => {
    // Random hashes (52-bit), with repeats so runs have several cells.
    let seed = 7;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const n = 5000;
    const values = Array.from({ length: n / 4 }, () => (rnd() & 0xfffff) * 0x100000000 + rnd());
    const hashes = Float64Array.from({ length: n }, () => values[rnd() % values.length] as number).sort();
    const index = new RunIndex({ hashes, rowNos: Int32Array.from({ length: n }, (_, i) => i), fields: Uint8Array.from({ length: n }, (_, i) => i % 6) });
    const copy = new RunIndex(structuredClone(index.parts));
    const probe = Float64Array.from({ length: 3000 }, (_, i) => (i % 2 ? (values[rnd() % values.length] as number) : (rnd() & 0xfffff) * 0x100000000 + rnd()));
    const order = Uint32Array.from({ length: probe.length }, (_, i) => i);
    const runs = (ix: RunIndex): number[] => {
      const lo = new Int32Array(probe.length);
      const hi = new Int32Array(probe.length);
      ix.runs(probe, order, lo, hi);
      return [...lo].flatMap((l, i) => (l < 0 ? [-1] : [l, hi[i] as number]));
    };
    const a = runs(index);
    expect(a.filter((x) => x >= 0).length).toBeGreaterThan(1000);
    expect(runs(copy)).toEqual(a);
  });
});
