/**
 * Business hours: a weekly schedule in an IANA timezone, with holidays (closed all day). The rules on a
 * schedule and its evaluation at an instant, without I/O: the service checks an admin's input and answers
 * the status endpoint with them, publish checks the rows it loaded, a call picks open or closed.
 *
 * Evaluation is by wall clock (Intl.DateTimeFormat in the schedule's zone): an instant is open when its
 * local time falls in one of its local weekday's ranges. So across a DST change a local time the clock
 * skips is never reached (a range inside the gap never opens; a range spanning it stays open), and a
 * repeated hour is evaluated twice, by the time on the clock each time.
 */
import type { FieldIssue } from './errors.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Open from `start` (inclusive) to `end` (exclusive), "HH:mm"; `end` may be "24:00" (until midnight). */
export interface TimeRange {
  start: string;
  end: string;
}
export type WeeklyHours = Partial<Record<Weekday, TimeRange[]>>;

export interface Holiday {
  /** YYYY-MM-DD, in the schedule's timezone. */
  date: string;
  name: string;
}

export interface ScheduleRules {
  timezone: string;
  weekly: WeeklyHours;
  holidays: readonly Holiday[];
}

export type ScheduleReason = 'open' | 'closed' | 'holiday';

export interface ScheduleState {
  open: boolean;
  reason: ScheduleReason;
  /** The instant on the schedule's clock: "2026-03-08T03:00:00-04:00". */
  localTime: string;
  /** The holiday's name when reason is 'holiday'. */
  holiday?: string;
}

const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MINUTES = 24 * 60;
const MINUTE_MS = 60_000;
/** How far ahead next_change looks: a year covers any weekly pattern and a year of holidays. */
const HORIZON_MS = 370 * DAY_MINUTES * MINUTE_MS;

/** Minutes after midnight of "HH:mm" ("24:00" = 1440), or null when malformed. */
export function parseTime(v: string): number | null {
  const m = TIME_RE.exec(v);
  if (!m) return null;
  return m[3] ? DAY_MINUTES : Number(m[1]) * 60 + Number(m[2]);
}

export function isCalendarDate(v: string): boolean {
  const m = DATE_RE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** An IANA zone name Intl knows ("Asia/Kolkata", "UTC"). */
export function isTimeZone(tz: string): boolean {
  if (tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Every problem of a schedule's timezone, week and holidays, each naming its field. */
export function scheduleIssues(s: ScheduleRules): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isTimeZone(s.timezone)) issues.push({ field: 'timezone', message: `unknown timezone "${s.timezone}" (use an IANA name, e.g. "Asia/Kolkata")` });
  for (const day of Object.keys(s.weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) issues.push({ field: `weekly.${day}`, message: `unknown weekday (one of ${WEEKDAYS.join(', ')})` });
  }
  for (const day of WEEKDAYS) {
    const parsed: { start: number; end: number; i: number }[] = [];
    (s.weekly[day] ?? []).forEach((r, i) => {
      const field = `weekly.${day}.${i}`;
      const start = parseTime(r.start);
      const end = parseTime(r.end);
      if (start === null || start === DAY_MINUTES) issues.push({ field: `${field}.start`, message: 'must be a time "HH:mm" from 00:00 to 23:59' });
      if (end === null) issues.push({ field: `${field}.end`, message: 'must be a time "HH:mm" from 00:01 to 24:00' });
      if (start === null || end === null || start === DAY_MINUTES) return;
      if (end <= start) issues.push({ field, message: `ends (${r.end}) before it starts (${r.start}); a range that runs past midnight is two ranges` });
      else parsed.push({ start, end, i });
    });
    parsed.sort((a, b) => a.start - b.start);
    for (let k = 1; k < parsed.length; k++) {
      const [a, b] = [parsed[k - 1]!, parsed[k]!];
      if (b.start < a.end) issues.push({ field: `weekly.${day}.${b.i}`, message: `overlaps range ${a.i} of ${day}` });
    }
  }
  const seen = new Set<string>();
  s.holidays.forEach((h, i) => {
    if (!isCalendarDate(h.date)) issues.push({ field: `holidays.${i}.date`, message: 'must be a date "YYYY-MM-DD"' });
    else if (seen.has(h.date)) issues.push({ field: `holidays.${i}.date`, message: `${h.date} is listed twice` });
    seen.add(h.date);
  });
  return issues;
}

/** The week with every day present and its ranges in order: the shape stored and returned. */
export function normalizeWeek(weekly: WeeklyHours): Record<Weekday, TimeRange[]> {
  const out = {} as Record<Weekday, TimeRange[]>;
  for (const day of WEEKDAYS) {
    out[day] = [...(weekly[day] ?? [])].map((r) => ({ start: r.start, end: r.end })).sort((a, b) => (parseTime(a.start) ?? 0) - (parseTime(b.start) ?? 0));
  }
  return out;
}

/** The wall clock of one zone; build once per evaluation (constructing a formatter costs more than using it). */
export function zoneClock(timezone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

interface WallClock {
  date: string;
  weekday: Weekday;
  /** minutes after local midnight */
  minute: number;
  second: number;
  /** local − UTC, in minutes */
  offset: number;
}

function wallClock(clock: Intl.DateTimeFormat, ms: number): WallClock {
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of clock.formatToParts(ms)) p[part.type] = part.value;
  const [y, mo, d, h, mi, s] = [p.year, p.month, p.day, p.hour, p.minute, p.second].map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  return {
    date: `${String(y).padStart(4, '0')}-${p.month}-${p.day}`,
    weekday: WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]!,
    minute: h * 60 + mi,
    second: s,
    offset: Math.round((local - Math.floor(ms / 1000) * 1000) / MINUTE_MS),
  };
}

function stateOf(s: ScheduleRules, w: WallClock): ScheduleState {
  const two = (n: number) => String(n).padStart(2, '0');
  const off = Math.abs(w.offset);
  const localTime = `${w.date}T${two(Math.floor(w.minute / 60))}:${two(w.minute % 60)}:${two(w.second)}${w.offset < 0 ? '-' : '+'}${two(Math.floor(off / 60))}:${two(off % 60)}`;
  const holiday = s.holidays.find((h) => h.date === w.date);
  if (holiday) return { open: false, reason: 'holiday', localTime, holiday: holiday.name };
  const open = (s.weekly[w.weekday] ?? []).some((r) => {
    const start = parseTime(r.start);
    const end = parseTime(r.end);
    return start !== null && end !== null && start <= w.minute && w.minute < end;
  });
  return { open, reason: open ? 'open' : 'closed', localTime };
}

/** Open, closed or holiday at `at`, by the schedule's wall clock. */
export function evaluateSchedule(s: ScheduleRules, at: Date, clock = zoneClock(s.timezone)): ScheduleState {
  return stateOf(s, wallClock(clock, at.getTime()));
}

/**
 * The next instant the schedule opens or closes after `at`, or null when it does not within a year.
 * Steps from one local boundary (a range's start or end, local midnight) to the next; when the zone's
 * offset changes on the way (DST), the step stops at the change instead, since the wall clock jumps there.
 */
export function nextChange(s: ScheduleRules, at: Date, clock = zoneClock(s.timezone)): Date | null {
  let t = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
  const wasOpen = stateOf(s, wallClock(clock, t)).open;
  const limit = t + HORIZON_MS;
  while (t < limit) {
    const w = wallClock(clock, t);
    let next = t + (nextBoundary(s, w) - w.minute) * MINUTE_MS;
    let nw = wallClock(clock, next);
    if (nw.offset !== w.offset) {
      next = firstOffsetChange(clock, t, next, w.offset);
      nw = wallClock(clock, next);
    }
    if (stateOf(s, nw).open !== wasOpen) return new Date(next);
    t = next;
  }
  return null;
}

/** The first range boundary of the local day after the current minute, else midnight (1440). */
function nextBoundary(s: ScheduleRules, w: WallClock): number {
  let best = DAY_MINUTES;
  if (s.holidays.some((h) => h.date === w.date)) return best;
  for (const r of s.weekly[w.weekday] ?? []) {
    for (const b of [parseTime(r.start), parseTime(r.end)]) if (b !== null && b > w.minute && b < best) best = b;
  }
  return best;
}

/** The first whole minute in (lo, hi] whose offset is not `offset` (hi's is not). */
function firstOffsetChange(clock: Intl.DateTimeFormat, lo: number, hi: number, offset: number): number {
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / (2 * MINUTE_MS)) * MINUTE_MS;
    if (wallClock(clock, mid).offset === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * A chain of schedules that leads back to `startId` through their open/closed destinations (only
 * schedule → schedule hops count: a menu in between has the walker's loop protection), or null.
 * `destinationsOf` answers a schedule's two destinations, or null for an unknown id.
 */
export function findScheduleCycle(
  startId: string,
  destinationsOf: (id: string) => readonly { type: string; value: string | null }[] | null,
): string[] | null {
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | null => {
    for (const d of destinationsOf(id) ?? []) {
      if (d.type !== 'time_condition' || !d.value) continue;
      if (d.value === startId) return [...path, d.value];
      if (seen.has(d.value)) continue;
      seen.add(d.value);
      const found = walk(d.value, [...path, d.value]);
      if (found) return found;
    }
    return null;
  };
  return walk(startId, [startId]);
}
