import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/sites/decode.js';

describe('decodeBody', () => {
  it('decodes pages labelled iso-8859-1 / windows-1252 the way browsers do (curly quotes, dashes)', () => {
    const page = Buffer.concat([Buffer.from('<meta charset="iso-8859-1"><p>'), Buffer.from([0x93, 0x41, 0x94, 0x20, 0x96, 0x20, 0xe9])]);
    const d = decodeBody(page, 1_000_000);
    expect(d.encoding).toBe('windows-1252');
    expect(d.text.endsWith('\u201cA\u201d \u2013 é')).toBe(true);
  });
});
