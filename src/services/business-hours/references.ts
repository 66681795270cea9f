import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import type { StoredDestination } from '../../db/schema/index.ts';

/** Something in the draft configuration that sends calls to a schedule. */
export interface ScheduleReference {
  type: 'did' | 'ivr' | 'queue' | 'ai_agent' | 'business_hours';
  id: string;
  /** The DID's number, or the object's name (a queue's number and name). */
  name: string;
  /** e.g. "routing", "menu option 1", "timeout_destination", "closed_destination" */
  field: string;
}

const pointsAt = (d: StoredDestination | null | undefined, id: string) => d?.type === 'time_condition' && d.value === id;

/**
 * Everything in the organization's draft configuration that routes calls to schedule `id` (other than
 * the schedule itself): DIDs, menu options, IVR timeout/invalid destinations, queue exits, AI agent
 * fallbacks and other schedules. Destinations stored as JSON are read per row: an organization has tens
 * of these, not thousands.
 */
export async function findScheduleReferences(db: Db, orgId: string, id: string): Promise<ScheduleReference[]> {
  const { aiAgents, businessHours, dids, ivrMenuOptions, ivrs, queues } = db.t;
  // One after the other: this runs inside the delete's transaction (one PostgreSQL connection).
  const refs: ScheduleReference[] = [];
  const didRows = await db.select({ id: dids.id, number: dids.number }).from(dids)
    .where(and(eq(dids.orgId, orgId), eq(dids.routingType, 'time_condition'), eq(dids.routingDestination, id))).orderBy(dids.number);
  for (const d of didRows) refs.push({ type: 'did', id: d.id, name: d.number, field: 'routing' });

  const options = await db.select({ id: ivrs.id, name: ivrs.name, digit: ivrMenuOptions.digit }).from(ivrMenuOptions)
    .innerJoin(ivrs, eq(ivrs.id, ivrMenuOptions.ivrId))
    .where(and(eq(ivrMenuOptions.orgId, orgId), eq(ivrMenuOptions.actionType, 'time_condition'), eq(ivrMenuOptions.destination, id)));
  for (const o of options) refs.push({ type: 'ivr', id: o.id, name: o.name, field: `menu option ${o.digit}` });

  for (const i of await db.select({ id: ivrs.id, name: ivrs.name, t: ivrs.timeoutDestination, v: ivrs.invalidDestination }).from(ivrs).where(eq(ivrs.orgId, orgId))) {
    if (pointsAt(i.t, id)) refs.push({ type: 'ivr', id: i.id, name: i.name, field: 'timeout_destination' });
    if (pointsAt(i.v, id)) refs.push({ type: 'ivr', id: i.id, name: i.name, field: 'invalid_destination' });
  }
  for (const q of await db.select({ id: queues.id, number: queues.number, name: queues.name, t: queues.timeoutDestination }).from(queues).where(eq(queues.orgId, orgId))) {
    if (pointsAt(q.t, id)) refs.push({ type: 'queue', id: q.id, name: `${q.number} ${q.name}`, field: 'timeout_destination' });
  }
  for (const a of await db.select({ id: aiAgents.id, name: aiAgents.name, f: aiAgents.fallbackDestination }).from(aiAgents).where(eq(aiAgents.orgId, orgId))) {
    if (pointsAt(a.f, id)) refs.push({ type: 'ai_agent', id: a.id, name: a.name, field: 'fallback_destination' });
  }
  const schedules = await db.select({ id: businessHours.id, name: businessHours.name, o: businessHours.openDestination, c: businessHours.closedDestination })
    .from(businessHours).where(and(eq(businessHours.orgId, orgId), ne(businessHours.id, id)));
  for (const b of schedules) {
    if (pointsAt(b.o, id)) refs.push({ type: 'business_hours', id: b.id, name: b.name, field: 'open_destination' });
    if (pointsAt(b.c, id)) refs.push({ type: 'business_hours', id: b.id, name: b.name, field: 'closed_destination' });
  }
  return refs;
}
