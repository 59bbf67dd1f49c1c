import { describe, expect, it } from 'vitest';
import { derivePostKey, evaluateJsonPath, normalisePostPath, parseCountdown, parseDataSize, parseDate } from '../../src/sites/index.js';

describe('parseDataSize', () => {
  it.each([
    ['1.2 TB', 1.2 * 1024 ** 4],
    ['500GB', 500 * 1024 ** 3],
    ['298 GB', 298 * 1024 ** 3],
    ['700 MB', 700 * 1024 ** 2],
    ['2,5 Гб', 2.5 * 1024 ** 3],
    ['1,200 GB', 1200 * 1024 ** 3],
    ['1.234,5 MB', 1234.5 * 1024 ** 2],
    ['Size: 12 KiB', 12 * 1024],
    ['v2 dump, 500GB total', 500 * 1024 ** 3],
  ])('%s', (text, bytes) => {
    expect(parseDataSize(text)).toBe(Math.round(bytes));
  });
  it('refuses numbers without a unit and unknown units', () => {
    expect(parseDataSize('298')).toBeUndefined();
    expect(parseDataSize('12 files')).toBeUndefined();
    expect(parseDataSize('')).toBeUndefined();
  });
});

describe('parseDate', () => {
  it('token formats', () => {
    expect(parseDate('2022-09-15', 'yyyy-MM-dd')?.toISOString()).toBe('2022-09-15T00:00:00.000Z');
    expect(parseDate('05/06/2022 14:30', 'dd/MM/yyyy HH:mm')?.toISOString()).toBe('2022-06-05T14:30:00.000Z');
    expect(parseDate('Updated: 17 Sep, 2022,\u00a0\u00a0 02:39 UTC', 'dd MMM, yyyy, HH:mm')?.toISOString()).toBe('2022-09-17T02:39:00.000Z');
    expect(parseDate('October 19, 2021', 'MMMM d, yyyy')?.toISOString()).toBe('2021-10-19T00:00:00.000Z');
    expect(parseDate('3/4/22 1:05 PM', 'M/d/yy h:mm a')?.toISOString()).toBe('2022-03-04T13:05:00.000Z');
    expect(parseDate("Fri, 1 Jul 2022 at 10:00", "EEE, d MMM yyyy 'at' HH:mm")?.toISOString()).toBe('2022-07-01T10:00:00.000Z');
  });
  it('time zones: fixed offsets and IANA names, explicit offsets in the text win', () => {
    expect(parseDate('2022-09-15 12:00', 'yyyy-MM-dd HH:mm', { timeZone: '+03:00' })?.toISOString()).toBe('2022-09-15T09:00:00.000Z');
    expect(parseDate('2022-07-01 12:00', 'yyyy-MM-dd HH:mm', { timeZone: 'Europe/Moscow' })?.toISOString()).toBe('2022-07-01T09:00:00.000Z');
    expect(parseDate('2022-01-15 12:00', 'yyyy-MM-dd HH:mm', { timeZone: 'America/New_York' })?.toISOString()).toBe('2022-01-15T17:00:00.000Z');
    expect(parseDate('2022-07-15 12:00', 'yyyy-MM-dd HH:mm', { timeZone: 'America/New_York' })?.toISOString()).toBe('2022-07-15T16:00:00.000Z');
    expect(parseDate('2022-09-15 12:00 +02:00', 'yyyy-MM-dd HH:mm XXX', { timeZone: 'UTC' })?.toISOString()).toBe('2022-09-15T10:00:00.000Z');
  });
  it('iso, epoch, relative', () => {
    const now = new Date('2022-09-20T12:00:00Z');
    expect(parseDate('2021-10-19T18:40:29+00:00', 'iso')?.toISOString()).toBe('2021-10-19T18:40:29.000Z');
    expect(parseDate('2021-12-06T20:27:30Z', 'iso')?.toISOString()).toBe('2021-12-06T20:27:30.000Z');
    expect(parseDate('2021-12-06', 'iso', { timeZone: '+01:00' })?.toISOString()).toBe('2021-12-05T23:00:00.000Z');
    expect(parseDate('1663632000', 'epoch')?.toISOString()).toBe('2022-09-20T00:00:00.000Z');
    expect(parseDate('1663632000000', 'epoch-ms')?.toISOString()).toBe('2022-09-20T00:00:00.000Z');
    expect(parseDate('3 days ago', 'relative', { now })?.toISOString()).toBe('2022-09-17T12:00:00.000Z');
    expect(parseDate('an hour ago', 'relative', { now })?.toISOString()).toBe('2022-09-20T11:00:00.000Z');
    expect(parseDate('yesterday', 'relative', { now })?.toISOString()).toBe('2022-09-19T12:00:00.000Z');
    expect(parseDate('in 2 days', 'relative', { now })?.toISOString()).toBe('2022-09-22T12:00:00.000Z');
  });
  it('refuses impossible dates and non-matching text instead of guessing', () => {
    expect(parseDate('31/04/2022', 'dd/MM/yyyy')).toBeUndefined();
    expect(parseDate('2022-13-01', 'yyyy-MM-dd')).toBeUndefined();
    expect(parseDate('soon', 'yyyy-MM-dd')).toBeUndefined();
    expect(parseDate('3 days ago', 'relative')).toBeUndefined();
  });
});

describe('parseCountdown', () => {
  it.each([
    ['5D 18h 29m 35s', ((5 * 24 + 18) * 60 + 29) * 60_000 + 35_000],
    ['2 days 03:12:40', 2 * 86_400_000 + (3 * 3600 + 12 * 60 + 40) * 1000],
    ['04:18:29:35', ((4 * 24 + 18) * 60 + 29) * 60_000 + 35_000],
    ['12 hours', 12 * 3_600_000],
  ])('%s', (text, ms) => {
    expect(parseCountdown(text)).toBe(ms);
  });
  it('no countdown in text', () => {
    expect(parseCountdown('published')).toBeUndefined();
  });
});

describe('JSON paths', () => {
  const doc = { data: { items: [{ title: 'a', tags: ['x', 'y'] }, { title: 'b' }], 'total-count': 2 } };
  it('walks keys, indexes, wildcards and quoted keys', () => {
    expect(evaluateJsonPath(doc, 'data.items[*].title')).toEqual(['a', 'b']);
    expect(evaluateJsonPath(doc, '$.data.items[0].tags[*]')).toEqual(['x', 'y']);
    expect(evaluateJsonPath(doc, 'data["total-count"]')).toEqual([2]);
    expect(evaluateJsonPath([1, 2], '[*]')).toEqual([1, 2]);
    expect(evaluateJsonPath(doc, 'data.missing[*]')).toEqual([]);
  });
  it('never reaches the prototype', () => {
    expect(evaluateJsonPath({}, 'constructor')).toEqual([]);
    expect(evaluateJsonPath({}, '__proto__')).toEqual([]);
  });
  it('rejects bad syntax', () => {
    expect(() => evaluateJsonPath(doc, 'data..items')).toThrow(/expected a key/);
    expect(() => evaluateJsonPath(doc, 'data[x]')).toThrow();
  });
});

describe('post identity', () => {
  it('uses the URL path, not the host (mirrors), fragment or trailing slash', () => {
    const a = derivePostKey({ title: 'Acme', url: 'http://aaa.onion/post/XyZ/' });
    const b = derivePostKey({ title: 'ACME Inc.', url: 'https://bbb.onion/post/XyZ#top' });
    expect(a.key).toBe(b.key);
    expect(a.keyBasis).toBe('url:/post/XyZ');
    // Paths are case-sensitive (LockBit ids are).
    expect(derivePostKey({ title: 'Acme', url: 'http://aaa.onion/post/xyz' }).key).not.toBe(a.key);
  });
  it('sorts query parameters and drops tracking ones', () => {
    expect(normalisePostPath('http://x.onion/?b=2&a=1&utm_source=z')).toBe('/?a=1&b=2');
    expect(normalisePostPath('http://x.onion/#/post/7')).toBe('/post/7');
    expect(normalisePostPath('http://x.onion/')).toBeUndefined();
    expect(normalisePostPath('http://x.onion/index.html')).toBeUndefined();
  });
  it('falls back to a case/whitespace/punctuation/accent-insensitive title', () => {
    const a = derivePostKey({ title: 'Café  Müller GmbH.' });
    const b = derivePostKey({ title: 'cafe muller gmbh' });
    expect(a.key).toBe(b.key);
    expect(a.keyBasis).toBe('title:cafemullergmbh');
    expect(derivePostKey({ title: 'x', url: 'http://x.onion/' }).keyBasis).toBe('title:x');
  });
  it('prefers the site\'s own id; the title key is always there', () => {
    const k = derivePostKey({ id: 'E6mYUWesKGk_com', title: 'Unita Locale Socio', url: 'http://x.onion/p/1' });
    expect(k.keyBasis).toBe('id:E6mYUWesKGk_com');
    expect(k.titleKey).toBe(derivePostKey({ title: 'UNITA LOCALE SOCIO' }).key);
  });
  it('does not depend on date text or field order', () => {
    const a = derivePostKey({ title: 'Acme', url: 'http://x.onion/p/1' });
    expect(derivePostKey({ url: 'http://x.onion/p/1', title: 'Acme' }).key).toBe(a.key);
  });
});
