import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellMemo } from '../../src/records/cell-memo.js';
import { rowCandidates } from '../../src/records/index.js';
import { patientRow } from '../../src/synth/index.js';
import { recordEnv, type RecordEnv } from './helpers.js';

/**
 * The cell memo must change nothing but the work: with it, a table gives exactly the
 * candidates an index holds of those it gives without it, and the same exposed records.
 */
let dir: string;
let env: RecordEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leakwatch-cell-memo-'));
  env = await recordEnv(dir);
});
afterAll(() => {
  env.store.close();
  rmSync(dir, { recursive: true, force: true });
});

function candidates(list: ReturnType<RecordEnv['matcher']['candidates']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) out.push(`${list.field[i]},${list.raw[i]},${list.unit[i]}`);
  return out.sort();
}

describe('the cell memo of repetitive columns', () => {
  it('keeps exactly the candidates an index holds, and finds the same records, on rows that repeat and rows that do not', () => {
    const practices = ['Wainuiomata Primary Care', 'Petone Community Health', 'Dr Mere Ngata', '17 Kauri St', 'F', '021 555 0101'];
    let x = 7;
    const rnd = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % n;
    };
    const rows: string[][] = [];
    for (let r = 0; r < 6000; r++) {
      // Table people and unrelated ones; a practice column of few values; a column that
      // repeats at first and then never again (dropped by the memo half-way); rows of
      // different widths (a JSON record's missing values shift the later columns).
      const p = rnd(3) === 0 ? env.patient(rnd(300)) : env.patient(1000 + rnd(5000));
      const row = [...patientRow(p).slice(0, 9), practices[rnd(practices.length)] as string, r < 3000 ? `group ${rnd(4)}` : `lot ${r}`];
      rows.push(rnd(10) === 0 ? row.slice(2) : row);
    }
    const withMemo = env.matcher.candidates();
    const without = env.matcher.candidates();
    const memo = new CellMemo((raws) => env.matcher.present(raws));
    rows.forEach((row, unit) => {
      rowCandidates(row, unit, withMemo, { memo });
      rowCandidates(row, unit, without);
    });
    // Remembered columns give only what an index holds; the others give everything as before.
    const held = (list: typeof without): typeof without => {
      const present = env.matcher.present(list.raw.slice(0, list.length));
      const out = env.matcher.candidates();
      for (let i = 0; i < list.length; i++) if (present[i]) out.addRaw(list.field[i] as number, list.raw[i] as number, list.unit[i] as number, 0);
      return out;
    };
    expect(withMemo.length).toBeLessThan(without.length);
    expect(candidates(held(withMemo))).toEqual(candidates(held(without)));
    const all = new Map<string, number>();
    for (const c of candidates(without)) all.set(c, (all.get(c) ?? 0) + 1);
    for (const c of candidates(withMemo)) {
      expect(all.get(c) ?? 0, c).toBeGreaterThan(0);
      all.set(c, (all.get(c) as number) - 1);
    }
    const key = (hits: ReturnType<RecordEnv['matcher']['match']>): string[] => hits.map((h) => `${h.rowNo}:${[...h.fields].sort().join('+')}`).sort();
    const found = key(env.matcher.match(withMemo, 0));
    expect(found.length).toBeGreaterThan(100);
    expect(found).toEqual(key(env.matcher.match(without, 0)));
  });

  it('drops a column whose cells do not repeat, and remembers one whose cells do', () => {
    const memo = new CellMemo((raws) => env.matcher.present(raws));
    const list = env.matcher.candidates();
    for (let r = 0; r < 5000; r++) rowCandidates([`unique ${r}`, 'Wainuiomata Primary Care'], r, list, { memo });
    expect(memo.column(0)).toBeUndefined();
    expect(memo.column(1)).toBeDefined();
    // The clinic's name is no one's name in the table: nothing of it is looked up.
    expect(list.length).toBe(0);
  });
});
