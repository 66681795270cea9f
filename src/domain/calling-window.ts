/**
 * A dialer campaign's calling window: HH:mm to HH:mm on some days of the week, in an IANA timezone,
 * evaluated by wall clock like business hours (business-hours.ts). A window whose end is before its start
 * runs past midnight into the next day.
 */
import { WEEKDAYS, evaluateSchedule, nextChange, parseTime, type ScheduleRules, type WeeklyHours } from './business-hours.ts';

export interface CallingWindow {
  /** "HH:mm", inclusive. */
  start: string;
  /** "HH:mm", exclusive; "24:00" = midnight; before `start` = the next day. */
  end: string;
  /** 0 = Sunday … 6 = Saturday: the days a window starts on. */
  days: readonly number[];
  timezone: string;
}

export function windowRules(w: CallingWindow): ScheduleRules {
  const weekly: WeeklyHours = {};
  const add = (day: number, start: string, end: string) => {
    const key = WEEKDAYS[((day % 7) + 7) % 7]!;
    (weekly[key] ??= []).push({ start, end });
  };
  const overnight = (parseTime(w.end) ?? 0) <= (parseTime(w.start) ?? 0) && w.end !== '24:00';
  for (const day of new Set(w.days)) {
    if (!overnight) add(day, w.start, w.end);
    else {
      add(day, w.start, '24:00');
      if (w.end !== '00:00') add(day + 1, '00:00', w.end);
    }
  }
  return { timezone: w.timezone, weekly, holidays: [] };
}

/** Whether calls may be placed at `at`, and when that next changes (null: never within a year). */
export function windowState(w: CallingWindow, at: Date): { open: boolean; localTime: string; nextChange: Date | null } {
  const rules = windowRules(w);
  const s = evaluateSchedule(rules, at);
  return { open: s.open, localTime: s.localTime, nextChange: nextChange(rules, at) };
}
