import type { MatchMethod } from '../match/types.js';

/**
 * Words for readers who are not engineers (counsel, a judge): what each match method means,
 * how strong it is, and what kind of document a path names. The matcher's own one-line
 * explanation (src/match/explain.ts) is shown beside these.
 */

export const METHOD_NAMES: Record<MatchMethod, string> = {
  exact: 'identical file',
  text: 'same text',
  near: 'near-duplicate text',
  partial: 'shared passages',
  image: 'same image',
};

export const METHOD_HOW: Record<MatchMethod, string> = {
  exact:
    'The published file (or a file inside the published archive) has the same SHA-256 fingerprint as the known document. SHA-256 is a cryptographic hash: ' +
    'no two different files with the same SHA-256 have ever been found, so equal fingerprints mean the files are byte-for-byte identical.',
  text:
    'The file is not byte-identical (it was re-saved, converted or re-packaged), but once layout, letter case and punctuation are set aside its words are exactly ' +
    "those of the known document, in the same order. The comparison uses keyed fingerprints (HMAC-SHA-256) of the normalised text, so leakwatch never keeps the client's text itself.",
  near:
    'The 64-bit text signatures (SimHash) of the file and of the known document differ in only a few bits: the same document with small edits, such as a changed date, ' +
    'a redaction or a different footer.',
  partial:
    "Runs of consecutive words (text fingerprints) of the published file are found in the known document, and mostly nowhere else among the client's documents. " +
    'The figures give how many of the file\'s passages come from this document and how much of the document they cover: this finds excerpts, single pages and documents merged into a dump. ' +
    'Passages common to many documents (letterheads, templates) are ignored.',
  image:
    'A perceptual hash (PDQ, 256 bits) of a published picture is within a small distance of the hash of an image in the known document. It survives resizing, ' +
    're-compression, small crops and rotation. It is the only method that can mistake a look-alike for a copy, which is why its distance is stated and a weak image match alone is rated low.',
};

/** Strongest evidence first; the same order the matcher ranks methods in. */
export const METHOD_ORDER: readonly MatchMethod[] = ['exact', 'text', 'near', 'partial', 'image'];

const KINDS: [RegExp, string][] = [
  [/\.pdf$/i, 'PDF'],
  [/\.(docx?|odt|rtf)$/i, 'word-processor document'],
  [/\.(xlsx?|ods|csv|tsv)$/i, 'spreadsheet'],
  [/\.(pptx?|odp)$/i, 'presentation'],
  [/\.(txt|md|log)$/i, 'plain text'],
  [/\.(html?|xml|json)$/i, 'markup / data'],
  [/\.(png|jpe?g|gif|bmp|tiff?|webp|heic)$/i, 'image'],
  [/\.(eml|msg|mbox)$/i, 'e-mail'],
];

/** What kind of document a path names, from its extension (the matcher keeps no type). */
export function documentKind(path: string): string {
  for (const [re, kind] of KINDS) if (re.test(path)) return kind;
  return 'other';
}

/** Counts in a fixed, readable order: by the given order first, then alphabetically. */
export function countBy<T>(items: readonly T[], key: (item: T) => string, order: readonly string[] = []): [string, number][] {
  const counts = new Map<string, number>();
  for (const it of items) counts.set(key(it), (counts.get(key(it)) ?? 0) + 1);
  const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...counts.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'unknown size';
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i] as string} (${n} bytes)`;
}

/** "2024-06-01 12:00:05 UTC" from an ISO 8601 time (stored times are UTC); other text as is. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1] as string} ${m[2] as string} UTC` : iso;
}
