import { describe, expect, it } from 'vitest';
import { deriveSeed, makePatient, Rng, tablePatient } from '../../src/synth/index.js';
import { NHI_SPACE_SIZE } from '../../src/synth/patients.js';

const identity = (i: number): string => {
  const p = tablePatient(5, i);
  return [p.fullName, p.dateOfBirth, p.email, p.phone].join('|');
};

describe('the synthetic patient table', () => {
  it('has no two rows with the same person, where derived 32-bit seeds repeat', () => {
    // The rows whose makePatient-style seeds coincide in a million-row table: these were
    // copies of one person under two record keys (a dump of one "exposed" both).
    const seen = new Map<number, number>();
    const pairs: [number, number][] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const round = Math.floor(i / NHI_SPACE_SIZE);
      const s = deriveSeed(5 + 7919 * round, 'patient', 'main', i % NHI_SPACE_SIZE);
      const j = seen.get(s);
      if (j === undefined) seen.set(s, i);
      else pairs.push([j, i]);
    }
    expect(pairs.length).toBeGreaterThan(10);
    for (const [a, b] of pairs) expect(identity(a), `rows ${a} and ${b}`).not.toBe(identity(b));
  });

  it('keeps the NHI range equal to makePatient (documents and table agree) and gives no NHI beyond it', () => {
    for (const i of [0, 17, NHI_SPACE_SIZE - 1]) expect(tablePatient(5, i)).toEqual(makePatient(5, i));
    const beyond = tablePatient(5, NHI_SPACE_SIZE + 3);
    expect(beyond.nhi).toBe('');
    expect(beyond.recordKey).toMatch(/-1$/);
    expect(tablePatient(5, NHI_SPACE_SIZE + 3)).toEqual(beyond);
  });
});

describe('Rng streams', () => {
  it('never repeat another stream, even from the same seed', () => {
    const a = new Rng(42);
    const b = new Rng(42, 2);
    const xs = Array.from({ length: 8 }, () => a.uint32());
    const ys = Array.from({ length: 8 }, () => b.uint32());
    expect(ys).not.toEqual(xs);
    expect(Array.from({ length: 8 }, () => new Rng(42).uint32())[0]).toBe(xs[0]);
  });
});
