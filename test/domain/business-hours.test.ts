import { describe, expect, it } from 'vitest';
import { evaluateSchedule, findScheduleCycle, nextChange, scheduleIssues, type ScheduleRules } from '../../src/domain/business-hours.ts';

const at = (iso: string) => new Date(iso);
const rules = (timezone: string, weekly: ScheduleRules['weekly'], holidays: ScheduleRules['holidays'] = []): ScheduleRules => ({ timezone, weekly, holidays });
const state = (s: ScheduleRules, iso: string) => {
  const r = evaluateSchedule(s, at(iso));
  return `${r.reason} ${r.localTime}`;
};
const next = (s: ScheduleRules, iso: string) => nextChange(s, at(iso))?.toISOString() ?? null;

describe('evaluation by the schedule\'s wall clock', () => {
  const office = rules('Asia/Kolkata', { mon: [{ start: '09:00', end: '17:30' }], sat: [{ start: '22:00', end: '24:00' }], sun: [{ start: '00:00', end: '02:00' }] });

  it('opens at the start minute and closes at the end minute', () => {
    // 2026-03-09 is a Monday; Kolkata is UTC+05:30 all year.
    expect(state(office, '2026-03-09T03:29:59Z')).toBe('closed 2026-03-09T08:59:59+05:30');
    expect(state(office, '2026-03-09T03:30:00Z')).toBe('open 2026-03-09T09:00:00+05:30');
    expect(state(office, '2026-03-09T11:59:59Z')).toBe('open 2026-03-09T17:29:59+05:30');
    expect(state(office, '2026-03-09T12:00:00Z')).toBe('closed 2026-03-09T17:30:00+05:30');
  });

  it('24:00 runs to local midnight, where the next weekday\'s ranges take over', () => {
    // Saturday 22:00–24:00, then Sunday 00:00–02:00: open straight through local midnight.
    expect(state(office, '2026-03-14T18:29:00Z')).toBe('open 2026-03-14T23:59:00+05:30');
    expect(state(office, '2026-03-14T18:30:00Z')).toBe('open 2026-03-15T00:00:00+05:30');
    expect(next(office, '2026-03-14T17:00:00Z')).toBe('2026-03-14T20:30:00.000Z');
    // Sunday 23:59 → Monday 00:00 (local): the weekday is the local one, not UTC's.
    expect(state(office, '2026-03-15T18:29:00Z')).toBe('closed 2026-03-15T23:59:00+05:30');
    expect(state(office, '2026-03-16T03:30:00Z')).toBe('open 2026-03-16T09:00:00+05:30'); // Monday local, Monday UTC
    const utcSunday = rules('Pacific/Kiritimati', { mon: [{ start: '00:00', end: '01:00' }] }); // UTC+14
    expect(state(utcSunday, '2026-03-15T10:30:00Z')).toBe('open 2026-03-16T00:30:00+14:00');
  });

  it('a holiday is closed all day, by the local date', () => {
    const s = rules('America/New_York', { fri: [{ start: '00:00', end: '24:00' }] }, [{ date: '2026-12-25', name: 'Christmas' }]);
    // 04:59Z is still Thursday the 24th in New York (closed, no holiday); Friday the 25th starts at 05:00Z.
    expect(state(s, '2026-12-25T04:59:00Z')).toBe('closed 2026-12-24T23:59:00-05:00');
    expect(evaluateSchedule(s, at('2026-12-25T05:00:00Z'))).toEqual({ open: false, reason: 'holiday', holiday: 'Christmas', localTime: '2026-12-25T00:00:00-05:00' });
    expect(state(s, '2026-12-26T04:59:00Z')).toBe('holiday 2026-12-25T23:59:00-05:00');
    // The Friday before (the 18th) is open; after the holiday, it next opens the following Friday.
    expect(state(s, '2026-12-18T12:00:00Z')).toBe('open 2026-12-18T07:00:00-05:00');
    expect(next(s, '2026-12-25T12:00:00Z')).toBe('2027-01-01T05:00:00.000Z');
  });
});

describe('across DST changes', () => {
  it('America/New_York springs forward on 2026-03-08 02:00: a range spanning the gap stays open, one inside it never opens', () => {
    const spanning = rules('America/New_York', { sun: [{ start: '01:00', end: '04:00' }] });
    expect(state(spanning, '2026-03-08T06:59:00Z')).toBe('open 2026-03-08T01:59:00-05:00');
    expect(state(spanning, '2026-03-08T07:00:00Z')).toBe('open 2026-03-08T03:00:00-04:00');
    // 01:00–04:00 on the wall is two real hours that day.
    expect(next(spanning, '2026-03-08T06:00:00Z')).toBe('2026-03-08T08:00:00.000Z');

    const inside = rules('America/New_York', { sun: [{ start: '02:00', end: '02:59' }] });
    expect(state(inside, '2026-03-08T06:59:00Z')).toBe('closed 2026-03-08T01:59:00-05:00');
    expect(state(inside, '2026-03-08T07:00:00Z')).toBe('closed 2026-03-08T03:00:00-04:00');
    // The first Sunday it opens is the next one.
    expect(next(inside, '2026-03-08T05:00:00Z')).toBe('2026-03-15T06:00:00.000Z');

    // A range starting in the gap opens when the clock lands past its start: at 03:00 EDT.
    const half = rules('America/New_York', { sun: [{ start: '02:30', end: '03:30' }] });
    expect(next(half, '2026-03-08T05:00:00Z')).toBe('2026-03-08T07:00:00.000Z');
    expect(next(half, '2026-03-08T07:00:00Z')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('America/New_York falls back on 2026-11-01 02:00: the repeated hour is evaluated by the clock, both times', () => {
    const s = rules('America/New_York', { sun: [{ start: '00:00', end: '01:30' }] });
    expect(state(s, '2026-11-01T05:15:00Z')).toBe('open 2026-11-01T01:15:00-04:00');
    expect(state(s, '2026-11-01T05:45:00Z')).toBe('closed 2026-11-01T01:45:00-04:00');
    expect(state(s, '2026-11-01T06:15:00Z')).toBe('open 2026-11-01T01:15:00-05:00');
    expect(state(s, '2026-11-01T06:30:00Z')).toBe('closed 2026-11-01T01:30:00-05:00');
    // Closes at 01:30 EDT, opens again when the clock goes back to 01:00 (EST), closes at 01:30 EST.
    expect(next(s, '2026-11-01T05:00:00Z')).toBe('2026-11-01T05:30:00.000Z');
    expect(next(s, '2026-11-01T05:30:00Z')).toBe('2026-11-01T06:00:00.000Z');
    expect(next(s, '2026-11-01T06:00:00Z')).toBe('2026-11-01T06:30:00.000Z');
    // A business day is unaffected: 09:00 local is 14:00Z after the change, 13:00Z before.
    const office = rules('America/New_York', { fri: [{ start: '09:00', end: '17:00' }], mon: [{ start: '09:00', end: '17:00' }] });
    expect(next(office, '2026-10-30T22:00:00Z')).toBe('2026-11-02T14:00:00.000Z');
  });

  it('Europe/London springs forward on 2026-03-29 01:00 and falls back on 2026-10-25 02:00', () => {
    const spring = rules('Europe/London', { sun: [{ start: '00:30', end: '02:30' }] });
    expect(state(spring, '2026-03-29T00:59:00Z')).toBe('open 2026-03-29T00:59:00+00:00');
    expect(state(spring, '2026-03-29T01:00:00Z')).toBe('open 2026-03-29T02:00:00+01:00');
    expect(next(spring, '2026-03-29T00:00:00Z')).toBe('2026-03-29T00:30:00.000Z');
    // 00:30–02:30 on the wall is one real hour that day.
    expect(next(spring, '2026-03-29T00:30:00Z')).toBe('2026-03-29T01:30:00.000Z');
    const skipped = rules('Europe/London', { sun: [{ start: '01:00', end: '02:00' }] });
    expect(state(skipped, '2026-03-29T01:00:00Z')).toBe('closed 2026-03-29T02:00:00+01:00');
    expect(next(skipped, '2026-03-29T00:00:00Z')).toBe('2026-04-05T00:00:00.000Z');

    const fall = rules('Europe/London', { sun: [{ start: '01:00', end: '02:00' }] });
    // 01:00–02:00 happens twice: 00:00–01:00Z (BST) and 01:00–02:00Z (GMT); open through both.
    expect(state(fall, '2026-10-25T00:00:00Z')).toBe('open 2026-10-25T01:00:00+01:00');
    expect(state(fall, '2026-10-25T01:30:00Z')).toBe('open 2026-10-25T01:30:00+00:00');
    expect(state(fall, '2026-10-25T02:00:00Z')).toBe('closed 2026-10-25T02:00:00+00:00');
    expect(next(fall, '2026-10-24T23:00:00Z')).toBe('2026-10-25T00:00:00.000Z');
    expect(next(fall, '2026-10-25T00:00:00Z')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('a schedule with no open ranges never changes', () => {
    expect(next(rules('Europe/London', {}), '2026-03-29T00:00:00Z')).toBeNull();
  });
});

describe('rules', () => {
  it('accepts a valid schedule, adjacent ranges and a range ending at 24:00', () => {
    expect(scheduleIssues(rules('UTC', { mon: [{ start: '00:00', end: '12:00' }, { start: '12:00', end: '24:00' }] }, [{ date: '2028-02-29', name: 'Leap' }]))).toEqual([]);
  });

  it('finds a chain of schedules back to the start, and only schedule → schedule hops', () => {
    const graph: Record<string, { type: string; value: string | null }[]> = {
      a: [{ type: 'time_condition', value: 'b' }, { type: 'hangup', value: null }],
      b: [{ type: 'ivr', value: 'a' }, { type: 'time_condition', value: 'c' }],
      c: [{ type: 'time_condition', value: 'a' }, { type: 'time_condition', value: 'c' }],
      d: [{ type: 'time_condition', value: 'b' }, { type: 'extension', value: '1001' }],
    };
    const of = (id: string) => graph[id] ?? null;
    expect(findScheduleCycle('a', of)).toEqual(['a', 'b', 'c', 'a']);
    expect(findScheduleCycle('c', of)).toEqual(['c', 'a', 'b', 'c']);
    // d reaches a cycle (b → c → a → b) but not itself.
    expect(findScheduleCycle('d', of)).toBeNull();
  });
});
