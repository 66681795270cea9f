import { FINAL_DESTINATION_TYPES, type FinalDestinationType } from '../domain/destinations.ts';
import { findScheduleCycle, normalizeWeek, scheduleIssues } from '../domain/business-hours.ts';
import type { businessHours, StoredDestination } from '../db/schema/index.ts';
import type { SnapshotDestination, SnapshotSchedule } from './snapshot.ts';

type ScheduleRow = typeof businessHours.$inferSelect;
/** compile's Problem, as far as schedules fill it in (spelled out: compile.ts imports this file). */
type Finding = { code: string; message: string; path: string };

/** compile's destination check: records problems and warnings under `label` and `path`, returns the snapshot form. */
export type CheckDestination = <T extends string>(label: string, path: string, allowed: readonly T[], d: StoredDestination | null) => SnapshotDestination<T> | null;

/**
 * The organization's business-hours schedules, all of them (like IVRs): a schedule an admin wrote is
 * checked even before anything routes to it, and the status endpoint and calls see the same ones.
 * Problems: a bad timezone/week/holiday (the service refuses those, but rows can predate a rule), a
 * dangling destination, and schedules that send calls round in a circle.
 */
export function compileSchedules(rows: readonly ScheduleRow[], destination: CheckDestination, problems: Finding[]): Record<string, SnapshotSchedule> {
  const out: Record<string, SnapshotSchedule> = {};
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows) {
    const base = `schedules.${r.id}`;
    const label = `Business hours "${r.name}"`;
    for (const issue of scheduleIssues({ timezone: r.timezone, weekly: r.weekly, holidays: r.holidays })) {
      problems.push({ code: 'invalid_value', message: `${label}: ${issue.field}: ${issue.message}`, path: `${base}.${issue.field}` });
    }
    const open = destination<FinalDestinationType>(`${label}, open destination`, `${base}.open_destination`, FINAL_DESTINATION_TYPES, r.openDestination);
    const closed = destination<FinalDestinationType>(`${label}, closed destination`, `${base}.closed_destination`, FINAL_DESTINATION_TYPES, r.closedDestination);
    const cycle = findScheduleCycle(r.id, (id) => {
      const row = byId.get(id);
      return row ? [row.openDestination, row.closedDestination] : null;
    });
    if (cycle) {
      const names = cycle.map((id) => `"${byId.get(id)?.name ?? id}"`).join(' → ');
      problems.push({ code: 'schedule_cycle', message: `${label} sends calls back to itself: ${names}`, path: base });
    }
    out[r.id] = {
      id: r.id, name: r.name, timezone: r.timezone, weekly: normalizeWeek(r.weekly), holidays: r.holidays.map((h) => ({ date: h.date, name: h.name })),
      open: open ?? { type: 'hangup', value: null },
      closed: closed ?? { type: 'hangup', value: null },
    };
  }
  return out;
}
