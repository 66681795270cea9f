import { and, eq, inArray } from 'drizzle-orm';
import type { Db as AsyncDb } from '../../db/handle.ts';
import { isExtensionNumber, isUuid, type DestinationTargets } from '../../domain/destinations.ts';

/**
 * The draft's destination targets (DestinationTargets): the rules stay synchronous and pure, so the
 * answers are fetched first, for the destination values about to be checked (at most one small query
 * per kind, none when no value could name one).
 */
export async function loadDraftTargets(db: AsyncDb, orgId: string, values: readonly (string | null | undefined)[]): Promise<DestinationTargets> {
  const { aiAgents, businessHours, extensions, ivrs, queues } = db.t;
  const wanted = [...new Set(values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))];
  const numbers = wanted.filter(isExtensionNumber);
  const ids = wanted.filter(isUuid);
  // One after the other: inside a transaction they share one PostgreSQL connection.
  const exts = numbers.length ? await db.select({ number: extensions.number, enabled: extensions.enabled, voicemailEnabled: extensions.voicemailEnabled }).from(extensions)
    .where(and(eq(extensions.orgId, orgId), inArray(extensions.number, numbers))) : [];
  const qs = numbers.length ? await db.select({ n: queues.number }).from(queues).where(and(eq(queues.orgId, orgId), inArray(queues.number, numbers))) : [];
  const ivrRows = ids.length ? await db.select({ id: ivrs.id }).from(ivrs).where(and(eq(ivrs.orgId, orgId), inArray(ivrs.id, ids))) : [];
  const agentRows = ids.length ? await db.select({ id: aiAgents.id }).from(aiAgents).where(and(eq(aiAgents.orgId, orgId), inArray(aiAgents.id, ids))) : [];
  const scheduleRows = ids.length ? await db.select({ id: businessHours.id }).from(businessHours).where(and(eq(businessHours.orgId, orgId), inArray(businessHours.id, ids))) : [];
  const extByNumber = new Map(exts.map((e) => [e.number, { enabled: e.enabled, voicemailEnabled: e.voicemailEnabled }]));
  const has = (rows: { id?: string; n?: string }[]) => new Set(rows.map((r) => r.id ?? r.n));
  const [queueSet, ivrSet, agentSet, scheduleSet] = [has(qs), has(ivrRows), has(agentRows), has(scheduleRows)];
  return {
    extension: (number) => extByNumber.get(number) ?? null,
    hasQueue: (number) => queueSet.has(number),
    hasIvr: (id) => ivrSet.has(id),
    hasAgent: (id) => agentSet.has(id),
    hasSchedule: (id) => scheduleSet.has(id),
  };
}
