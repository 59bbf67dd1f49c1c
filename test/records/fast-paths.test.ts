import { describe, expect, it } from 'vitest';
import { asciiWords } from '../../src/records/ascii-words.js';
import { daysInMonth, foldText, nameKey, nameTokens, normaliseAddress, normaliseDate, normaliseNhi, streetLineAt, streetType } from '../../src/records/normalise.js';
import { RunIndex } from '../../src/records/run-index.js';

/**
 * The hand-written fast paths of normalisation must give exactly what the regexes they stand
 * in front of give. The references below are those regexes, as they were.
 */

function referenceDate(value: string, order: 'dmy' | 'mdy' | 'both'): string[] {
  const iso = (y: number, m: number, d: number): string | undefined => {
    if (y < 1880 || y > 2100 || m < 1 || m > 12 || d < 1) return undefined;
    if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return undefined;
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  const maybe = (x: string | undefined): string[] => (x === undefined ? [] : [x]);
  const fullYear = (y: string): number => (y.length === 2 ? (Number(y) < 30 ? 2000 + Number(y) : 1900 + Number(y)) : Number(y));
  const months: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12 };
  const monthOf = (w: string): number => {
    const x = w.toLowerCase().replace(/\.$/, '');
    return months[x.length > 3 && x !== 'sept' ? x.slice(0, 3) : x] ?? 0;
  };
  const v = value.trim().replace(/(\d)(st|nd|rd|th)\b/gi, '$1').replace(/T\d.*$/, '');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
  if (m) return maybe(iso(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (m) return maybe(iso(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$/.exec(v);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = fullYear(m[3] as string);
    if (order === 'dmy') return maybe(iso(y, b, a));
    if (order === 'mdy') return maybe(iso(y, a, b));
    return [...new Set([iso(y, b, a), iso(y, a, b)].filter((x): x is string => x !== undefined))];
  }
  m = /^(\d{1,2})[\s-]+([A-Za-z]{3,9}\.?)[\s,-]+(\d{4})$/.exec(v);
  if (m) return maybe(iso(Number(m[3]), monthOf(m[2] as string), Number(m[1])));
  m = /^([A-Za-z]{3,9}\.?)\s+(\d{1,2}),?\s+(\d{4})$/.exec(v);
  if (m) return maybe(iso(Number(m[3]), monthOf(m[1] as string), Number(m[2])));
  return [];
}

/** Random strings over an alphabet of the characters the fast paths branch on. */
function randomStrings(alphabet: readonly string[], count: number, seed: number): string[] {
  const out: string[] = [];
  let x = seed;
  for (let t = 0; t < count; t++) {
    let s = '';
    for (let k = 0; k < 1 + (t % 20); k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      s += alphabet[(x >>> 8) % alphabet.length];
    }
    out.push(s);
  }
  return out;
}

describe('fast paths of normalisation agree with the regexes', () => {
  it('dates: numeric forms, written months, ordinals, date-times and non-dates', () => {
    const samples = [
      '02/03/1985', '2/3/85', '1985-3-2', '1985.03.02', '19850302', '31/02/1985', '1985', '02//03/1985', '/02/03/1985', '02/03/1985/',
      '2nd March 1985', '2ND-Mar-1985', 'Mar 2, 1985', 'March 2nd, 1985', 'Sept. 3, 1990', '1985-03-02T10:00:00Z', '2\u00a0March 1985',
      '10th/11th/1945', '582 Oxford Street, Glenview, Hamilton 3266', 'QX1088623', '021 142 8741', 'Flat 2, 17 Kauri St', '3rd 4th 1985',
    ];
    const alphabet = ['1', '2', '0', '9', '3', '/', '-', '.', ' ', ',', 'Mar', 'ch', 'st', 'nd', 'T', 'x', 'Q', '\u00a0', '_'];
    for (const s of [...samples, ...randomStrings(alphabet, 20_000, 5)]) {
      for (const order of ['dmy', 'mdy', 'both'] as const) expect(normaliseDate(s, order), `${JSON.stringify(s)} ${order}`).toEqual(referenceDate(s, order));
    }
  });

  it('folded words: ASCII by hand, the same words as foldText', () => {
    const alphabet = ['a', 'Z', '7', ' ', "'", '`', '-', '.', ',', '\t', 'Mr', 'St'];
    for (const s of [..."O'Brien, Seán;d'Arcy  `Smith`;17A Kauri St.;  ;Mr John SMITH".split(';'), ...randomStrings(alphabet, 5000, 9)]) {
      const words = asciiWords(s);
      if ([...s].some((c) => c.charCodeAt(0) >= 128)) expect(words).toBeUndefined();
      else expect(words, JSON.stringify(s)).toEqual(foldText(s).split(' ').filter(Boolean));
    }
    expect(nameTokens("Mr O'Brien, SEAN")).toEqual(['obrien', 'sean']);
    expect(nameTokens('Ngāti Pōrou')).toEqual(['ngati', 'porou']);
    expect(normaliseAddress('Flat 2, 17A Kauri St, Ponsonby')).toEqual(['17a kauri street']);
  });

  it('NHIs: a quick count of characters rejects, the check character decides', () => {
    const reference = (v: string): string | undefined => {
      const x = v.replace(/[\s-]+/g, '').toUpperCase();
      return /^[A-HJ-NP-Z]{3}(\d{4}|\d{2}[A-HJ-NP-Z]{2})$/.test(x) ? x : undefined;
    };
    for (const s of [' zac 5361 ', 'zac-5361', 'ZAC\t5361', 'ZAC53610', 'ZAC536', 'zbn77vl', 'ZAC5361\u00a0']) {
      const r = reference(s);
      if (r === undefined) expect(normaliseNhi(s), s).toBeUndefined();
      else expect([undefined, r]).toContain(normaliseNhi(s));
    }
    expect(normaliseNhi(' zac 5361 ')).toBe('ZAC5361');
    expect(normaliseNhi('ZAC\u00a05361')).toBe('ZAC5361');
  });
});

describe('name keys and street lines by hand agree with the general forms', () => {
  it('name keys of three words: sorted, each word once, as the Set-and-sort form gives', () => {
    const reference = (tokens: readonly string[]): string | undefined => {
      const distinct = [...new Set(tokens)].sort();
      return distinct.length >= 2 ? distinct.join(' ') : undefined;
    };
    const words = ['ana', 'bo', 'smith', 'ana', 'zoe', 'ngati', 'bo'];
    for (const a of words) for (const b of words) for (const c of words) expect(nameKey([a, b, c]), `${a} ${b} ${c}`).toBe(reference([a, b, c]));
    for (const t of [['x', 'y'], ['x', 'x'], ['d', 'c', 'b', 'a'], ['a', 'a', 'b', 'b']]) expect(nameKey(t)).toBe(reference(t));
  });

  it('street lines: house number, street-name words, a street type, as the regex form finds them', () => {
    const reference = (tokens: readonly string[], i: number): string | undefined => {
      const num = tokens[i];
      if (num === undefined || !/^\d{1,5}[a-z]?$/.test(num)) return undefined;
      for (let len = 1; len <= 3; len++) {
        const typeToken = tokens[i + len + 1];
        if (typeToken === undefined) return undefined;
        const words = tokens.slice(i + 1, i + len + 1);
        if (!words.every((w) => /^\p{L}{2,}$/u.test(w))) return undefined;
        const type = streetType(typeToken);
        if (type) return [num, ...words, type].join(' ');
      }
      return undefined;
    };
    const alphabet = ['17', '17a', '123456', 'kauri', 'st', 'road', 'x', 'te', 'whare', 'nui', 'ōtautahi', '9', 'rd', 'constructor', 'zoë', 'o2'];
    let x = 3;
    for (let t = 0; t < 20_000; t++) {
      const tokens: string[] = [];
      for (let k = 0; k < 1 + (t % 7); k++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        tokens.push(alphabet[(x >>> 8) % alphabet.length] as string);
      }
      for (let i = 0; i < tokens.length; i++) expect(streetLineAt(tokens, i), tokens.join(' ')).toBe(reference(tokens, i));
    }
    // A word that is a property of every object is not a street type.
    expect(streetLineAt(['17', 'kauri', 'constructor'], 0)).toBeUndefined();
  });

  it('days in a month by table, as the calendar has them', () => {
    for (let y = 1880; y <= 2100; y++) for (let m = 1; m <= 12; m++) expect(daysInMonth(y, m), `${y}-${m}`).toBe(new Date(Date.UTC(y, m, 0)).getUTCDate());
  });
});

describe('the scanning layout of a cell index', () => {
  it('intersects runs by row and field, whatever order the rows of a run were stored in', () => {
    // Two values: A held by rows 9, 3, 5 (field 2, stored out of order); B by rows 5, 7, 9 (field 1).
    const hashes = Float64Array.of(100, 100, 100, 200, 200, 200);
    const index = new RunIndex({ hashes, rowNos: Int32Array.of(9, 3, 5, 5, 7, 9), fields: Uint8Array.of(2, 2, 2, 1, 1, 1) });
    const lo = new Int32Array(3);
    const hi = new Int32Array(3);
    index.runs(Float64Array.of(200, 100, 150), Uint32Array.of(0, 1, 2), lo, hi);
    expect([...lo]).toEqual([3, 0, -1]);
    expect([...hi.subarray(0, 2)]).toEqual([6, 3]);
    const masks = new Map<number, number>();
    index.intersect(0, 3, 2, 3, 6, 1, 0b110, masks);
    expect([...masks.keys()].sort((a, b) => a - b)).toEqual([5, 9]);
    // The wrong field for the larger run finds nothing.
    const none = new Map<number, number>();
    index.intersect(0, 3, 2, 3, 6, 4, 0b10100, none);
    expect(none.size).toBe(0);
  });
});
