/** Business-hours schedules: their week, holidays and two destinations, the rules on them, and their status at an instant. */
import { and, asc, eq } from 'drizzle-orm';
import { transaction, type Db, type Tables } from '../../db/handle.ts';
import { isUniqueViolation } from '../../db/order.ts';
import type { StoredDestination } from '../../db/schema/index.ts';
import {
  evaluateSchedule, findScheduleCycle, nextChange, normalizeWeek, scheduleIssues, zoneClock,
  type Holiday, type ScheduleReason, type TimeRange, type Weekday, type WeeklyHours,
} from '../../domain/business-hours.ts';
import { checkDestination, FINAL_DESTINATION_TYPES, NULL_DESTINATION_TYPES, type DestinationTargets, type FinalDestinationType } from '../../domain/destinations.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors.ts';
import { loadDraftTargets } from '../numbers/targets.ts';
import { findScheduleReferences } from './references.ts';

type Row = Tables['businessHours']['$inferSelect'];

export interface DestinationInput {
  type: FinalDestinationType;
  value?: string | null | undefined;
}

/** Schedule fields as the API accepts them. Absent = unchanged (update). */
export interface ScheduleFields {
  name?: string | undefined;
  timezone?: string | undefined;
  weekly?: WeeklyHours | undefined;
  holidays?: Holiday[] | undefined;
  open_destination?: DestinationInput | undefined;
  closed_destination?: DestinationInput | undefined;
}
type CreateFields = ScheduleFields & Required<Pick<ScheduleFields, 'name' | 'timezone' | 'open_destination' | 'closed_destination'>>;

export interface ScheduleDto {
  id: string;
  name: string;
  timezone: string;
  weekly: Record<Weekday, TimeRange[]>;
  holidays: Holiday[];
  open_destination: StoredDestination;
  closed_destination: StoredDestination;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleStatus {
  open: boolean;
  reason: ScheduleReason;
  /** The instant on the schedule's clock, with its UTC offset. */
  local_time: string;
  timezone: string;
  holiday?: string;
  /** When it next opens or closes (UTC); absent when that is more than a year away. */
  next_change?: string;
}

const toDto = (r: Row): ScheduleDto => ({
  id: r.id, name: r.name, timezone: r.timezone, weekly: normalizeWeek(r.weekly), holidays: r.holidays,
  open_destination: r.openDestination, closed_destination: r.closedDestination, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

async function findRow(db: Db, orgId: string, id: string): Promise<Row> {
  const { businessHours } = db.t;
  const [row] = await db.select().from(businessHours).where(and(eq(businessHours.id, id), eq(businessHours.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('Business-hours schedule not found');
  return row;
}

async function assertNameFree(db: Db, orgId: string, name: string, exceptId?: string): Promise<void> {
  const { businessHours } = db.t;
  const [clash] = await db.select({ id: businessHours.id }).from(businessHours).where(and(eq(businessHours.orgId, orgId), eq(businessHours.name, name))).limit(1);
  if (clash && clash.id !== exceptId) throw new ConflictError(`A business-hours schedule named "${name}" already exists`, { type: 'business_hours', id: clash.id });
}

/** Another writer took the name between our check and our write. */
function nameRace(err: unknown, name: string): unknown {
  return isUniqueViolation(err) ? new ConflictError(`A business-hours schedule named "${name}" already exists`) : err;
}

/** One destination by the shared rules (checkDestination); its problem goes into `issues`. */
function destination(targets: DestinationTargets, field: string, d: DestinationInput, issues: FieldIssue[]): StoredDestination {
  const value = d.value === undefined || d.value === null ? null : d.value.trim();
  const { problem } = checkDestination(targets, d.type, value, FINAL_DESTINATION_TYPES);
  if (problem) issues.push({ field: `${field}.value`, message: problem.message });
  return { type: d.type, value: NULL_DESTINATION_TYPES.has(d.type) ? null : value };
}

/**
 * The row the input makes of `current` (or of nothing), with every invalid field collected into one 400:
 * the timezone, the week, holidays, both destinations, and a chain of schedules back to this one.
 */
async function toRow(db: Db, orgId: string, input: ScheduleFields, current?: Row) {
  const { businessHours } = db.t;
  const issues: FieldIssue[] = [];
  const rules = {
    timezone: input.timezone?.trim() ?? current?.timezone ?? '',
    weekly: input.weekly ?? current?.weekly ?? {},
    holidays: input.holidays?.map((h) => ({ date: h.date.trim(), name: h.name.trim() })) ?? current?.holidays ?? [],
  };
  issues.push(...scheduleIssues(rules));
  const targets = await loadDraftTargets(db, orgId, [input.open_destination?.value, input.closed_destination?.value]);
  const open = input.open_destination ? destination(targets, 'open_destination', input.open_destination, issues) : current!.openDestination;
  const closed = input.closed_destination ? destination(targets, 'closed_destination', input.closed_destination, issues) : current!.closedDestination;
  if (current) {
    // The chain is walked over the org's schedules read once (tens of rows), so the rule stays synchronous.
    const schedules = new Map((await db.select({ id: businessHours.id, o: businessHours.openDestination, c: businessHours.closedDestination })
      .from(businessHours).where(eq(businessHours.orgId, orgId))).map((r) => [r.id, [r.o, r.c]]));
    const cycle = findScheduleCycle(current.id, (id) => (id === current.id ? [open, closed] : schedules.get(id) ?? null));
    if (cycle) {
      const field = open.type === 'time_condition' && cycle[1] === open.value ? 'open_destination' : 'closed_destination';
      issues.push({ field: `${field}.value`, message: `leads back to this schedule (${cycle.join(' → ')}): a call would go round forever` });
    }
  }
  if (issues.length > 0) throw new ValidationError(`Invalid request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
  return { ...rules, weekly: normalizeWeek(rules.weekly), openDestination: open, closedDestination: closed };
}

export async function listSchedules(db: Db, orgId: string): Promise<ScheduleDto[]> {
  const { businessHours } = db.t;
  return (await db.select().from(businessHours).where(eq(businessHours.orgId, orgId)).orderBy(asc(businessHours.name))).map(toDto);
}

export async function getSchedule(db: Db, orgId: string, id: string): Promise<ScheduleDto> {
  return toDto(await findRow(db, orgId, id));
}

export async function createSchedule(db: Db, orgId: string, input: CreateFields): Promise<ScheduleDto> {
  const name = input.name.trim();
  const cols = await toRow(db, orgId, input);
  await assertNameFree(db, orgId, name);
  try {
    const [row] = await db.insert(db.t.businessHours).values({ ...cols, orgId, name }).returning();
    return toDto(row!);
  } catch (err) {
    throw nameRace(err, name);
  }
}

export async function updateSchedule(db: Db, orgId: string, id: string, input: ScheduleFields): Promise<ScheduleDto> {
  const { businessHours } = db.t;
  const current = await findRow(db, orgId, id);
  const name = input.name?.trim() ?? current.name;
  const cols = await toRow(db, orgId, input, current);
  if (name !== current.name) await assertNameFree(db, orgId, name, current.id);
  try {
    const [row] = await db.update(businessHours).set({ ...cols, name }).where(and(eq(businessHours.orgId, orgId), eq(businessHours.id, current.id))).returning();
    return toDto(row ?? (await findRow(db, orgId, id)));
  } catch (err) {
    throw nameRace(err, name);
  }
}

/**
 * Deletes a schedule nothing routes to. While a DID, menu option, fallback, queue exit or another
 * schedule still sends calls to it, that is a 409 listing them: a deleted schedule would leave those
 * calls nowhere to go (unlike an IVR, a schedule is usually shared by many routes).
 */
export function deleteSchedule(db: Db, orgId: string, id: string): Promise<void> {
  // One transaction: the check and the delete see the same references (on SQLite nothing writes in between).
  return transaction(db, async (tx) => {
    const { businessHours } = tx.t;
    const row = await findRow(tx, orgId, id);
    const references = await findScheduleReferences(tx, orgId, row.id);
    if (references.length > 0) {
      const list = references.map((r) => `${r.type} ${r.name} (${r.field})`).join(', ');
      throw new ConflictError(`Business-hours schedule "${row.name}" is still used by ${list}: route those elsewhere first`, { type: 'business_hours', id: row.id, references });
    }
    await tx.delete(businessHours).where(and(eq(businessHours.orgId, orgId), eq(businessHours.id, row.id)));
  });
}

/** Open, closed or holiday at `at` (the draft schedule, as a call would see it once published), and when that changes next. */
export async function scheduleStatus(db: Db, orgId: string, id: string, at: Date): Promise<ScheduleStatus> {
  const row = await findRow(db, orgId, id);
  const clock = zoneClock(row.timezone);
  const state = evaluateSchedule(row, at, clock);
  const next = nextChange(row, at, clock);
  return {
    open: state.open, reason: state.reason, local_time: state.localTime, timezone: row.timezone,
    ...(state.holiday !== undefined && { holiday: state.holiday }),
    ...(next && { next_change: next.toISOString() }),
  };
}
