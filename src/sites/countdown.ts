/**
 * Countdown timers ("5D 18h 29m 35s", "2 days 03:12:40", "04:18:29:35") as a duration in ms.
 * Sites render them relative to the moment of capture, so the deadline is capture time +
 * duration; it is only as exact as the capture time, which the crawler records anyway.
 */

const UNIT_MS: Record<string, number> = {
  d: 86_400_000, day: 86_400_000, days: 86_400_000, 'д': 86_400_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000, 'ч': 3_600_000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000, 'м': 60_000,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000, 'с': 1000,
};

/** Duration in ms, or undefined when the text holds no countdown. */
export function parseCountdown(text: string): number | undefined {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (!t) return undefined;
  let total = 0;
  let found = false;
  // Colon groups: the last group is seconds when there are three or four groups, else minutes.
  const colon = /(\d+):(\d{2})(?::(\d{2}))?(?::(\d{2}))?/.exec(t);
  let rest = t;
  if (colon) {
    const groups = colon.slice(1).filter((g): g is string => g !== undefined).map(Number);
    const units = groups.length === 4 ? [86_400_000, 3_600_000, 60_000, 1000]
      : groups.length === 3 ? [3_600_000, 60_000, 1000]
      : [3_600_000, 60_000];
    groups.forEach((g, i) => { total += g * (units[i] ?? 0); });
    found = true;
    rest = t.slice(0, colon.index) + ' ' + t.slice(colon.index + colon[0].length);
  }
  for (const m of rest.matchAll(/(\d+)\s*([a-zа-я]+)/gu)) {
    const unit = UNIT_MS[m[2] ?? ''];
    if (unit === undefined) continue;
    total += Number(m[1]) * unit;
    found = true;
  }
  return found ? total : undefined;
}
