import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkMirrorUrl, checkOnionHost } from '../../src/sites/index.js';
import { fixturePath } from '../helpers/shared.js';

describe('onion addresses', () => {
  it('accepts every 56-character host in the fixture file names (checksums hold)', () => {
    const hosts = readdirSync(fixturePath('leak-site-pages'))
      .map((f) => /^[^-]+-([a-z2-7]{56})\.html$/.exec(f)?.[1])
      .filter((h): h is string => h !== undefined);
    expect(hosts).toHaveLength(9);
    for (const h of hosts) expect(checkOnionHost(`${h}.onion`), h).toEqual({ ok: true, label: h });
  });

  it('accepts upper case, a trailing dot and a subdomain', () => {
    const h = 'lockbitapt2yfbt7lchxejug47kmqvqqxvvjpqkmevv4l3azl3gy6pyd';
    expect(checkOnionHost(`${h.toUpperCase()}.ONION`).ok).toBe(true);
    expect(checkOnionHost(`${h}.onion.`).ok).toBe(true);
    expect(checkOnionHost(`www.${h}.onion`).ok).toBe(true);
  });

  it('rejects the v2 address of the clop fixture as obsolete', () => {
    const r = checkOnionHost('ekbgzchl6x2ias37.onion');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/v2 onion address .*obsolete/);
  });

  it('rejects a one-character typo by checksum, truncation by length, bad characters', () => {
    const good = 'spookuhvfyxzph54ikjfwf2mwmxt572krpom7reyayrmxbkizbvkpaid';
    const typo = `${good.slice(0, 10)}${good[10] === 'a' ? 'b' : 'a'}${good.slice(11)}`;
    expect(checkOnionHost(`${typo}.onion`)).toEqual({ ok: false, reason: expect.stringMatching(/checksum/) as unknown });
    expect(checkOnionHost(`${good.slice(0, 50)}.onion`)).toEqual({ ok: false, reason: expect.stringMatching(/50 characters/) as unknown });
    expect(checkOnionHost(`${good.slice(0, 55)}1.onion`)).toEqual({ ok: false, reason: expect.stringMatching(/base32/) as unknown });
  });

  it('mirror URLs: onion only unless the site allows clearnet; no credentials; http(s) only', () => {
    const onion = 'http://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/';
    expect(checkMirrorUrl(onion, false)).toBeUndefined();
    expect(checkMirrorUrl('https://0mega.cc/', false)).toMatch(/allowClearnet/);
    expect(checkMirrorUrl('https://0mega.cc/', true)).toBeUndefined();
    expect(checkMirrorUrl('http://user:pw@omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/', false)).toMatch(/credentials/);
    expect(checkMirrorUrl('ftp://omegalock5zxwbhswbisc42o2q2i54vdulyvtqqbudqousisjgc7j7yd.onion/', false)).toMatch(/scheme/);
    expect(checkMirrorUrl('not a url', false)).toMatch(/not a URL/);
  });
});
