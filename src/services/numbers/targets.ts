import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { aiAgents, businessHours, extensions, ivrs, queues } from '../../db/schema/index.ts';
import type { DestinationTargets } from '../../domain/destinations.ts';

/**
 * The organization's draft configuration as the destination rules see it (checkDestination,
 * src/domain/destinations.ts), read from the database: one small query per question, asked only
 * for the destination being checked.
 */
export function draftTargets(db: Db, orgId: string): DestinationTargets {
  return {
    extension: (number) =>
      db.select({ enabled: extensions.enabled, voicemailEnabled: extensions.voicemailEnabled }).from(extensions)
        .where(and(eq(extensions.orgId, orgId), eq(extensions.number, number))).get() ?? null,
    hasQueue: (number) => db.select({ id: queues.id }).from(queues).where(and(eq(queues.orgId, orgId), eq(queues.number, number))).get() !== undefined,
    hasIvr: (id) => db.select({ id: ivrs.id }).from(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, id))).get() !== undefined,
    hasAgent: (id) => db.select({ id: aiAgents.id }).from(aiAgents).where(and(eq(aiAgents.orgId, orgId), eq(aiAgents.id, id))).get() !== undefined,
    hasSchedule: (id) =>
      db.select({ id: businessHours.id }).from(businessHours).where(and(eq(businessHours.orgId, orgId), eq(businessHours.id, id))).get() !== undefined,
  };
}
