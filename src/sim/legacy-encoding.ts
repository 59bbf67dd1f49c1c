import { TextDecoder } from 'node:util';

/**
 * Encoding pages into legacy single-byte charsets. Node only encodes UTF-8 (TextEncoder) and
 * latin1 (Buffer), so the windows-1251 table is built by decoding every byte once. Characters
 * a charset cannot hold become numeric references (`&#8211;`), as real CMSes emit them.
 */

export type LegacyCharset = 'windows-1251' | 'iso-8859-1';

const tables = new Map<LegacyCharset, Map<string, number>>();

function table(charset: LegacyCharset): Map<string, number> {
  let t = tables.get(charset);
  if (!t) {
    t = new Map();
    // iso-8859-1 is encoded as true latin1 (bytes 0x80-0x9F never written): WHATWG reads
    // the label as windows-1252 while Node 20's TextDecoder reads it as latin1, and the two
    // only differ there. Anything else becomes a numeric reference, which both read alike.
    const decoder = charset === 'windows-1251' ? new TextDecoder('windows-1251') : undefined;
    for (let b = 0; b < 256; b++) {
      if (!decoder && b >= 0x80 && b < 0xa0) continue;
      const ch = decoder ? decoder.decode(Uint8Array.of(b)) : String.fromCharCode(b);
      if (!t.has(ch)) t.set(ch, b);
    }
    tables.set(charset, t);
  }
  return t;
}

/** Text → bytes in `charset`; unencodable characters become `&#N;`. */
export function encodeLegacy(text: string, charset: LegacyCharset): Buffer {
  const t = table(charset);
  const out: number[] = [];
  for (const ch of text) {
    const b = t.get(ch);
    if (b !== undefined) out.push(b);
    else for (const c of Buffer.from(`&#${ch.codePointAt(0) ?? 63};`, 'ascii')) out.push(c);
  }
  return Buffer.from(out);
}
