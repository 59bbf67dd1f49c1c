/**
 * Data sizes as leak sites print them ("1.2 TB", "500GB", "2,5 Гб", "700 MB") into bytes.
 *
 * Units are read as binary multiples (1 KB = 1024 B): leak listings copy sizes from Windows
 * Explorer or archive tools, which label binary multiples "KB/MB/GB". `KiB` etc. are also
 * binary, so both spellings agree. The figure is a claim by the site, never evidence, so the
 * ~7 % difference from SI multiples at TB scale matters less than parsing consistently.
 */

const UNIT_POWERS: Record<string, number> = {
  b: 0, byte: 0, bytes: 0,
  k: 1, kb: 1, kib: 1, kbyte: 1, kbytes: 1,
  m: 2, mb: 2, mib: 2, mbyte: 2, mbytes: 2,
  g: 3, gb: 3, gib: 3, gbyte: 3, gbytes: 3, gig: 3, gigs: 3,
  t: 4, tb: 4, tib: 4, tbyte: 4, tbytes: 4,
  p: 5, pb: 5, pib: 5,
  // Russian-language sites: байт, Кб, Мб, Гб, Тб.
  'байт': 0, 'кб': 1, 'мб': 2, 'гб': 3, 'тб': 4,
};

const SIZE_RE = /(\d+(?:[.,]\d+)*)\s*([a-zа-я]+)?/giu;

/** Parses a number with `.` or `,` as decimal mark and either as a thousands separator. */
function parseLooseNumber(text: string): number | undefined {
  let t = text;
  const lastDot = t.lastIndexOf('.');
  const lastComma = t.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    // Both present: the later one is the decimal mark ("1,234.5" / "1.234,5").
    const decimal = lastDot > lastComma ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    t = t.split(thousands).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    // "1,200" is a thousands group; "2,5" is a decimal comma.
    const groups = t.split(',');
    const isThousands = groups.length > 1 && groups.slice(1).every((g) => g.length === 3);
    t = isThousands ? groups.join('') : t.replace(',', '.');
    if (!isThousands && groups.length > 2) return undefined;
  } else if ((t.match(/\./g) ?? []).length > 1) {
    t = t.split('.').join('');
  }
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Returns the size in bytes, or undefined when the text holds no number with a known unit.
 * A bare number without a unit is refused: "298" could be files, rows or megabytes.
 */
export function parseDataSize(text: string): number | undefined {
  // The first number followed by a known unit wins: "v2 dump, 500GB" is 500 GB, not 2.
  for (const m of text.normalize('NFKC').matchAll(SIZE_RE)) {
    if (!m[1] || !m[2]) continue;
    const power = UNIT_POWERS[m[2].toLowerCase()];
    if (power === undefined) continue;
    const n = parseLooseNumber(m[1]);
    if (n === undefined) continue;
    return Math.round(n * 1024 ** power);
  }
  return undefined;
}

/** "1.2 TiB"-style rendering for tables and reports. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return `${i === 0 ? String(value) : value.toFixed(value >= 100 ? 0 : 1)} ${units[i] ?? 'B'}`;
}
