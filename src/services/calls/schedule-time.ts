/** Wall-clock times in a named IANA zone → epoch ms, without a date library. */

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `tz` from UTC at instant `t`, in ms (e.g. +19_800_000 for Asia/Kolkata). */
function offsetAt(t: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(t / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * "2026-05-01 10:30" (+ timezone, default UTC) or a full ISO time with Z / offset → epoch ms; null if unparseable.
 */
export function parseScheduleTime(value: string, timeZone = 'UTC'): number | null {
  const m = LOCAL.exec(value.trim());
  if (!m) {
    const t = Date.parse(value);
    return /([zZ]|[+-]\d{2}:?\d{2})$/.test(value.trim()) && !Number.isNaN(t) ? t : null;
  }
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  if (Number.isNaN(wall)) return null;
  let utc = wall - offsetAt(wall, timeZone);
  utc = wall - offsetAt(utc, timeZone); // second pass settles DST edges
  return utc;
}
