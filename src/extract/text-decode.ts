/**
 * Bytes → string for text-like inputs. Leaked files come from every era of hospital IT:
 * UTF-8 with and without BOM, UTF-16 exports from Windows tools, and windows-1252 CSVs. The
 * decoder must never throw, so a file of unknown encoding still yields text to fingerprint.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** Whether a byte-order mark was present (and removed). */
  bom: boolean;
}

// fatal: true turns invalid UTF-8 into an exception, which is how we detect it cheaply
// (the native decoder is far faster than a hand-written validator).
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16le = new TextDecoder('utf-16le', { ignoreBOM: true });
const utf16be = new TextDecoder('utf-16be', { ignoreBOM: true });

/**
 * windows-1252's 0x80–0x9F (€, ‚, „, …, –, — and friends; 0x81/8D/8F/90/9D unassigned, kept
 * as the C1 code point). Done by hand: Node's TextDecoder('windows-1252') decodes this range
 * as ISO-8859-1 control characters, losing exactly the characters that tell the two apart.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeCp1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Encoding announced by a byte-order mark, with the BOM's length. */
export function bomEncoding(bytes: Uint8Array): { encoding: TextEncodingName; length: number } | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf-8', length: 3 };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * UTF-16 without a BOM: mostly-ASCII UTF-16 has a NUL in every other byte. Returns the byte
 * order when at least 30 % of the sample are NULs and ≥ 90 % of them sit on one parity.
 */
export function guessBomlessUtf16(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(sample.length, 64 * 1024) & ~1;
  // Too short to tell UTF-16 from a few bytes of text with stray NULs.
  if (n < 32) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (sample[i] === 0) {
      if (i & 1) odd++;
      else even++;
    }
  }
  const nuls = even + odd;
  if (nuls < n * 0.3) return undefined;
  if (odd >= nuls * 0.9) return 'utf-16le';
  if (even >= nuls * 0.9) return 'utf-16be';
  return undefined;
}

/** Whether the bytes are valid UTF-8; a sequence cut off at the very end is tolerated. */
export function isValidUtf8(bytes: Uint8Array, allowTruncatedEnd = false): boolean {
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    if (!allowTruncatedEnd) return false;
    // A sample cut from a longer file may end inside a multi-byte character: drop up to 3
    // trailing bytes that could belong to it and try again.
    let end = bytes.length;
    for (let k = 0; k < 3 && end > 0 && (bytes[end - 1]! & 0xc0) === 0x80; k++) end--;
    if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
    try {
      utf8Strict.decode(bytes.subarray(0, end));
      return true;
    } catch {
      return false;
    }
  }
}

/** Decodes bytes to text: BOM, else valid UTF-8, else BOM-less UTF-16, else windows-1252. NULs removed. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const bom = bomEncoding(bytes);
  let text: string;
  let encoding: TextEncodingName;
  if (bom) {
    encoding = bom.encoding;
    const body = bytes.subarray(bom.length);
    if (encoding === 'utf-8') text = new TextDecoder('utf-8').decode(body);
    else text = (encoding === 'utf-16le' ? utf16le : utf16be).decode(body);
  } else {
    const utf16 = guessBomlessUtf16(bytes);
    if (utf16) {
      encoding = utf16;
      text = (utf16 === 'utf-16le' ? utf16le : utf16be).decode(bytes);
    } else {
      try {
        text = utf8Strict.decode(bytes);
        encoding = 'utf-8';
      } catch {
        text = decodeCp1252(bytes);
        encoding = 'windows-1252';
      }
    }
  }
  // NULs carry no text and break downstream tokenisers (and some databases).
  if (text.includes('\u0000')) text = text.replaceAll('\u0000', '');
  return { text, encoding, bom: bom !== undefined };
}
