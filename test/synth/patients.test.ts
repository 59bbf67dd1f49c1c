import { describe, expect, it } from 'vitest';
import { NHI_ALPHABET, isValidNhi, makePatient, nhiCheckChar, nhiFormat, syntheticNhi } from '../../src/synth/index.js';

// Published test values (HISO 10046:2023 examples and Health NZ compliance test data).
const VALID = ['ZAC5361', 'JBX3656', 'ZZZ0016', 'ZZZ0024', 'ZAA0105', 'ZBN77VL', 'ZZZ00AC', 'ZDR69YX', 'ZSC21TN', 'ZYZ89XY', 'ZXE24NV', 'ZVE74QH'];
// ZZZ00AX was valid under the withdrawn modulus-24 draft; it must fail under modulus 23.
const INVALID = ['ZAC3561', 'ZZZ0044', 'ZZZ0017', 'JBX3650', 'ZZZ00AA', 'ZZZ00AX', 'ZHW58CZ', 'ZZZ99ZS', 'ZZZ004', 'ZZI0016', 'ZZZ0O16'];

/**
 * Each character of a valid NHI replaced by its neighbours (no wrap-around: A<->Z differ by
 * 23 and so keep the modulus-23 checksum; no check scheme catches every substitution).
 */
function oneCharChanges(nhi: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < 7; i++) {
    const c = nhi.charAt(i);
    const pool = /\d/.test(c) ? '0123456789' : NHI_ALPHABET;
    const k = pool.indexOf(c);
    for (const j of [k - 1, k + 1]) if (j >= 0 && j < pool.length) out.push(nhi.slice(0, i) + pool.charAt(j) + nhi.slice(i + 1));
  }
  return out;
}

describe('NHI check characters', () => {
  it('accepts published valid NHIs and rejects invalid ones', () => {
    for (const n of VALID) expect(isValidNhi(n), n).toBe(true);
    for (const n of INVALID) expect(isValidNhi(n), n).toBe(false);
    expect(isValidNhi('zac5361')).toBe(true);
  });

  it('has no check digit for an old-format body whose checksum is 0', () => {
    expect(nhiCheckChar('ZZZ004')).toBeUndefined();
  });

  it('generates valid NHIs in both formats; changing any one character by one step invalidates them', () => {
    const formats = { old: 0, new: 0 };
    for (let i = 0; i < 3000; i++) {
      const nhi = makePatient(11, i).nhi;
      expect(isValidNhi(nhi), nhi).toBe(true);
      expect(nhi.startsWith('Z')).toBe(true); // the range reserved for testing
      formats[nhiFormat(nhi) ?? 'old']++;
      if (i < 300) for (const altered of oneCharChanges(nhi)) expect(isValidNhi(altered), `${nhi} -> ${altered}`).toBe(false);
    }
    expect(formats.old).toBeGreaterThan(1500);
    expect(formats.new).toBeGreaterThan(500);
  });

  it('gives every patient of a seed a different NHI and record key', () => {
    const nhis = new Set<string>();
    const keys = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      nhis.add(syntheticNhi(5, 'main', i));
      keys.add(makePatient(5, i).recordKey);
    }
    expect(nhis.size).toBe(20_000);
    expect(keys.size).toBe(20_000);
  });
});

describe('synthetic patients', () => {
  it('are a pure function of seed, index and space', () => {
    expect(makePatient(3, 17)).toEqual(makePatient(3, 17));
    expect(makePatient(3, 17)).not.toEqual(makePatient(4, 17));
    expect(makePatient(3, 17, 'unrelated').nhi).not.toBe(makePatient(3, 17).nhi);
  });

  it('have plausible, safe demographics', () => {
    const given = new Set<string>();
    const family = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const p = makePatient(8, i);
      given.add(p.givenName);
      family.add(p.familyName);
      expect(p.email).toMatch(/^[a-z0-9._]+@example\.(com|net|org)$/);
      expect(p.dateOfBirth).toMatch(/^(19[2-9]\d|20[0-2]\d)-\d\d-\d\d$/);
      expect(p.address.postcode).toMatch(/^\d{4}$/);
      expect(p.phone).toMatch(/^(\(0\d\) \d{3} \d{4}|02\d \d{3} \d{3,4})$/);
      expect(p.recordKey).toMatch(/^PT\d{7}$/);
      expect(p.practice.clinicians).toContain(p.gp);
      expect(p.fullName).toMatch(/^[A-Za-z' -]+$/);
    }
    expect(given.size).toBeGreaterThan(250);
    expect(family.size).toBeGreaterThan(250);
  });

  it('never share NHIs or record keys between the main and unrelated spaces', () => {
    const main = new Set<string>();
    for (let seed = 1; seed <= 3; seed++) for (let i = 0; i < 3000; i++) {
      const p = makePatient(seed, i);
      main.add(p.nhi).add(p.recordKey);
    }
    for (let seed = 1; seed <= 3; seed++) for (let i = 0; i < 3000; i++) {
      const u = makePatient(seed, i, 'unrelated');
      expect(main.has(u.nhi)).toBe(false);
      expect(main.has(u.recordKey)).toBe(false);
    }
  });
});
