import { TextDecoder } from 'node:util';
import { bomEncoding, decodeCp1252 } from '../extract/text-decode.js';

/**
 * Bytes → text, the way browsers do it (BOM, then the Content-Type charset, then a
 * `<meta charset>` in the first 1024 bytes, else UTF-8), with a size cap applied first so a
 * huge page costs bounded memory and time. Conflicting declarations are reported, not fatal:
 * leak sites often paste templates with several metas.
 */

export interface DecodedText {
  text: string;
  /** Input size before the cap, in bytes (string input: UTF-16 code units). */
  originalBytes: number;
  /** Size after the cap. */
  bytes: number;
  truncated: boolean;
  encoding?: string;
  warnings: string[];
}

const META_CHARSET_RE = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/gi;

function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType ? /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType) : null;
  return m?.[1]?.toLowerCase();
}

function makeDecoder(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label, { fatal: false });
  } catch {
    return undefined;
  }
}

/** Decodes (and caps) a page body. Strings pass through, only capped. */
export function decodeBody(body: string | Uint8Array, maxBytes: number, contentType?: string): DecodedText {
  const warnings: string[] = [];
  if (typeof body === 'string') {
    const truncated = body.length > maxBytes;
    if (truncated) warnings.push(`input is ${body.length} characters; only the first ${maxBytes} were parsed`);
    const text = truncated ? body.slice(0, maxBytes) : body;
    return { text, originalBytes: body.length, bytes: text.length, truncated, warnings };
  }
  const truncated = body.byteLength > maxBytes;
  if (truncated) warnings.push(`input is ${body.byteLength} bytes; only the first ${maxBytes} were parsed`);
  let bytes = truncated ? body.subarray(0, maxBytes) : body;

  let encoding = 'utf-8';
  const bom = bomEncoding(bytes);
  const fromHeader = charsetFromContentType(contentType);
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const declared = [...head.matchAll(META_CHARSET_RE)].map((m) => (m[1] ?? '').toLowerCase());
  const distinct = [...new Set(declared)];
  if (distinct.length > 1) warnings.push(`page declares several charsets (${distinct.join(', ')}); using the first that applies`);
  if (bom) {
    encoding = bom.encoding;
    bytes = bytes.subarray(bom.length);
  } else if (fromHeader) {
    encoding = fromHeader;
  } else if (distinct[0]) {
    encoding = distinct[0];
  }
  // A meta claiming UTF-16 in an ASCII-compatible prescan is a lie the HTML spec also ignores.
  if (!bom && /^utf-16/.test(encoding)) encoding = 'utf-8';
  let decoder = makeDecoder(encoding);
  if (!decoder) {
    warnings.push(`unknown charset "${encoding}"; decoded as UTF-8`);
    decoder = new TextDecoder('utf-8');
  }
  // Node 20's windows-1252 decoder (also behind "iso-8859-1" and "latin1", as the WHATWG
  // spec maps them) yields C1 controls for 0x80–0x9F instead of curly quotes and dashes.
  const text = decoder.encoding === 'windows-1252' ? decodeCp1252(bytes) : decoder.decode(bytes);
  if (text.includes('\uFFFD')) warnings.push(`bytes invalid in ${decoder.encoding} were replaced (mixed encodings on the page?)`);
  return { text, originalBytes: body.byteLength, bytes: bytes.byteLength, truncated, encoding: decoder.encoding, warnings };
}
