import { describe, expect, it } from 'vitest';
import { forEachEmail, forEachWord } from '../../src/records/text-candidates.js';

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
