/**
 * Content type from the bytes themselves. Leak-site uploads are routinely renamed (a PDF
 * published as `.txt`, a zip as `.pdf`), so magic numbers decide and the file extension only
 * breaks ties the content cannot settle (a one-column CSV, a Markdown file without markup).
 */
import { open } from 'node:fs/promises';
import type { ContentType } from './types.js';
import { bomEncoding, decodeText, guessBomlessUtf16, isValidUtf8 } from './text-decode.js';

/** How many leading bytes the heuristics look at. */
export const SNIFF_BYTES = 64 * 1024;

/** Archive container types whose members are extracted recursively. */
export function isArchiveType(type: ContentType): type is 'zip' | 'tar' | 'gzip' {
  return type === 'zip' || type === 'tar' || type === 'gzip';
}

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function ascii(b: Uint8Array, at: number, len: number): string {
  let s = '';
  for (let i = at; i < Math.min(b.length, at + len); i++) s += String.fromCharCode(b[i]!);
  return s;
}

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
}

/** Lower-cased extension without the dot ("" when none). */
export function extensionOf(name: string | undefined): string {
  if (!name) return '';
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** PDF readers accept `%PDF-` anywhere in the first KiB (junk before it is common). */
function isPdf(b: Uint8Array): boolean {
  const n = Math.min(b.length - 5, 1024);
  for (let i = 0; i <= n; i++) {
    if (b[i] === 0x25 && b[i + 1] === 0x50 && b[i + 2] === 0x44 && b[i + 3] === 0x46 && b[i + 4] === 0x2d) {
      return true;
    }
  }
  return false;
}

/** A POSIX/GNU tar header ("ustar" at 257), or a pre-POSIX one recognised by its checksum. */
export function isTarHeader(b: Uint8Array): boolean {
  if (b.length < 512) return false;
  if (ascii(b, 257, 5) === 'ustar') return true;
  // v7 tar has no magic: accept only a non-empty name and a matching header checksum.
  if (b[0] === 0) return false;
  const field = ascii(b, 148, 8).replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  return sum === parseInt(field, 8);
}

function isBmp(b: Uint8Array): boolean {
  // "BM" alone also starts ordinary text ("BMI ..."): require a known DIB header size too.
  if (!startsWith(b, [0x42, 0x4d]) || b.length < 18) return false;
  return [12, 40, 52, 56, 64, 108, 124].includes(u32(b, 14));
}

function imageMagic(b: Uint8Array): boolean {
  return (
    startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || // PNG
    startsWith(b, [0xff, 0xd8, 0xff]) || // JPEG
    ascii(b, 0, 6) === 'GIF87a' ||
    ascii(b, 0, 6) === 'GIF89a' ||
    (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') ||
    startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || // TIFF little-endian
    startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) || // TIFF big-endian
    (ascii(b, 4, 4) === 'ftyp' && ['avif', 'avis'].includes(ascii(b, 8, 4))) ||
    isBmp(b)
  );
}

// ---------------------------------------------------------------------------------------
// ZIP: DOCX is a zip whose central directory lists word/document.xml.

const DOCX_MAIN = 'word/document.xml';

interface CentralDirectoryRef {
  offset: number;
  size: number;
}

/** Finds the end-of-central-directory record in the last ≤ 64 KiB + 22 bytes of a zip. */
function findEocd(tail: Uint8Array): CentralDirectoryRef | undefined {
  const stop = Math.max(0, tail.length - 22 - 0xffff);
  for (let i = tail.length - 22; i >= stop; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) {
      return { size: u32(tail, i + 12), offset: u32(tail, i + 16) };
    }
  }
  return undefined;
}

/** Entry names in a central directory (bounded by the buffer; malformed records end the walk). */
function* centralDirectoryNames(cd: Uint8Array): Generator<string> {
  let p = 0;
  const dec = new TextDecoder('utf-8');
  while (p + 46 <= cd.length && u32(cd, p) === 0x02014b50) {
    const nameLen = u16(cd, p + 28);
    const next = p + 46 + nameLen + u16(cd, p + 30) + u16(cd, p + 32);
    if (p + 46 + nameLen > cd.length) return;
    yield dec.decode(cd.subarray(p + 46, p + 46 + nameLen));
    p = next;
  }
}

/** Walks local file headers from the start (used when the central directory is unavailable). */
function localHeaderNames(head: Uint8Array): { names: string[]; complete: boolean } {
  const names: string[] = [];
  const dec = new TextDecoder('utf-8');
  let p = 0;
  for (let n = 0; n < 10_000 && p + 30 <= head.length && u32(head, p) === 0x04034b50; n++) {
    const flags = u16(head, p + 6);
    const compressed = u32(head, p + 18);
    const nameLen = u16(head, p + 26);
    const extraLen = u16(head, p + 28);
    if (p + 30 + nameLen > head.length) break;
    names.push(dec.decode(head.subarray(p + 30, p + 30 + nameLen)));
    // With a data descriptor the size is only known after the data: cannot skip further.
    if (flags & 0x08 && compressed === 0) break;
    p += 30 + nameLen + extraLen + compressed;
  }
  return { names, complete: p + 4 <= head.length && u32(head, p) === 0x02014b50 };
}

type ZipVerdict = 'docx' | 'zip' | 'unknown';

function zipVerdict(names: Iterable<string>): ZipVerdict {
  for (const n of names) if (n === DOCX_MAIN) return 'docx';
  return 'zip';
}

/** Decides DOCX vs plain zip from a whole zip held in memory. */
function zipKindFromBuffer(b: Uint8Array): ZipVerdict {
  const eocd = findEocd(b.subarray(Math.max(0, b.length - 22 - 0xffff)));
  if (eocd && eocd.offset + eocd.size <= b.length && eocd.size > 0) {
    return zipVerdict(centralDirectoryNames(b.subarray(eocd.offset, eocd.offset + eocd.size)));
  }
  const local = localHeaderNames(b);
  if (local.names.includes(DOCX_MAIN)) return 'docx';
  return local.complete ? 'zip' : 'unknown';
}

function resolveZip(verdict: ZipVerdict, ext: string): ContentType {
  if (verdict === 'docx') return 'docx';
  // Central directory unreadable (truncated or damaged zip): the extension breaks the tie.
  if (verdict === 'unknown' && ['docx', 'docm', 'dotx', 'dotm'].includes(ext)) return 'docx';
  return 'zip';
}

// ---------------------------------------------------------------------------------------
// Text vs binary and the text sub-kinds.

/** Byte statistics: NULs and C0 controls other than tab/newline/CR/FF/VT/ESC mean binary. */
export function looksLikeText(sample: Uint8Array): boolean {
  if (sample.length === 0) return true;
  if (bomEncoding(sample) || guessBomlessUtf16(sample)) return true;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i]!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b && c !== 0x1b) bad++;
    else if (c === 0x7f) bad++;
  }
  // Random/compressed data has ~11 % such bytes; real text with a stray NUL stays far below 2 %.
  if (bad > sample.length * 0.02) return false;
  if (isValidUtf8(sample, true)) return true;
  // Not UTF-8: treat as windows-1252 text unless the bytes 0x81/0x8D/0x8F/0x90/0x9D (unassigned
  // in windows-1252) are frequent, which points to an unknown binary format.
  let unassigned = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i]!;
    if (c === 0x81 || c === 0x8d || c === 0x8f || c === 0x90 || c === 0x9d) unassigned++;
  }
  return unassigned <= sample.length * 0.01;
}

type Confidence = 'strong' | 'weak';
interface TextGuess {
  type: ContentType;
  confidence: Confidence;
}

const HTML_TAGS =
  /<(html|head|body|title|meta|div|p|span|table|tr|td|br|a\s|h[1-6]|ul|ol|li|script|style|link|form|img)\b[^>]*>/gi;

function guessHtml(s: string): TextGuess | undefined {
  const start = s.replace(/^(\s|<!--[\s\S]*?-->|<\?xml[^>]*>)+/, '').slice(0, 64).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return { type: 'html', confidence: 'strong' };
  if (!start.startsWith('<')) return undefined;
  const tags = s.slice(0, 8192).match(HTML_TAGS)?.length ?? 0;
  if (tags >= 3) return { type: 'html', confidence: 'strong' };
  if (tags >= 1) return { type: 'html', confidence: 'weak' };
  return undefined;
}

function guessJson(s: string, whole: boolean): TextGuess | undefined {
  const t = s.trimStart();
  const c = t[0];
  if (c !== '{' && c !== '[') return undefined;
  if (whole && t.length <= 8 * 1024 * 1024) {
    try {
      JSON.parse(t);
      return { type: 'json', confidence: 'strong' };
    } catch {
      // JSON Lines: every non-empty line an object or array.
      const lines = t.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 50);
      const ok = lines.every((l) => {
        try {
          JSON.parse(l);
          return true;
        } catch {
          return false;
        }
      });
      if (ok && lines.length > 1) return { type: 'json', confidence: 'strong' };
    }
  }
  if (/^(\{\s*("|\})|\[\s*(\{|\[|"|-?\d|true\b|false\b|null\b|\]))/.test(t)) return { type: 'json', confidence: 'weak' };
  return undefined;
}

/** Count of `delim` outside double quotes. */
function countDelims(line: string, delim: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delim && !quoted) n++;
  }
  return n;
}

function guessCsv(s: string, whole: boolean): TextGuess | undefined {
  let lines = s.split(/\r?\n/);
  // A sample cut from a longer file ends mid-line: ignore that last fragment.
  if (!whole) lines = lines.slice(0, -1);
  lines = lines.filter((l) => l.trim() !== '').slice(0, 40);
  if (lines.length < 2) return undefined;
  for (const delim of [',', '\t', ';', '|']) {
    const first = countDelims(lines[0]!, delim);
    if (first === 0) continue;
    const consistent = lines.every((l) => countDelims(l, delim) === first);
    // Prose can have one comma per line by chance: demand more evidence before overriding
    // the extension.
    const strong = lines.length >= 5 || (lines.length >= 3 && first >= 2);
    if (consistent) return { type: 'csv', confidence: strong ? 'strong' : 'weak' };
  }
  return undefined;
}

function guessMarkdown(s: string): TextGuess | undefined {
  const sample = s.slice(0, 16 * 1024);
  let signals = 0;
  if (/^#{1,6} \S/m.test(sample)) signals++;
  if (/^```/m.test(sample)) signals++;
  if (/\[[^\]\n]+\]\([^)\s]+\)/.test(sample)) signals++;
  if (/^\s*[-*+] \S/m.test(sample) && /^\s*[-*+] \S.*\n\s*[-*+] \S/m.test(sample)) signals++;
  if (/^\|?\s*:?-{3,}:?\s*\|/m.test(sample)) signals++;
  if (/\*\*[^*\n]+\*\*/.test(sample)) signals++;
  return signals >= 2 ? { type: 'markdown', confidence: 'weak' } : undefined;
}

const TEXT_EXTENSIONS: Record<string, ContentType> = {
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  json: 'json',
  jsonl: 'json',
  ndjson: 'json',
  geojson: 'json',
  csv: 'csv',
  tsv: 'csv',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  log: 'text',
};

/** Text sub-kind: strong content evidence, else the extension, else weak content evidence. */
function textKind(sample: Uint8Array, whole: boolean, ext: string): ContentType {
  const s = decodeText(sample).text;
  const guesses = [guessHtml(s), guessJson(s, whole), guessCsv(s, whole), guessMarkdown(s)].filter(
    (g): g is TextGuess => g !== undefined,
  );
  const strong = guesses.find((g) => g.confidence === 'strong');
  if (strong) return strong.type;
  const byExt = TEXT_EXTENSIONS[ext];
  if (byExt) return byExt;
  return guesses[0]?.type ?? 'text';
}

// ---------------------------------------------------------------------------------------

/**
 * Content type of `bytes` — the whole content, or its first bytes (then DOCX cannot always
 * be told from a plain zip; use sniffFile for files). `name` only breaks ties.
 */
export function sniff(bytes: Uint8Array, name?: string, whole = true): ContentType {
  const ext = extensionOf(name);
  if (bytes.length === 0) return 'binary';
  if (isPdf(bytes)) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return resolveZip(whole ? zipKindFromBuffer(bytes) : localHeaderVerdict(bytes), ext);
  }
  if (startsWith(bytes, [0x1f, 0x8b, 0x08])) return 'gzip';
  if (isTarHeader(bytes)) return 'tar';
  if (imageMagic(bytes)) return 'image';
  const sample = bytes.length > SNIFF_BYTES ? bytes.subarray(0, SNIFF_BYTES) : bytes;
  if (!looksLikeText(sample)) return 'binary';
  return textKind(sample, whole && bytes.length <= SNIFF_BYTES, ext);
}

function localHeaderVerdict(head: Uint8Array): ZipVerdict {
  const local = localHeaderNames(head);
  return local.names.includes(DOCX_MAIN) ? 'docx' : 'unknown';
}

/** Content type of a file on disk, reading only its head (and a zip's central directory). */
export async function sniffFile(path: string, size: number, name?: string): Promise<ContentType> {
  const fh = await open(path, 'r');
  try {
    const headLen = Math.min(size, SNIFF_BYTES);
    const head = new Uint8Array(headLen);
    await fh.read(head, 0, headLen, 0);
    if (size <= SNIFF_BYTES) return sniff(head, name, true);
    const isZip = startsWith(head, [0x50, 0x4b, 0x03, 0x04]);
    if (!isZip) return sniff(head, name, false);
    // The central directory sits at the end: read the tail for the EOCD, then the directory
    // itself (capped: a DOCX directory is a few KiB, a hostile one may claim gigabytes).
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = new Uint8Array(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    const eocd = findEocd(tail);
    let verdict: ZipVerdict = localHeaderVerdict(head);
    if (verdict !== 'docx' && eocd && eocd.size > 0 && eocd.offset + eocd.size <= size) {
      const cdLen = Math.min(eocd.size, 16 * 1024 * 1024);
      const cd = new Uint8Array(cdLen);
      await fh.read(cd, 0, cdLen, eocd.offset);
      verdict = zipVerdict(centralDirectoryNames(cd));
    }
    return resolveZip(verdict, extensionOf(name));
  } finally {
    await fh.close();
  }
}
