import { describe, expect, it } from 'vitest';
import type { FingerprintKeys } from '../../src/fingerprint/keys.js';
import { CandidateList } from '../../src/records/candidates.js';
import { FIELD_CODE } from '../../src/records/kinds.js';
import { normaliseDate } from '../../src/records/normalise.js';
import { RecordHasher } from '../../src/records/record-hash.js';
import { forEachEmail, forEachWord, textCandidates } from '../../src/records/text-candidates.js';

const REFERENCE = /[\p{L}\p{M}'’]+|\d+[A-Za-z]?/gu;

function words(text: string): string[] {
  const out: string[] = [];
  forEachWord(text, (s, e) => out.push(text.slice(s, e)));
  return out;
}

describe('free-text word tokens', () => {
  it('gives the same words as the Unicode word regex, on awkward text', () => {
    const samples = [
      "Dear Mere Ngāti-Pōrou, NHI ZAC5361 (born 02/03/1985) at 17A Kauri St — O’Brien's 2nd visit.",
      'abc123def 12a3b 9Z 0x1F 1e5 ﬁle 𝐀𝐁 𐐀𐐨 e\u0301cole ç_d',
      "''' ’’ -- 2024-01-02T10:00 a'b 42",
      '',
    ];
    for (const s of samples) expect(words(s)).toEqual([...s.matchAll(REFERENCE)].map((m) => m[0]));
  });

  it('agrees on random strings of letters, digits, marks and punctuation', () => {
    const alphabet = ['a', 'Z', '7', '0', ' ', "'", '’', 'ā', '\u0301', '-', '.', '𝐀', 'é', 'ß', '\n'];
    let seed = 7;
    for (let t = 0; t < 300; t++) {
      let s = '';
      for (let k = 0; k < 40; k++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        s += alphabet[seed % alphabet.length];
      }
      expect(words(s)).toEqual([...s.matchAll(REFERENCE)].map((m) => m[0]));
    }
  });
});

describe('e-mail addresses in free text', () => {
  const GLOBAL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;
  it('finds what the global e-mail regex finds, where it finds it', () => {
    const long = 'x'.repeat(80);
    const samples = [
      'write to mere.ngata@example.co.nz or (MERE@EXAMPLE.NZ); not @foo, a@b, a@@b.com, x@y.c, u@v.io@w.io.',
      `${long}@example.com and a.b@c.d.e.f.org, then a@b.co@c.org and @@ab@cd.ef`,
      'no sign at all',
      'tail@',
    ];
    for (const s of samples) {
      const found: [number, string][] = [];
      forEachEmail(s, (start, email) => found.push([start, email]));
      expect(found).toEqual([...s.matchAll(GLOBAL)].map((m) => [m.index, m[0]]));
    }
  });
});

describe('dates and phone numbers in free text', () => {
  // The date patterns as they were before the month-first one was narrowed to month words, and
  // phone groups split by a regex: the candidates must be the same.
  const OLD_DATES = [
    /\b\d{4}-\d{1,2}-\d{1,2}\b/g,
    /\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b/g,
    /\b\d{1,2}(?:st|nd|rd|th)?[\s-]+[A-Za-z]{3,9}\.?[\s,-]+\d{4}\b/g,
    /\b[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b/g,
  ];
  const hasher = new RecordHasher({ textKey: Buffer.alloc(32, 1), imageKey: Buffer.alloc(32, 2) } as unknown as FingerprintKeys);
  const dobs = (text: string): number[] => {
    const list = textCandidates(text, new CandidateList(hasher));
    const out: number[] = [];
    for (let i = 0; i < list.length; i++) if (list.field[i] === FIELD_CODE.dob) out.push(list.raw[i] as number);
    return out.sort();
  };
  const reference = (text: string): number[] => {
    const out: number[] = [];
    for (const re of OLD_DATES) for (const m of text.matchAll(re)) for (const v of normaliseDate(m[0], 'both')) out.push(hasher.raw('dob', v));
    return out.sort();
  };

  it('finds the dates the general patterns find, month words of any length and case included', () => {
    const words = ['Mar', 'MARCH', 'Mayor', 'May', 'Junebug', 'jul', 'Sept.', 'SEPT', 'Octopus', 'Decemberxx', 'Room', 'Foo', 'Novemberr', 'Feb.', 'aug'];
    const tails = [' 2, 1985', ' 2nd, 1985', ' 2ND, 1985', ' 12 1999', ',3 1985', ' 31, 2001', ' 29 1900', ' 29 2000'];
    let x = 5;
    const rnd = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % n;
    };
    for (let t = 0; t < 2000; t++) {
      let text = '';
      for (let k = 0; k < 6; k++) text += `${['', '1', 'x', ' ', '(', '\n'][rnd(6)]}${words[rnd(words.length)]}${tails[rnd(tails.length)]}${[' ', '. ', '', '7 ', ' and '][rnd(5)]}`;
      expect(dobs(text), JSON.stringify(text)).toEqual(reference(text));
    }
  });

  it('finds international numbers written with a plus sign', () => {
    const phones = (text: string): number[] => {
      const list = textCandidates(text, new CandidateList(hasher));
      const out: number[] = [];
      for (let i = 0; i < list.length; i++) if (list.field[i] === FIELD_CODE.phone) out.push(list.raw[i] as number);
      return out;
    };
    for (const [text, number] of [
      ['Call +44 20 7946 0958 today', '442079460958'],
      ['Call +64 21 555 0101 today', '64215550101'],
      ['Call +1 (212) 555-0147.', '12125550147'],
      ['Call 021 555 0101', '64215550101'],
    ] as const) {
      expect(phones(text), text).toContain(hasher.raw('phone', number));
    }
  });
});
