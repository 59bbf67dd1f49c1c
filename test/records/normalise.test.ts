import { describe, expect, it } from 'vitest';
import { isValidNhi, nhiCheckChar, nhiFormat } from '../../src/records/nhi.js';
import { nameKey, nameTokens, normaliseAddress, normaliseDate, normaliseEmail, normaliseNhi, normalisePhone } from '../../src/records/normalise.js';
import { parseCsv, CsvParser } from '../../src/records/csv.js';
import { validateRecordSchema } from '../../src/records/schema.js';
import { RecordHasher } from '../../src/records/record-hash.js';
import { deriveKeys } from '../../src/fingerprint/keys.js';
import { keyValues } from '../../src/fingerprint/winnow.js';

describe('NHI numbers', () => {
  it('accepts valid old-format (AAANNNC, mod 11) numbers and rejects wrong check digits', () => {
    // ZAC5361: 24·7+1·6+3·5+5·4+3·3+6·2 = 230, 230 mod 11 = 10, 11-10 = 1.
    expect(isValidNhi('ZAC5361')).toBe(true);
    expect(isValidNhi('ABC1235')).toBe(true);
    expect(nhiFormat('ZAC5361')).toBe('old');
    expect(isValidNhi('ZAC3561')).toBe(false);
    expect(isValidNhi('ZAC5362')).toBe(false);
    // Sum divisible by 11: no check digit exists, never issued.
    expect(nhiCheckChar('ZZZ004')).toBeUndefined();
  });

  it('accepts valid new-format (AAANNAX, mod 23 letter) numbers and rejects wrong check letters', () => {
    expect(isValidNhi('ZBN77VL')).toBe(true);
    expect(isValidNhi('ZZZ00AC')).toBe(true);
    expect(nhiFormat('ZBN77VL')).toBe('new');
    expect(isValidNhi('ZBN77VM')).toBe(false);
    expect(isValidNhi('ZZZ00AD')).toBe(false);
  });

  it('excludes I and O and wrong shapes', () => {
    expect(isValidNhi('ZIC5361')).toBe(false);
    expect(isValidNhi('ZOC5361')).toBe(false);
    expect(isValidNhi('ZAC536')).toBe(false);
    expect(isValidNhi('ZA15361')).toBe(false);
    expect(normaliseNhi(' zac 5361 ')).toBe('ZAC5361');
    expect(normaliseNhi('zac5360')).toBeUndefined();
  });
});

describe('normalisation by kind', () => {
  it('phones become E.164-like digits', () => {
    expect(normalisePhone('021 555 0101')).toBe('64215550101');
    expect(normalisePhone('+64 21 555 0101')).toBe('64215550101');
    expect(normalisePhone('0064-21-555-0101')).toBe('64215550101');
    expect(normalisePhone('(09) 555 0101')).toBe('6495550101');
    expect(normalisePhone('111')).toBeUndefined();
    expect(normalisePhone('call me')).toBeUndefined();
  });

  it('dates become ISO from common forms; ambiguous ones give both readings on request', () => {
    expect(normaliseDate('02/03/1985')).toEqual(['1985-03-02']);
    expect(normaliseDate('02/03/1985', 'mdy')).toEqual(['1985-02-03']);
    expect(normaliseDate('02/03/1985', 'both').sort()).toEqual(['1985-02-03', '1985-03-02']);
    expect(normaliseDate('1985-03-02')).toEqual(['1985-03-02']);
    expect(normaliseDate('2 March 1985')).toEqual(['1985-03-02']);
    expect(normaliseDate('Mar 2, 1985')).toEqual(['1985-03-02']);
    expect(normaliseDate('02-Mar-1985')).toEqual(['1985-03-02']);
    expect(normaliseDate('31/02/1985')).toEqual([]);
    expect(normaliseDate('1985')).toEqual([]);
  });

  it('names fold case, diacritics and order; a single token is not a name', () => {
    expect(nameKey(nameTokens('Mere Ngāti'))).toBe(nameKey(nameTokens('NGATI, mere')));
    expect(nameKey(nameTokens('Dr John Smith'))).toBe('john smith');
    expect(nameKey(nameTokens('John'))).toBeUndefined();
    expect(nameKey(nameTokens('J Smith'))).toBeUndefined();
  });

  it('addresses reduce to the street line, abbreviations expanded', () => {
    expect(normaliseAddress('Flat 2, 17A Kauri St, Ponsonby, Auckland 1011')).toEqual(['17a kauri street']);
    expect(normaliseAddress('17a Kauri Street')).toEqual(['17a kauri street']);
    expect(normaliseAddress('Auckland')).toEqual([]);
  });

  it('emails are lowercased and shape-checked', () => {
    expect(normaliseEmail(' Mere.Ngata@Example.com ')).toBe('mere.ngata@example.com');
    expect(normaliseEmail('not an email')).toBeUndefined();
    expect(normaliseEmail('a@b')).toBeUndefined();
  });
});

describe('CSV parsing', () => {
  it('handles RFC 4180 quotes, CRLF, embedded line breaks and a BOM', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","he said ""hi""","line1\r\nline2"\r\n1,,3';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'he said "hi"', 'line1\r\nline2'],
      ['1', '', '3'],
    ]);
  });

  it('gives the same rows whatever the chunk boundaries', () => {
    const text = 'id,name\r\n1,"Smith, ""J"""\r\n2,plain\n3,"multi\nline"\r\n';
    const whole = parseCsv(text);
    for (let cut = 1; cut < text.length; cut++) {
      const p = new CsvParser();
      const rows = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()].filter((r) => r.length > 1 || r[0] !== '');
      expect(rows).toEqual(whole);
    }
  });

  it('reads TSV with the tab delimiter', () => {
    expect(parseCsv('a\tb\n1\t2\n', '\t')).toEqual([['a', 'b'], ['1', '2']]);
  });
});

describe('record schema', () => {
  it('reports every problem at once, with paths', () => {
    const r = validateRecordSchema({ columns: { nhi: 'nhi', dob: 'birthday', when: 'dob' }, dateOrder: 'ymd', extra: 1 });
    expect(r.schema).toBeUndefined();
    const paths = r.problems.map((p) => p.path);
    expect(paths).toContain('columns.dob');
    expect(paths).toContain('dateOrder');
    expect(r.problems.some((p) => /unknown key/.test(p.message) || p.path === 'extra')).toBe(true);
  });

  it('needs one record key and two identifying fields', () => {
    const r = validateRecordSchema({ columns: { nhi: 'nhi', given: 'given-name', family: 'family-name' } });
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/exactly one record-key/);
    const r2 = validateRecordSchema({ columns: { id: 'record-key', given: 'given-name', family: 'family-name' } });
    expect(r2.problems.map((p) => p.message).join('\n')).toMatch(/at least 2 identifying fields/);
    const ok = validateRecordSchema({ columns: { id: 'record-key', nhi: 'nhi', dob: 'dob' } });
    expect(ok.problems).toEqual([]);
    expect(ok.schema?.dateOrder).toBe('dmy');
  });
});

describe('keyed cell hashes', () => {
  it('the batch PRF gives the same values as the winnowing tier\'s keyValues, and depends on the key', () => {
    const h = new RecordHasher(deriveKeys(Buffer.alloc(32, 7)));
    const raw = Float64Array.from(['1985-03-02', 'john smith', 'ZAC5361', '64215550101', 'a@example.com'].map((v, i) => h.raw(i % 2 ? 'name' : 'dob', v)));
    const prfKey = (h as unknown as { prfKey: Buffer }).prfKey;
    expect([...h.keyAll(raw)]).toEqual([...keyValues(raw, prfKey)]);
    const other = new RecordHasher(deriveKeys(Buffer.alloc(32, 8)));
    expect(other.hash('dob', '1985-03-02')).not.toBe(h.hash('dob', '1985-03-02'));
    expect(h.hash('dob', '1985-03-02')).not.toBe(h.hash('name', '1985-03-02'));
  });
});
