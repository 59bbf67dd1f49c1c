/**
 * Dates as leak sites print them, parsed with an explicit per-site format, never guessed:
 * "05/06/2022" is May or June depending on the site, and a wrong date is worse than none.
 *
 * Formats: a token pattern (`yyyy-MM-dd`, `dd/MM/yyyy HH:mm`, `dd MMM, yyyy, HH:mm`,
 * `MMMM d, yyyy`), or one of the keywords `iso` (ISO 8601 / RFC 3339), `epoch` (seconds),
 * `epoch-ms`, `relative` ("3 days ago", "yesterday", "in 2 hours").
 * Tokens: yyyy yy MMMM MMM MM M dd d HH H hh h mm m ss s SSS a (AM/PM) XXX (±hh:mm / Z)
 * EEEE EEE (weekday name, matched and ignored); text in 'single quotes' is literal; any run of
 * whitespace in the format matches any run of whitespace in the text.
 */

export const DATE_KEYWORDS = ['iso', 'epoch', 'epoch-ms', 'relative'] as const;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAY_RE = '(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?';
const MONTH_NAME_RE = '([a-z]{3,9}\\.?)';

type Part = 'year' | 'year2' | 'month' | 'monthName' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'milli' | 'ampm' | 'offset';

interface CompiledFormat {
  regex: RegExp;
  parts: Part[];
}

const TOKENS: Array<[string, string, Part | undefined]> = [
  ['yyyy', '(\\d{4})', 'year'],
  ['yy', '(\\d{2})', 'year2'],
  ['MMMM', MONTH_NAME_RE, 'monthName'],
  ['MMM', MONTH_NAME_RE, 'monthName'],
  ['MM', '(\\d{1,2})', 'month'],
  ['M', '(\\d{1,2})', 'month'],
  ['dd', '(\\d{1,2})', 'day'],
  ['d', '(\\d{1,2})', 'day'],
  ['HH', '(\\d{1,2})', 'hour'],
  ['H', '(\\d{1,2})', 'hour'],
  ['hh', '(\\d{1,2})', 'hour12'],
  ['h', '(\\d{1,2})', 'hour12'],
  ['mm', '(\\d{2})', 'minute'],
  ['m', '(\\d{1,2})', 'minute'],
  ['ss', '(\\d{2})', 'second'],
  ['s', '(\\d{1,2})', 'second'],
  ['SSS', '(\\d{1,3})', 'milli'],
  ['a', '([ap]\\.?m\\.?)', 'ampm'],
  ['XXX', '(z|[+-]\\d{2}:?\\d{2})', 'offset'],
  ['EEEE', WEEKDAY_RE, undefined],
  ['EEE', WEEKDAY_RE, undefined],
];

const cache = new Map<string, CompiledFormat>();

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a token format to a regex; throws on a format that has no date in it. */
export function compileDateFormat(format: string): CompiledFormat {
  const hit = cache.get(format);
  if (hit) return hit;
  let re = '';
  const parts: Part[] = [];
  let i = 0;
  while (i < format.length) {
    const ch = format[i] ?? '';
    if (ch === "'") {
      const end = format.indexOf("'", i + 1);
      const literal = end < 0 ? format.slice(i + 1) : format.slice(i + 1, end);
      re += escapeRe(literal).replace(/\s+/g, '\\s+');
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    if (/\s/.test(ch)) {
      while (i < format.length && /\s/.test(format[i] ?? '')) i += 1;
      re += '\\s+';
      continue;
    }
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      re += token[1];
      if (token[2]) parts.push(token[2]);
      i += token[0].length;
      continue;
    }
    re += escapeRe(ch);
    i += 1;
  }
  const hasDay = parts.includes('day');
  const hasMonth = parts.includes('month') || parts.includes('monthName');
  const hasYear = parts.includes('year') || parts.includes('year2');
  if (!hasDay || !hasMonth || !hasYear) throw new Error('a date format needs a year (yyyy/yy), a month (MM/MMM) and a day (dd)');
  const compiled = { regex: new RegExp(re, 'i'), parts };
  cache.set(format, compiled);
  return compiled;
}

/** Validates a format for the schema: undefined when fine, else the problem. */
export function dateFormatProblem(format: string): string | undefined {
  if ((DATE_KEYWORDS as readonly string[]).includes(format)) return undefined;
  try {
    compileDateFormat(format);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function monthFromName(name: string): number | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  const index = MONTHS.findIndex((m) => m.startsWith(n.slice(0, 3)) && m.startsWith(n));
  if (index >= 0) return index + 1;
  // "Sept" is common; anything else that is a 3+ letter prefix of a month already matched.
  return n === 'sept' ? 9 : undefined;
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(timeZone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000;
  if (timeZone.toUpperCase() === 'UTC' || timeZone === 'Z') return 0;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const get = (type: string): number => Number(fmt.formatToParts(new Date(utcMs)).find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** True for `UTC`, `±hh:mm` and IANA names the runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (/^([+-])(\d{2}):?(\d{2})$/.test(timeZone) || timeZone.toUpperCase() === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function wallTimeToUtc(fields: { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number }, timeZone: string): Date | undefined {
  const wall = Date.UTC(fields.y, fields.mo - 1, fields.d, fields.h, fields.mi, fields.s, fields.ms);
  const check = new Date(wall);
  // Date.UTC rolls 31 April over to 1 May: refuse instead of inventing a date.
  if (check.getUTCMonth() !== fields.mo - 1 || check.getUTCDate() !== fields.d) return undefined;
  // Two passes settle DST transitions for IANA zones.
  let utc = wall - zoneOffsetMs(timeZone, wall);
  utc = wall - zoneOffsetMs(timeZone, utc);
  return new Date(utc);
}

const RELATIVE_UNITS_MS: Record<string, number> = {
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
  month: 2_592_000_000, months: 2_592_000_000,
  y: 31_536_000_000, year: 31_536_000_000, years: 31_536_000_000,
};

function parseRelative(text: string, now: Date): Date | undefined {
  const t = text.toLowerCase().trim();
  if (/\b(just now|now)\b/.test(t)) return new Date(now);
  if (/\btoday\b/.test(t)) return new Date(now);
  if (/\byesterday\b/.test(t)) return new Date(now.getTime() - 86_400_000);
  const m = /(?:(in)\s+)?(\d+|an?|one)\s*([a-z]+)(?:\s+(ago))?/.exec(t);
  if (!m?.[3]) return undefined;
  const unit = RELATIVE_UNITS_MS[m[3]];
  if (unit === undefined) return undefined;
  const count = /^\d+$/.test(m[2] ?? '') ? Number(m[2]) : 1;
  const future = m[1] === 'in' && m[4] !== 'ago';
  return new Date(now.getTime() + (future ? 1 : -1) * count * unit);
}

export interface DateParseOptions {
  /** Zone of wall-clock times without an offset: `UTC`, `+03:00` or an IANA name. */
  timeZone?: string;
  /** Reference instant for `relative`; the capture time, so results are reproducible. */
  now?: Date;
}

/** Parses `text` with `format`; undefined when it does not match or names an impossible date. */
export function parseDate(text: string, format: string, options: DateParseOptions = {}): Date | undefined {
  const clean = text.replace(/[\u00a0\u2000-\u200b\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!clean) return undefined;
  const timeZone = options.timeZone ?? 'UTC';
  if (format === 'iso') {
    const m = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/i.exec(clean);
    if (!m) return undefined;
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(m[0]) && m[0].length > 10;
    if (hasZone) {
      const d = new Date(m[0].replace(' ', 'T'));
      return Number.isNaN(d.getTime()) ? undefined : d;
    }
    return parseDate(m[0].replace('T', ' '), m[0].length > 10 ? (m[0].length > 16 ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm') : 'yyyy-MM-dd', { timeZone });
  }
  if (format === 'epoch' || format === 'epoch-ms') {
    const m = /-?\d+(?:\.\d+)?/.exec(clean);
    if (!m) return undefined;
    const d = new Date(Number(m[0]) * (format === 'epoch' ? 1000 : 1));
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  if (format === 'relative') return options.now ? parseRelative(clean, options.now) : undefined;

  const { regex, parts } = compileDateFormat(format);
  const m = regex.exec(clean);
  if (!m) return undefined;
  const f = { y: 1970, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0 };
  let hour12: number | undefined;
  let pm: boolean | undefined;
  let offset: string | undefined;
  for (const [i, part] of parts.entries()) {
    const v = m[i + 1] ?? '';
    switch (part) {
      case 'year': f.y = Number(v); break;
      case 'year2': f.y = Number(v) + (Number(v) < 70 ? 2000 : 1900); break;
      case 'month': f.mo = Number(v); break;
      case 'monthName': {
        const mo = monthFromName(v);
        if (mo === undefined) return undefined;
        f.mo = mo;
        break;
      }
      case 'day': f.d = Number(v); break;
      case 'hour': f.h = Number(v); break;
      case 'hour12': hour12 = Number(v); break;
      case 'minute': f.mi = Number(v); break;
      case 'second': f.s = Number(v); break;
      case 'milli': f.ms = Number(v.padEnd(3, '0')); break;
      case 'ampm': pm = v.toLowerCase().startsWith('p'); break;
      case 'offset': offset = v; break;
    }
  }
  if (hour12 !== undefined) f.h = (hour12 % 12) + (pm ? 12 : 0);
  if (f.mo < 1 || f.mo > 12 || f.d < 1 || f.d > 31 || f.h > 23 || f.mi > 59 || f.s > 60) return undefined;
  const zone = offset ? (offset.toUpperCase() === 'Z' ? 'UTC' : offset) : timeZone;
  return wallTimeToUtc(f, zone);
}
